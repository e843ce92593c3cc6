package proxy

// ReceiveMessage, AckMessage, ChangeInvisibleDuration and
// ForwardMessageToDeadLetterQueue, after Apache's ReceiveMessageActivity,
// ReceiveMessageResponseStreamWriter, AckMessageActivity,
// ChangeInvisibleDurationActivity and ForwardMessageToDLQActivity.
//
// ReceiveMessage is one POP_MESSAGE of every queue of the topic (the
// request's queue only names the broker, as in Apache): group and topic
// from the request, the filter expression (TAG or SQL92), at most 32
// messages, invisible for invisible_duration (60 s for auto_renew
// requests), long polling for long_polling_timeout bounded by the call's
// deadline less 200 ms, orderly when the group has consumeMessageOrderly,
// a new group starting from the queues' end (ConsumeInitMode.MAX, i.e.
// offset 0 for a queue never truncated). The stream carries a status (OK,
// MESSAGE_NOT_FOUND, TOO_MANY_REQUESTS for a full polling queue, or the
// failure), then each message, then the delivery timestamp. A message's
// receipt handle is the pop handle plus its commit-log offset. An
// invisible duration above 12 h answers ILLEGAL_INVISIBLE_TIME (here and
// in ChangeInvisibleDuration).
//
// AckMessage acks each entry (ACK_MESSAGE with the handle's real topic,
// queue and offset): INVALID_RECEIPT_HANDLE for a handle that does not
// parse. ChangeInvisibleDuration answers the new receipt handle.
// A message already delivered retryMaxTimes+1 times is dead-lettered
// instead of delivered (Apache's PopMessageResultFilterImpl).
// ForwardMessageToDeadLetterQueue sends the message to %DLQ%group
// (CONSUMER_SEND_MSG_BACK, delay level -1) and acks it.

import (
	"context"
	"strconv"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/booster-mq/booster/broker"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/proxy/v2pb"
)

const (
	maxReceiveBatch      = 32
	autoRenewInvisible   = 60 * time.Second
	longPollingReserve   = 200 * time.Millisecond
	defaultLongPolling   = 20 * time.Second
	defaultInvisibleTime = 30 * time.Second
	maxInvisibleTime     = 12 * time.Hour // Apache's maxInvisibleTimeMills
)

// checkInvisible answers ILLEGAL_INVISIBLE_TIME for an invisible duration
// below 0 or above 12 h, as Apache's GrpcValidator does (its 10 s minimum
// for receives is not enforced), else nil.
func checkInvisible(d time.Duration) *v2pb.Status {
	switch {
	case d < 0:
		return st(v2pb.Code_ILLEGAL_INVISIBLE_TIME, "the invisibleTime is too small. min is 0")
	case d > maxInvisibleTime:
		return st(v2pb.Code_ILLEGAL_INVISIBLE_TIME, "the invisibleTime is too large. max is "+strconv.FormatInt(maxInvisibleTime.Milliseconds(), 10))
	}
	return nil
}

