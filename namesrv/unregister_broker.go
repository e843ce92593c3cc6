package namesrv

// UNREGISTER_BROKER (104): a broker leaves on orderly shutdown.
//
// Mirrors DefaultRequestProcessor.unregisterBroker and
// RouteInfoManager.unRegisterBroker (Apache RocketMQ 5.3.3). Java queues the
// request for a batch thread; Booster applies it before answering.
//
// Header (UnRegisterBrokerRequestHeader): brokerName*, brokerAddr*,
// clusterName*, brokerId* (long).
//
// Behaviour:
//  1. The process (clusterName, brokerAddr) loses its liveness entry and
//     filter servers.
//  2. The address is removed from broker group brokerName, under any id.
//  3. A group left without addresses is removed with its QueueData in every
//     topic; topics left without QueueData are removed; the group leaves its
//     cluster, and an empty cluster is removed.
//  4. In an acting-master group left without a master, the remaining
//     QueueData lose write permission.
//
// Responses: SUCCESS; SYSTEM_ERROR for a missing header field.

import (
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) unregisterBroker(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	u := unregistration{
		name:    h.String("brokerName", true),
		addr:    h.String("brokerAddr", true),
		cluster: h.String("clusterName", true),
		id:      h.Int64("brokerId", true),
	}
	if err := h.Err(); err != nil {
		return badHeader(r.Cmd, err)
	}
	s.routes.unregister(u)
	s.log.Info("broker unregistered", "cluster", u.cluster, "broker", u.name, "id", u.id, "addr", u.addr)
	return success(r.Cmd)
}
