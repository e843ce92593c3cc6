package proxy

// QueryRoute and QueryAssignment, after Apache's RouteActivity.
//
// QueryRoute: the topic's queues on this broker, split as Apache does into
// read-only, write-only, read-write and (for a topic with no permission)
// NONE queues, ids numbered in that order; every queue names this broker
// (id 0) with the endpoints the client used (its hosts, this endpoint's
// port). accept_message_types follows the topic attribute message.type
// (NORMAL when absent, all four for MIXED). Unknown topic: TOPIC_NOT_FOUND.
//
// QueryAssignment: for a group with consumeMessageOrderly one assignment
// per readable queue, else one assignment with queue id -1 (pop from every
// queue); FORBIDDEN "no readable queue" when the topic is not readable.

import (
	"context"
	"strings"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/proxy/v2pb"
)

// QueryRoute implements v2pb.MessagingServiceServer.
func (s *Server) QueryRoute(ctx context.Context, req *v2pb.QueryRouteRequest) (*v2pb.QueryRouteResponse, error) {
	topic := req.GetTopic().GetName()
	if err := compat.ValidateTopic(topic); err != nil {
		return &v2pb.QueryRouteResponse{Status: st(v2pb.Code_ILLEGAL_TOPIC, err.Error())}, nil
	}
	tc, ok := s.b.TopicConfig(topic)
	if !ok {
		return &v2pb.QueryRouteResponse{Status: st(v2pb.Code_TOPIC_NOT_FOUND, "topic "+topic+" not found")}, nil
	}
	bk := s.brokerOf(req.GetEndpoints())
	types := acceptTypes(&tc)
	var r, w, rw, n int
	readable, writable := tc.Perm&compat.PermRead != 0, tc.Perm&compat.PermWrite != 0
	switch {
	case readable && writable:
		rw = min(tc.WriteQueueNums, tc.ReadQueueNums)
		r = tc.ReadQueueNums - rw
		w = tc.WriteQueueNums - rw
	case writable:
		w = tc.WriteQueueNums
	case readable:
		r = tc.ReadQueueNums
	default:
		n = max(1, tc.WriteQueueNums, tc.ReadQueueNums)
	}
	var queues []*v2pb.MessageQueue
	id := int32(0)
	add := func(count int, p v2pb.Permission) {
		for range count {
			queues = append(queues, &v2pb.MessageQueue{Topic: req.GetTopic(), Id: id, Permission: p, Broker: bk, AcceptMessageTypes: types})
			id++
		}
	}
	add(r, v2pb.Permission_READ)
	add(w, v2pb.Permission_WRITE)
	add(rw, v2pb.Permission_READ_WRITE)
	add(n, v2pb.Permission_NONE)
	return &v2pb.QueryRouteResponse{Status: okStatus, MessageQueues: queues}, nil
}

// brokerOf describes this broker as gRPC clients reach it: the hosts of
// the endpoints the client asked with (Apache's default), else brokerIP1,
// with this endpoint's port.
func (s *Server) brokerOf(ep *v2pb.Endpoints) *v2pb.Broker {
	out := &v2pb.Endpoints{Scheme: v2pb.AddressScheme_IPv4}
	for _, a := range ep.GetAddresses() {
		out.Addresses = append(out.Addresses, &v2pb.Address{Host: a.GetHost(), Port: s.port()})
	}
	if ep != nil && ep.GetScheme() != v2pb.AddressScheme_ADDRESS_SCHEME_UNSPECIFIED {
		out.Scheme = ep.GetScheme()
	}
	if len(out.Addresses) == 0 {
		cfg := s.b.Config()
		out.Addresses = []*v2pb.Address{{Host: cfg.AdvertisedIP(), Port: s.port()}}
	}
	return &v2pb.Broker{Name: s.b.Config().BrokerName, Id: 0, Endpoints: out}
}

// topicMessageType is the topic attribute message.type (Apache's
// TopicConfig.getTopicMessageType: NORMAL when absent).
func topicMessageType(tc *codec.TopicConfig) string {
	if v := tc.Attributes["message.type"]; v != "" {
		return strings.ToUpper(v)
	}
	return "NORMAL"
}

// acceptTypes maps a topic's message type to the types a queue accepts.
func acceptTypes(tc *codec.TopicConfig) []v2pb.MessageType {
	switch topicMessageType(tc) {
	case "NORMAL":
		return []v2pb.MessageType{v2pb.MessageType_NORMAL}
	case "FIFO":
		return []v2pb.MessageType{v2pb.MessageType_FIFO}
	case "DELAY":
		return []v2pb.MessageType{v2pb.MessageType_DELAY}
	case "TRANSACTION":
		return []v2pb.MessageType{v2pb.MessageType_TRANSACTION}
	case "MIXED":
		return []v2pb.MessageType{v2pb.MessageType_NORMAL, v2pb.MessageType_FIFO, v2pb.MessageType_DELAY, v2pb.MessageType_TRANSACTION}
	}
	return []v2pb.MessageType{v2pb.MessageType_MESSAGE_TYPE_UNSPECIFIED}
}

// QueryAssignment implements v2pb.MessagingServiceServer.
func (s *Server) QueryAssignment(ctx context.Context, req *v2pb.QueryAssignmentRequest) (*v2pb.QueryAssignmentResponse, error) {
	topic, group := req.GetTopic().GetName(), req.GetGroup().GetName()
	if err := compat.ValidateTopic(topic); err != nil {
		return &v2pb.QueryAssignmentResponse{Status: st(v2pb.Code_ILLEGAL_TOPIC, err.Error())}, nil
	}
	if group == "" {
		return &v2pb.QueryAssignmentResponse{Status: st(v2pb.Code_ILLEGAL_CONSUMER_GROUP, "consumer group is empty")}, nil
	}
	tc, ok := s.b.TopicConfig(topic)
	if !ok {
		return &v2pb.QueryAssignmentResponse{Status: st(v2pb.Code_TOPIC_NOT_FOUND, "topic "+topic+" not found")}, nil
	}
	sg, _, err := s.b.SubscriptionGroup(group)
	if err != nil {
		return &v2pb.QueryAssignmentResponse{Status: errStatus(err)}, nil
	}
	if tc.Perm&compat.PermRead == 0 || tc.ReadQueueNums <= 0 {
		return &v2pb.QueryAssignmentResponse{Status: st(v2pb.Code_FORBIDDEN, "no readable queue")}, nil
	}
	perm := v2pb.Permission_READ
	if tc.Perm&compat.PermWrite != 0 {
		perm = v2pb.Permission_READ_WRITE
	}
	bk := s.brokerOf(req.GetEndpoints())
	var as []*v2pb.Assignment
	if sg.ConsumeMessageOrderly {
		for i := range tc.ReadQueueNums {
			as = append(as, &v2pb.Assignment{MessageQueue: &v2pb.MessageQueue{Topic: req.GetTopic(), Id: int32(i), Permission: perm, Broker: bk}})
		}
	} else {
		as = append(as, &v2pb.Assignment{MessageQueue: &v2pb.MessageQueue{Topic: req.GetTopic(), Id: -1, Permission: perm, Broker: bk}})
	}
	return &v2pb.QueryAssignmentResponse{Status: okStatus, Assignments: as}, nil
}
