package broker

// QUERY_CONSUMER_OFFSET (14) and UPDATE_CONSUMER_OFFSET (15), mirroring
// Java's ConsumerManageProcessor.
//
// QUERY: consumerGroup*, topic*, queueId*, setZeroIfNotFound.
//  1. A committed offset answers 0 with ext offset.
//  2. Without one: when setZeroIfNotFound is not false and the queue's min
//     offset is 0 (its first message still stored), answer offset 0, so a
//     new group on a young topic reads from the start.
//  3. Otherwise 22 QUERY_NOT_FOUND ("Not found, V3_0_6_SNAPSHOT maybe this
//     group consumer boot first"); the client applies consumeFromWhere.
//
// UPDATE: consumerGroup*, topic*, queueId*, commitOffset*. 26 for a group
// the broker has no subscription config for, 17 for an unknown topic. Sent oneway by
// Java (flag set) and unflagged by Go; answered 0 when a reply is wanted.

import (
	"strconv"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) queryConsumerOffset(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	group, topic, qid := rd.String("consumerGroup", true), rd.String("topic", true), rd.Int32("queueId", true)
	setZero := rd.BoolDefault("setZeroIfNotFound", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	off, ok := b.offsets.query(topic, group, qid)
	if !ok && setZero && b.store.MinOffset(topic, qid) <= 0 {
		off, ok = 0, true
	}
	if !ok {
		return wire.NewResponse(r.Cmd, wire.QueryNotFound, "Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first")
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Ext = append(resp.Ext, wire.Field{Key: "offset", Value: strconv.FormatInt(off, 10)})
	return resp
}

func (b *Broker) updateConsumerOffset(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	group, topic, qid, off := rd.String("consumerGroup", true), rd.String("topic", true), rd.Int32("queueId", true), rd.Int64("commitOffset", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	if _, ok := b.groups.get(group); !ok {
		return wire.NewResponse(r.Cmd, wire.SubscriptionGroupNotExist, "Group "+group+" not exist!")
	}
	if _, ok := b.topics.get(topic); !ok {
		return wire.NewResponse(r.Cmd, wire.TopicNotExist, "Topic "+topic+" not exist!")
	}
	b.offsets.commit(topic, group, qid, off)
	if b.conf().isSlave() {
		b.noteSlaveCommit(topic, group, qid, off) // pushed to the master on the next sync
	}
	return wire.NewResponse(r.Cmd, wire.Success, "")
}
