package broker

// GET_MAX_OFFSET (30), GET_MIN_OFFSET (31), SEARCH_OFFSET_BY_TIMESTAMP (29)
// and GET_EARLIEST_MSG_STORETIME (32), mirroring Java's
// AdminBrokerProcessor. Headers: topic*, queueId*, plus timestamp* and
// boundaryType (LOWER/UPPER) for 29. Each answers 0 with ext offset (or
// timestamp); the Go client reads ext offset without looking at the code.

import (
	"strconv"
	"strings"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// queueArgs reads topic and queueId.
func queueArgs(r *transport.Request) (string, int32, *codec.ExtReader) {
	rd := codec.NewExtReader(r.Cmd)
	return rd.String("topic", true), rd.Int32("queueId", true), rd
}

func extAnswer(req *wire.Command, key string, v int64) *wire.Command {
	resp := wire.NewResponse(req, wire.Success, "")
	resp.Ext = append(resp.Ext, wire.Field{Key: key, Value: strconv.FormatInt(v, 10)})
	return resp
}

func (b *Broker) getMaxOffset(r *transport.Request) *wire.Command {
	topic, qid, rd := queueArgs(r)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	return extAnswer(r.Cmd, "offset", b.store.MaxOffset(topic, qid))
}

func (b *Broker) getMinOffset(r *transport.Request) *wire.Command {
	topic, qid, rd := queueArgs(r)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	return extAnswer(r.Cmd, "offset", b.store.MinOffset(topic, qid))
}

func (b *Broker) searchOffsetByTimestamp(r *transport.Request) *wire.Command {
	topic, qid, rd := queueArgs(r)
	ts := rd.Int64("timestamp", true)
	upper := strings.EqualFold(rd.String("boundaryType", false), "UPPER")
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	return extAnswer(r.Cmd, "offset", b.store.OffsetByTime(topic, qid, ts, upper))
}

func (b *Broker) getEarliestMsgStoretime(r *transport.Request) *wire.Command {
	topic, qid, rd := queueArgs(r)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	return extAnswer(r.Cmd, "timestamp", b.store.EarliestMessageTime(topic, qid))
}
