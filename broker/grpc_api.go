package broker

// The broker's API for in-process clients: the gRPC proxy (package proxy)
// serves RocketMQ 5's MessagingService on top of it the way Apache's proxy
// does in local mode, by handing remoting requests straight to the broker's
// own handlers. So a message sent over gRPC takes the very send path of a
// SEND_MESSAGE_V2 (same UNIQ_KEY, properties, delay, timer and transaction
// handling), and a gRPC receive is a POP_MESSAGE: the two protocols share
// messages, offsets, pop state and retry/DLQ semantics by construction.
//
// A Local holds the frozen route table; each gRPC client gets a Session,
// one local transport.Conn registered like a socket connection (heartbeats,
// producer groups for check-backs, consumer groups). Requests run on the
// caller's goroutine; a deferred reply (long-polling pop) comes back through
// the connection's deliver callback, matched by opaque. Requests the broker
// initiates (CHECK_TRANSACTION_STATE, NOTIFY_CONSUMER_IDS_CHANGED) go to the
// Session's onRequest.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// ResponseError is a remoting answer other than SUCCESS, with the code and
// remark the broker's handler gave.
type ResponseError struct {
	Code   wire.ResponseCode
	Remark string
}

func (e *ResponseError) Error() string {
	return fmt.Sprintf("%s (%d): %s", e.Code, int32(e.Code), e.Remark)
}

// ErrSessionClosed is returned for calls on a closed Session.
var ErrSessionClosed = errors.New("broker: session closed")

// Local is an in-process client of a broker: its route table, built once.
type Local struct {
	b      *Broker
	router *transport.Router
}

// Local returns an in-process client of b. Build one per proxy and share it.
func (b *Broker) Local() *Local {
	return &Local{b: b, router: transport.NewRouter(b.routes())}
}

// Broker returns the broker l calls.
func (l *Local) Broker() *Broker { return l.b }

// TopicConfig returns a topic's configuration.
func (b *Broker) TopicConfig(topic string) (codec.TopicConfig, bool) { return b.topics.get(topic) }

// SubscriptionGroup returns a consumer group's configuration, creating it
// when autoCreateSubscriptionGroup allows; ok is false for an unknown
// group that may not be created.
func (b *Broker) SubscriptionGroup(group string) (codec.SubscriptionGroupConfig, bool, error) {
	return b.groups.getOrCreate(group, b.conf().AutoCreateSubscriptionGroup)
}

// StoreHost is the address stored in messages and encoded in offset
// message ids (brokerIP1:listenPort).
func (b *Broker) StoreHost() netip.AddrPort { return b.storeHost }

// Session is one in-process client connection of the broker. Its methods
// are safe for concurrent use.
type Session struct {
	l         *Local
	conn      *transport.Conn
	onRequest func(*wire.Command)
	opaque    atomic.Int32

	mu      sync.Mutex // guards pending
	pending map[int32]chan *wire.Command
}

// NewSession opens a connection for a client at remote. onRequest (may be
// nil) receives the requests the broker sends the client, on the broker's
// goroutine; it must not block.
func (l *Local) NewSession(remote netip.AddrPort, onRequest func(*wire.Command)) *Session {
	s := &Session{l: l, onRequest: onRequest, pending: map[int32]chan *wire.Command{}}
	s.conn = l.b.server.NewLocalConn(remote, l.b.storeHost, s.deliver)
	return s
}

// Close closes the session's connection: the broker forgets its producer
// and consumer registrations, as for a closed socket.
func (s *Session) Close() {
	_ = s.conn.Close()
	s.mu.Lock()
	for k, ch := range s.pending {
		close(ch)
		delete(s.pending, k)
	}
	s.mu.Unlock()
}

// Closed reports whether the session is closed (by Close, or by the
// broker expiring it after 120 s without a heartbeat).
func (s *Session) Closed() bool { return s.conn.Closed() }

