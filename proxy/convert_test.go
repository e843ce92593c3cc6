package proxy

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/booster-mq/booster/broker"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/proxy/v2pb"
	"github.com/booster-mq/booster/wire"
)

// props encodes key/value pairs as a stored properties string.
func props(kv ...string) string {
	var b []byte
	for i := 0; i+1 < len(kv); i += 2 {
		b = codec.AppendProperty(b, kv[i], kv[i+1])
	}
	return string(b)
}

// stored is a message as the store hands it out.
func stored(properties string) *codec.Message {
	return &codec.Message{
		Topic:           "T",
		QueueID:         3,
		Body:            []byte("hello"),
		Properties:      properties,
		BornTimestamp:   1700000000123,
		BornHost:        netip.MustParseAddrPort("10.0.0.7:40001"),
		StoreHost:       netip.MustParseAddrPort("10.0.0.1:10911"),
		ReconsumeTimes:  2,
		QueueOffset:     42,
		CommitLogOffset: 4096,
		StoreTimestamp:  1700000000456,
	}
}

func TestToProtoMessageSystemProperties(t *testing.T) {
	m := stored(props(
		codec.PropertyTags, "TagA",
		codec.PropertyKeys, "k1 k2",
		codec.PropertyUniqKey, "0A0000070001000000000000000000AB",
		codec.PropertyTraceSwitch, "true",
		codec.PropertyProducerGroup, "T",
		propTraceContext, "00-abc-def-01",
		"color", "blue",
		"__transactionId__", "kept",
	))
	pm := toProtoMessage(m, "T", "handle-1")
	sp := pm.GetSystemProperties()
	check := func(what string, got, want any) {
		t.Helper()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("topic", pm.GetTopic().GetName(), "T")
	check("body", string(pm.GetBody()), "hello")
	check("tag", sp.GetTag(), "TagA")
	check("keys", sp.GetKeys(), []string{"k1", "k2"})
	check("message id", sp.GetMessageId(), "0A0000070001000000000000000000AB")
	// MD5 of "hello", upper-case hex as Apache's BinaryUtil.generateMd5.
	check("digest", sp.GetBodyDigest().GetChecksum(), "5D41402ABC4B2A76B9719D911017C592")
	check("digest type", sp.GetBodyDigest().GetType(), v2pb.DigestType_MD5)
	check("encoding", sp.GetBodyEncoding(), v2pb.Encoding_IDENTITY)
	check("type", sp.GetMessageType(), v2pb.MessageType_NORMAL)
	check("born timestamp", sp.GetBornTimestamp().AsTime().UnixMilli(), int64(1700000000123))
	check("born host", sp.GetBornHost(), "10.0.0.7:40001")
	check("store timestamp", sp.GetStoreTimestamp().AsTime().UnixMilli(), int64(1700000000456))
	check("store host", sp.GetStoreHost(), "10.0.0.1:10911")
	check("receipt handle", sp.GetReceiptHandle(), "handle-1")
	check("queue id", sp.GetQueueId(), int32(3))
	check("queue offset", sp.GetQueueOffset(), int64(42))
	check("delivery attempt", sp.GetDeliveryAttempt(), int32(3)) // reconsumeTimes + 1
	check("trace context", sp.GetTraceContext(), "00-abc-def-01")
	check("has message group", sp.MessageGroup != nil, false)
	check("has delivery timestamp", sp.DeliveryTimestamp != nil, false)
	check("has dead letter queue", sp.DeadLetterQueue != nil, false)
	// System keys stay out of the user properties; others (including
	// __transactionId__ and TRACE_CONTEXT, as in Apache) are copied.
	check("user properties", pm.GetUserProperties(), map[string]string{
		"color": "blue", "__transactionId__": "kept", propTraceContext: "00-abc-def-01",
	})
}

func TestToProtoMessageWithoutOptionalProperties(t *testing.T) {
	m := stored("")
	m.SysFlag = codec.SysFlagCompressed
	pm := toProtoMessage(m, "Alias", "")
	sp := pm.GetSystemProperties()
	if got := pm.GetTopic().GetName(); got != "Alias" {
		t.Errorf("topic = %q, want the name the client knows (Alias)", got)
	}
	if want := codec.OffsetMsgID(m.StoreHost, m.CommitLogOffset); sp.GetMessageId() != want {
		t.Errorf("message id without UNIQ_KEY = %q, want the offset message id %q", sp.GetMessageId(), want)
	}
	if sp.Tag != nil || len(sp.GetKeys()) != 0 || sp.ReceiptHandle != nil || sp.TraceContext != nil {
		t.Errorf("absent properties set: tag %v keys %v handle %v trace %v", sp.Tag, sp.GetKeys(), sp.ReceiptHandle, sp.TraceContext)
	}
	if sp.GetBodyEncoding() != v2pb.Encoding_GZIP {
		t.Errorf("encoding = %v, want GZIP for a compressed record", sp.GetBodyEncoding())
	}
	if len(pm.GetUserProperties()) != 0 {
		t.Errorf("user properties = %v, want none", pm.GetUserProperties())
	}
	if sp.GetBornHost() != "10.0.0.7:40001" {
		t.Errorf("born host = %q, want the record's", sp.GetBornHost())
	}
}

func TestToProtoMessageBornHostProperty(t *testing.T) {
	// A gRPC producer's born host (its host name, as the Node.js client
	// sends it) wins over the connection's address.
	pm := toProtoMessage(stored(props(propBornHost, "app-host-1")), "T", "")
	if got := pm.GetSystemProperties().GetBornHost(); got != "app-host-1" {
		t.Errorf("born host = %q, want app-host-1", got)
	}
	if _, ok := pm.GetUserProperties()[propBornHost]; ok {
		t.Error("__BORNHOST among the user properties")
	}
}

func TestToProtoMessageType(t *testing.T) {
	for _, c := range []struct {
		name  string
		props string
		want  v2pb.MessageType
	}{
		{"normal", "", v2pb.MessageType_NORMAL},
		{"transaction", props(codec.PropertyTransactionPrepared, "true"), v2pb.MessageType_TRANSACTION},
		{"TRAN_MSG=false", props(codec.PropertyTransactionPrepared, "false"), v2pb.MessageType_NORMAL},
		{"delay level", props(codec.PropertyDelayLevel, "3"), v2pb.MessageType_DELAY},
		{"timer deliver ms", props(codec.PropertyTimerDeliverMS, "1700000009000"), v2pb.MessageType_DELAY},
		{"timer delay sec", props(codec.PropertyTimerDelaySec, "10"), v2pb.MessageType_DELAY},
		{"fifo", props(codec.PropertyShardingKey, "order-1"), v2pb.MessageType_FIFO},
		// The order of Apache's checks: transaction, then delay, then FIFO.
		{"transaction before delay", props(codec.PropertyTransactionPrepared, "true", codec.PropertyDelayLevel, "2"), v2pb.MessageType_TRANSACTION},
		{"delay before fifo", props(codec.PropertyShardingKey, "g", codec.PropertyTimerDeliverMS, "1"), v2pb.MessageType_DELAY},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := toProtoMessage(stored(c.props), "T", "").GetSystemProperties().GetMessageType(); got != c.want {
				t.Errorf("message type = %v, want %v", got, c.want)
			}
		})
	}
}

