package namesrv

// GET_BROKER_MEMBER_GROUP (901): a 5.x broker in acting-master mode learns
// the other members of its group.
//
// Mirrors DefaultRequestProcessor.getBrokerMemberGroup and
// RouteInfoManager.getBrokerMemberGroup (Apache RocketMQ 5.3.3).
//
// Header (GetBrokerMemberGroupRequestHeader): clusterName*, brokerName*.
//
// Behaviour:
//  1. The body is GetBrokerMemberGroupResponseBody
//     {"brokerMemberGroup":{"brokerAddrs":{id:addr},"brokerName","cluster"}}
//     with the group's addresses ({} for an unknown group); cluster and
//     brokerName echo the request.
//
// Responses: SUCCESS; SYSTEM_ERROR for a missing field.

import (
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) getBrokerMemberGroup(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	cluster, name := h.String("clusterName", true), h.String("brokerName", true)
	if err := h.Err(); err != nil {
		return badHeader(r.Cmd, err)
	}
	resp := success(r.Cmd)
	resp.Body = encodeJSON(codec.GetBrokerMemberGroupResponseBody{BrokerMemberGroup: codec.BrokerMemberGroup{
		BrokerAddrs: s.routes.memberGroup(name),
		BrokerName:  name,
		Cluster:     cluster,
	}})
	return resp
}