// deliver receives what the broker writes to the connection.
func (s *Session) deliver(frame []byte) {
	var cmd wire.Command
	if err := wire.Decode(frame, &cmd, false); err != nil {
		s.l.b.log.Warn("local session: bad frame", "err", err)
		return
	}
	if !cmd.IsResponse() {
		if s.onRequest != nil {
			s.onRequest(&cmd)
		}
		return
	}
	s.mu.Lock()
	ch, ok := s.pending[cmd.Opaque]
	delete(s.pending, cmd.Opaque)
	s.mu.Unlock()
	if ok {
		ch <- &cmd
	}
}

// call runs req through the broker's handler for its code and returns the
// response, waiting for a deferred one until ctx ends.
func (s *Session) call(ctx context.Context, req *wire.Command) (*wire.Command, error) {
	if s.conn.Closed() {
		return nil, ErrSessionClosed
	}
	h := s.l.router.Handler(req.RequestCode())
	if h == nil {
		return transport.NotSupported(req), nil
	}
	req.Opaque = s.opaque.Add(1)
	req.Serialize = wire.JSON
	ch := make(chan *wire.Command, 1)
	s.mu.Lock()
	s.pending[req.Opaque] = ch
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.pending, req.Opaque)
		s.mu.Unlock()
	}()
	resp, err := s.run(h, req)
	if err != nil || resp != nil {
		return resp, err
	}
	select {
	case resp, ok := <-ch:
		if !ok {
			return nil, ErrSessionClosed
		}
		return resp, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// run calls a handler, turning a panic into an error as the server does.
func (s *Session) run(h transport.Handler, req *wire.Command) (resp *wire.Command, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.l.b.log.Error("handler panic (local session)", "code", req.Code, "panic", p, "stack", string(debug.Stack()))
			resp, err = nil, fmt.Errorf("BUG: handler panic: %v", p)
		}
	}()
	return h(&transport.Request{Cmd: req, Conn: s.conn, Arrived: time.Now()}), nil
}

