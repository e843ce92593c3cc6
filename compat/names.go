package compat

import (
	"fmt"
	"strconv"
	"strings"
)

// Fixed names the Java broker and clients agree on.
const (
	// AutoCreateTopicKey is the template topic for automatic topic creation.
	AutoCreateTopicKey = "TBW102"
	// SelfTestTopic is registered by every broker.
	SelfTestTopic = "SELF_TEST_TOPIC"
	// OffsetMovedEvent is the topic the broker reports offset corrections to.
	OffsetMovedEvent = "OFFSET_MOVED_EVENT"
	// ScheduleTopic holds delayed messages until they are due.
	ScheduleTopic = "SCHEDULE_TOPIC_XXXX"
	// TransHalfTopic holds half (prepared) transactional messages.
	TransHalfTopic = "RMQ_SYS_TRANS_HALF_TOPIC"
	// TransOpHalfTopic records the commit or rollback of half messages.
	TransOpHalfTopic = "RMQ_SYS_TRANS_OP_HALF_TOPIC"
	// TransCheckMaxTimeTopic receives half messages checked too often.
	TransCheckMaxTimeTopic = "TRANS_CHECK_MAX_TIME_TOPIC"
	// RetryGroupTopicPrefix prefixes a consumer group's retry topic.
	RetryGroupTopicPrefix = "%RETRY%"
	// DLQGroupTopicPrefix prefixes a consumer group's dead-letter topic.
	DLQGroupTopicPrefix = "%DLQ%"
	// ReplyTopicSuffix follows the cluster name in the request-reply topic.
	ReplyTopicSuffix = "_REPLY_TOPIC"
	// DefaultRegion is the MSG_REGION the broker reports on send.
	DefaultRegion = "DefaultRegion"
	// ClientInnerProducerGroup is the producer group clients use internally.
	ClientInnerProducerGroup = "CLIENT_INNER_PRODUCER"
	// MasterID is the broker id of a master.
	MasterID = 0
)

// RetryTopic returns the retry topic of a consumer group.
func RetryTopic(group string) string { return RetryGroupTopicPrefix + group }

// DLQTopic returns the dead-letter topic of a consumer group.
func DLQTopic(group string) string { return DLQGroupTopicPrefix + group }

// IsRetryTopic reports whether topic is a %RETRY% topic.
func IsRetryTopic(topic string) bool { return strings.HasPrefix(topic, RetryGroupTopicPrefix) }

// OffsetFileName is the 20-digit zero-padded decimal name Java gives store
// files that start at offset.
func OffsetFileName(offset int64) string {
	return fmt.Sprintf("%020d", offset)
}

// ParseOffsetFileName parses a 20-digit store file name.
func ParseOffsetFileName(name string) (int64, bool) {
	if len(name) != 20 {
		return 0, false
	}
	v, err := strconv.ParseInt(name, 10, 64)
	return v, err == nil && v >= 0
}

// Perm bits of topic and broker permissions (PermName.java).
const (
	PermPriority = 8
	PermRead     = 4
	PermWrite    = 2
	PermInherit  = 1
)

// ValidTopicChar reports whether c may appear in a topic or group name
// (TopicValidator: [%|a-zA-Z0-9_-]).
func ValidTopicChar(c byte) bool {
	return c == '%' || c == '|' || c == '_' || c == '-' ||
		(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// ValidateTopic returns an error in Java's words when topic is not a legal
// topic name.
func ValidateTopic(topic string) error {
	if topic == "" {
		return fmt.Errorf("the specified topic is blank")
	}
	if len(topic) > 127 && !IsRetryTopic(topic) && !strings.HasPrefix(topic, DLQGroupTopicPrefix) {
		return fmt.Errorf("the specified topic is longer than topic max length 127")
	}
	if len(topic) > 255 {
		return fmt.Errorf("the specified topic is longer than topic max length 255")
	}
	for i := 0; i < len(topic); i++ {
		if !ValidTopicChar(topic[i]) {
			return fmt.Errorf("the specified topic[%s] contains illegal characters, allowing only ^[%%|a-zA-Z0-9_-]+$", topic)
		}
	}
	return nil
}
