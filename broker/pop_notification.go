package broker

// NOTIFICATION (200054) and POLLING_INFO (200055), mirroring Java's
// NotificationProcessor and PollingInfoProcessor.
//
// NOTIFICATION header: consumerGroup*, topic*, queueId* (-1 = any),
// pollTime*, bornTime*, order, attemptId.
//  1. 16 when the broker or topic is not readable, 17 for an unknown topic,
//     29 for queueId >= readQueueNums, 26/16 for the group.
//  2. hasMsg when a queue of the topic (or of the group's pop retry
//     topic) has messages past the group's pop offset; for order=true,
//     queues blocked by an orderly batch in flight do not count.
//  3. Without messages the request is parked like a pop (pop_hold.go) and
//     answered when a message arrives or at bornTime+pollTime.
//
// NOTIFICATION response: 0 with ext hasMsg, pollingFull (true when it
// could not be parked).
//
// POLLING_INFO header: consumerGroup*, topic*, queueId*. Same checks; 0
// with ext pollingNum = requests parked under topic@group@queueId.

import (
	"fmt"
	"strconv"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) notification(r *transport.Request) *wire.Command {
	req := r.Cmd
	rd := codec.NewExtReader(req)
	h := popMessageHeader{
		group:     rd.String("consumerGroup", true),
		topic:     rd.String("topic", true),
		queueID:   rd.Int32("queueId", true),
		pollTime:  rd.Int64("pollTime", true),
		bornTime:  rd.Int64("bornTime", true),
		order:     rd.BoolDefault("order", false),
		attemptID: rd.String("attemptId", false),
	}
	if err := rd.Err(); err != nil {
		return wire.NewResponse(req, wire.SystemError, err.Error())
	}
	if h.queueID < 0 {
		h.queueID = -1
	}
	return b.notify(r, &h)
}

func (b *Broker) notify(r *transport.Request, h *popMessageHeader) *wire.Command {
	req := r.Cmd
	if b.conf().BrokerPermission&compat.PermRead == 0 {
		return wire.NewResponse(req, wire.NoPermission, fmt.Sprintf("the broker[%s] peeking message is forbidden", b.conf().AdvertisedIP()))
	}
	tc, resp := b.popTopicConfig(r, h.topic, h.queueID)
	if resp != nil {
		return resp
	}
	if resp := b.popGroup(req, h.group); resp != nil {
		return resp
	}
	retryTopic := popRetryTopic(h.topic, h.group)
	hasMsg := b.popHasMessage(h, retryTopic, tc.ReadQueueNums)
	full := false
	if !hasMsg {
		w := &popWaiter{r: r, topic: h.topic, retry: retryTopic, group: h.group, queueID: h.queueID}
		w.rerun = func() {
			if r.Conn.Closed() {
				return
			}
			if resp := b.notify(r, h); resp != nil {
				_ = r.Conn.Reply(req, resp)
			}
		}
		if h.pollTime > 0 {
			switch b.pop.hold.park(w, h.bornTime+h.pollTime) {
			case pollingSuc:
				if b.popHasMessage(h, retryTopic, tc.ReadQueueNums) && b.pop.hold.remove(w) {
					go w.rerun()
				}
				return nil
			case pollingFull:
				full = true
			}
		}
	}
	resp = wire.NewResponse(req, wire.Success, "")
	resp.Ext = append(resp.Ext,
		wire.Field{Key: "hasMsg", Value: strconv.FormatBool(hasMsg)},
		wire.Field{Key: "pollingFull", Value: strconv.FormatBool(full)})
	return resp
}

func (b *Broker) pollingInfo(r *transport.Request) *wire.Command {
	req := r.Cmd
	rd := codec.NewExtReader(req)
	group := rd.String("consumerGroup", true)
	topic := rd.String("topic", true)
	queueID := rd.Int32("queueId", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(req, wire.SystemError, err.Error())
	}
	if b.conf().BrokerPermission&compat.PermRead == 0 {
		return wire.NewResponse(req, wire.NoPermission, fmt.Sprintf("the broker[%s] peeking message is forbidden", b.conf().AdvertisedIP()))
	}
	if _, resp := b.popTopicConfig(r, topic, queueID); resp != nil {
		return resp
	}
	if resp := b.popGroup(req, group); resp != nil {
		return resp
	}
	if queueID < 0 {
		queueID = -1
	}
	resp := wire.NewResponse(req, wire.Success, "")
	resp.Ext = append(resp.Ext, wire.Field{Key: "pollingNum", Value: strconv.Itoa(b.pop.hold.pollingNum(topic, group, queueID))})
	return resp
}
