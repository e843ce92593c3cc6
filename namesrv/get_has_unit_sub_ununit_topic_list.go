package namesrv

// GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST (313): mqadmin lists the non-unit
// topics with unit subscriptions.
//
// Mirrors DefaultRequestProcessor.getHasUnitSubUnUnitTopicList and
// RouteInfoManager.getHasUnitSubUnUnitTopicList (Apache RocketMQ 5.3.3).
//
// Header: none.
//
// Behaviour:
//  1. enableTopicList off → SYSTEM_ERROR "disable".
//  2. The body is TopicList of the topics whose first QueueData (by broker
//     name) has FLAG_UNIT_SUB (2) but not FLAG_UNIT (1), sorted.
//
// Responses: SUCCESS; SYSTEM_ERROR "disable".

import (
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) getHasUnitSubUnunitTopicList(r *transport.Request) *wire.Command {
	return s.topicListByFlag(r.Cmd, func(flag int) bool {
		return flag&topicSysFlagUnit == 0 && flag&topicSysFlagUnitSub != 0
	})
}
