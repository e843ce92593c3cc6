package namesrv

// GET_BROKER_CLUSTER_INFO (106): mqadmin clusterList, updateTopic -c and
// deleteTopic read every broker group and cluster.
//
// Mirrors DefaultRequestProcessor.getBrokerClusterInfo and
// RouteInfoManager.getAllClusterInfo (Apache RocketMQ 5.3.3).
//
// Header: none.
//
// Behaviour:
//  1. The body is ClusterInfo: brokerAddrTable (broker name → BrokerData)
//     and clusterAddrTable (cluster → broker names, sorted). Java writes
//     brokerAddrs keys unquoted here; Booster quotes them, which fastjson
//     reads.
//
// Responses: SUCCESS.

import (
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) getBrokerClusterInfo(r *transport.Request) *wire.Command {
	ci := s.routes.clusterInfo()
	resp := success(r.Cmd)
	resp.Body = encodeJSON(&ci)
	return resp
}
