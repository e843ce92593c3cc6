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
	"fmt"
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

// decodeMQOffsetMap reads the member field of a fastjson body holding a
// Map<MessageQueue, Long> (remoting.md §5.6), as clients answer
// GET_CONSUMER_STATUS_FROM_CLIENT: keys are MessageQueue objects in any
// field order (Java writes them alphabetically, the Go client as
// {"topic","brokerName","queueId"}) or strings holding such an object.
// A missing member reads as an empty map.
//
//	{"messageQueueTable":{{"topic":"t","brokerName":"b","queueId":0}:5}}
func decodeMQOffsetMap(body []byte, field string) (map[codec.MessageQueue]int64, error) {
	out := map[codec.MessageQueue]int64{}
	r := &fastjsonReader{b: body}
	err := r.object(func(key []byte) error {
		var name string
		if err := json.Unmarshal(key, &name); err != nil || name != field {
			_, err := r.value()
			return err
		}
		return r.object(func(key []byte) error {
			if len(key) > 0 && key[0] == '"' {
				var s string
				if err := json.Unmarshal(key, &s); err != nil {
					return err
				}
				key = []byte(s)
			}
			var mq codec.MessageQueue
			if err := json.Unmarshal(key, &mq); err != nil {
				return fmt.Errorf("MessageQueue key %.64q: %w", key, err)
			}
			v, err := r.value()
			if err != nil {
				return err
			}
			n, err := strconv.ParseInt(string(v), 10, 64)
			if err != nil {
				return fmt.Errorf("offset of %v: %w", mq, err)
			}
			out[mq] = n
			return nil
		})
	})
	return out, err
}

// fastjsonReader walks fastjson text, which standard JSON readers reject
// because object keys may be objects or bare numbers.
type fastjsonReader struct {
	b []byte
	i int
}

func (r *fastjsonReader) skipSpace() {
	for r.i < len(r.b) && (r.b[r.i] == ' ' || r.b[r.i] == '\t' || r.b[r.i] == '\n' || r.b[r.i] == '\r') {
		r.i++
	}
}

func (r *fastjsonReader) errorf(format string, args ...any) error {
	return fmt.Errorf("fastjson at byte %d: "+format, append([]any{r.i}, args...)...)
}

// value returns the raw text of the next value (or key): a string, a
// balanced object or array, or a bare scalar.
func (r *fastjsonReader) value() ([]byte, error) {
	r.skipSpace()
	if r.i >= len(r.b) {
		return nil, r.errorf("unexpected end")
	}
	start := r.i
	switch r.b[r.i] {
	case '"':
		if !r.skipString() {
			return nil, r.errorf("unterminated string")
		}
	case '{', '[':
		depth := 0
		for ; r.i < len(r.b); r.i++ {
			switch r.b[r.i] {
			case '"':
				if !r.skipString() {
					return nil, r.errorf("unterminated string")
				}
				r.i--
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			if depth == 0 {
				r.i++
				return r.b[start:r.i], nil
			}
		}
		return nil, r.errorf("unbalanced %c", r.b[start])
	default:
		for r.i < len(r.b) && !strings.ContainsRune(",:}] \t\r\n", rune(r.b[r.i])) {
			r.i++
		}
		if r.i == start {
			return nil, r.errorf("unexpected %q", r.b[r.i])
		}
	}
	return r.b[start:r.i], nil
}

// skipString moves past the string starting at the cursor.
func (r *fastjsonReader) skipString() bool {
	for r.i++; r.i < len(r.b); r.i++ {
		switch r.b[r.i] {
		case '\\':
			r.i++
		case '"':
			r.i++
			return true
		}
	}
	return false
}

// object walks the object at the cursor: for each member it reads the raw
// key and calls member, which must consume the member's value.
func (r *fastjsonReader) object(member func(key []byte) error) error {
	r.skipSpace()
	if r.i >= len(r.b) || r.b[r.i] != '{' {
		return r.errorf("object expected")
	}
	r.i++
	r.skipSpace()
	if r.i < len(r.b) && r.b[r.i] == '}' {
		r.i++
		return nil
	}
	for {
		key, err := r.value()
		if err != nil {
			return err
		}
		r.skipSpace()
		if r.i >= len(r.b) || r.b[r.i] != ':' {
			return r.errorf("':' expected")
		}
		r.i++
		if err := member(key); err != nil {
			return err
		}
		r.skipSpace()
		if r.i >= len(r.b) {
			return r.errorf("unexpected end")
		}
		switch r.b[r.i] {
		case ',':
			r.i++
		case '}':
			r.i++
			return nil
		default:
			return r.errorf("',' or '}' expected")
		}
	}
}
