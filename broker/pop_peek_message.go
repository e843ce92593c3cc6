package broker

// PEEK_MESSAGE (200052), mirroring Java's PeekMessageProcessor.
//
// Header: consumerGroup*, topic*, queueId* (-1 = every readable queue),
// maxMsgNums*.
//
// Behaviour:
//  1. 16 when the broker or topic is not readable, 17 for an unknown topic,
//     29 for queueId >= readQueueNums, 26/16 for the group.
//  2. Reads up to maxMsgNums messages from the group's pop offsets (the
//     queue's min offset when it has none) without changing any state:
//     the pop retry topic first one time in five, else after the topic.
//     Records go out as stored (retry records keep their retry topic).
//  3. 0 with the records, else 19 PULL_NOT_FOUND.
//
// Response ext: restNum (messages past the pop offsets of the queues read).

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) peekMessage(r *transport.Request) *wire.Command {
	req := r.Cmd
	rd := codec.NewExtReader(req)
	group := rd.String("consumerGroup", true)
	topic := rd.String("topic", true)
	queueID := rd.Int32("queueId", true)
	maxMsgNums := int(rd.Int32("maxMsgNums", true))
	if err := rd.Err(); err != nil {
		return wire.NewResponse(req, wire.SystemError, err.Error())
	}
	if b.conf().BrokerPermission&compat.PermRead == 0 {
		return wire.NewResponse(req, wire.NoPermission, fmt.Sprintf("the broker[%s] peeking message is forbidden", b.conf().AdvertisedIP()))
	}
	tc, resp := b.popTopicConfig(r, topic, queueID)
	if resp != nil {
		return resp
	}
	if resp := b.popGroup(req, group); resp != nil {
		return resp
	}
	var restNum int64
	var parts [][]byte
	var held []*store.GetResult
	release := func() {
		for _, res := range held {
			res.Release()
		}
	}
	peek := func(t string, q int32) {
		off, ok := b.offsets.query(t, group, q)
		if !ok {
			off = b.store.MinOffset(t, q)
		}
		restNum += max(b.store.MaxOffset(t, q)-off, 0)
		if len(parts) >= maxMsgNums {
			return
		}
		res := b.store.GetMessages(t, q, off, maxMsgNums-len(parts), maxTransferBytes, nil)
		if res.Status == store.OffsetTooSmall || res.Status == store.OffsetOverflowBadly {
			next := res.NextBeginOffset
			res.Release()
			res = b.store.GetMessages(t, q, next, maxMsgNums-len(parts), maxTransferBytes, nil)
		}
		parts = append(parts, res.Records...)
		held = append(held, res)
	}
	randomQ := rand.IntN(100)
	retryTopic := popRetryTopic(topic, group)
	peekRetry := func() {
		if rtc, ok := b.topics.get(retryTopic); ok {
			for i := range rtc.ReadQueueNums {
				peek(retryTopic, int32((randomQ+i)%rtc.ReadQueueNums))
			}
		}
	}
	needRetry := randomQ%5 == 0
	if needRetry {
		peekRetry()
	}
	if queueID < 0 {
		for i := range tc.ReadQueueNums {
			peek(topic, int32((randomQ+i)%tc.ReadQueueNums))
		}
	} else {
		peek(topic, queueID)
	}
	if !needRetry && len(parts) < maxMsgNums {
		peekRetry()
	}
	if len(parts) == 0 {
		release()
		resp := wire.NewResponse(req, wire.PullNotFound, "NO_MESSAGE_IN_QUEUE")
		resp.Ext = append(resp.Ext, wire.Field{Key: "restNum", Value: strconv.FormatInt(restNum, 10)})
		return resp
	}
	resp = wire.NewResponse(req, wire.Success, "FOUND")
	resp.Ext = append(resp.Ext, wire.Field{Key: "restNum", Value: strconv.FormatInt(restNum, 10)})
	if req.IsOneway() {
		release()
		return nil
	}
	resp.Opaque = req.Opaque
	resp.Flag |= wire.FlagResponse
	resp.Serialize = req.Serialize
	if err := r.Conn.WriteVec(resp, parts, release); err != nil {
		b.log.Debug("peek response not written", "remote", r.Conn.RemoteAddr(), "err", err)
	}
	return nil
}
