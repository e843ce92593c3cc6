package proxy

// Heartbeat, Telemetry, NotifyClientTermination and EndTransaction, after
// Apache's ClientActivity, GrpcClientSettingsManager, GrpcClientChannel and
// EndTransactionActivity.
//
// Telemetry: a client announces its Settings; the answer is the settings
// merged with the server's (producer: 3 attempts, exponential backoff
// 10 ms..1 s x2, validate_message_type, max body = maxMessageSize;
// consumer: batch 32, long polling 20 s, fifo = the group's
// consumeMessageOrderly, max attempts = retryMaxTimes+1, customized backoff
// = the delay levels; metrics off). The stream then carries the
// broker's transaction check-backs (RecoverOrphanedTransactionCommand).
//
// Heartbeat registers the client with the broker: a producer under each
// publishing topic as producer group, a consumer under its group with its
// subscriptions (CONSUME_POP). Without announced settings it answers
// UNRECOGNIZED_CLIENT_TYPE, as Apache does.
//
// EndTransaction commits or rolls back the half message named by
// transaction_id; the topic is the producer group.

import (
	"context"
	"strconv"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/booster-mq/booster/broker"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/proxy/v2pb"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
)

// Heartbeat implements v2pb.MessagingServiceServer.
func (s *Server) Heartbeat(ctx context.Context, req *v2pb.HeartbeatRequest) (*v2pb.HeartbeatResponse, error) {
	c, err := s.clientFor(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	set := c.settings
	c.mu.Unlock()
	if set == nil {
		return &v2pb.HeartbeatResponse{Status: st(v2pb.Code_UNRECOGNIZED_CLIENT_TYPE, "cannot find client settings for this client")}, nil
	}
	if err := s.register(ctx, c, set, req.GetGroup().GetName()); err != nil {
		return &v2pb.HeartbeatResponse{Status: errStatus(err)}, nil
	}
	return &v2pb.HeartbeatResponse{Status: okStatus}, nil
}

// register heartbeats a client's groups to the broker.
func (s *Server) register(ctx context.Context, c *client, set *v2pb.Settings, group string) error {
	switch set.GetClientType() {
	case v2pb.ClientType_PRODUCER:
		var groups []string
		for _, t := range set.GetPublishing().GetTopics() {
			groups = append(groups, t.GetName())
		}
		return c.sess.Heartbeat(ctx, c.id, groups, nil)
	case v2pb.ClientType_PUSH_CONSUMER, v2pb.ClientType_SIMPLE_CONSUMER:
		if group == "" {
			group = set.GetSubscription().GetGroup().GetName()
		}
		var subs []codec.SubscriptionData
		for _, e := range set.GetSubscription().GetSubscriptions() {
			typ, exp := "TAG", e.GetExpression().GetExpression()
			if e.GetExpression().GetType() == v2pb.FilterType_SQL {
				typ = "SQL92"
			}
			if exp == "" {
				exp = "*"
			}
			subs = append(subs, codec.SubscriptionData{Topic: e.GetTopic().GetName(), SubString: exp, ExpressionType: typ,
				SubVersion: codec.FlexInt(time.Now().UnixMilli())})
		}
		return c.sess.Heartbeat(ctx, c.id, nil, []broker.ConsumerGroup{{Group: group, Pop: true, Subscriptions: subs}})
	}
	return &broker.ResponseError{Code: wire.SystemError, Remark: "unrecognized client type " + set.GetClientType().String()}
}

// NotifyClientTermination implements v2pb.MessagingServiceServer.
func (s *Server) NotifyClientTermination(ctx context.Context, req *v2pb.NotifyClientTerminationRequest) (*v2pb.NotifyClientTerminationResponse, error) {
	c, err := s.clientFor(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	set := c.settings
	c.mu.Unlock()
	if set == nil {
		s.forget(c)
		return &v2pb.NotifyClientTerminationResponse{Status: st(v2pb.Code_UNRECOGNIZED_CLIENT_TYPE, "cannot find client settings for this client")}, nil
	}
	switch set.GetClientType() {
	case v2pb.ClientType_PRODUCER:
		for _, t := range set.GetPublishing().GetTopics() {
			_ = c.sess.Unregister(ctx, c.id, t.GetName(), "")
		}
	default:
		group := req.GetGroup().GetName()
		if group == "" {
			group = set.GetSubscription().GetGroup().GetName()
		}
		_ = c.sess.Unregister(ctx, c.id, "", group)
	}
	s.forget(c)
	return &v2pb.NotifyClientTerminationResponse{Status: okStatus}, nil
}

// Telemetry implements v2pb.MessagingServiceServer.
func (s *Server) Telemetry(stream grpc.BidiStreamingServer[v2pb.TelemetryCommand, v2pb.TelemetryCommand]) error {
	ctx := stream.Context()
	c, err := s.clientFor(ctx)
	if err != nil {
		return err
	}
	out := make(chan *v2pb.TelemetryCommand, 64)
	c.mu.Lock()
	c.outbox = out
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		if c.outbox == out {
			c.outbox = nil
		}
		c.mu.Unlock()
	}()
	sendErr := make(chan error, 1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				sendErr <- ctx.Err()
				return
			case cmd := <-out:
				if err := stream.Send(cmd); err != nil {
					sendErr <- err
					return
				}
			}
		}
	}()
	for {
		cmd, err := stream.Recv()
		if err != nil {
			return nil // the client closed the stream (or went away)
		}
		select {
		case err := <-sendErr:
			return err
		default:
		}
		set := cmd.GetSettings()
		if set == nil {
			continue // thread stack traces and verify results are not asked for
		}
		c.mu.Lock()
		c.settings = set
		c.mu.Unlock()
		// The client may be a consumer whose first heartbeat comes later;
		// register now so check-backs and rebalancing see it at once.
		if err := s.register(ctx, currentClient(s, c), set, ""); err != nil {
			s.log.Debug("telemetry: register", "client", c.id, "err", err)
		}
		reply := &v2pb.TelemetryCommand{Status: okStatus, Command: &v2pb.TelemetryCommand_Settings{Settings: s.mergeSettings(set)}}
		select {
		case out <- reply:
		case <-ctx.Done():
			return nil
		}
	}
}