func TestToProtoMessageGroupAndDelivery(t *testing.T) {
	sp := toProtoMessage(stored(props(codec.PropertyShardingKey, "order-1", codec.PropertyTimerDeliverMS, "1700000009000")), "T", "").GetSystemProperties()
	if sp.GetMessageGroup() != "order-1" {
		t.Errorf("message group = %q", sp.GetMessageGroup())
	}
	if got := sp.GetDeliveryTimestamp().AsTime().UnixMilli(); got != 1700000009000 {
		t.Errorf("delivery timestamp = %d, want TIMER_DELIVER_MS", got)
	}
	// TIMER_DELAY_SEC counts from now, as in Apache.
	before := time.Now()
	sp = toProtoMessage(stored(props(codec.PropertyTimerDelaySec, "10")), "T", "").GetSystemProperties()
	if d := sp.GetDeliveryTimestamp().AsTime().Sub(before); d < 10*time.Second || d > 11*time.Second {
		t.Errorf("delivery timestamp from TIMER_DELAY_SEC=10 is now + %v", d)
	}
	// A value that does not parse leaves it unset.
	sp = toProtoMessage(stored(props(codec.PropertyTimerDeliverMS, "soon")), "T", "").GetSystemProperties()
	if sp.DeliveryTimestamp != nil {
		t.Errorf("delivery timestamp from a bad TIMER_DELIVER_MS = %v", sp.DeliveryTimestamp)
	}
}

func TestToProtoMessageDeadLetterQueue(t *testing.T) {
	sp := toProtoMessage(stored(props(propDLQOriginTopic, "Orders", propDLQOriginMessageID, "ID1")), "%DLQ%g", "").GetSystemProperties()
	if dlq := sp.GetDeadLetterQueue(); dlq.GetTopic() != "Orders" || dlq.GetMessageId() != "ID1" {
		t.Errorf("dead letter queue = %v", dlq)
	}
	// Both properties are needed.
	sp = toProtoMessage(stored(props(propDLQOriginTopic, "Orders")), "%DLQ%g", "").GetSystemProperties()
	if sp.DeadLetterQueue != nil {
		t.Errorf("dead letter queue from the topic alone = %v", sp.DeadLetterQueue)
	}
}