// ReceiveMessage implements v2pb.MessagingServiceServer.
func (s *Server) ReceiveMessage(req *v2pb.ReceiveMessageRequest, stream grpc.ServerStreamingServer[v2pb.ReceiveMessageResponse]) error {
	ctx := stream.Context()
	finish := func(sts *v2pb.Status, msgs []*v2pb.Message) error {
		if err := stream.Send(&v2pb.ReceiveMessageResponse{Content: &v2pb.ReceiveMessageResponse_Status{Status: sts}}); err != nil {
			return err
		}
		for _, m := range msgs {
			if err := stream.Send(&v2pb.ReceiveMessageResponse{Content: &v2pb.ReceiveMessageResponse_Message{Message: m}}); err != nil {
				return err
			}
		}
		return stream.Send(&v2pb.ReceiveMessageResponse{Content: &v2pb.ReceiveMessageResponse_DeliveryTimestamp{DeliveryTimestamp: timestamppb.Now()}})
	}
	c, err := s.clientFor(ctx)
	if err != nil {
		return err
	}
	group := req.GetGroup().GetName()
	topic := req.GetMessageQueue().GetTopic().GetName()
	if group == "" {
		return finish(st(v2pb.Code_ILLEGAL_CONSUMER_GROUP, "consumer group is empty"), nil)
	}
	if err := compat.ValidateTopic(topic); err != nil {
		return finish(st(v2pb.Code_ILLEGAL_TOPIC, err.Error()), nil)
	}
	batch := req.GetBatchSize()
	if batch <= 0 || batch > maxReceiveBatch {
		return finish(st(v2pb.Code_ILLEGAL_POLLING_TIME, "batch size must be in [1, 32]"), nil)
	}
	invisible := durationMillis(req.GetInvisibleDuration(), defaultInvisibleTime)
	if req.GetAutoRenew() {
		invisible = autoRenewInvisible
	} else if sts := checkInvisible(invisible); sts != nil {
		return finish(sts, nil)
	}
	poll := durationMillis(req.GetLongPollingTimeout(), defaultLongPolling)
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl) - longPollingReserve; poll > left {
			poll = max(left, 0)
		}
	}
	sg, ok, err := s.b.SubscriptionGroup(group)
	if err != nil {
		return finish(errStatus(err), nil)
	}
	if !ok {
		return finish(st(v2pb.Code_CONSUMER_GROUP_NOT_FOUND, "consumer group "+group+" not found"), nil)
	}
	expType, exp := "TAG", "*"
	if f := req.GetFilterExpression(); f != nil {
		if f.GetType() == v2pb.FilterType_SQL {
			expType = "SQL92"
		}
		if f.GetExpression() != "" {
			exp = f.GetExpression()
		}
	}
	// As in Apache (ReceiveMessageQueueSelector), the request's queue only
	// names the broker: the pop covers every queue of the topic. (The
	// Node.js client always names queue 0.)
	popped, err := c.sess.Pop(ctx, &broker.PopRequest{
		Group: group, Topic: topic, QueueID: -1, MaxNums: batch, InvisibleTime: invisible,
		PollTime: poll, ExpType: expType, Exp: exp, Order: sg.ConsumeMessageOrderly, InitMode: 1,
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return finish(errStatus(err), nil)
	}
	if len(popped) == 0 {
		return finish(st(v2pb.Code_MESSAGE_NOT_FOUND, "no new message"), nil)
	}
	msgs := make([]*v2pb.Message, 0, len(popped))
	maxAttempts := int32(sg.RetryMaxTimes + 1)
	for i := range popped {
		pm := &popped[i]
		if pm.ReconsumeTimes >= maxAttempts {
			s.toDLQ(ctx, c, group, topic, pm, maxAttempts)
			continue
		}
		msgs = append(msgs, toProtoMessage(&pm.Message, topic, pm.Handle))
	}
	if len(msgs) == 0 {
		return finish(st(v2pb.Code_MESSAGE_NOT_FOUND, "no new message"), nil)
	}
	return finish(okStatus, msgs)
}

// toDLQ dead-letters a message delivered maxAttempts times already, instead
// of delivering it again (PopMessageResultFilterImpl's TO_DLQ), and acks it.
func (s *Server) toDLQ(ctx context.Context, c *client, group, topic string, pm *broker.PoppedMessage, maxAttempts int32) {
	h, err := broker.ParseHandle(pm.Handle)
	if err == nil {
		uniq := toProtoMessage(&pm.Message, topic, "").GetSystemProperties().GetMessageId()
		if err = c.sess.SendToDLQ(ctx, group, topic, uniq, h, maxAttempts); err == nil {
			err = c.sess.Ack(ctx, group, topic, h, pm.Handle)
		}
	}
	if err != nil {
		s.log.Warn("dead-letter after max attempts failed", "group", group, "topic", topic, "err", err)
	}
}

