package proxy

// SendMessage, after Apache's SendMessageActivity.
//
// Each message becomes a SEND_MESSAGE_V2 through the broker's send path,
// with the properties Apache's proxy builds: user properties (system keys
// refused with ILLEGAL_MESSAGE_PROPERTY_KEY), TAGS, KEYS (space-joined),
// UNIQ_KEY = message_id, TRAN_MSG=true (+ CHECK_IMMUNITY_TIME_IN_SECONDS
// from orphaned_transaction_recovery_duration) for transactional messages,
// TIMER_DELIVER_MS for a delivery timestamp, RECONSUME_TIME =
// delivery_attempt, PGROUP = the topic (the producer group the check-back
// looks for), __SHARDINGKEY = message_group, TRACE_CONTEXT, __BORNHOST and
// BORN_TIMESTAMP. The sysFlag carries GZIP (compressed) and the prepared
// transaction bit. Messages of a message group go to the queue
// hash(group) mod writeQueueNums, others to a queue the broker picks.
//
// The message type must match the topic's message.type (MIXED accepts
// all): MESSAGE_PROPERTY_CONFLICT_WITH_TYPE otherwise. Results: per
// message, message_id (UNIQ_KEY), transaction_id (the half message's
// offset message id) and the queue offset; the overall status is the
// common code, or MULTIPLE_RESULTS.

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/booster-mq/booster/broker"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/proxy/v2pb"
)

// SendMessage implements v2pb.MessagingServiceServer.
func (s *Server) SendMessage(ctx context.Context, req *v2pb.SendMessageRequest) (*v2pb.SendMessageResponse, error) {
	c, err := s.clientFor(ctx)
	if err != nil {
		return nil, err
	}
	if len(req.GetMessages()) == 0 {
		return &v2pb.SendMessageResponse{Status: st(v2pb.Code_BAD_REQUEST, "no message to send")}, nil
	}
	topic := req.GetMessages()[0].GetTopic().GetName()
	if err := compat.ValidateTopic(topic); err != nil {
		return &v2pb.SendMessageResponse{Status: st(v2pb.Code_ILLEGAL_TOPIC, err.Error())}, nil
	}
	resp := &v2pb.SendMessageResponse{}
	codes := map[v2pb.Code]bool{}
	for _, m := range req.GetMessages() {
		e := s.sendOne(ctx, c, topic, m)
		resp.Entries = append(resp.Entries, e)
		codes[e.GetStatus().GetCode()] = true
	}
	switch {
	case len(codes) > 1:
		resp.Status = st(v2pb.Code_MULTIPLE_RESULTS, v2pb.Code_MULTIPLE_RESULTS.String())
	default:
		resp.Status = resp.Entries[0].GetStatus()
	}
	return resp, nil
}

