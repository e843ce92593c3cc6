package codec

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// HeartbeatData is the body of HEART_BEAT in the Java, Go and C++ dialects
// (remoting.md §5.4): enums arrive as names or ordinals, codeSet as
// numbers or strings, subVersion as a number or a string.
type HeartbeatData struct {
	ClientID             string         `json:"clientID"`
	ProducerDataSet      []ProducerData `json:"producerDataSet"`
	ConsumerDataSet      []ConsumerData `json:"consumerDataSet"`
	HeartbeatFingerprint int64          `json:"heartbeatFingerprint"`
	WithoutSub           bool           `json:"withoutSub"`
}

// ProducerData names a producer group of a client.
type ProducerData struct {
	GroupName string `json:"groupName"`
}

// ConsumerData is one consumer group of a client.
type ConsumerData struct {
	GroupName           string             `json:"groupName"`
	ConsumeType         Enum               `json:"consumeType"`
	MessageModel        Enum               `json:"messageModel"`
	ConsumeFromWhere    Enum               `json:"consumeFromWhere"`
	SubscriptionDataSet []SubscriptionData `json:"subscriptionDataSet"`
	UnitMode            bool               `json:"unitMode"`
}

// SubscriptionData is one topic subscription of a consumer group.
type SubscriptionData struct {
	ClassFilterMode bool     `json:"classFilterMode"`
	CodeSet         IntSet   `json:"codeSet"`
	ExpressionType  string   `json:"expressionType"`
	SubString       string   `json:"subString"`
	SubVersion      FlexInt  `json:"subVersion"`
	TagsSet         []string `json:"tagsSet"`
	Topic           string   `json:"topic"`
}

// Enum is a Java enum sent by name (Java, Go) or ordinal (C++); it holds
// the name, mapping ordinals through the table of its field when known.
type Enum string

// UnmarshalJSON accepts a string or a number.
func (e *Enum) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*e = Enum(s)
		return nil
	}
	*e = Enum("#" + string(b))
	return nil
}

// Ordinal-to-name tables for the C++ client's enums.
var (
	consumeTypeNames  = []string{"CONSUME_ACTIVELY", "CONSUME_PASSIVELY", "CONSUME_POP"}
	messageModelNames = []string{"BROADCASTING", "CLUSTERING"}
	consumeFromNames  = []string{"CONSUME_FROM_LAST_OFFSET", "CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST", "CONSUME_FROM_MIN_OFFSET", "CONSUME_FROM_MAX_OFFSET", "CONSUME_FROM_FIRST_OFFSET", "CONSUME_FROM_TIMESTAMP"}
)

func (e Enum) name(table []string) string {
	if len(e) > 0 && e[0] == '#' {
		i, err := strconv.Atoi(string(e[1:]))
		if err == nil && i >= 0 && i < len(table) {
			return table[i]
		}
		return ""
	}
	return string(e)
}

// Normalize maps C++ ordinals to Java names in place.
func (c *ConsumerData) Normalize() {
	c.ConsumeType = Enum(c.ConsumeType.name(consumeTypeNames))
	c.MessageModel = Enum(c.MessageModel.name(messageModelNames))
	c.ConsumeFromWhere = Enum(c.ConsumeFromWhere.name(consumeFromNames))
	for i := range c.SubscriptionDataSet {
		if c.SubscriptionDataSet[i].ExpressionType == "" {
			c.SubscriptionDataSet[i].ExpressionType = "TAG"
		}
	}
}

// IntSet is a set of int32 codes sent as numbers or numeric strings.
type IntSet []int32

// UnmarshalJSON accepts numbers and numeric strings.
func (s *IntSet) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		*s = nil
		return nil
	}
	out := make(IntSet, 0, len(raw))
	for _, r := range raw {
		var v FlexInt
		if err := v.UnmarshalJSON(r); err != nil {
			return err
		}
		out = append(out, int32(v))
	}
	*s = out
	return nil
}

// FlexInt is an integer sent as a number or a numeric string.
type FlexInt int64

// UnmarshalJSON accepts a number or a numeric string.
func (f *FlexInt) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(bytes.TrimSpace(b), `"`)
	if len(b) == 0 || string(b) == "null" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		fv, ferr := strconv.ParseFloat(string(b), 64)
		if ferr != nil {
			return err
		}
		v = int64(fv)
	}
	*f = FlexInt(v)
	return nil
}

// DecodeHeartbeat parses a HEART_BEAT body in any client dialect.
func DecodeHeartbeat(body []byte) (*HeartbeatData, error) {
	var h HeartbeatData
	if err := json.Unmarshal(body, &h); err != nil {
		return nil, err
	}
	for i := range h.ConsumerDataSet {
		h.ConsumerDataSet[i].Normalize()
	}
	return &h, nil
}

// MessageQueue identifies one queue of a topic on one broker.
type MessageQueue struct {
	BrokerName string `json:"brokerName"`
	QueueID    int32  `json:"queueId"`
	Topic      string `json:"topic"`
}

// LockBatchRequestBody is the body of LOCK_BATCH_MQ and UNLOCK_BATCH_MQ.
type LockBatchRequestBody struct {
	ClientID       string         `json:"clientId"`
	ConsumerGroup  string         `json:"consumerGroup"`
	MQSet          []MessageQueue `json:"mqSet"`
	OnlyThisBroker bool           `json:"onlyThisBroker"`
}

// LockBatchResponseBody is the answer to LOCK_BATCH_MQ.
type LockBatchResponseBody struct {
	LockOKMQSet []MessageQueue `json:"lockOKMQSet"`
}

// ConsumerListBody is the answer to GET_CONSUMER_LIST_BY_GROUP.
type ConsumerListBody struct {
	ConsumerIDList []string `json:"consumerIdList"`
}
