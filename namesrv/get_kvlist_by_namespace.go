package namesrv

// GET_KVLIST_BY_NAMESPACE (219): mqadmin reads a whole namespace (e.g.
// ORDER_TOPIC_CONFIG).
//
// Mirrors DefaultRequestProcessor.getKVListByNamespace (Apache RocketMQ 5.3.3).
//
// Header (GetKVListByNamespaceRequestHeader): namespace*.
//
// Behaviour:
//  1. An existing namespace (even empty) is returned as KVTable
//     {"table":{k:v}}.
//  2. Otherwise QUERY_NOT_FOUND "No config item, Namespace: <ns>".
//
// Responses: SUCCESS; QUERY_NOT_FOUND; SYSTEM_ERROR for a missing field.

import (
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) getKVListByNamespace(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	ns := h.String("namespace", true)
	if err := h.Err(); err != nil {
		return badHeader(r.Cmd, err)
	}
	kv, ok := s.kv.namespace(ns)
	if !ok {
		return failure(r.Cmd, wire.QueryNotFound, "No config item, Namespace: "+ns)
	}
	resp := success(r.Cmd)
	resp.Body = encodeJSON(codec.KVTable{Table: kv})
	return resp
}
