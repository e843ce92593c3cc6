package namesrv

// GET_KV_CONFIG (101): mqadmin getKvConfig (and the producer's
// ORDER_TOPIC_CONFIG lookups in old clients) read one value.
//
// Mirrors DefaultRequestProcessor.getKVConfig (Apache RocketMQ 5.3.3).
//
// Header (GetKVConfigRequestHeader): namespace*, key*.
//
// Behaviour:
//  1. A stored value is returned as ext value.
//  2. Otherwise QUERY_NOT_FOUND "No config item, Namespace: <ns> Key: <key>".
//
// Responses: SUCCESS; QUERY_NOT_FOUND; SYSTEM_ERROR for a missing field.

import (
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) getKVConfig(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	ns, key := h.String("namespace", true), h.String("key", true)
	if err := h.Err(); err != nil {
		return badHeader(r.Cmd, err)
	}
	v, ok := s.kv.get(ns, key)
	if !ok {
		return failure(r.Cmd, wire.QueryNotFound, "No config item, Namespace: "+ns+" Key: "+key)
	}
	resp := success(r.Cmd)
	resp.SetExt("value", v)
	return resp
}