// AckMessage implements v2pb.MessagingServiceServer.
func (s *Server) AckMessage(ctx context.Context, req *v2pb.AckMessageRequest) (*v2pb.AckMessageResponse, error) {
	c, err := s.clientFor(ctx)
	if err != nil {
		return nil, err
	}
	group, topic := req.GetGroup().GetName(), req.GetTopic().GetName()
	if len(req.GetEntries()) == 0 {
		return &v2pb.AckMessageResponse{Status: st(v2pb.Code_BAD_REQUEST, "no entry to ack")}, nil
	}
	resp := &v2pb.AckMessageResponse{}
	codes := map[v2pb.Code]bool{}
	for _, e := range req.GetEntries() {
		sts := okStatus
		if h, err := broker.ParseHandle(e.GetReceiptHandle()); err != nil {
			sts = st(v2pb.Code_INVALID_RECEIPT_HANDLE, err.Error())
		} else if err := c.sess.Ack(ctx, group, topic, h, e.GetReceiptHandle()); err != nil {
			sts = errStatus(err)
		}
		resp.Entries = append(resp.Entries, &v2pb.AckMessageResultEntry{MessageId: e.GetMessageId(), ReceiptHandle: e.GetReceiptHandle(), Status: sts})
		codes[sts.GetCode()] = true
	}
	if len(codes) > 1 {
		resp.Status = st(v2pb.Code_MULTIPLE_RESULTS, v2pb.Code_MULTIPLE_RESULTS.String())
	} else {
		resp.Status = resp.Entries[0].GetStatus()
	}
	return resp, nil
}

// ChangeInvisibleDuration implements v2pb.MessagingServiceServer.
func (s *Server) ChangeInvisibleDuration(ctx context.Context, req *v2pb.ChangeInvisibleDurationRequest) (*v2pb.ChangeInvisibleDurationResponse, error) {
	c, err := s.clientFor(ctx)
	if err != nil {
		return nil, err
	}
	h, err := broker.ParseHandle(req.GetReceiptHandle())
	if err != nil {
		return &v2pb.ChangeInvisibleDurationResponse{Status: st(v2pb.Code_INVALID_RECEIPT_HANDLE, err.Error())}, nil
	}
	if req.GetInvisibleDuration() == nil {
		return &v2pb.ChangeInvisibleDurationResponse{Status: st(v2pb.Code_ILLEGAL_INVISIBLE_TIME, "invisible duration is missing")}, nil
	}
	if sts := checkInvisible(req.GetInvisibleDuration().AsDuration()); sts != nil {
		return &v2pb.ChangeInvisibleDurationResponse{Status: sts}, nil
	}
	handle, err := c.sess.ChangeInvisible(ctx, req.GetGroup().GetName(), req.GetTopic().GetName(), h, req.GetReceiptHandle(), req.GetInvisibleDuration().AsDuration())
	if err != nil {
		return &v2pb.ChangeInvisibleDurationResponse{Status: errStatus(err)}, nil
	}
	return &v2pb.ChangeInvisibleDurationResponse{Status: okStatus, ReceiptHandle: handle}, nil
}

// ForwardMessageToDeadLetterQueue implements v2pb.MessagingServiceServer.
func (s *Server) ForwardMessageToDeadLetterQueue(ctx context.Context, req *v2pb.ForwardMessageToDeadLetterQueueRequest) (*v2pb.ForwardMessageToDeadLetterQueueResponse, error) {
	c, err := s.clientFor(ctx)
	if err != nil {
		return nil, err
	}
	h, err := broker.ParseHandle(req.GetReceiptHandle())
	if err != nil {
		return &v2pb.ForwardMessageToDeadLetterQueueResponse{Status: st(v2pb.Code_INVALID_RECEIPT_HANDLE, err.Error())}, nil
	}
	group, topic := req.GetGroup().GetName(), req.GetTopic().GetName()
	if err := c.sess.SendToDLQ(ctx, group, topic, req.GetMessageId(), h, req.GetMaxDeliveryAttempts()); err != nil {
		return &v2pb.ForwardMessageToDeadLetterQueueResponse{Status: errStatus(err)}, nil
	}
	if err := c.sess.Ack(ctx, group, topic, h, req.GetReceiptHandle()); err != nil {
		s.log.Warn("forward to DLQ: ack failed", "group", group, "topic", topic, "messageId", req.GetMessageId(), "err", err)
	}
	return &v2pb.ForwardMessageToDeadLetterQueueResponse{Status: okStatus}, nil
}
