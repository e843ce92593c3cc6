package namesrv

// BROKER_HEARTBEAT (904): a 5.x broker in controller or acting-master mode
// keeps its registration alive between full registrations.
//
// Mirrors DefaultRequestProcessor.brokerHeartbeat (Apache RocketMQ 5.3.3).
//
// Header (BrokerHeartbeatRequestHeader): clusterName*, brokerAddr*,
// brokerName*, brokerId, epoch, maxOffset, confirmOffset,
// heartbeatTimeoutMills, electionPriority (only the first two are used).
//
// Behaviour:
//  1. The liveness of (clusterName, brokerAddr) is refreshed if registered;
//     an unknown process is ignored.
//
// Responses: SUCCESS; SYSTEM_ERROR for a missing header field.

import (
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) brokerHeartbeat(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	key := brokerAddrKey{cluster: h.String("clusterName", true), addr: h.String("brokerAddr", true)}
	h.String("brokerName", true)
	if err := h.Err(); err != nil {
		return badHeader(r.Cmd, err)
	}
	s.routes.touch(key, time.Now())
	return success(r.Cmd)
}
