package broker

// CHANGE_MESSAGE_INVISIBLETIME (200053), mirroring Java's
// ChangeInvisibleTimeProcessor.
//
// Header: consumerGroup*, topic* (the real topic), queueId*, extraInfo* (the
// message's handle), offset* (its queue offset), invisibleTime* (ms, from now).
//
// Behaviour:
//  1. 17 for an unknown topic; 13 MESSAGE_ILLEGAL for a bad queueId; 208
//     NO_MESSAGE for an offset outside [min, max).
//  2. Normal handles: the message stays invisible until now+invisibleTime
//     and gets a new pop time (now); the response carries popTime=now,
//     invisibleTime and the handle's reviveQid, from which the client builds
//     the new handle (ExtraInfoUtil.buildExtraInfo with ckQueueOffset = offset).
//     Apache acks the old checkpoint and writes a new one for the offset;
//     Booster updates the in-flight entry when the handle's pop time is
//     current, and answers the same way but changes nothing for a stale
//     handle (whose message was acked or has already been put back).
//  3. Orderly handles (reviveQid 999): the message becomes visible at
//     now+invisibleTime; the pop time stays and the response's
//     invisibleTime is measured from it. An offset below the group's
//     consumer offset is already done (answered 0 with zero fields).
//
// Response ext: popTime, invisibleTime, reviveQid (always present).

import (
	"fmt"
	"strconv"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// changeInvisibleResponse is a CHANGE_MESSAGE_INVISIBLETIME answer with the
// response header's mandatory fields.
func changeInvisibleResponse(req *wire.Command, code wire.ResponseCode, remark string, popTime, invisibleTime int64, reviveQid int32) *wire.Command {
	resp := wire.NewResponse(req, code, remark)
	resp.Ext = append(resp.Ext,
		wire.Field{Key: "popTime", Value: strconv.FormatInt(popTime, 10)},
		wire.Field{Key: "invisibleTime", Value: strconv.FormatInt(invisibleTime, 10)},
		wire.Field{Key: "reviveQid", Value: strconv.Itoa(int(reviveQid))})
	return resp
}

func (b *Broker) changeMessageInvisibleTime(r *transport.Request) *wire.Command {
	req := r.Cmd
	rd := codec.NewExtReader(req)
	group := rd.String("consumerGroup", true)
	topic := rd.String("topic", true)
	queueID := rd.Int32("queueId", true)
	extraInfo := rd.String("extraInfo", true)
	offset := rd.Int64("offset", true)
	invisibleTime := rd.Int64("invisibleTime", true)
	if err := rd.Err(); err != nil {
		return changeInvisibleResponse(req, wire.SystemError, err.Error(), 0, 0, 0)
	}
	tc, ok := b.topics.get(topic)
	if !ok {
		return changeInvisibleResponse(req, wire.TopicNotExist,
			fmt.Sprintf("topic[%s] not exist, apply first please! https://rocketmq.apache.org/docs/bestPractice/06FAQ", topic), 0, 0, 0)
	}
	if queueID < 0 || int(queueID) >= tc.ReadQueueNums {
		return changeInvisibleResponse(req, wire.MessageIllegal,
			fmt.Sprintf("queueId[%d] is illegal, topic:[%s] topicConfig.readQueueNums:[%d] consumer:[%s]", queueID, topic, tc.ReadQueueNums, r.Conn.RemoteAddr()), 0, 0, 0)
	}
	if offset < b.store.MinOffset(topic, queueID) || offset >= b.store.MaxOffset(topic, queueID) {
		return changeInvisibleResponse(req, wire.NoMessage, "", 0, 0, 0)
	}
	hd, err := parsePopHandle(extraInfo)
	if err != nil {
		return changeInvisibleResponse(req, wire.SystemError, err.Error(), 0, 0, 0)
	}
	key := popQueueKey{topic: topic, group: group, queueID: queueID}
	now := time.Now().UnixMilli()
	if hd.reviveQid == popOrderReviveQid {
		if cur, has := b.offsets.query(topic, group, queueID); has && offset < cur {
			return changeInvisibleResponse(req, wire.Success, "", 0, 0, 0)
		}
		nextVisible := now + invisibleTime
		b.pop.state.changeOrder(key, offset, hd.popTime, nextVisible)
		return changeInvisibleResponse(req, wire.Success, "", hd.popTime, nextVisible-hd.popTime, hd.reviveQid)
	}
	b.pop.state.change(key, offset, hd.popTime, popInflight{popTime: now, invisible: invisibleTime, reviveQid: hd.reviveQid})
	return changeInvisibleResponse(req, wire.Success, "", now, invisibleTime, hd.reviveQid)
}
