package broker

// ACK_MESSAGE (200051) and BATCH_ACK_MESSAGE (200151), mirroring Java's
// AckMessageProcessor.
//
// ACK_MESSAGE header: consumerGroup*, topic* (the real topic: the pop retry
// topic for a redelivered message), queueId*, extraInfo* (the message's
// POP_CK handle), offset* (its queue offset).
//  1. 17 for an unknown topic; 13 MESSAGE_ILLEGAL for a queueId outside
//     the readable queues; 208 NO_MESSAGE for an offset outside the
//     queue's [min, max].
//  2. The offset leaves the in-flight table when the handle's pop time is
//     the one it was popped (or last changed) with; an ack with a stale
//     handle is answered 0 and changes nothing, as in Apache.
//  3. Orderly handles (reviveQid 999) move the group's offset past the
//     acked prefix of the batch (pop_order.go).
//
// BATCH_ACK_MESSAGE body (BatchAckMessageRequestBody):
// {"brokerName":"b","acks":[{"c":group,"t":topic,"r":"0"|"1"|"2","so":startOffset,
// "q":queueId,"rq":reviveQid,"pt":popTime,"it":invisibleTime,"b":"<base64 BitSet>"}]}
// (the long field names are accepted too). Bit i acks offset startOffset+i;
// offsets outside the queue are skipped. No acks → 208.
//
// Response: 0, no ext fields.

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) ackMessage(r *transport.Request) *wire.Command {
	req := r.Cmd
	rd := codec.NewExtReader(req)
	group := rd.String("consumerGroup", true)
	topic := rd.String("topic", true)
	queueID := rd.Int32("queueId", true)
	extraInfo := rd.String("extraInfo", true)
	offset := rd.Int64("offset", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(req, wire.SystemError, err.Error())
	}
	tc, ok := b.topics.get(topic)
	if !ok {
		return wire.NewResponse(req, wire.TopicNotExist,
			fmt.Sprintf("topic[%s] not exist, apply first please! https://rocketmq.apache.org/docs/bestPractice/06FAQ", topic))
	}
	if queueID < 0 || int(queueID) >= tc.ReadQueueNums {
		return wire.NewResponse(req, wire.MessageIllegal,
			fmt.Sprintf("queueId[%d] is illegal, topic:[%s] topicConfig.readQueueNums:[%d] consumer:[%s]", queueID, topic, tc.ReadQueueNums, r.Conn.RemoteAddr()))
	}
	minOff, maxOff := b.store.MinOffset(topic, queueID), b.store.MaxOffset(topic, queueID)
	if offset < minOff || offset > maxOff {
		return wire.NewResponse(req, wire.NoMessage,
			fmt.Sprintf("offset is illegal, key:%s@%d, commit:%d, store:%d~%d", topic, queueID, offset, minOff, maxOff))
	}
	hd, err := parsePopHandle(extraInfo)
	if err != nil {
		return wire.NewResponse(req, wire.SystemError, err.Error())
	}
	b.popAck(popQueueKey{topic: topic, group: group, queueID: queueID}, offset, hd.popTime, hd.reviveQid)
	return wire.NewResponse(req, wire.Success, "")
}

// popAck acks one popped offset.
func (b *Broker) popAck(key popQueueKey, offset, popTime int64, reviveQid int32) {
	if reviveQid != popOrderReviveQid {
		b.pop.state.ack(key, offset, popTime)
		return
	}
	next, ok := b.pop.state.ackOrder(key, offset, popTime)
	if !ok {
		return
	}
	if cur, has := b.offsets.query(key.topic, key.group, key.queueID); !has || next > cur {
		b.offsets.commit(key.topic, key.group, key.queueID, next)
	}
	b.pop.hold.notify(key.topic, key.group)
}

// batchAck is one BatchAck of a BATCH_ACK_MESSAGE body.
type batchAck struct {
	group         string
	topic         string
	retry         string
	startOffset   int64
	queueID       int32
	reviveQid     int32
	popTime       int64
	invisibleTime int64
	bits          []byte // java.util.BitSet.toByteArray: bit i = bits[i/8]>>(i%8)&1
}

