package namesrv

// GET_SYSTEM_TOPIC_LIST_FROM_NS (304): mqadmin asks for the system topics,
// then their broker for the rest (GET_SYSTEM_TOPIC_LIST_FROM_BROKER).
//
// Mirrors DefaultRequestProcessor.getSystemTopicListFromNs and
// RouteInfoManager.getSystemTopicList (Apache RocketMQ 5.3.3).
//
// Header: none.
//
// Behaviour:
//  1. The body is TopicList of every cluster name and every broker name of
//     each cluster (brokers register topics named after both), sorted, with
//     brokerAddr = the lowest-id address of the first broker group by name
//     (Java takes whichever its HashMap yields first), omitted when there
//     are no brokers. Not gated by enableTopicList.
//
// Responses: SUCCESS.

import (
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) getSystemTopicListFromNs(r *transport.Request) *wire.Command {
	topics, addr := s.routes.systemTopics()
	return topicListResponse(r.Cmd, topics, addr)
}
