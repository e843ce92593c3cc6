package command

// queryMsgById (QueryMsgByIdSubCommand): look messages up by id and print
// them with their consume track. An offset id (store host + commit-log
// offset) is read with VIEW_MESSAGE_BY_ID from the broker it names; any
// other id is a unique key, looked up with QUERY_MESSAGE on the brokers
// of the topic's route. The body is written to BodyDir/<msgId>.
//
// With -g and -d each message is instead pushed to that client of the
// group (CONSUME_MESSAGE_DIRECTLY, as queryMsgByUniqueKey -g -d) and the
// client's ConsumeMessageDirectlyResult printed. -s (resend) is not
// supported yet.

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

func queryMsgByID() spec {
	return spec{
		name:  "queryMsgById",
		usage: "Query Message by Id.",
		flags: []cli.Flag{
			strFlag("topic", "t", "topic name"),
			strFlag("msgId", "i", "Message Id"),
			strFlag("consumerGroup", "g", "consumer group name"),
			strFlag("clientId", "d", "The consumer's client id"),
			strFlag("sendMessage", "s", "resend message"),
			strFlag("unitName", "u", "unit name"),
			strFlag("bodyFormat", "f", "print message body by the specified format"),
			strFlag("cluster", "c", "Cluster name or lmq parent topic, lmq is used to find the route."),
		},
		required: []string{"t", "i"},
		run: func(x *ctx) error {
			if x.IsSet("g") && x.IsSet("d") {
				return pushMsgs(x, x.trimmed("g"), x.trimmed("d"), x.trimmed("t"), strings.Split(x.trimmed("i"), ","))
			}
			if x.IsSet("s") {
				return errors.New("resending a message (-s) is not supported yet")
			}
			topic := x.trimmed("t")
			for _, id := range strings.Split(x.trimmed("i"), ",") {
				if id = strings.TrimSpace(id); id == "" {
					continue
				}
				m, err := x.adm.queryMessage(topic, id)
				if err != nil {
					return err
				}
				if err := printMsgDetail(x, m); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// pushMsgs is QueryMsgByIdSubCommand.pushMsg for each id: check that the
// client is a push consumer, then have it consume the message.
func pushMsgs(x *ctx, group, clientID, topic string, ids []string) error {
	for _, id := range ids {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		info, err := x.adm.runningInfo(group, clientID, false)
		if err != nil {
			return err
		}
		if !info.push() {
			x.printf("this %s client is not push consumer ,not support direct push \n", clientID)
			return fmt.Errorf("client %s of %s is not a push consumer", clientID, group)
		}
		res, err := x.adm.consumeMessageDirectly(group, clientID, topic, id)
		if err != nil {
			return err
		}
		x.printf("%s", res)
	}
	return nil
}

// queryMessage is MQAdminImpl's lookup: by offset id, else by unique key.
func (a *adminExt) queryMessage(topic, id string) (*message, error) {
	if host, off, err := codec.DecodeOffsetMsgID(id); err == nil {
		resp, err := a.call(host.String(), admin.Request(wire.ViewMessageById, "offset", strconv.FormatInt(off, 10), "topic", topic))
		if err == nil {
			msgs, err := decodeMessages(resp.Body)
			if err == nil && len(msgs) > 0 {
				return msgs[0], nil
			}
		}
	}
	return a.queryByUniqKey(topic, id)
}

// queryByUniqKey asks every broker of the topic's route (QUERY_MESSAGE
// with _UNIQUE_KEY_QUERY) and returns the earliest stored match.
func (a *adminExt) queryByUniqKey(topic, key string) (*message, error) {
	msgs, err := a.queryMessages(msgQuery{topic: topic, key: key, maxNum: 32, end: math.MaxInt64, uniq: true})
	if admin.ResponseCode(err) == wire.NoMessage {
		return nil, fmt.Errorf("query message by id finished, but no message: %s", key)
	}
	if err != nil {
		return nil, err
	}
	best := msgs[0]
	for _, m := range msgs[1:] {
		if m.StoreTimestamp < best.StoreTimestamp {
			best = m
		}
	}
	return best, nil
}

// printMsgDetail is QueryMsgByIdSubCommand.printMsg.
func printMsgDetail(x *ctx, m *message) error {
	path, err := writeBody(x.env.BodyDir, m)
	if err != nil {
		return err
	}
	x.printf("%-20s %s\n", "OffsetID:", m.offsetMsgID())
	printFields(x, m, path)
	if x.IsSet("f") {
		body, err := bodyString(m.Body, x.trimmed("f"))
		if err != nil {
			return err
		}
		x.printf("%-20s %s\n", "Message Body:", body)
	}
	tracks, err := x.adm.messageTrack(m)
	if err != nil {
		fmt.Fprintf(x.env.Stderr, "mqadmin: message track: %s\n", admin.OneLine(err.Error()))
		return nil
	}
	if len(tracks) == 0 {
		x.printf("\n\nWARN: No Consumer")
		return nil
	}
	x.printf("\n\n")
	for _, t := range tracks {
		x.printf("%s\n", t)
	}
	return nil
}

// writeBody stores a message body as dir/<msgId>, as Java's createBodyFile.
func writeBody(dir string, m *message) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, m.msgID())
	if err := os.WriteFile(path, m.Body, 0o644); err != nil {
		return "", err
	}
	return path, nil
}

// messageTrack is DefaultMQAdminExtImpl.messageTrackDetail: for each group
// consuming the topic, whether it has consumed the message.
func (a *adminExt) messageTrack(m *message) ([]string, error) {
	groups, err := a.queryTopicConsumeByWho(m.Topic)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, g := range groups {
		track, desc := a.trackOf(m, g)
		out = append(out, fmt.Sprintf("MessageTrack [consumerGroup=%s, trackType=%s, exceptionDesc=%s]", g, track, desc))
	}
	return out, nil
}

func (a *adminExt) trackOf(m *message, group string) (track, desc string) {
	cc, err := a.examineConsumerConnection(group)
	if err != nil {
		return errorTrack(err, "UNKNOWN")
	}
	switch cc.ConsumeType {
	case "CONSUME_ACTIVELY":
		return "PULL", "null"
	case "CONSUME_PASSIVELY":
	default:
		return "UNKNOWN", "null"
	}
	consumed, err := a.consumed(m, group)
	if err != nil {
		return errorTrack(err, "UNKNOWN")
	}
	if !consumed {
		return "NOT_CONSUME_YET", "null"
	}
	if sd, ok := cc.SubscriptionTable[m.Topic]; ok && len(sd.TagsSet) > 0 {
		for _, t := range sd.TagsSet {
			if t == "*" || t == m.tags() {
				return "CONSUMED", "null"
			}
		}
		return "CONSUMED_BUT_FILTERED", "null"
	}
	return "CONSUMED", "null"
}

// errorTrack maps a lookup failure to a track type and description.
func errorTrack(err error, fallback string) (string, string) {
	var ce *codeError
	if errors.As(err, &ce) {
		desc := fmt.Sprintf("CODE:%d DESC:%s", int32(ce.Code), admin.OneLine(ce.Remark))
		switch ce.Code {
		case wire.ConsumerNotOnline:
			return "NOT_ONLINE", desc
		case wire.BroadcastConsumption:
			return "CONSUME_BROADCASTING", "null"
		}
		return fallback, desc
	}
	return fallback, admin.OneLine(err.Error())
}

// consumed reports whether group's committed offset of the message's
// queue on its store host is past the message.
func (a *adminExt) consumed(m *message, group string) (bool, error) {
	cs, err := a.examineConsumeStats(group, "")
	if err != nil {
		return false, err
	}
	ci, err := a.clusterInfo()
	if err != nil {
		return false, err
	}
	for mq, o := range cs.Offsets {
		if mq.Topic != m.Topic || mq.QueueID != m.QueueID {
			continue
		}
		if bd := ci.BrokerAddrTable[mq.BrokerName]; bd != nil && bd.MasterAddr() == m.StoreHost.String() && o.ConsumerOffset > m.QueueOffset {
			return true, nil
		}
	}
	return false, nil
}
