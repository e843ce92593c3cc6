package proxy

// PullMessage, the 5.x pull consumer's read of one queue from an offset
// (Apache's proxy does not serve it; the proto defines it).
//
// The call is one PULL_MESSAGE of the request's queue from offset, at most
// batch_size (1-32) messages, filtered by filter_expression (TAG: the
// consume queue's tag codes, then the tag itself; SQL92: the broker's
// property filter), long polling for long_polling_timeout bounded by the
// call's deadline less 200 ms (none when absent). Nothing is committed:
// the consumer commits with UpdateOffset.
//
// The stream carries a status, then each message (no receipt handle),
// then next_offset, where the next pull starts. Status: OK with messages;
// MESSAGE_NOT_FOUND when nothing new (or nothing matching) is there;
// ILLEGAL_OFFSET for a negative offset, or one out of the queue's range
// (next_offset is then the corrected one, as the broker answers
// PULL_OFFSET_MOVED); ILLEGAL_TOPIC, ILLEGAL_CONSUMER_GROUP,
// CONSUMER_GROUP_NOT_FOUND, TOPIC_NOT_FOUND, BAD_REQUEST (batch size) or
// the broker's failure otherwise.

import (
	"strings"
	"time"

	"google.golang.org/grpc"

	"github.com/booster-mq/booster/broker"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/proxy/v2pb"
	"github.com/booster-mq/booster/wire"
)

// PullMessage implements v2pb.MessagingServiceServer.
func (s *Server) PullMessage(req *v2pb.PullMessageRequest, stream grpc.ServerStreamingServer[v2pb.PullMessageResponse]) error {
	ctx := stream.Context()
	finish := func(sts *v2pb.Status, msgs []*v2pb.Message, next int64, hasNext bool) error {
		if err := stream.Send(&v2pb.PullMessageResponse{Content: &v2pb.PullMessageResponse_Status{Status: sts}}); err != nil {
			return err
		}
		for _, m := range msgs {
			if err := stream.Send(&v2pb.PullMessageResponse{Content: &v2pb.PullMessageResponse_Message{Message: m}}); err != nil {
				return err
			}
		}
		if !hasNext {
			return nil
		}
		return stream.Send(&v2pb.PullMessageResponse{Content: &v2pb.PullMessageResponse_NextOffset{NextOffset: next}})
	}
	fail := func(code v2pb.Code, msg string) error { return finish(st(code, msg), nil, 0, false) }
	c, err := s.clientFor(ctx)
	if err != nil {
		return err
	}
	group, mq := req.GetGroup().GetName(), req.GetMessageQueue()
	topic := mq.GetTopic().GetName()
	if err := compat.ValidateTopic(topic); err != nil {
		return fail(v2pb.Code_ILLEGAL_TOPIC, err.Error())
	}
	if group == "" {
		return fail(v2pb.Code_ILLEGAL_CONSUMER_GROUP, "consumer group is empty")
	}
	if b := req.GetBatchSize(); b <= 0 || b > maxReceiveBatch {
		return fail(v2pb.Code_BAD_REQUEST, "batch size must be in [1, 32]")
	}
	if req.GetOffset() < 0 {
		return fail(v2pb.Code_ILLEGAL_OFFSET, "offset cannot be negative")
	}
	if _, ok, err := s.b.SubscriptionGroup(group); err != nil {
		return finish(errStatus(err), nil, 0, false)
	} else if !ok {
		return fail(v2pb.Code_CONSUMER_GROUP_NOT_FOUND, "consumer group "+group+" not found")
	}
	expType, exp := "TAG", "*"
	if f := req.GetFilterExpression(); f != nil {
		if f.GetType() == v2pb.FilterType_SQL {
			expType = "SQL92"
		}
		if strings.TrimSpace(f.GetExpression()) != "" {
			exp = f.GetExpression()
		}
	}
	var poll time.Duration
	if d := req.GetLongPollingTimeout(); d != nil {
		poll = d.AsDuration()
		if dl, ok := ctx.Deadline(); ok {
			poll = max(min(poll, time.Until(dl)-longPollingReserve), 0)
		}
	}
	res, err := c.sess.Pull(ctx, &broker.PullRequest{
		Group: group, Topic: topic, QueueID: mq.GetId(), Offset: req.GetOffset(), MaxNums: req.GetBatchSize(),
		ExpType: expType, Exp: exp, PollTime: poll,
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return finish(errStatus(err), nil, 0, false)
	}
	switch res.Code {
	case wire.PullOffsetMoved:
		return finish(st(v2pb.Code_ILLEGAL_OFFSET, "offset out of the queue's range; next_offset is the corrected one"), nil, res.NextOffset, true)
	case wire.Success:
	default:
		return finish(st(v2pb.Code_MESSAGE_NOT_FOUND, "no new message"), nil, res.NextOffset, true)
	}
	tags := tagSet(expType, exp)
	msgs := make([]*v2pb.Message, 0, len(res.Messages))
	for i := range res.Messages {
		m := &res.Messages[i]
		if tags != nil {
			if tag, _ := codec.PropertyValue(m.Properties, codec.PropertyTags); !tags[tag] {
				continue // a tag code collision
			}
		}
		msgs = append(msgs, toProtoMessage(m, topic, ""))
	}
	if len(msgs) == 0 {
		return finish(st(v2pb.Code_MESSAGE_NOT_FOUND, "no new message"), nil, res.NextOffset, true)
	}
	return finish(okStatus, msgs, res.NextOffset, true)
}

// tagSet is the tags a TAG expression ("a || b") accepts, nil for all.
func tagSet(expType, exp string) map[string]bool {
	if expType != "TAG" || strings.TrimSpace(exp) == "*" {
		return nil
	}
	set := map[string]bool{}
	for _, t := range strings.Split(exp, "||") {
		if t = strings.TrimSpace(t); t != "" {
			set[t] = true
		}
	}
	if len(set) == 0 {
		return nil
	}
	return set
}