// callOK is call, with any code but SUCCESS as a *ResponseError.
func (s *Session) callOK(ctx context.Context, req *wire.Command) (*wire.Command, error) {
	resp, err := s.call(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp.ResponseCode() != wire.Success {
		return resp, &ResponseError{Code: resp.ResponseCode(), Remark: resp.Remark}
	}
	return resp, nil
}

// ConsumerGroup is a consumer group a client heartbeats for.
type ConsumerGroup struct {
	Group string
	// Pop is true for 5.x consumers (CONSUME_POP), false for pulling ones.
	Pop           bool
	Subscriptions []codec.SubscriptionData
}

// Heartbeat registers the session as a client of producer and consumer
// groups (HEART_BEAT).
func (s *Session) Heartbeat(ctx context.Context, clientID string, producerGroups []string, consumers []ConsumerGroup) error {
	hb := codec.HeartbeatData{ClientID: clientID}
	for _, g := range producerGroups {
		hb.ProducerDataSet = append(hb.ProducerDataSet, codec.ProducerData{GroupName: g})
	}
	for _, c := range consumers {
		ct := "CONSUME_PASSIVELY"
		if c.Pop {
			ct = "CONSUME_POP"
		}
		hb.ConsumerDataSet = append(hb.ConsumerDataSet, codec.ConsumerData{GroupName: c.Group,
			ConsumeType: codec.Enum(ct), MessageModel: "CLUSTERING", ConsumeFromWhere: "CONSUME_FROM_LAST_OFFSET",
			SubscriptionDataSet: c.Subscriptions})
	}
	body, err := json.Marshal(&hb)
	if err != nil {
		return err
	}
	req := wire.NewRequest(wire.HeartBeat)
	req.Body = body
	_, err = s.callOK(ctx, req)
	return err
}

// Unregister removes the session from a producer and/or consumer group
// (UNREGISTER_CLIENT).
func (s *Session) Unregister(ctx context.Context, clientID, producerGroup, consumerGroup string) error {
	req := wire.NewRequest(wire.UnregisterClient, wire.Field{Key: "clientID", Value: clientID})
	if producerGroup != "" {
		req.SetExt("producerGroup", producerGroup)
	}
	if consumerGroup != "" {
		req.SetExt("consumerGroup", consumerGroup)
	}
	_, err := s.callOK(ctx, req)
	return err
}

// SendRequest is one message to send (SEND_MESSAGE_V2).
type SendRequest struct {
	ProducerGroup  string
	Topic          string
	QueueID        int32 // < 0: the broker picks one
	SysFlag        int32
	BornTimestamp  int64
	Flag           int32
	Properties     string // encoded: key\x01value\x02...
	Body           []byte
	ReconsumeTimes int32
}

// SendResult is a stored message.
type SendResult struct {
	MsgID       string // UNIQ_KEY
	OffsetMsgID string // store host + commit-log offset
	QueueID     int32
	QueueOffset int64
	// TransactionID is what EndTransaction wants for a half message: its
	// offset message id.
	TransactionID string
}

// Send stores a message through the broker's send path.
func (s *Session) Send(ctx context.Context, r *SendRequest) (SendResult, error) {
	req := wire.NewRequest(wire.SendMessageV2,
		wire.Field{Key: "a", Value: r.ProducerGroup},
		wire.Field{Key: "b", Value: r.Topic},
		wire.Field{Key: "c", Value: compat.AutoCreateTopicKey},
		wire.Field{Key: "d", Value: "4"},
		wire.Field{Key: "e", Value: strconv.Itoa(int(r.QueueID))},
		wire.Field{Key: "f", Value: strconv.Itoa(int(r.SysFlag))},
		wire.Field{Key: "g", Value: strconv.FormatInt(r.BornTimestamp, 10)},
		wire.Field{Key: "h", Value: strconv.Itoa(int(r.Flag))},
		wire.Field{Key: "i", Value: r.Properties},
		wire.Field{Key: "j", Value: strconv.Itoa(int(r.ReconsumeTimes))},
		wire.Field{Key: "k", Value: "false"},
	)
	req.Body = r.Body
	resp, err := s.call(ctx, req)
	if err != nil {
		return SendResult{}, err
	}
	code := resp.ResponseCode()
	if code != wire.Success {
		return SendResult{}, &ResponseError{Code: code, Remark: resp.Remark}
	}
	var res SendResult
	res.OffsetMsgID = resp.ExtValue("msgId")
	q, _ := strconv.Atoi(resp.ExtValue("queueId"))
	res.QueueID = int32(q)
	res.QueueOffset, _ = strconv.ParseInt(resp.ExtValue("queueOffset"), 10, 64)
	res.MsgID, _ = codec.PropertyValue(r.Properties, codec.PropertyUniqKey)
	if res.MsgID == "" {
		res.MsgID = resp.ExtValue("transactionId")
	}
	if r.SysFlag&codec.SysFlagTransactionMask != 0 {
		res.TransactionID = res.OffsetMsgID
	}
	return res, nil
}

// EndTransaction commits or rolls back the half message whose offset
// message id is transactionID (END_TRANSACTION).
func (s *Session) EndTransaction(ctx context.Context, producerGroup, transactionID, msgID string, commit, fromCheck bool) error {
	_, clOffset, err := codec.DecodeOffsetMsgID(transactionID)
	if err != nil {
		return &ResponseError{Code: wire.SystemError, Remark: "bad transaction id " + transactionID}
	}
	rec, err := s.l.b.store.LookupMessage(clOffset)
	if err != nil {
		return &ResponseError{Code: wire.SystemError, Remark: "Find prepared transaction message failed"}
	}
	half, _, err := codec.DecodeRecord(rec)
	if err != nil {
		return &ResponseError{Code: wire.SystemError, Remark: "Find prepared transaction message failed"}
	}
	kind := codec.SysFlagRollback
	if commit {
		kind = codec.SysFlagCommit
	}
	req := wire.NewRequest(wire.EndTransaction,
		wire.Field{Key: "producerGroup", Value: producerGroup},
		wire.Field{Key: "tranStateTableOffset", Value: strconv.FormatInt(half.QueueOffset, 10)},
		wire.Field{Key: "commitLogOffset", Value: strconv.FormatInt(clOffset, 10)},
		wire.Field{Key: "commitOrRollback", Value: strconv.Itoa(int(kind))},
		wire.Field{Key: "fromTransactionCheck", Value: strconv.FormatBool(fromCheck)},
		wire.Field{Key: "msgId", Value: msgID},
		wire.Field{Key: "transactionId", Value: msgID},
	)
	_, err = s.callOK(ctx, req)
	return err
}

// PopRequest is one receive (POP_MESSAGE).
type PopRequest struct {
	Group         string
	Topic         string
	QueueID       int32 // -1: every readable queue
	MaxNums       int32
	InvisibleTime time.Duration
	PollTime      time.Duration
	ExpType       string // TAG or SQL92
	Exp           string
	Order         bool
	// InitMode is where a new group starts: 0 the first message, 1 the last.
	InitMode int32
}

// PoppedMessage is a received message and its receipt handle.
type PoppedMessage struct {
	codec.Message
	// Handle is the receipt handle: the POP_CK extraInfo followed by the
	// commit-log offset (Apache's ReceiptHandle layout).
	Handle string
}

// Pop receives messages. The result is empty when none arrived within
// PollTime; a *ResponseError carries POLLING_FULL and other failures.
func (s *Session) Pop(ctx context.Context, r *PopRequest) ([]PoppedMessage, error) {
	now := time.Now().UnixMilli()
	req := wire.NewRequest(wire.PopMessage,
		wire.Field{Key: "consumerGroup", Value: r.Group},
		wire.Field{Key: "topic", Value: r.Topic},
		wire.Field{Key: "queueId", Value: strconv.Itoa(int(r.QueueID))},
		wire.Field{Key: "maxMsgNums", Value: strconv.Itoa(int(r.MaxNums))},
		wire.Field{Key: "invisibleTime", Value: strconv.FormatInt(r.InvisibleTime.Milliseconds(), 10)},
		wire.Field{Key: "pollTime", Value: strconv.FormatInt(r.PollTime.Milliseconds(), 10)},
		wire.Field{Key: "bornTime", Value: strconv.FormatInt(now, 10)},
		wire.Field{Key: "initMode", Value: strconv.Itoa(int(r.InitMode))},
		wire.Field{Key: "expType", Value: r.ExpType},
		wire.Field{Key: "exp", Value: r.Exp},
		wire.Field{Key: "order", Value: strconv.FormatBool(r.Order)},
	)
	resp, err := s.call(ctx, req)
	if err != nil {
		return nil, err
	}
	switch resp.ResponseCode() {
	case wire.Success:
	case wire.PollingTimeout, wire.NoMessage, wire.PullNotFound:
		return nil, nil
	default:
		return nil, &ResponseError{Code: resp.ResponseCode(), Remark: resp.Remark}
	}
	popTime, _ := strconv.ParseInt(resp.ExtValue("popTime"), 10, 64)
	invisible, _ := strconv.ParseInt(resp.ExtValue("invisibleTime"), 10, 64)
	rq, _ := strconv.Atoi(resp.ExtValue("reviveQid"))
	starts := parseStartOffsetInfo(resp.ExtValue("startOffsetInfo"))
	brokerName := s.l.b.conf().BrokerName
	var out []PoppedMessage
	for body := resp.Body; len(body) > 0; {
		m, n, err := codec.DecodeRecord(body)
		if err != nil {
			return out, fmt.Errorf("pop response: %w", err)
		}
		body = body[n:]
		m.Body = append([]byte(nil), m.Body...)
		ck, ok := codec.PropertyValue(m.Properties, propertyPopCK)
		if !ok {
			start, has := starts[retryMark(m.Topic)+" "+strconv.Itoa(int(m.QueueID))]
			if !has {
				start = m.QueueOffset
			}
			ck = string(appendExtraInfo(nil, start, popTime, invisible, int32(rq), m.Topic, brokerName, m.QueueID, m.QueueOffset))
		}
		out = append(out, PoppedMessage{Message: m, Handle: ck + " " + strconv.FormatInt(m.CommitLogOffset, 10)})
	}
	return out, nil
}

// parseStartOffsetInfo reads "retry queueId startOffset;..." into a map
// keyed by "retry queueId".
func parseStartOffsetInfo(s string) map[string]int64 {
	out := map[string]int64{}
	for _, e := range strings.Split(s, ";") {
		f := strings.Split(e, " ")
		if len(f) != 3 {
			continue
		}
		if v, err := strconv.ParseInt(f[2], 10, 64); err == nil {
			out[f[0]+" "+f[1]] = v
		}
	}
	return out
}

// Handle is a parsed receipt handle.
type Handle struct {
	h               popHandle
	commitLogOffset int64
}

// ParseHandle parses a receipt handle made by Pop or ChangeInvisible.
func ParseHandle(s string) (Handle, error) {
	h, err := parsePopHandle(s)
	if err != nil {
		return Handle{}, err
	}
	if h.queueID < 0 || h.queueOffset < 0 {
		return Handle{}, fmt.Errorf("%w: %q has no queue id or offset", errBadExtraInfo, s)
	}
	f := strings.Fields(s)
	hd := Handle{h: h, commitLogOffset: -1}
	if len(f) > 8 {
		hd.commitLogOffset, _ = strconv.ParseInt(f[8], 10, 64)
	}
	return hd, nil
}

// QueueID is the queue the handle's message was popped from.
func (h Handle) QueueID() int32 { return h.h.queueID }

// QueueOffset is the handle's message's queue offset.
func (h Handle) QueueOffset() int64 { return h.h.queueOffset }

// CommitLogOffset is the handle's message's commit-log offset (-1 if unknown).
func (h Handle) CommitLogOffset() int64 { return h.commitLogOffset }

// realTopic is the topic the handle's message was popped from (the group's
// pop retry topic for a redelivered message).
func (h Handle) realTopic(topic, group string) (string, error) {
	return popRealTopic(topic, group, h.h.retry)
}

// Ack acknowledges a popped message (ACK_MESSAGE); topic is the topic
// the client subscribed to.
func (s *Session) Ack(ctx context.Context, group, topic string, h Handle, raw string) error {
	real, err := h.realTopic(topic, group)
	if err != nil {
		return &ResponseError{Code: wire.SystemError, Remark: err.Error()}
	}
	req := wire.NewRequest(wire.AckMessage,
		wire.Field{Key: "consumerGroup", Value: group},
		wire.Field{Key: "topic", Value: real},
		wire.Field{Key: "queueId", Value: strconv.Itoa(int(h.h.queueID))},
		wire.Field{Key: "extraInfo", Value: raw},
		wire.Field{Key: "offset", Value: strconv.FormatInt(h.h.queueOffset, 10)},
	)
	_, err = s.callOK(ctx, req)
	return err
}

// ChangeInvisible makes a popped message invisible for d from now
// (CHANGE_MESSAGE_INVISIBLETIME) and returns its new receipt handle.
func (s *Session) ChangeInvisible(ctx context.Context, group, topic string, h Handle, raw string, d time.Duration) (string, error) {
	real, err := h.realTopic(topic, group)
	if err != nil {
		return "", &ResponseError{Code: wire.SystemError, Remark: err.Error()}
	}
	req := wire.NewRequest(wire.ChangeMessageInvisibletime,
		wire.Field{Key: "consumerGroup", Value: group},
		wire.Field{Key: "topic", Value: real},
		wire.Field{Key: "queueId", Value: strconv.Itoa(int(h.h.queueID))},
		wire.Field{Key: "extraInfo", Value: raw},
		wire.Field{Key: "offset", Value: strconv.FormatInt(h.h.queueOffset, 10)},
		wire.Field{Key: "invisibleTime", Value: strconv.FormatInt(d.Milliseconds(), 10)},
	)
	resp, err := s.callOK(ctx, req)
	if err != nil {
		return "", err
	}
	popTime, _ := strconv.ParseInt(resp.ExtValue("popTime"), 10, 64)
	invisible, _ := strconv.ParseInt(resp.ExtValue("invisibleTime"), 10, 64)
	rq, _ := strconv.Atoi(resp.ExtValue("reviveQid"))
	ck := appendExtraInfo(nil, h.h.queueOffset, popTime, invisible, int32(rq), real, s.l.b.conf().BrokerName, h.h.queueID, h.h.queueOffset)
	ck = append(ck, ' ')
	ck = strconv.AppendInt(ck, h.commitLogOffset, 10)
	return string(ck), nil
}

// SendToDLQ moves the message at the handle's commit-log offset to the
// group's dead-letter queue (CONSUMER_SEND_MSG_BACK with delayLevel -1).
func (s *Session) SendToDLQ(ctx context.Context, group, topic, msgID string, h Handle, maxReconsumeTimes int32) error {
	if h.commitLogOffset < 0 {
		return &ResponseError{Code: wire.SystemError, Remark: "the receipt handle has no commit-log offset"}
	}
	req := wire.NewRequest(wire.ConsumerSendMsgBack,
		wire.Field{Key: "offset", Value: strconv.FormatInt(h.commitLogOffset, 10)},
		wire.Field{Key: "group", Value: group},
		wire.Field{Key: "delayLevel", Value: "-1"},
		wire.Field{Key: "originMsgId", Value: msgID},
		wire.Field{Key: "originTopic", Value: topic},
		wire.Field{Key: "maxReconsumeTimes", Value: strconv.Itoa(int(maxReconsumeTimes))},
	)
	_, err := s.callOK(ctx, req)
	return err
}

// QueryOffset returns a group's committed offset of a queue
// (QUERY_CONSUMER_OFFSET); ok is false when there is none.
func (s *Session) QueryOffset(ctx context.Context, group, topic string, queueID int32) (off int64, ok bool, err error) {
	req := wire.NewRequest(wire.QueryConsumerOffset,
		wire.Field{Key: "consumerGroup", Value: group},
		wire.Field{Key: "topic", Value: topic},
		wire.Field{Key: "queueId", Value: strconv.Itoa(int(queueID))},
		wire.Field{Key: "setZeroIfNotFound", Value: "false"},
	)
	resp, err := s.call(ctx, req)
	if err != nil {
		return 0, false, err
	}
	switch resp.ResponseCode() {
	case wire.Success:
		off, _ = strconv.ParseInt(resp.ExtValue("offset"), 10, 64)
		return off, true, nil
	case wire.QueryNotFound:
		return 0, false, nil
	}
	return 0, false, &ResponseError{Code: resp.ResponseCode(), Remark: resp.Remark}
}

// UpdateOffset commits a group's offset of a queue (UPDATE_CONSUMER_OFFSET).
func (s *Session) UpdateOffset(ctx context.Context, group, topic string, queueID int32, offset int64) error {
	req := wire.NewRequest(wire.UpdateConsumerOffset,
		wire.Field{Key: "consumerGroup", Value: group},
		wire.Field{Key: "topic", Value: topic},
		wire.Field{Key: "queueId", Value: strconv.Itoa(int(queueID))},
		wire.Field{Key: "commitOffset", Value: strconv.FormatInt(offset, 10)},
	)
	_, err := s.callOK(ctx, req)
	return err
}

// QueueOffsets returns a queue's min and max offsets.
func (b *Broker) QueueOffsets(topic string, queueID int32) (minOffset, maxOffset int64) {
	return b.store.MinOffset(topic, queueID), b.store.MaxOffset(topic, queueID)
}

// SearchOffset returns the offset of a queue's first message stored at or
// after ts (SEARCH_OFFSET_BY_TIMESTAMP).
func (s *Session) SearchOffset(ctx context.Context, topic string, queueID int32, ts time.Time) (int64, error) {
	req := wire.NewRequest(wire.SearchOffsetByTimestamp,
		wire.Field{Key: "topic", Value: topic},
		wire.Field{Key: "queueId", Value: strconv.Itoa(int(queueID))},
		wire.Field{Key: "timestamp", Value: strconv.FormatInt(ts.UnixMilli(), 10)},
	)
	resp, err := s.callOK(ctx, req)
	if err != nil {
		return 0, err
	}
	off, _ := strconv.ParseInt(resp.ExtValue("offset"), 10, 64)
	return off, nil
}

// PullRequest is a read of one queue from an offset (a 5.x pull
// consumer's PullMessage).
type PullRequest struct {
	Group, Topic string
	QueueID      int32
	Offset       int64
	MaxNums      int32
	// ExpType (TAG or SQL92) and Exp are the filter.
	ExpType, Exp string
	// PollTime is how long a pull that finds nothing waits for a message
	// (0: answer at once).
	PollTime time.Duration
}

// PullResult is a pull's answer. Code is SUCCESS (Messages found),
// PULL_NOT_FOUND (nothing new), PULL_RETRY_IMMEDIATELY (nothing matched
// the filter) or PULL_OFFSET_MOVED (the offset is out of range); the next
// pull starts at NextOffset.
type PullResult struct {
	Code                             wire.ResponseCode
	Messages                         []codec.Message
	NextOffset, MinOffset, MaxOffset int64
}

// Pull reads messages (PULL_MESSAGE with the filter in the request, long
// polling for PollTime, no offset commit); other codes are a
// *ResponseError.
func (s *Session) Pull(ctx context.Context, r *PullRequest) (PullResult, error) {
	flag := codec.PullFlagSubscription
	if r.PollTime > 0 {
		flag |= codec.PullFlagSuspend
	}
	req := wire.NewRequest(wire.PullMessage,
		wire.Field{Key: "consumerGroup", Value: r.Group},
		wire.Field{Key: "topic", Value: r.Topic},
		wire.Field{Key: "queueId", Value: strconv.Itoa(int(r.QueueID))},
		wire.Field{Key: "queueOffset", Value: strconv.FormatInt(r.Offset, 10)},
		wire.Field{Key: "maxMsgNums", Value: strconv.Itoa(int(r.MaxNums))},
		wire.Field{Key: "sysFlag", Value: strconv.Itoa(flag)},
		wire.Field{Key: "commitOffset", Value: "0"},
		wire.Field{Key: "suspendTimeoutMillis", Value: strconv.FormatInt(r.PollTime.Milliseconds(), 10)},
		wire.Field{Key: "subscription", Value: r.Exp},
		wire.Field{Key: "subVersion", Value: strconv.FormatInt(time.Now().UnixMilli(), 10)},
		wire.Field{Key: "expressionType", Value: r.ExpType},
	)
	resp, err := s.call(ctx, req)
	if err != nil {
		return PullResult{}, err
	}
	res := PullResult{Code: resp.ResponseCode()}
	switch res.Code {
	case wire.Success, wire.PullNotFound, wire.PullRetryImmediately, wire.PullOffsetMoved:
	default:
		return res, &ResponseError{Code: res.Code, Remark: resp.Remark}
	}
	res.NextOffset, _ = strconv.ParseInt(resp.ExtValue("nextBeginOffset"), 10, 64)
	res.MinOffset, _ = strconv.ParseInt(resp.ExtValue("minOffset"), 10, 64)
	res.MaxOffset, _ = strconv.ParseInt(resp.ExtValue("maxOffset"), 10, 64)
	if res.Code != wire.Success {
		return res, nil
	}
	// One copy: the frame may be a buffer the writer reuses.
	for body := append([]byte(nil), resp.Body...); len(body) > 0; {
		m, n, err := codec.DecodeRecord(body)
		if err != nil {
			return res, fmt.Errorf("pull response: %w", err)
		}
		body = body[n:]
		res.Messages = append(res.Messages, m)
	}
	return res, nil
}
