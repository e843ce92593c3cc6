package namesrv

// GET_TOPICS_BY_CLUSTER (224): mqadmin topicList -c lists one cluster's topics.
//
// Mirrors DefaultRequestProcessor.getTopicsByCluster and
// RouteInfoManager.getTopicsByCluster (Apache RocketMQ 5.3.3).
//
// Header (GetTopicsByClusterRequestHeader): cluster*.
//
// Behaviour:
//  1. enableTopicList off → SYSTEM_ERROR "disable".
//  2. The body is TopicList of the topics with QueueData on any broker group
//     of the cluster, sorted. An unknown cluster gives an empty list (Java
//     fails with a NullPointerException, answered SYSTEM_ERROR).
//
// Responses: SUCCESS; SYSTEM_ERROR "disable" or for a missing cluster field.

import (
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) getTopicsByCluster(r *transport.Request) *wire.Command {
	if !s.config().EnableTopicList {
		return failure(r.Cmd, wire.SystemError, "disable")
	}
	h := codec.NewExtReader(r.Cmd)
	cluster := h.String("cluster", true)
	if err := h.Err(); err != nil {
		return badHeader(r.Cmd, err)
	}
	return topicListResponse(r.Cmd, s.routes.topicsOfCluster(cluster), "")
}
