package broker

import (
	"testing"

	"github.com/booster-mq/booster/codec"
)

func TestAppendJavaDouble(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{0, "0.0"}, {1, "1.0"}, {12.5, "12.5"}, {0.1, "0.1"}, {1.0 / 3, "0.3333333333333333"},
		{0.001, "0.001"}, {0.0001, "1.0E-4"}, {1e7, "1.0E7"}, {1.5e7, "1.5E7"}, {9999999, "9999999.0"},
	} {
		if got := string(appendJavaDouble(nil, c.in)); got != c.want {
			t.Errorf("appendJavaDouble(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestEncodeTopicStatsTable(t *testing.T) {
	got := string(encodeTopicStatsTable("broker-a", "T", []topicOffset{
		{queueID: 0},
		{queueID: 1, minOffset: 1, maxOffset: 5, lastUpdateTimestamp: 1700000000000},
	}, 2.5))
	want := `{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:{"lastUpdateTimestamp":0,"maxOffset":0,"minOffset":0},` +
		`{"brokerName":"broker-a","queueId":1,"topic":"T"}:{"lastUpdateTimestamp":1700000000000,"maxOffset":5,"minOffset":1}},"topicPutTps":2.5}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestEncodeConsumeStats(t *testing.T) {
	got := string(encodeConsumeStats("b", []offsetWrapper{{topic: `q"t`, queueID: 3, brokerOffset: 9, consumerOffset: 7, pullOffset: 7, lastTimestamp: 5}}, 0))
	want := `{"consumeTps":0.0,"offsetTable":{{"brokerName":"b","queueId":3,"topic":"q\"t"}:{"brokerOffset":9,"consumerOffset":7,"lastTimestamp":5,"pullOffset":7}}}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if got := string(encodeConsumeStats("b", nil, 1)); got != `{"consumeTps":1.0,"offsetTable":{}}` {
		t.Fatalf("empty: %s", got)
	}
}

func TestEncodeConsumerOffsets(t *testing.T) {
	got := string(encodeConsumerOffsets(map[string]map[int32]int64{
		"T@g2": {10: 1, 2: 7},
		"T@g1": {0: 3},
	}, codec.DataVersion{Counter: 2, Timestamp: 9}))
	want := `{"dataVersion":{"counter":2,"stateVersion":0,"timestamp":9},"offsetTable":{"T@g1":{0:3},"T@g2":{2:7,10:1}}}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestValidateGroup(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ok_Group-1%|", ""},
		{"", "The specified group is blank."},
		{"a b", "The specified group: a b, contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$"},
	} {
		if got := validateGroup(c.in); got != c.want {
			t.Errorf("validateGroup(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	long := make([]byte, groupMaxLength+1)
	for i := range long {
		long[i] = 'g'
	}
	if got := validateGroup(string(long)); got == "" {
		t.Error("a 121-character group passed")
	}
}

func TestSystemTopicSetSorted(t *testing.T) {
	for i := 1; i < len(systemTopicSet); i++ {
		if systemTopicSet[i-1] >= systemTopicSet[i] {
			t.Fatalf("systemTopicSet not sorted at %q, %q", systemTopicSet[i-1], systemTopicSet[i])
		}
	}
}

func TestHumanReadableByteCount(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 5 << 30: "5.0 GiB"} {
		if got := humanReadableByteCount(n); got != want {
			t.Errorf("humanReadableByteCount(%d) = %q, want %q", n, got, want)
		}
	}
}

// decodeMQOffsetMap reads the object-keyed maps both clients write, with
// the key fields in any order, string keys, whitespace and other members
// around, and rejects broken text.
func TestDecodeMQOffsetMap(t *testing.T) {
	mq := func(q int32) codec.MessageQueue {
		return codec.MessageQueue{BrokerName: "b", QueueID: q, Topic: "t,{x}:"}
	}
	for _, tc := range []struct {
		body string
		want map[codec.MessageQueue]int64
	}{
		{`{"messageQueueTable":{{"topic":"t,{x}:","brokerName":"b","queueId":0}:7,{"topic":"t,{x}:","brokerName":"b","queueId":1}:-1}}`,
			map[codec.MessageQueue]int64{mq(0): 7, mq(1): -1}},
		{`{"consumerTable":{"c":{{"brokerName":"x","queueId":9,"topic":"y"}:1}},"messageQueueTable":{{"brokerName":"b","queueId":2,"topic":"t,{x}:"}:11}}`,
			map[codec.MessageQueue]int64{mq(2): 11}},
		{" {\n\t\"messageQueueTable\" : { \"{\\\"brokerName\\\":\\\"b\\\",\\\"queueId\\\":3,\\\"topic\\\":\\\"t,{x}:\\\"}\" : 4 } }",
			map[codec.MessageQueue]int64{mq(3): 4}},
		{`{"messageQueueTable":{}}`, map[codec.MessageQueue]int64{}},
		{`{"other":[1,{"a":"}"}]}`, map[codec.MessageQueue]int64{}},
	} {
		got, err := decodeMQOffsetMap([]byte(tc.body), "messageQueueTable")
		if err != nil || len(got) != len(tc.want) {
			t.Errorf("%s: %v %v", tc.body, got, err)
			continue
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s: %v = %d, want %d", tc.body, k, got[k], v)
			}
		}
	}
	for _, bad := range []string{``, `[]`, `{"messageQueueTable":{{"topic":"t"}:x}}`, `{"messageQueueTable":{{"topic":"t"}}}`,
		`{"messageQueueTable":{{"topic":"t"`, `{"messageQueueTable":{"nope":1}}`, `{"a":1 "b":2}`} {
		if got, err := decodeMQOffsetMap([]byte(bad), "messageQueueTable"); err == nil {
			t.Errorf("%q decoded to %v", bad, got)
		}
	}
}
