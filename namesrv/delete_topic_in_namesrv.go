package namesrv

// DELETE_TOPIC_IN_NAMESRV (216): mqadmin deleteTopic and the Go admin's
// DeleteTopic remove a topic's route after deleting it on the brokers.
//
// Mirrors DefaultRequestProcessor.deleteTopicInNamesrv and
// RouteInfoManager.deleteTopic (Apache RocketMQ 5.3.3).
//
// Header (DeleteTopicFromNamesrvRequestHeader): topic*, clusterName.
//
// Behaviour:
//  1. Without clusterName the topic is removed.
//  2. With it, only the QueueData of that cluster's broker groups are
//     removed; the topic goes when none is left.
//  3. A broker that still has the topic adds it back on its next
//     registration (the topic lacks its QueueData), as in Java.
//
// Responses: SUCCESS; SYSTEM_ERROR for a missing topic.

import (
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) deleteTopicInNamesrv(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	topic := h.String("topic", true)
	cluster := h.String("clusterName", false)
	if err := h.Err(); err != nil {
		return badHeader(r.Cmd, err)
	}
	s.routes.deleteTopic(topic, cluster)
	s.log.Info("topic deleted", "topic", topic, "cluster", cluster, "remote", r.Conn.RemoteAddr())
	return success(r.Cmd)
}
