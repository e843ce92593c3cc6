package namesrv

// DELETE_KV_CONFIG (102): mqadmin deleteKvConfig removes one value.
//
// Mirrors DefaultRequestProcessor.deleteKVConfig and
// KVConfigManager.deleteKVConfig (Apache RocketMQ 5.3.3).
//
// Header (DeleteKVConfigRequestHeader): namespace*, key*.
//
// Behaviour:
//  1. The key is removed if present (its namespace stays, possibly empty)
//     and the table is written as for PUT_KV_CONFIG.
//
// Responses: SUCCESS (also for an absent key); SYSTEM_ERROR for a missing
// field or a failed write.

import (
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) deleteKVConfig(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	ns, key := h.String("namespace", true), h.String("key", true)
	if err := h.Err(); err != nil {
		return badHeader(r.Cmd, err)
	}
	if err := s.kv.delete(ns, key); err != nil {
		return s.kvPersistFailed(r.Cmd, err)
	}
	s.log.Info("kv config deleted", "namespace", ns, "key", key, "remote", r.Conn.RemoteAddr())
	return success(r.Cmd)
}