// UnmarshalJSON reads fastjson's output (short names, BitSet as base64
// bytes) and the long names BatchAck also accepts.
func (a *batchAck) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	field := func(short, long string) json.RawMessage {
		if v, ok := raw[short]; ok {
			return v
		}
		return raw[long]
	}
	str := func(short, long string) (string, error) {
		v := field(short, long)
		if len(v) == 0 || string(v) == "null" {
			return "", nil
		}
		if v[0] != '"' {
			return string(v), nil // a number sent for a string field
		}
		var s string
		err := json.Unmarshal(v, &s)
		return s, err
	}
	num := func(short, long string) (int64, error) {
		v := field(short, long)
		if len(v) == 0 || string(v) == "null" {
			return 0, nil
		}
		var n codec.FlexInt
		err := json.Unmarshal(v, &n)
		return int64(n), err
	}
	var errs [9]error
	a.group, errs[0] = str("c", "consumerGroup")
	a.topic, errs[1] = str("t", "topic")
	a.retry, errs[2] = str("r", "retry")
	a.startOffset, errs[3] = num("so", "startOffset")
	var q, rq int64
	q, errs[4] = num("q", "queueId")
	rq, errs[5] = num("rq", "reviveQueueId")
	a.queueID, a.reviveQid = int32(q), int32(rq)
	a.popTime, errs[6] = num("pt", "popTime")
	a.invisibleTime, errs[7] = num("it", "invisibleTime")
	a.bits, errs[8] = decodeBitSet(field("b", "bitSet"))
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("batch ack %s: %w", data, err)
		}
	}
	return nil
}

// decodeBitSet reads a BitSet written by BitSetSerializerDeserializer: a
// base64 string of BitSet.toByteArray (or, leniently, an array of bytes).
func decodeBitSet(v json.RawMessage) ([]byte, error) {
	if len(v) == 0 || string(v) == "null" {
		return nil, nil
	}
	if v[0] == '[' {
		var ints []int
		if err := json.Unmarshal(v, &ints); err != nil {
			return nil, err
		}
		out := make([]byte, len(ints))
		for i, n := range ints {
			out[i] = byte(n)
		}
		return out, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, err
	}
	s = strings.TrimSpace(s)
	if out, err := base64.StdEncoding.DecodeString(s); err == nil {
		return out, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

type batchAckBody struct {
	BrokerName string     `json:"brokerName"`
	Acks       []batchAck `json:"acks"`
}

func (b *Broker) batchAckMessage(r *transport.Request) *wire.Command {
	req := r.Cmd
	var body batchAckBody
	if len(req.Body) > 0 {
		if err := json.Unmarshal(req.Body, &body); err != nil {
			return wire.NewResponse(req, wire.SystemError, "bad BatchAckMessageRequestBody: "+err.Error())
		}
	}
	if len(body.Acks) == 0 {
		return wire.NewResponse(req, wire.NoMessage, "")
	}
	for i := range body.Acks {
		a := &body.Acks[i]
		topic, err := popRealTopic(a.topic, a.group, a.retry)
		if err != nil {
			return wire.NewResponse(req, wire.SystemError, err.Error())
		}
		if _, ok := b.topics.get(topic); !ok {
			continue
		}
		minOff, maxOff := b.store.MinOffset(topic, a.queueID), b.store.MaxOffset(topic, a.queueID)
		key := popQueueKey{topic: topic, group: a.group, queueID: a.queueID}
		for i, by := range a.bits {
			for bit := range 8 {
				if by&(1<<bit) == 0 {
					continue
				}
				off := a.startOffset + int64(i*8+bit)
				if off < minOff || off > maxOff {
					continue
				}
				b.popAck(key, off, a.popTime, a.reviveQid)
			}
		}
	}
	return wire.NewResponse(req, wire.Success, "")
}
