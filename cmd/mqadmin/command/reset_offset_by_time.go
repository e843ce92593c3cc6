package command

// resetOffsetByTime (ResetOffsetByTimeCommand): move a consumer group's
// offsets of a topic to a store time.
//
// Like Java: the brokers of the topic's route are asked to reset and to
// tell the online clients (INVOKE_BROKER_TO_RESET_OFFSET); when the group
// is offline (206) the stored offsets are rewritten instead (the old
// command: GET_CONSUME_STATS, SEARCH_OFFSET_BY_TIMESTAMP,
// UPDATE_CONSUMER_OFFSET). A broker that does not support 222 yet is
// handled the old way only while the group is offline; with consumers
// online the command fails, since they would overwrite the stored offsets.
// -b with -q resets one queue (to -o, or to the time's offset).

import (
	"fmt"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func resetOffsetByTime() spec {
	return spec{
		name:  "resetOffsetByTime",
		usage: "Reset consumer offset by timestamp(without client restart).",
		flags: []cli.Flag{
			strFlag("group", "g", "set the consumer group"),
			strFlag("topic", "t", "set the topic"),
			strFlag("timestamp", "s", "set the timestamp[now|currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]"),
			strFlag("force", "f", "set the force rollback by timestamp switch[true|false]. Deprecated."),
			strFlag("broker", "b", "broker addr"),
			strFlag("queue", "q", "queue id"),
			strFlag("offset", "o", "Expect queue offset, not support old version broker"),
			strFlag("cluster", "c", "Cluster name or lmq parent topic, lmq is used to find the route."),
		},
		required: []string{"g", "t", "s"},
		run:      runResetOffsetByTime,
	}
}

func runResetOffsetByTime(x *ctx) error {
	group, topic, tsText := x.trimmed("g"), x.trimmed("t"), x.trimmed("s")
	ts := time.Now().UnixMilli()
	if tsText != "now" {
		var err error
		if ts, err = parseTimestamp(tsText); err != nil {
			return err
		}
	}
	force := !x.IsSet("f") || javaBool(x.String("f"))
	if x.IsSet("b") && x.IsSet("q") {
		qid, err := x.intFlag("q")
		if err != nil {
			return err
		}
		if qid >= 0 {
			return resetQueue(x, x.trimmed("b"), group, topic, qid, ts, tsText)
		}
	}
	rd, err := x.adm.route(topic)
	if err != nil {
		return err
	}
	table := map[mqKey]int64{}
	for i := range rd.BrokerDatas {
		addr := admin.SelectAddr(&rd.BrokerDatas[i])
		if addr == "" {
			continue
		}
		resp, err := x.adm.call(addr, admin.Request(wire.InvokeBrokerToResetOffset, "topic", topic, "group", group,
			"timestamp", strconv.FormatInt(ts, 10), "isForce", strconv.FormatBool(force), "offset", "-1"))
		switch code := admin.ResponseCode(err); {
		case code == wire.ConsumerNotOnline:
			return resetOffsetOld(x, group, topic, ts, force, tsText)
		case code == wire.RequestCodeNotSupported:
			if _, cerr := x.adm.examineConsumerConnection(group); cerr == nil {
				return fmt.Errorf("broker %s does not support INVOKE_BROKER_TO_RESET_OFFSET (222), so the online consumers of %s cannot be told; stop them and run again to rewrite the stored offsets", addr, group)
			}
			return resetOffsetOld(x, group, topic, ts, force, tsText)
		case err != nil:
			return err
		}
		var body struct {
			OffsetTable map[string]int64 `json:"offsetTable"`
		}
		if err := admin.Decode(resp.Body, &body); err != nil {
			return err
		}
		m, err := admin.DecodeMQMap(body.OffsetTable)
		if err != nil {
			return err
		}
		for k, v := range m {
			table[k] = v
		}
	}
	x.printf("start reset consumer offset by specified, group[%s], topic[%s], force[%t], timestamp(string)[%s], timestamp(long)[%d]\n",
		group, topic, force, tsText, ts)
	x.printf("%-40s  %-40s  %-40s\n", "#brokerName", "#queueId", "#offset")
	mqs := make([]mqKey, 0, len(table))
	for mq := range table {
		mqs = append(mqs, mq)
	}
	sortMQs(mqs)
	for _, mq := range mqs {
		x.printf("%-40s  %-40d  %-40d\n", frontStringAtLeast(mq.BrokerName, 32), mq.QueueID, table[mq])
	}
	return nil
}

// resetQueue resets one queue on one broker (resetOffsetByQueueId).
func resetQueue(x *ctx, addr, group, topic string, qid int, ts int64, tsText string) error {
	x.printf("start reset consumer offset by specified, group[%s], topic[%s], queueId[%d], broker[%s], timestamp(string)[%s], timestamp(long)[%d]\n",
		group, topic, qid, addr, tsText, ts)
	mq := mqKey{Topic: topic, QueueID: int32(qid)}
	var offset int64
	var err error
	if x.IsSet("o") {
		offset, err = strconv.ParseInt(x.trimmed("o"), 10, 64)
	} else {
		offset, err = x.adm.searchOffset(addr, mq, ts)
	}
	if err != nil {
		return err
	}
	x.printf("reset consumer offset to %d\n", offset)
	if offset <= 0 {
		return nil
	}
	if err := x.adm.updateConsumerOffset(addr, group, mq, offset); err != nil {
		return err
	}
	_, err = x.adm.call(addr, admin.Request(wire.InvokeBrokerToResetOffset, "topic", topic, "group", group, "timestamp", "0",
		"queueId", strconv.Itoa(qid), "offset", strconv.FormatInt(offset, 10)))
	if admin.ResponseCode(err) == wire.RequestCodeNotSupported {
		if _, cerr := x.adm.examineConsumerConnection(group); cerr == nil {
			return fmt.Errorf("the stored offset is reset, but broker %s does not support INVOKE_BROKER_TO_RESET_OFFSET (222), so the online consumers of %s keep theirs", addr, group)
		}
		return nil
	}
	if admin.ResponseCode(err) == wire.ConsumerNotOnline {
		return nil
	}
	return err
}

// updateConsumerOffset stores a group's offset of a queue (UPDATE_CONSUMER_OFFSET).
func (a *adminExt) updateConsumerOffset(addr, group string, mq mqKey, offset int64) error {
	_, err := a.call(addr, admin.Request(wire.UpdateConsumerOffset, "consumerGroup", group, "topic", mq.Topic,
		"queueId", strconv.Itoa(int(mq.QueueID)), "commitOffset", strconv.FormatInt(offset, 10)))
	return err
}

// rollbackStats is one line of the old reset (Java's RollbackStats).
type rollbackStats struct {
	brokerName                                              string
	queueID                                                 int32
	brokerOffset, consumerOffset, timestampOffset, rollback int64
}

// resetOffsetOld rewrites the stored offsets of every broker of the
// topic's route (resetOffsetByTimestampOld) and prints them as
// ResetOffsetByTimeOldCommand does.
func resetOffsetOld(x *ctx, group, topic string, ts int64, force bool, tsText string) error {
	rd, err := x.adm.route(topic)
	if err != nil {
		return err
	}
	var stats []rollbackStats
	for i := range rd.BrokerDatas {
		bd := &rd.BrokerDatas[i]
		addr := admin.SelectAddr(bd)
		if addr == "" {
			continue
		}
		cs, err := x.adm.consumeStatsOf(addr, group, "")
		if err != nil {
			return err
		}
		offsets := map[mqKey]admin.OffsetWrapper{}
		for mq, o := range cs.Offsets {
			if mq.Topic == topic {
				offsets[mq] = o
			}
		}
		if len(offsets) == 0 {
			ts2, err := x.adm.topicStatsOf(addr, topic)
			if err != nil {
				return err
			}
			for _, qd := range rd.QueueDatas {
				if qd.BrokerName != bd.BrokerName {
					continue
				}
				for q := 0; q < qd.ReadQueueNums; q++ {
					mq := mqKey{Topic: topic, BrokerName: bd.BrokerName, QueueID: int32(q)}
					o := ts2.Offsets[mq]
					offsets[mq] = admin.OffsetWrapper{BrokerOffset: o.MaxOffset, ConsumerOffset: o.MinOffset}
				}
			}
		}
		mqs := make([]mqKey, 0, len(offsets))
		for mq := range offsets {
			mqs = append(mqs, mq)
		}
		sortMQs(mqs)
		for _, mq := range mqs {
			o := offsets[mq]
			target, err := x.adm.searchOffset(addr, mq, ts)
			if err != nil {
				return err
			}
			s := rollbackStats{brokerName: mq.BrokerName, queueID: mq.QueueID, brokerOffset: o.BrokerOffset,
				consumerOffset: o.ConsumerOffset, timestampOffset: target, rollback: o.ConsumerOffset}
			if force || target <= o.ConsumerOffset {
				s.rollback = target
				if err := x.adm.updateConsumerOffset(addr, group, mq, target); err != nil {
					return err
				}
			}
			stats = append(stats, s)
		}
	}
	x.printf("reset consumer offset by specified consumerGroup[%s], topic[%s], force[%t], timestamp(string)[%s], timestamp(long)[%d]\n",
		group, topic, force, tsText, ts)
	x.printf("%-20s  %-20s  %-20s  %-20s  %-20s  %-20s\n", "#brokerName", "#queueId", "#brokerOffset", "#consumerOffset", "#timestampOffset", "#resetOffset")
	for _, s := range stats {
		x.printf("%-20s  %-20d  %-20d  %-20d  %-20d  %-20d\n", frontStringAtLeast(s.brokerName, 32), s.queueID, s.brokerOffset,
			s.consumerOffset, s.timestampOffset, s.rollback)
	}
	return nil
}
