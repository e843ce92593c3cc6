package namesrv

// GET_HAS_UNIT_SUB_TOPIC_LIST (312): mqadmin lists the topics with unit
// subscriptions.
//
// Mirrors DefaultRequestProcessor.getHasUnitSubTopicList and
// RouteInfoManager.getHasUnitSubTopicList (Apache RocketMQ 5.3.3).
//
// Header: none.
//
// Behaviour:
//  1. enableTopicList off → SYSTEM_ERROR "disable".
//  2. The body is TopicList of the topics whose first QueueData (by broker
//     name) has topicSysFlag bit FLAG_UNIT_SUB (2), sorted.
//
// Responses: SUCCESS; SYSTEM_ERROR "disable".

import (
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) getHasUnitSubTopicList(r *transport.Request) *wire.Command {
	return s.topicListByFlag(r.Cmd, func(flag int) bool { return flag&topicSysFlagUnitSub != 0 })
}
