package broker

// VIEW_MESSAGE_BY_ID (33), mirroring Java's QueryMessageProcessor.
// Header: offset* (commit-log offset decoded from the offset msgId), topic.
// Body: the one raw record at that offset; 1 SYSTEM_ERROR when there is none.

import (
	"fmt"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) viewMessageByID(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	off := rd.Int64("offset", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	rec, err := b.store.LookupMessage(off)
	if err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, fmt.Sprintf("can not find message by the offset, %d: %v", off, err))
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = rec
	return resp
}