// sendOne sends one message and returns its result entry.
func (s *Server) sendOne(ctx context.Context, c *client, topic string, m *v2pb.Message) *v2pb.SendResultEntry {
	fail := func(code v2pb.Code, msg string) *v2pb.SendResultEntry {
		return &v2pb.SendResultEntry{Status: st(code, msg)}
	}
	if m.GetTopic().GetName() != topic {
		return fail(v2pb.Code_MESSAGE_CORRUPTED, "topic in message is not same")
	}
	tc, ok := s.b.TopicConfig(topic)
	if !ok {
		return fail(v2pb.Code_TOPIC_NOT_FOUND, "topic "+topic+" not found")
	}
	if max := s.b.Config().MaxMessageSize; len(m.GetBody()) > max {
		return fail(v2pb.Code_MESSAGE_BODY_TOO_LARGE, "message body cannot exceed the max "+strconv.Itoa(max))
	}
	sp := m.GetSystemProperties()
	if want, got := topicMessageType(&tc), sp.GetMessageType().String(); want != "MIXED" && want != got {
		return fail(v2pb.Code_MESSAGE_PROPERTY_CONFLICT_WITH_TYPE,
			"TopicMessageType validate failed, the expected type is "+want+", but actual type is "+got)
	}
	if sp.GetMessageId() == "" {
		return fail(v2pb.Code_ILLEGAL_MESSAGE_ID, "message id cannot be empty")
	}
	var props []byte
	for k, v := range m.GetUserProperties() {
		if systemKeys[k] {
			return fail(v2pb.Code_ILLEGAL_MESSAGE_PROPERTY_KEY, "property is used by system: "+k)
		}
		if strings.ContainsAny(k+v, "\x01\x02") {
			return fail(v2pb.Code_ILLEGAL_MESSAGE_PROPERTY_KEY, "the key or value of property cannot contain control character")
		}
		props = codec.AppendProperty(props, k, v)
	}
	if sp.Tag != nil {
		if strings.ContainsAny(sp.GetTag(), "|\x01\x02") || strings.TrimSpace(sp.GetTag()) == "" && sp.GetTag() != "" {
			return fail(v2pb.Code_ILLEGAL_MESSAGE_TAG, "tag cannot be blank or contain '|'")
		}
		props = codec.AppendProperty(props, codec.PropertyTags, sp.GetTag())
	}
	if len(sp.GetKeys()) > 0 {
		props = codec.AppendProperty(props, codec.PropertyKeys, strings.Join(sp.GetKeys(), " "))
	}
	props = codec.AppendProperty(props, codec.PropertyUniqKey, sp.GetMessageId())
	sysFlag := int32(0)
	if sp.GetBodyEncoding() == v2pb.Encoding_GZIP {
		sysFlag |= codec.SysFlagCompressed
	}
	if sp.GetMessageType() == v2pb.MessageType_TRANSACTION {
		sysFlag |= codec.SysFlagPrepared
		props = codec.AppendProperty(props, codec.PropertyTransactionPrepared, "true")
		if d := sp.GetOrphanedTransactionRecoveryDuration(); d != nil {
			props = codec.AppendProperty(props, codec.PropertyCheckImmunityTimeInSeconds, strconv.FormatInt(int64(d.AsDuration()/time.Second), 10))
		}
	}
	if ts := sp.GetDeliveryTimestamp(); ts != nil {
		props = codec.AppendProperty(props, codec.PropertyTimerDeliverMS, strconv.FormatInt(ts.AsTime().UnixMilli(), 10))
	}
	props = codec.AppendProperty(props, codec.PropertyReconsumeTime, strconv.Itoa(int(sp.GetDeliveryAttempt())))
	props = codec.AppendProperty(props, codec.PropertyProducerGroup, topic)
	queueID := int32(-1)
	if g := sp.GetMessageGroup(); g != "" {
		props = codec.AppendProperty(props, codec.PropertyShardingKey, g)
		if n := tc.WriteQueueNums; n > 0 {
			queueID = int32(uint32(compat.JavaStringHash(g)&0x7fffffff) % uint32(n))
		}
	}
	if tcx := sp.GetTraceContext(); tcx != "" {
		props = codec.AppendProperty(props, propTraceContext, tcx)
	}
	bornHost := sp.GetBornHost()
	if bornHost == "" {
		bornHost = brokerAddr(remoteAddr(ctx))
	}
	props = codec.AppendProperty(props, propBornHost, bornHost)
	born := time.Now().UnixMilli()
	if ts := sp.GetBornTimestamp(); ts != nil && ts.IsValid() {
		born = ts.AsTime().UnixMilli()
		props = codec.AppendProperty(props, propBornTimestamp, strconv.FormatInt(born, 10))
	}
	res, err := c.sess.Send(ctx, &broker.SendRequest{
		ProducerGroup:  topic,
		Topic:          topic,
		QueueID:        queueID,
		SysFlag:        sysFlag,
		BornTimestamp:  born,
		Properties:     string(props),
		Body:           m.GetBody(),
		ReconsumeTimes: sp.GetDeliveryAttempt(),
	})
	if err != nil {
		return &v2pb.SendResultEntry{Status: errStatus(err)}
	}
	return &v2pb.SendResultEntry{Status: okStatus, MessageId: res.MsgID, TransactionId: res.TransactionID, Offset: res.QueueOffset}
}
