package broker

// Encoders for the admin bodies whose Java form is not standard JSON
// (remoting.md §5.1, §5.6): fastjson writes a Map<MessageQueue, V> with
// the MessageQueue object itself as the key, and a Map<Integer, V> with
// bare numeric keys. Java's admin tools read them with fastjson, so the
// broker emits that form, fields in fastjson's alphabetical order:
//
//	TopicStatsTable (202): {"offsetTable":{{"brokerName":"b","queueId":0,"topic":"t"}:
//	    {"lastUpdateTimestamp":1,"maxOffset":2,"minOffset":0}},"topicPutTps":0.0}
//	ConsumeStats (208):    {"consumeTps":0.0,"offsetTable":{{mq}:
//	    {"brokerOffset":2,"consumerOffset":1,"lastTimestamp":1,"pullOffset":1}}}
//	ConsumerOffsetManager (43): {"dataVersion":{...},"offsetTable":{"t@g":{0:5,1:3}}}
//
// Doubles are written the way Java prints them ("0.0", "12.5").

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/booster-mq/booster/codec"
)

// appendJSONString appends s as a JSON string.
func appendJSONString(dst []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return append(dst, b...)
}

// appendMessageQueue appends a MessageQueue object, as fastjson writes it.
func appendMessageQueue(dst []byte, brokerName string, queueID int32, topic string) []byte {
	dst = append(dst, `{"brokerName":`...)
	dst = appendJSONString(dst, brokerName)
	dst = append(dst, `,"queueId":`...)
	dst = strconv.AppendInt(dst, int64(queueID), 10)
	dst = append(dst, `,"topic":`...)
	dst = appendJSONString(dst, topic)
	return append(dst, '}')
}

// appendJavaDouble appends f as Java's Double.toString would: always with
// a fraction ("0.0"), exponent form outside [1e-3, 1e7).
func appendJavaDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return append(dst, "null"...) // fastjson writes null for both
	case f == math.Trunc(f) && math.Abs(f) < 1e7:
		dst = strconv.AppendInt(dst, int64(f), 10)
		return append(dst, ".0"...)
	case math.Abs(f) >= 1e-3 && math.Abs(f) < 1e7:
		return strconv.AppendFloat(dst, f, 'f', -1, 64)
	}
	mant, exp, _ := strings.Cut(strconv.FormatFloat(f, 'E', -1, 64), "E") // "1.5", "+07"
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	dst = append(dst, mant...)
	dst = append(dst, 'E')
	return strconv.AppendInt(dst, int64(e), 10)
}

// topicOffset is one queue of a TopicStatsTable (Java's TopicOffset).
type topicOffset struct {
	queueID             int32
	minOffset           int64
	maxOffset           int64
	lastUpdateTimestamp int64
}

// encodeTopicStatsTable returns the GET_TOPIC_STATS_INFO body of one
// broker's queues of topic.
func encodeTopicStatsTable(brokerName, topic string, offs []topicOffset, putTps float64) []byte {
	b := append(make([]byte, 0, 64+len(offs)*128), `{"offsetTable":{`...)
	for i, o := range offs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendMessageQueue(b, brokerName, o.queueID, topic)
		b = append(b, `:{"lastUpdateTimestamp":`...)
		b = strconv.AppendInt(b, o.lastUpdateTimestamp, 10)
		b = append(b, `,"maxOffset":`...)
		b = strconv.AppendInt(b, o.maxOffset, 10)
		b = append(b, `,"minOffset":`...)
		b = strconv.AppendInt(b, o.minOffset, 10)
		b = append(b, '}')
	}
	b = append(b, `},"topicPutTps":`...)
	b = appendJavaDouble(b, putTps)
	return append(b, '}')
}

// offsetWrapper is one queue of a ConsumeStats (Java's OffsetWrapper).
type offsetWrapper struct {
	topic          string
	queueID        int32
	brokerOffset   int64
	consumerOffset int64
	pullOffset     int64
	lastTimestamp  int64
}

// encodeConsumeStats returns the GET_CONSUME_STATS body of one broker.
func encodeConsumeStats(brokerName string, offs []offsetWrapper, consumeTps float64) []byte {
	b := append(make([]byte, 0, 64+len(offs)*160), `{"consumeTps":`...)
	b = appendJavaDouble(b, consumeTps)
	b = append(b, `,"offsetTable":{`...)
	for i, o := range offs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendMessageQueue(b, brokerName, o.queueID, o.topic)
		b = append(b, `:{"brokerOffset":`...)
		b = strconv.AppendInt(b, o.brokerOffset, 10)
		b = append(b, `,"consumerOffset":`...)
		b = strconv.AppendInt(b, o.consumerOffset, 10)
		b = append(b, `,"lastTimestamp":`...)
		b = strconv.AppendInt(b, o.lastTimestamp, 10)
		b = append(b, `,"pullOffset":`...)
		b = strconv.AppendInt(b, o.pullOffset, 10)
		b = append(b, '}')
	}
	return append(b, "}}"...)
}

// encodeConsumerOffsets returns the GET_ALL_CONSUMER_OFFSET body: keys
// "topic@group" sorted, queue ids as bare numbers in ascending order.
func encodeConsumerOffsets(offsets map[string]map[int32]int64, v codec.DataVersion) []byte {
	b := append([]byte(`{"dataVersion":`), codec.Encode(v)...)
	b = append(b, `,"offsetTable":{`...)
	keys := make([]string, 0, len(offsets))
	for k := range offsets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ":{"...)
		qs := offsets[k]
		ids := make([]int32, 0, len(qs))
		for q := range qs {
			ids = append(ids, q)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for j, q := range ids {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(q), 10)
			b = append(b, ':')
			b = strconv.AppendInt(b, qs[q], 10)
		}
		b = append(b, '}')
	}
	return append(b, "}}"...)
}
