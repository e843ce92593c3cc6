package namesrv

// ADD_WRITE_PERM_OF_BROKER (327): mqadmin addWritePerm undoes
// WIPE_WRITE_PERM_OF_BROKER.
//
// Mirrors DefaultRequestProcessor.addWritePermOfBroker and
// RouteInfoManager.operateWritePermOfBroker (Apache RocketMQ 5.3.3).
//
// Header (AddWritePermOfBrokerRequestHeader): brokerName*.
//
// Behaviour:
//  1. Every QueueData of the group gets perm = PERM_READ|PERM_WRITE (6)
//     exactly: like Java, this drops INHERIT (TBW102's 7 becomes 6) and
//     PRIORITY.
//  2. ext addTopicCount = the number of topics touched.
//
// Responses: SUCCESS; SYSTEM_ERROR for a missing field.

import (
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) addWritePermOfBroker(r *transport.Request) *wire.Command {
	return s.writePerm(r, false, "addTopicCount")
}
