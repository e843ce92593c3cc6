package codec

import (
	"slices"
	"strings"
)

// Separators of the properties string (§1.3).
const (
	// NameValueSeparator separates a key from its value.
	NameValueSeparator = '\x01'
	// PropertySeparator ends each key/value pair.
	PropertySeparator = '\x02'
)

// Property keys (MessageConst.java, messages-and-store.md §1.3).
const (
	PropertyKeys                           = "KEYS"
	PropertyTags                           = "TAGS"
	PropertyWaitStoreMsgOK                 = "WAIT"
	PropertyDelayLevel                     = "DELAY"
	PropertyRetryTopic                     = "RETRY_TOPIC"
	PropertyRealTopic                      = "REAL_TOPIC"
	PropertyRealQueueID                    = "REAL_QID"
	PropertyTransactionPrepared            = "TRAN_MSG"
	PropertyProducerGroup                  = "PGROUP"
	PropertyMinOffset                      = "MIN_OFFSET"
	PropertyMaxOffset                      = "MAX_OFFSET"
	PropertyUniqKey                        = "UNIQ_KEY"
	PropertyReconsumeTime                  = "RECONSUME_TIME"
	PropertyMaxReconsumeTimes              = "MAX_RECONSUME_TIMES"
	PropertyConsumeStartTime               = "CONSUME_START_TIME"
	PropertyTransactionPreparedQueueOffset = "TRAN_PREPARED_QUEUE_OFFSET"
	PropertyTransactionCheckTimes          = "TRANSACTION_CHECK_TIMES"
	PropertyCheckImmunityTimeInSeconds     = "CHECK_IMMUNITY_TIME_IN_SECONDS"
	PropertyTransactionID                  = "__transactionId__"
	PropertyCluster                        = "CLUSTER"
	PropertyShardingKey                    = "__SHARDINGKEY" // Java client
	PropertyShardingKeyGo                  = "SHARDING_KEY"  // Go client
	PropertyInnerNum                       = "INNER_NUM"
	PropertyInnerBase                      = "INNER_BASE"
	PropertyMsgRegion                      = "MSG_REGION"
	PropertyTraceSwitch                    = "TRACE_ON"
	PropertyOriginMessageID                = "ORIGIN_MESSAGE_ID"
	PropertyCorrelationID                  = "CORRELATION_ID"
	PropertyReplyToClient                  = "REPLY_TO_CLIENT"
	PropertyMessageTTL                     = "TTL"
	PropertyMessageType                    = "MSG_TYPE"
	PropertyReplyMessageArriveTime         = "ARRIVE_TIME"
	PropertyPushReplyTime                  = "PUSH_REPLY_TIME"
	PropertyTimerDeliverMS                 = "TIMER_DELIVER_MS"
	PropertyTimerDelaySec                  = "TIMER_DELAY_SEC"
	PropertyTimerDelayMS                   = "TIMER_DELAY_MS"
	PropertyTimerOutMS                     = "TIMER_OUT_MS"
	PropertyTimerEnqueueMS                 = "TIMER_ENQUEUE_MS"
	PropertyTimerDequeueMS                 = "TIMER_DEQUEUE_MS"
	PropertyTimerRollTimes                 = "TIMER_ROLL_TIMES"
	PropertyTimerDelUniqKey                = "TIMER_DEL_UNIQKEY"
	PropertyStartDeliverTime               = "__STARTDELIVERTIME"
	PropertyDupInfo                        = "DUP_INFO"
	PropertyCRC32                          = "__CRC32#"
	// PropertyTransientPrefix starts client-only keys that are never sent.
	PropertyTransientPrefix = "__RMQ.TRANSIENT."
)

// nextProperty splits the first pair off s by Java's rules: the segment up
// to the next \x02 is a pair when it is at least 3 bytes long and has a
// non-empty key and value around its first \x01. ok is false for segments
// that are skipped; rest is what follows the segment.
func nextProperty(s string) (key, value, rest string, ok bool) {
	seg := s
	if i := strings.IndexByte(s, PropertySeparator); i >= 0 {
		seg, rest = s[:i], s[i+1:]
	}
	if len(seg) < 3 {
		return "", "", rest, false
	}
	k := strings.IndexByte(seg, NameValueSeparator)
	if k <= 0 || k == len(seg)-1 {
		return "", "", rest, false
	}
	return seg[:k], seg[k+1:], rest, true
}

// ParseProperties decodes a properties string the way Java does: split on
// \x02, skip segments shorter than 3 bytes, split each at its first \x01
// (so values may contain \x01), drop empty keys and values; a later
// duplicate wins. It always returns a non-nil map.
func ParseProperties(s string) map[string]string {
	m := make(map[string]string, strings.Count(s, string(PropertySeparator))+1)
	for s != "" {
		var k, v string
		var ok bool
		k, v, s, ok = nextProperty(s)
		if ok {
			m[k] = v
		}
	}
	return m
}

// PropertyValue returns the value of key in the properties string s by the
// rules of ParseProperties (the last occurrence wins) without building a
// map or allocating. Most lookups are for keys a message does not carry
// (timer, delay, transaction flags), so a key that occurs nowhere in s is
// turned away by one substring search before any parsing.
func PropertyValue(s, key string) (string, bool) {
	if key == "" || !strings.Contains(s, key) {
		return "", false
	}
	var val string
	found := false
	for s != "" {
		k, v, rest, ok := nextProperty(s)
		if ok && k == key {
			val, found = v, true
		}
		s = rest
	}
	return val, found
}

// AppendProperty appends the pair k\x01v\x02 to dst.
func AppendProperty(dst []byte, k, v string) []byte {
	dst = append(dst, k...)
	dst = append(dst, NameValueSeparator)
	dst = append(dst, v...)
	return append(dst, PropertySeparator)
}

// EncodeProperties encodes m with its keys sorted, so equal maps give equal
// strings.
func EncodeProperties(m map[string]string) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	n := 0
	for k, v := range m {
		keys = append(keys, k)
		n += len(k) + len(v) + 2
	}
	slices.Sort(keys)
	b := make([]byte, 0, n)
	for _, k := range keys {
		b = AppendProperty(b, k, m[k])
	}
	return string(b)
}

// RemoveProperties returns s without the pairs whose key is one of keys.
// Segments that Java would skip are dropped too. s is returned unchanged
// when no key is present.
func RemoveProperties(s string, keys ...string) string {
	present := false
	for _, k := range keys {
		if _, ok := PropertyValue(s, k); ok {
			present = true
			break
		}
	}
	if !present {
		return s
	}
	b := make([]byte, 0, len(s))
	for s != "" {
		k, v, rest, ok := nextProperty(s)
		if ok && !slices.Contains(keys, k) {
			b = AppendProperty(b, k, v)
		}
		s = rest
	}
	return string(b)
}
