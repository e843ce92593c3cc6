package namesrv

// PUT_KV_CONFIG (100): mqadmin updateKvConfig, and updateTopic -o true
// (namespace ORDER_TOPIC_CONFIG), store a value.
//
// Mirrors DefaultRequestProcessor.putKVConfig and
// KVConfigManager.putKVConfig (Apache RocketMQ 5.3.3).
//
// Header (PutKVConfigRequestHeader): namespace*, key*, value*.
//
// Behaviour:
//  1. No namespace or key → SYSTEM_ERROR "namespace or key is null".
//  2. The value is stored (an absent value as "") and the table is written
//     to kvConfigPath: the previous file is kept as .bak, the new one
//     replaces it atomically.
//  3. A failed write keeps the value in memory and answers SYSTEM_ERROR
//     (Java logs and answers SUCCESS).
//
// Responses: SUCCESS; SYSTEM_ERROR.

import (
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) putKVConfig(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	ns, key := h.String("namespace", false), h.String("key", false)
	if ns == "" || key == "" {
		return failure(r.Cmd, wire.SystemError, "namespace or key is null")
	}
	value, _ := r.Cmd.Ext.Get("value")
	if err := s.kv.put(ns, key, value); err != nil {
		return s.kvPersistFailed(r.Cmd, err)
	}
	s.log.Info("kv config put", "namespace", ns, "key", key, "value", value, "remote", r.Conn.RemoteAddr())
	return success(r.Cmd)
}

// kvPersistFailed logs and answers a KV change that could not be written.
func (s *Server) kvPersistFailed(req *wire.Command, err error) *wire.Command {
	s.log.Error("persist kv config", "path", s.kv.path, "err", err)
	return failure(req, wire.SystemError, "persist kv config failed: "+err.Error())
}
