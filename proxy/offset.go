package proxy

// GetOffset, UpdateOffset and QueryOffset (the 5.x pull consumer's offset
// calls), through QUERY_CONSUMER_OFFSET, UPDATE_CONSUMER_OFFSET and
// SEARCH_OFFSET_BY_TIMESTAMP / the queue's bounds. GetOffset answers
// OFFSET_NOT_FOUND when the group has committed nothing for the queue.

import (
	"context"

	"github.com/booster-mq/booster/proxy/v2pb"
)

// GetOffset implements v2pb.MessagingServiceServer.
func (s *Server) GetOffset(ctx context.Context, req *v2pb.GetOffsetRequest) (*v2pb.GetOffsetResponse, error) {
	c, err := s.clientFor(ctx)
	if err != nil {
		return nil, err
	}
	mq := req.GetMessageQueue()
	off, ok, err := c.sess.QueryOffset(ctx, req.GetGroup().GetName(), mq.GetTopic().GetName(), mq.GetId())
	if err != nil {
		return &v2pb.GetOffsetResponse{Status: errStatus(err)}, nil
	}
	if !ok {
		return &v2pb.GetOffsetResponse{Status: st(v2pb.Code_OFFSET_NOT_FOUND, "the group has no offset for the queue")}, nil
	}
	return &v2pb.GetOffsetResponse{Status: okStatus, Offset: off}, nil
}

// UpdateOffset implements v2pb.MessagingServiceServer.
func (s *Server) UpdateOffset(ctx context.Context, req *v2pb.UpdateOffsetRequest) (*v2pb.UpdateOffsetResponse, error) {
	c, err := s.clientFor(ctx)
	if err != nil {
		return nil, err
	}
	mq := req.GetMessageQueue()
	// A pull consumer's heartbeat creates its group; create it here too
	// (when autoCreateSubscriptionGroup allows) for a commit that comes first.
	if _, _, err := s.b.SubscriptionGroup(req.GetGroup().GetName()); err != nil {
		return &v2pb.UpdateOffsetResponse{Status: errStatus(err)}, nil
	}
	if err := c.sess.UpdateOffset(ctx, req.GetGroup().GetName(), mq.GetTopic().GetName(), mq.GetId(), req.GetOffset()); err != nil {
		return &v2pb.UpdateOffsetResponse{Status: errStatus(err)}, nil
	}
	return &v2pb.UpdateOffsetResponse{Status: okStatus}, nil
}

// QueryOffset implements v2pb.MessagingServiceServer.
func (s *Server) QueryOffset(ctx context.Context, req *v2pb.QueryOffsetRequest) (*v2pb.QueryOffsetResponse, error) {
	c, err := s.clientFor(ctx)
	if err != nil {
		return nil, err
	}
	mq := req.GetMessageQueue()
	topic, qid := mq.GetTopic().GetName(), mq.GetId()
	minOff, maxOff := s.b.QueueOffsets(topic, qid)
	switch req.GetQueryOffsetPolicy() {
	case v2pb.QueryOffsetPolicy_BEGINNING:
		return &v2pb.QueryOffsetResponse{Status: okStatus, Offset: minOff}, nil
	case v2pb.QueryOffsetPolicy_END:
		return &v2pb.QueryOffsetResponse{Status: okStatus, Offset: maxOff}, nil
	}
	off, err := c.sess.SearchOffset(ctx, topic, qid, req.GetTimestamp().AsTime())
	if err != nil {
		return &v2pb.QueryOffsetResponse{Status: errStatus(err)}, nil
	}
	return &v2pb.QueryOffsetResponse{Status: okStatus, Offset: off}, nil
}
