package namesrv

// GET_UNIT_TOPIC_LIST (311): mqadmin lists the topics flagged unit.
//
// Mirrors DefaultRequestProcessor.getUnitTopicList and
// RouteInfoManager.getUnitTopics (Apache RocketMQ 5.3.3).
//
// Header: none.
//
// Behaviour:
//  1. enableTopicList off → SYSTEM_ERROR "disable".
//  2. The body is TopicList of the topics whose first QueueData (by broker
//     name; Java: the first its HashMap yields) has topicSysFlag bit
//     FLAG_UNIT (1), sorted.
//
// Responses: SUCCESS; SYSTEM_ERROR "disable".

import (
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// topicSysFlag bits (Java's TopicSysFlag).
const (
	topicSysFlagUnit    = 1 << 0
	topicSysFlagUnitSub = 1 << 1
)

func (s *Server) getUnitTopicList(r *transport.Request) *wire.Command {
	return s.topicListByFlag(r.Cmd, func(flag int) bool { return flag&topicSysFlagUnit != 0 })
}

// topicListByFlag answers a unit topic list: the topics whose first
// QueueData's topicSysFlag satisfies keep.
func (s *Server) topicListByFlag(req *wire.Command, keep func(flag int) bool) *wire.Command {
	if !s.config().EnableTopicList {
		return failure(req, wire.SystemError, "disable")
	}
	return topicListResponse(req, s.routes.topicList(func(qds []codec.QueueData) bool {
		return keep(qds[0].TopicSysFlag)
	}), "")
}
