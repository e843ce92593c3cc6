package namesrv

// REGISTER_TOPIC_IN_NAMESRV (217): a 5.x broker registers one new topic's
// queues without a full registration (BrokerOuterAPI.registerSingleTopicAll).
//
// Mirrors DefaultRequestProcessor.registerTopicToNamesrv and
// RouteInfoManager.registerTopic (Apache RocketMQ 5.3.3).
//
// Header (RegisterTopicRequestHeader): topic*.
// Body: TopicRouteData; only queueDatas is used.
//
// Behaviour:
//  1. A body without queueDatas changes nothing.
//  2. If every QueueData names a known broker group, each replaces that
//     group's QueueData of the topic (the topic is created if new).
//  3. If any names an unknown group, nothing changes (Java may have
//     applied the ones before it when the topic existed) and the answer is
//     still SUCCESS, as in Java.
//
// Responses: SUCCESS; SYSTEM_ERROR for a missing topic or an undecodable body.

import (
	"encoding/json"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) registerTopicInNamesrv(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	topic := h.String("topic", true)
	if err := h.Err(); err != nil {
		return badHeader(r.Cmd, err)
	}
	var body struct {
		QueueDatas []codec.QueueData `json:"queueDatas"`
	}
	if len(r.Cmd.Body) > 0 {
		if err := json.Unmarshal(codec.QuoteNumericKeys(r.Cmd.Body), &body); err != nil {
			return failure(r.Cmd, wire.SystemError, "decode TopicRouteData: "+err.Error())
		}
	}
	if len(body.QueueDatas) > 0 && !s.routes.registerTopic(topic, body.QueueDatas) {
		s.log.Warn("register topic names an unknown broker", "topic", topic, "remote", r.Conn.RemoteAddr())
	}
	return success(r.Cmd)
}
