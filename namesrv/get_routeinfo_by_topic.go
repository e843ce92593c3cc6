package namesrv

// GET_ROUTEINFO_BY_TOPIC (105): a client asks where a topic's queues are.
//
// Mirrors ClientRequestProcessor.getRouteInfoByTopic and
// RouteInfoManager.pickupTopicRouteData (Apache RocketMQ 5.3.3).
//
// Header (GetRouteInfoRequestHeader): topic*, acceptStandardJsonOnly (bool).
//
// Behaviour:
//  1. queueDatas = every QueueData of the topic; brokerDatas = a copy of the
//     broker group of each, both sorted by broker name; filterServerTable
//     maps broker addresses to their filter servers ({} normally).
//  2. No QueueData, or no live broker group among them → TOPIC_NOT_EXIST with
//     "No topic route info in name server for the topic: <topic>" and Java's
//     FAQ suffix.
//  3. With orderMessageEnable, orderTopicConf is the topic's value in KV
//     namespace ORDER_TOPIC_CONFIG, when present.
//  4. The body is compact JSON with quoted numeric brokerAddrs keys, whatever
//     the request version: Java quotes them only for requests ≥ V4_9_4 or
//     acceptStandardJsonOnly, but every client reads quoted keys, and the Go
//     client splits brokerAddrs' raw text, so no whitespace may appear in it.
//
// Responses: SUCCESS with TopicRouteData; TOPIC_NOT_EXIST; SYSTEM_ERROR for a
// missing topic. Version notes: Java 4.x wrote QueueData's flag as
// topicSynFlag; readers ignore it. Not served: Java's acting-master route
// rewrite (supportActingMaster) and static-topic topicQueueMappingByBroker.

import (
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// faqSuffix is Java's FAQUrl.suggestTodo(FAQUrl.APPLY_TOPIC_URL).
const faqSuffix = "\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details."

func (s *Server) getRouteInfoByTopic(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	topic := h.String("topic", true)
	if err := h.Err(); err != nil {
		return badHeader(r.Cmd, err)
	}
	rd, ok := s.routes.route(topic)
	if !ok {
		return failure(r.Cmd, wire.TopicNotExist, "No topic route info in name server for the topic: "+topic+faqSuffix)
	}
	if s.config().OrderMessageEnable {
		rd.OrderTopicConf, _ = s.kv.get(NamespaceOrderTopicConfig, topic)
	}
	resp := success(r.Cmd)
	resp.Body = encodeJSON(&rd)
	return resp
}
