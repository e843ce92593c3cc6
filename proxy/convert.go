package proxy

import (
	"crypto/md5"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/proxy/v2pb"
)

// Property keys of Apache's MessageConst that codec does not name.
const (
	propPopCK              = "POP_CK"
	propTraceContext       = "TRACE_CONTEXT"
	propBornHost           = "__BORNHOST"
	propBornTimestamp      = "BORN_TIMESTAMP"
	propDLQOriginTopic     = "DLQ_ORIGIN_TOPIC"
	propDLQOriginMessageID = "DLQ_ORIGIN_MESSAGE_ID"
)

// systemKeys is MessageConst.STRING_HASH_SET: the property keys a gRPC
// message's user properties may not use and that are not copied back into
// them. (As in Apache, __SHARDINGKEY, __transactionId__ and TRACE_CONTEXT
// are not in it.)
var systemKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range []string{"TRACE_ON", "MSG_REGION", "KEYS", "TAGS", "WAIT", "DELAY", "RETRY_TOPIC",
		"REAL_TOPIC", "REAL_QID", "TRAN_MSG", "PGROUP", "MIN_OFFSET", "MAX_OFFSET", "BUYER_ID",
		"ORIGIN_MESSAGE_ID", "TRANSFER_FLAG", "CORRECTION_FLAG", "MQ2_FLAG", "RECONSUME_TIME", "UNIQ_KEY",
		"MAX_RECONSUME_TIMES", "CONSUME_START_TIME", "POP_CK", "POP_CK_OFFSET", "1ST_POP_TIME",
		"TRAN_PREPARED_QUEUE_OFFSET", "DUP_INFO", "EXTEND_UNIQ_INFO", "INSTANCE_ID", "CORRELATION_ID",
		"REPLY_TO_CLIENT", "TTL", "ARRIVE_TIME", "PUSH_REPLY_TIME", "CLUSTER", "MSG_TYPE",
		"INNER_MULTI_QUEUE_OFFSET", "TIMER_DELAY_MS", "TIMER_DELAY_SEC", "TIMER_DELIVER_MS",
		"TIMER_ENQUEUE_MS", "TIMER_DEQUEUE_MS", "TIMER_ROLL_TIMES", "TIMER_OUT_MS", "TIMER_DEL_UNIQKEY",
		"TIMER_DELAY_LEVEL", "__BORNHOST", "BORN_TIMESTAMP", "DLQ_ORIGIN_TOPIC", "DLQ_ORIGIN_MESSAGE_ID",
		"__CRC32#"} {
		m[k] = true
	}
	return m
}()

// toProtoMessage converts a stored message for a client (GrpcConverter's
// buildMessage): topic is the name the client knows it by.
func toProtoMessage(m *codec.Message, topic, handle string) *v2pb.Message {
	props := codec.ParseProperties(m.Properties)
	user := map[string]string{}
	for k, v := range props {
		if !systemKeys[k] {
			user[k] = v
		}
	}
	sp := &v2pb.SystemProperties{}
	if tag, ok := props[codec.PropertyTags]; ok {
		sp.Tag = &tag
	}
	if keys, ok := props[codec.PropertyKeys]; ok {
		sp.Keys = strings.Split(keys, " ")
	}
	if uniq, ok := props[codec.PropertyUniqKey]; ok {
		sp.MessageId = uniq
	} else {
		sp.MessageId = codec.OffsetMsgID(m.StoreHost, m.CommitLogOffset)
	}
	sum := md5.Sum(m.Body)
	sp.BodyDigest = &v2pb.Digest{Type: v2pb.DigestType_MD5, Checksum: strings.ToUpper(hex.EncodeToString(sum[:]))}
	sp.BodyEncoding = v2pb.Encoding_IDENTITY
	if m.SysFlag&codec.SysFlagCompressed != 0 {
		sp.BodyEncoding = v2pb.Encoding_GZIP
	}
	_, delay := props[codec.PropertyDelayLevel]
	_, deliverMS := props[codec.PropertyTimerDeliverMS]
	_, delaySec := props[codec.PropertyTimerDelaySec]
	_, sharding := props[codec.PropertyShardingKey]
	switch {
	case props[codec.PropertyTransactionPrepared] == "true":
		sp.MessageType = v2pb.MessageType_TRANSACTION
	case delay || deliverMS || delaySec:
		sp.MessageType = v2pb.MessageType_DELAY
	case sharding:
		sp.MessageType = v2pb.MessageType_FIFO
	default:
		sp.MessageType = v2pb.MessageType_NORMAL
	}
	sp.BornTimestamp = timestamppb.New(time.UnixMilli(m.BornTimestamp))
	if bh := props[propBornHost]; bh != "" {
		sp.BornHost = bh
	} else {
		sp.BornHost = brokerAddr(m.BornHost)
	}
	sp.StoreTimestamp = timestamppb.New(time.UnixMilli(m.StoreTimestamp))
	sp.StoreHost = brokerAddr(m.StoreHost)
	if v, ok := props[codec.PropertyTimerDelaySec]; ok {
		if sec, err := strconv.ParseInt(v, 10, 64); err == nil {
			sp.DeliveryTimestamp = timestamppb.New(time.Now().Add(time.Duration(sec) * time.Second))
		}
	} else if v, ok := props[codec.PropertyTimerDeliverMS]; ok {
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
			sp.DeliveryTimestamp = timestamppb.New(time.UnixMilli(ms))
		}
	}
	if g, ok := props[codec.PropertyShardingKey]; ok {
		sp.MessageGroup = &g
	}
	if handle != "" {
		sp.ReceiptHandle = &handle
	}
	sp.QueueId = m.QueueID
	qo := m.QueueOffset
	sp.QueueOffset = &qo
	attempt := m.ReconsumeTimes + 1
	sp.DeliveryAttempt = &attempt
	if tc, ok := props[propTraceContext]; ok {
		sp.TraceContext = &tc
	}
	if t, ok := props[propDLQOriginTopic]; ok {
		if id, ok := props[propDLQOriginMessageID]; ok {
			sp.DeadLetterQueue = &v2pb.DeadLetterQueue{Topic: t, MessageId: id}
		}
	}
	return &v2pb.Message{
		Topic:            &v2pb.Resource{Name: topic},
		UserProperties:   user,
		SystemProperties: sp,
		Body:             m.Body,
	}
}

// durationMillis returns d in ms, or def when d is unset.
func durationMillis(d *durationpb.Duration, def time.Duration) time.Duration {
	if d == nil {
		return def
	}
	return d.AsDuration()
}