func TestSystemKeysCoverApacheStringHashSet(t *testing.T) {
	for _, k := range []string{codec.PropertyTags, codec.PropertyKeys, codec.PropertyUniqKey, codec.PropertyDelayLevel,
		codec.PropertyTransactionPrepared, codec.PropertyProducerGroup, codec.PropertyReconsumeTime,
		codec.PropertyTimerDeliverMS, propPopCK, propBornHost, propBornTimestamp, propDLQOriginTopic} {
		if !systemKeys[k] {
			t.Errorf("%s is not a system key", k)
		}
	}
	for _, k := range []string{codec.PropertyShardingKey, codec.PropertyTransactionID, propTraceContext, "color"} {
		if systemKeys[k] {
			t.Errorf("%s is a system key; Apache lets user properties carry it", k)
		}
	}
}

func TestDurationMillis(t *testing.T) {
	if got := durationMillis(nil, 7*time.Second); got != 7*time.Second {
		t.Errorf("unset = %v, want the default", got)
	}
	if got := durationMillis(durationpb.New(1500*time.Millisecond), time.Second); got != 1500*time.Millisecond {
		t.Errorf("1.5 s = %v", got)
	}
}

func TestErrStatus(t *testing.T) {
	for _, c := range []struct {
		err  error
		code v2pb.Code
	}{
		{&broker.ResponseError{Code: wire.TopicNotExist, Remark: "no topic"}, v2pb.Code_TOPIC_NOT_FOUND},
		{fmt.Errorf("send: %w", &broker.ResponseError{Code: wire.SystemBusy}), v2pb.Code_TOO_MANY_REQUESTS},
		{&broker.ResponseError{Code: wire.SubscriptionGroupNotExist}, v2pb.Code_CONSUMER_GROUP_NOT_FOUND},
		{&broker.ResponseError{Code: wire.NoPermission}, v2pb.Code_FORBIDDEN},
		{&broker.ResponseError{Code: wire.FlushDiskTimeout}, v2pb.Code_MASTER_PERSISTENCE_TIMEOUT},
		{&broker.ResponseError{Code: wire.FlushSlaveTimeout}, v2pb.Code_SLAVE_PERSISTENCE_TIMEOUT},
		{&broker.ResponseError{Code: wire.SlaveNotAvailable}, v2pb.Code_HA_NOT_AVAILABLE},
		{&broker.ResponseError{Code: wire.MessageIllegal}, v2pb.Code_BAD_REQUEST},
		{&broker.ResponseError{Code: wire.SystemError}, v2pb.Code_INTERNAL_SERVER_ERROR},
		{fmt.Errorf("pop: %w", errors.New("boom")), v2pb.Code_INTERNAL_SERVER_ERROR},
	} {
		if got := errStatus(c.err); got.GetCode() != c.code {
			t.Errorf("errStatus(%v) = %v, want %v", c.err, got.GetCode(), c.code)
		}
	}
	if got := errStatus(&broker.ResponseError{Code: wire.TopicNotExist, Remark: "topic T not exist"}); got.GetMessage() != "topic T not exist" {
		t.Errorf("message = %q, want the remark", got.GetMessage())
	}
}

func TestAcceptTypes(t *testing.T) {
	for _, c := range []struct {
		attr string
		want []v2pb.MessageType
	}{
		{"", []v2pb.MessageType{v2pb.MessageType_NORMAL}},
		{"NORMAL", []v2pb.MessageType{v2pb.MessageType_NORMAL}},
		{"fifo", []v2pb.MessageType{v2pb.MessageType_FIFO}},
		{"DELAY", []v2pb.MessageType{v2pb.MessageType_DELAY}},
		{"TRANSACTION", []v2pb.MessageType{v2pb.MessageType_TRANSACTION}},
		{"MIXED", []v2pb.MessageType{v2pb.MessageType_NORMAL, v2pb.MessageType_FIFO, v2pb.MessageType_DELAY, v2pb.MessageType_TRANSACTION}},
		{"LITE", []v2pb.MessageType{v2pb.MessageType_MESSAGE_TYPE_UNSPECIFIED}},
	} {
		tc := codec.TopicConfig{Attributes: map[string]string{}}
		if c.attr != "" {
			tc.Attributes["message.type"] = c.attr
		}
		if got := acceptTypes(&tc); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("message.type=%q: accepts %v, want %v", c.attr, got, c.want)
		}
	}
}

func TestBrokerAddr(t *testing.T) {
	if got := brokerAddr(netip.MustParseAddrPort("10.0.0.1:8081")); got != "10.0.0.1:8081" {
		t.Errorf("brokerAddr = %q, want 10.0.0.1:8081", got)
	}
}