// currentClient returns c's live incarnation (its session may have been
// replaced after the broker expired it).
func currentClient(s *Server, c *client) *client {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur := s.clients[c.id]; cur != nil {
		return cur
	}
	return c
}

// mergeSettings answers a client's settings (GrpcClientSettingsManager).
func (s *Server) mergeSettings(in *v2pb.Settings) *v2pb.Settings {
	set := proto.Clone(in).(*v2pb.Settings)
	cfg := s.b.Config()
	switch {
	case set.GetPublishing() != nil:
		set.BackoffPolicy = &v2pb.RetryPolicy{MaxAttempts: 3, Strategy: &v2pb.RetryPolicy_ExponentialBackoff{
			ExponentialBackoff: &v2pb.ExponentialBackoff{Initial: durationpb.New(10 * time.Millisecond), Max: durationpb.New(time.Second), Multiplier: 2}}}
		set.GetPublishing().ValidateMessageType = true
		set.GetPublishing().MaxBodySize = int32(cfg.MaxMessageSize)
	case set.GetSubscription() != nil:
		sub := set.GetSubscription()
		batch := int32(32)
		sub.ReceiveBatchSize = &batch
		sub.LongPollingTimeout = durationpb.New(defaultLongPolling)
		sg, ok, _ := s.b.SubscriptionGroup(sub.GetGroup().GetName())
		if !ok {
			sg = codec.SubscriptionGroupConfig{RetryMaxTimes: 16}
		}
		fifo := sg.ConsumeMessageOrderly
		sub.Fifo = &fifo
		var next []*durationpb.Duration
		if levels, err := store.ParseDelayLevels(cfg.MessageDelayLevel); err == nil {
			for _, l := range levels {
				next = append(next, durationpb.New(l))
			}
		}
		set.BackoffPolicy = &v2pb.RetryPolicy{MaxAttempts: int32(sg.RetryMaxTimes + 1), Strategy: &v2pb.RetryPolicy_CustomizedBackoff{
			CustomizedBackoff: &v2pb.CustomizedBackoff{Next: next}}}
	}
	set.Metric = &v2pb.Metric{On: false}
	return set
}

// brokerRequest receives what the broker sends the client's session:
// CHECK_TRANSACTION_STATE becomes a RecoverOrphanedTransactionCommand on
// the client's Telemetry stream; the rest (rebalance notifications) has
// no gRPC counterpart.
func (c *client) brokerRequest(cmd *wire.Command) {
	if cmd.RequestCode() != wire.CheckTransactionState {
		return
	}
	m, _, err := codec.DecodeRecord(cmd.Body)
	if err != nil {
		c.s.log.Warn("transaction check: bad body", "client", c.id, "err", err)
		return
	}
	m.Body = append([]byte(nil), m.Body...)
	rec := &v2pb.TelemetryCommand{Command: &v2pb.TelemetryCommand_RecoverOrphanedTransactionCommand{
		RecoverOrphanedTransactionCommand: &v2pb.RecoverOrphanedTransactionCommand{
			Message:       toProtoMessage(&m, m.Topic, ""),
			TransactionId: cmd.ExtValue("offsetMsgId"),
		}}}
	c.mu.Lock()
	out := c.outbox
	c.mu.Unlock()
	if out == nil {
		c.s.log.Warn("transaction check: client has no telemetry stream", "client", c.id)
		return
	}
	select {
	case out <- rec:
	default:
		c.s.log.Warn("transaction check dropped: telemetry outbox full", "client", c.id)
	}
}

// EndTransaction implements v2pb.MessagingServiceServer.
func (s *Server) EndTransaction(ctx context.Context, req *v2pb.EndTransactionRequest) (*v2pb.EndTransactionResponse, error) {
	c, err := s.clientFor(ctx)
	if err != nil {
		return nil, err
	}
	var commit bool
	switch req.GetResolution() {
	case v2pb.TransactionResolution_COMMIT:
		commit = true
	case v2pb.TransactionResolution_ROLLBACK:
	default:
		return &v2pb.EndTransactionResponse{Status: st(v2pb.Code_BAD_REQUEST, "unknown transaction resolution "+strconv.Itoa(int(req.GetResolution())))}, nil
	}
	if req.GetTransactionId() == "" {
		return &v2pb.EndTransactionResponse{Status: st(v2pb.Code_INVALID_TRANSACTION_ID, "transaction id cannot be empty")}, nil
	}
	fromCheck := req.GetSource() == v2pb.TransactionSource_SOURCE_SERVER_CHECK
	if err := c.sess.EndTransaction(ctx, req.GetTopic().GetName(), req.GetTransactionId(), req.GetMessageId(), commit, fromCheck); err != nil {
		return &v2pb.EndTransactionResponse{Status: errStatus(err)}, nil
	}
	return &v2pb.EndTransactionResponse{Status: okStatus}, nil
}
