package broker

// QUERY_MESSAGE (12), mirroring Java's QueryMessageProcessor.
// Header: topic*, key*, maxNum*, beginTimestamp*, endTimestamp*. Ext
// _UNIQUE_KEY_QUERY=true (a msgId lookup) makes maxNum defaultQueryMaxNum
// (32); the store caps it at maxMsgsNumBatch (64).
//  1. The index files are searched newest first for key under topic, with
//     store times inside [beginTimestamp, endTimestamp].
//  2. Hits are raw records sorted by commit-log offset; a hit may be
//     another key with the same hash, so clients filter by the exact key.
//
// Response ext: indexLastUpdateTimestamp, indexLastUpdatePhyoffset (0 when
// nothing matched, as in Java). Body: the records back to back; 22
// QUERY_NOT_FOUND when there are none.

import (
	"bytes"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// uniqueKeyQueryFlag is Java's MixAll.UNIQUE_MSG_QUERY_FLAG.
const uniqueKeyQueryFlag = "_UNIQUE_KEY_QUERY"

func (b *Broker) queryMessage(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	topic := rd.String("topic", true)
	key := rd.String("key", true)
	maxNum := int(rd.Int32("maxNum", true))
	begin := rd.Int64("beginTimestamp", true)
	end := rd.Int64("endTimestamp", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	if v, _ := r.Cmd.Ext.Get(uniqueKeyQueryFlag); v == "true" {
		maxNum = b.store.Config().DefaultQueryMaxNum
	}
	res := b.store.QueryMessage(topic, key, maxNum, begin, end)
	var resp *wire.Command
	if len(res.Records) == 0 {
		resp = wire.NewResponse(r.Cmd, wire.QueryNotFound, "can not find message, maybe time range not correct")
	} else {
		resp = wire.NewResponse(r.Cmd, wire.Success, "")
		resp.Body = bytes.Join(res.Records, nil)
	}
	resp.SetExtInt("indexLastUpdateTimestamp", res.IndexLastUpdateTimestamp)
	resp.SetExtInt("indexLastUpdatePhyoffset", res.IndexLastUpdatePhyOffset)
	return resp
}
