package namesrv

// WIPE_WRITE_PERM_OF_BROKER (205): mqadmin wipeWritePerm drains a broker
// group before maintenance: producers stop choosing it, consumers go on.
//
// Mirrors DefaultRequestProcessor.wipeWritePermOfBroker and
// RouteInfoManager.operateWritePermOfBroker (Apache RocketMQ 5.3.3).
//
// Header (WipeWritePermOfBrokerRequestHeader): brokerName*.
//
// Behaviour:
//  1. Every QueueData of the group loses PERM_WRITE (2).
//  2. ext wipeTopicCount = the number of topics touched.
//  3. The broker's next registration with a changed DataVersion restores
//     its own perms.
//
// Responses: SUCCESS; SYSTEM_ERROR for a missing field.

import (
	"strconv"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) wipeWritePermOfBroker(r *transport.Request) *wire.Command {
	return s.writePerm(r, true, "wipeTopicCount")
}

// writePerm wipes or restores a broker group's write permission and
// answers the topic count in ext field countKey.
func (s *Server) writePerm(r *transport.Request, wipe bool, countKey string) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	name := h.String("brokerName", true)
	if err := h.Err(); err != nil {
		return badHeader(r.Cmd, err)
	}
	n := s.routes.setWritePerm(name, wipe)
	s.log.Info("broker write perm changed", "broker", name, "wipe", wipe, "topics", n, "remote", r.Conn.RemoteAddr())
	resp := success(r.Cmd)
	resp.SetExt(countKey, strconv.Itoa(n))
	return resp
}
