package codec

import (
	"github.com/booster-mq/booster/wire"
)

// SendMessageRequestHeader is the header of SEND_MESSAGE (10) and
// SEND_REPLY_MESSAGE (324); SendMessageRequestHeaderV2 carries the same
// fields under one-letter names (310, 320, 325).
type SendMessageRequestHeader struct {
	ProducerGroup         string
	Topic                 string
	DefaultTopic          string
	DefaultTopicQueueNums int32
	QueueID               int32
	SysFlag               int32
	BornTimestamp         int64
	Flag                  int32
	Properties            string
	ReconsumeTimes        int32
	UnitMode              bool
	Batch                 bool
	MaxReconsumeTimes     int32
	BrokerName            string
	hasMaxReconsume       bool
}

// HasMaxReconsumeTimes reports whether the request carried maxReconsumeTimes.
func (h *SendMessageRequestHeader) HasMaxReconsumeTimes() bool { return h.hasMaxReconsume }

// v1 and v2 field names, in SendMessageRequestHeaderV2 order.
var (
	sendNamesV1 = [...]string{"producerGroup", "topic", "defaultTopic", "defaultTopicQueueNums", "queueId", "sysFlag", "bornTimestamp", "flag", "properties", "reconsumeTimes", "unitMode", "maxReconsumeTimes", "batch", "bname"}
	sendNamesV2 = [...]string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n"}
)

// DecodeSendMessageRequestHeader reads a send header in the naming its
// request code uses.
func DecodeSendMessageRequestHeader(cmd *wire.Command) (SendMessageRequestHeader, error) {
	n := &sendNamesV1
	switch cmd.RequestCode() {
	case wire.SendMessageV2, wire.SendBatchMessage, wire.SendReplyMessageV2:
		n = &sendNamesV2
	}
	r := NewExtReader(cmd)
	h := SendMessageRequestHeader{
		ProducerGroup:         r.String(n[0], true),
		Topic:                 r.String(n[1], true),
		DefaultTopic:          r.String(n[2], true),
		DefaultTopicQueueNums: r.Int32(n[3], true),
		QueueID:               r.Int32(n[4], true),
		SysFlag:               r.Int32(n[5], true),
		BornTimestamp:         r.Int64(n[6], true),
		Flag:                  r.Int32(n[7], true),
		Properties:            r.String(n[8], false),
		ReconsumeTimes:        r.Int32(n[9], false),
		UnitMode:              r.Bool(n[10], false),
		MaxReconsumeTimes:     r.Int32(n[11], false),
		Batch:                 r.Bool(n[12], false),
		BrokerName:            r.String(n[13], false),
		hasMaxReconsume:       r.Has(n[11]),
	}
	if v, ok := cmd.Ext.Get("bname"); ok && h.BrokerName == "" {
		h.BrokerName = v
	}
	return h, r.Err()
}

// PullMessageRequestHeader is the header of PULL_MESSAGE (11) and
// LITE_PULL_MESSAGE (361).
type PullMessageRequestHeader struct {
	ConsumerGroup        string
	Topic                string
	QueueID              int32
	QueueOffset          int64
	MaxMsgNums           int32
	SysFlag              int32
	CommitOffset         int64
	SuspendTimeoutMillis int64
	Subscription         string
	SubVersion           int64
	ExpressionType       string
	MaxMsgBytes          int32
}

// Pull sysFlag bits (PullSysFlag).
const (
	PullFlagCommitOffset = 1
	PullFlagSuspend      = 2
	PullFlagSubscription = 4
	PullFlagClassFilter  = 8
	PullFlagLitePull     = 16
)

// DecodePullMessageRequestHeader reads a pull header.
func DecodePullMessageRequestHeader(cmd *wire.Command) (PullMessageRequestHeader, error) {
	r := NewExtReader(cmd)
	h := PullMessageRequestHeader{
		ConsumerGroup:        r.String("consumerGroup", true),
		Topic:                r.String("topic", true),
		QueueID:              r.Int32("queueId", true),
		QueueOffset:          r.Int64("queueOffset", true),
		MaxMsgNums:           r.Int32("maxMsgNums", true),
		SysFlag:              r.Int32("sysFlag", true),
		CommitOffset:         r.Int64("commitOffset", true),
		SuspendTimeoutMillis: r.Int64("suspendTimeoutMillis", true),
		Subscription:         r.String("subscription", false),
		SubVersion:           r.Int64("subVersion", true),
		ExpressionType:       r.String("expressionType", false),
		MaxMsgBytes:          r.Int32("maxMsgBytes", false),
	}
	return h, r.Err()
}
