package broker

// INVOKE_BROKER_TO_RESET_OFFSET (222) from admin tools, and the
// RESET_CONSUMER_CLIENT_OFFSET (220) it pushes to the group's clients,
// mirroring Java's AdminBrokerProcessor.resetOffset and
// Broker2Client.resetOffset.
//
// Header: topic*, group*, timestamp (ms; negative = each queue's max
// offset), isForce, queueId (-1 = every read queue), offset (with
// queueId >= 0: the target itself; -1 or absent = by timestamp). Java
// marks timestamp and isForce required but only logs their absence, so a
// missing one reads as 0 / false.
//
// Behaviour:
//  1. A slave answers 1; a topic unknown here answers 17 TOPIC_NOT_EXIST.
//  2. Whole topic (queueId < 0) with nobody of the group online: 206
//     CONSUMER_NOT_ONLINE and nothing changes, as in Java 4.x; mqadmin
//     (Apache's and ours) then rewrites the stored offsets itself.
//     One queue (queueId >= 0, sent by 5.x admins after they committed
//     the offset themselves) is committed whether or not anyone is online.
//  3. Per queue the target is the explicit offset (1 when outside the
//     queue's [min, max]), else the first offset stored at or after
//     timestamp. Without isForce a queue only moves back: a target at or
//     beyond the group's committed offset keeps the committed one.
//  4. The targets become the group's committed offsets at once, and are
//     pushed oneway to every online client of the group as
//     RESET_CONSUMER_CLIENT_OFFSET (topic, group, queueId -1, timestamp,
//     isForce false, as Java sends them) with a body in the form the
//     client's language reads (remoting.md §5.6): the fastjson
//     MessageQueue-keyed ResetOffsetBody for Java, Go and the others, the
//     ResetOffsetBodyForC list for C++. Clients drop the queues, wait 10 s,
//     commit the new offsets and pull from there; the Go client ignores
//     isForce (the broker has applied it already).
//
// Response: 0 with body ResetOffsetBody {"offsetTable":{{mq}:offset}};
// 1, 17, 206.
//
// Versions: Java 4.x (and 5.x with useServerSideResetOffset=false) pushes
// the same way but leaves the stored offsets to the clients, answers 1
// when the group has no committed offset of a queue, and picks the C++
// body by the admin request's language instead of each client's. Java 5.x
// by default pushes nothing: it commits the offsets, answers 0 even when
// the group is offline, ignores isForce, and answers the next pull of each
// reset queue 21 PULL_OFFSET_MOVED with the new offset.

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// languageCPP is LanguageCode.CPP, whose clients read the list form of
// ResetOffsetBody.
const languageCPP = 1

