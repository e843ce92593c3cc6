package namesrv

// GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206): mqadmin topicList and the Go
// admin's FetchAllTopicList read every topic name.
//
// Mirrors DefaultRequestProcessor.getAllTopicListFromNameserver (Apache
// RocketMQ 5.3.3).
//
// Header: none.
//
// Behaviour:
//  1. enableAllTopicList off → SYSTEM_ERROR "disable".
//  2. The body is TopicList {"topicList":[...]} of every topic with queues,
//     sorted (Java's order is a HashSet's). The Go admin decodes it with
//     encoding/json, so the list is never null.
//
// Responses: SUCCESS; SYSTEM_ERROR "disable".

import (
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) getAllTopicListFromNameserver(r *transport.Request) *wire.Command {
	if !s.config().EnableAllTopicList {
		return failure(r.Cmd, wire.SystemError, "disable")
	}
	return topicListResponse(r.Cmd, s.routes.topicList(nil), "")
}

// topicListResponse answers with a TopicList body.
func topicListResponse(req *wire.Command, topics []string, brokerAddr string) *wire.Command {
	if topics == nil {
		topics = []string{}
	}
	resp := success(req)
	resp.Body = encodeJSON(codec.TopicList{TopicList: topics, BrokerAddr: brokerAddr})
	return resp
}