func (b *Broker) resetOffset(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	topic := rd.String("topic", true)
	group := rd.String("group", true)
	ts := rd.Int64("timestamp", false)
	force := rd.Bool("isForce", false)
	queueID := int32(-1)
	if rd.String("queueId", false) != "" {
		queueID = rd.Int32("queueId", false)
	}
	offset := int64(-1)
	if rd.String("offset", false) != "" {
		offset = rd.Int64("offset", false)
	}
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	if b.conf().BrokerRole == "SLAVE" {
		return wire.NewResponse(r.Cmd, wire.SystemError, "Can not reset offset in slave broker")
	}
	tc, ok := b.topics.get(topic)
	if !ok {
		return wire.NewResponse(r.Cmd, wire.TopicNotExist, "[reset-offset] reset offset failed, no topic in this broker. topic="+topic)
	}
	channels := b.clients.consumerChannels(group)
	if len(channels) == 0 && queueID < 0 {
		return wire.NewResponse(r.Cmd, wire.ConsumerNotOnline,
			fmt.Sprintf("Consumer not online, so can not reset offset, Group: %s Topic: %s Timestamp: %d", group, topic, ts))
	}
	queues := []int32{queueID}
	if queueID < 0 {
		queues = queues[:0]
		for q := 0; q < tc.ReadQueueNums; q++ {
			queues = append(queues, int32(q))
		}
	}
	explicit := queueID >= 0 && offset >= 0
	table := make(map[codec.MessageQueue]int64, len(queues))
	for _, q := range queues {
		var target int64
		switch {
		case explicit:
			lo, hi := b.store.MinOffset(topic, q), b.store.MaxOffset(topic, q)
			if offset < lo || offset > hi {
				return wire.NewResponse(r.Cmd, wire.SystemError, fmt.Sprintf("Target offset %d not in consume queue range [%d-%d]", offset, lo, hi))
			}
			target = offset
		case ts < 0:
			target = b.store.MaxOffset(topic, q)
		default:
			target = b.store.OffsetByTime(topic, q, ts, false)
		}
		if cur, ok := b.offsets.query(topic, group, q); ok && !force && !explicit && target >= cur {
			target = cur
		}
		table[codec.MessageQueue{BrokerName: b.conf().BrokerName, QueueID: q, Topic: topic}] = target
	}
	for mq, off := range table {
		b.offsets.commit(topic, group, mq.QueueID, off)
	}
	b.log.Info("reset consumer offsets", "topic", topic, "group", group, "timestamp", ts, "isForce", force,
		"queueId", queueID, "clients", len(channels), "remote", r.Conn.RemoteAddr())
	body := encodeResetOffsetBody(table)
	var listBody []byte
	for _, ch := range channels {
		push := wire.NewRequest(wire.ResetConsumerClientOffset,
			wire.Field{Key: "group", Value: group},
			wire.Field{Key: "isForce", Value: "false"},
			wire.Field{Key: "queueId", Value: "-1"},
			wire.Field{Key: "timestamp", Value: strconv.FormatInt(ts, 10)},
			wire.Field{Key: "topic", Value: topic})
		push.Body = body
		if ch.language == languageCPP {
			if listBody == nil {
				listBody = encodeResetOffsetBodyForC(table)
			}
			push.Body = listBody
		}
		if err := ch.conn.Oneway(push); err != nil {
			b.log.Warn("reset offset push failed", "group", group, "client", ch.clientID, "remote", ch.conn.RemoteAddr(), "err", err)
		}
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = body
	return resp
}

// consumerChannels returns copies of the online channels of a group,
// sorted by client id.
func (t *clientTable) consumerChannels(group string) []clientChannel {
	t.mu.RLock()
	defer t.mu.RUnlock()
	g := t.consumers[group]
	if g == nil {
		return nil
	}
	out := make([]clientChannel, 0, len(g.channels))
	for _, ch := range g.channels {
		out = append(out, *ch)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].clientID < out[j].clientID })
	return out
}

// sortedMQs returns the keys of a MessageQueue map ordered by topic,
// broker name and queue id.
func sortedMQs[V any](m map[codec.MessageQueue]V) []codec.MessageQueue {
	out := make([]codec.MessageQueue, 0, len(m))
	for mq := range m {
		out = append(out, mq)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Topic != b.Topic {
			return a.Topic < b.Topic
		}
		if a.BrokerName != b.BrokerName {
			return a.BrokerName < b.BrokerName
		}
		return a.QueueID < b.QueueID
	})
	return out
}

// appendMQOffsetMap appends a Map<MessageQueue, Long> as fastjson writes
// it: {{"brokerName":"b","queueId":0,"topic":"t"}:5,...}. The Go client's
// reader of RESET_CONSUMER_CLIENT_OFFSET needs exactly this compact form.
func appendMQOffsetMap(dst []byte, m map[codec.MessageQueue]int64) []byte {
	dst = append(dst, '{')
	for i, mq := range sortedMQs(m) {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendMessageQueue(dst, mq.BrokerName, mq.QueueID, mq.Topic)
		dst = append(dst, ':')
		dst = strconv.AppendInt(dst, m[mq], 10)
	}
	return append(dst, '}')
}

// encodeResetOffsetBody returns Java's ResetOffsetBody:
// {"offsetTable":{{mq}:offset,...}}.
func encodeResetOffsetBody(table map[codec.MessageQueue]int64) []byte {
	b := append(make([]byte, 0, 32+len(table)*96), `{"offsetTable":`...)
	b = appendMQOffsetMap(b, table)
	return append(b, '}')
}

// encodeResetOffsetBodyForC returns Java's ResetOffsetBodyForC, the form
// the C++ client reads: {"offsetTable":[{"brokerName","offset","queueId","topic"},...]}.
func encodeResetOffsetBodyForC(table map[codec.MessageQueue]int64) []byte {
	b := append(make([]byte, 0, 32+len(table)*96), `{"offsetTable":[`...)
	for i, mq := range sortedMQs(table) {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"brokerName":`...)
		b = appendJSONString(b, mq.BrokerName)
		b = append(b, `,"offset":`...)
		b = strconv.AppendInt(b, table[mq], 10)
		b = append(b, `,"queueId":`...)
		b = strconv.AppendInt(b, int64(mq.QueueID), 10)
		b = append(b, `,"topic":`...)
		b = appendJSONString(b, mq.Topic)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}
