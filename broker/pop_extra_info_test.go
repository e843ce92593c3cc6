package broker

import (
	"encoding/json"
	"testing"
)

// Golden strings printed by the Java 5.3.1 ExtraInfoUtil and
// BatchAckMessageRequestBody.encode (rocketmq-remoting, fastjson 1.2.83).
const (
	goldenExtraInfo       = "12 1700000000000 60000 3 1 broker-a 0 15" // buildExtraInfo(12, 1700000000000, 60000, 3, "%RETRY%g_T", "broker-a", 0, 15)
	goldenStartOffsetInfo = "0 0 5;1 0 7;2 1 9"                        // buildStartOffsetInfo T/0/5, %RETRY%g_T/0/7, %RETRY%g+T/1/9
	goldenMsgOffsetInfo   = "0 0 5,6,8;1 0 7"                          // buildMsgOffsetInfo T/0/[5,6,8], %RETRY%g_T/0/[7]
	goldenOrderCountInfo  = "0 qo0%1234 2;0 0 1"                       // buildQueueOffsetOrderCountInfo T/0/1234/2, buildQueueIdOrderCountInfo T/0/1
	goldenBatchAck        = `{"acks":[{"b":"KhA=","c":"G","it":5000,"pt":1700000000000,"q":1,"r":"1","rq":2,"so":100,"t":"T"}],"brokerName":"broker-a"}`
)

func TestExtraInfoFormatsMatchJava(t *testing.T) {
	if got := string(appendExtraInfo(nil, 12, 1700000000000, 60000, 3, "%RETRY%g_T", "broker-a", 0, 15)); got != goldenExtraInfo {
		t.Fatalf("extraInfo %q, want %q", got, goldenExtraInfo)
	}
	var s []byte
	s = appendStartOffsetInfo(s, "T", 0, 5)
	s = appendStartOffsetInfo(s, "%RETRY%g_T", 0, 7)
	s = appendStartOffsetInfo(s, "%RETRY%g+T", 1, 9)
	if string(s) != goldenStartOffsetInfo {
		t.Fatalf("startOffsetInfo %q, want %q", s, goldenStartOffsetInfo)
	}
	var m []byte
	m = appendMsgOffsetInfo(m, "T", 0, []int64{5, 6, 8})
	m = appendMsgOffsetInfo(m, "%RETRY%g_T", 0, []int64{7})
	if string(m) != goldenMsgOffsetInfo {
		t.Fatalf("msgOffsetInfo %q, want %q", m, goldenMsgOffsetInfo)
	}
	o := appendQueueOrderCountInfo(appendOrderCountInfo(nil, "T", 0, 1234, 2), "T", 0, 1)
	if string(o) != goldenOrderCountInfo {
		t.Fatalf("orderCountInfo %q, want %q", o, goldenOrderCountInfo)
	}
}

func TestParsePopHandle(t *testing.T) {
	h, err := parsePopHandle(goldenExtraInfo)
	want := popHandle{ckOffset: 12, popTime: 1700000000000, invisibleTime: 60000, reviveQid: 3, retry: "1", brokerName: "broker-a", queueID: 0, queueOffset: 15}
	if err != nil || h != want {
		t.Fatalf("parse %q: %+v %v", goldenExtraInfo, h, err)
	}
	// The 7-field form of buildExtraInfo (no message offset).
	h, err = parsePopHandle("12 1700000000000 60000 3 0 broker-a 2")
	if err != nil || h.queueID != 2 || h.queueOffset != -1 || h.retry != "0" {
		t.Fatalf("7 fields: %+v %v", h, err)
	}
	for _, bad := range []string{"", "1 2 3", "x 1 2 3 0 b 0 1", "1 2 3 4 0 b q 1"} {
		if _, err := parsePopHandle(bad); err == nil {
			t.Fatalf("%q parsed", bad)
		}
	}
	for retry, want := range map[string]string{"0": "T", "1": "%RETRY%G_T", "2": "%RETRY%G+T"} {
		if got, err := popRealTopic("T", "G", retry); err != nil || got != want {
			t.Fatalf("real topic of retry %s: %q %v", retry, got, err)
		}
	}
	if _, err := popRealTopic("T", "G", "3"); err == nil {
		t.Fatal("retry 3 accepted")
	}
}

func TestBatchAckBodyFromJava(t *testing.T) {
	var body batchAckBody
	if err := json.Unmarshal([]byte(goldenBatchAck), &body); err != nil {
		t.Fatal(err)
	}
	if body.BrokerName != "broker-a" || len(body.Acks) != 1 {
		t.Fatalf("%+v", body)
	}
	a := body.Acks[0]
	if a.group != "G" || a.topic != "T" || a.retry != "1" || a.startOffset != 100 || a.queueID != 1 || a.reviveQid != 2 ||
		a.popTime != 1700000000000 || a.invisibleTime != 5000 {
		t.Fatalf("%+v", a)
	}
	var set []int
	for i, by := range a.bits {
		for bit := range 8 {
			if by&(1<<bit) != 0 {
				set = append(set, i*8+bit)
			}
		}
	}
	if len(set) != 4 || set[0] != 1 || set[1] != 3 || set[2] != 5 || set[3] != 12 {
		t.Fatalf("bits %v, want [1 3 5 12]", set)
	}
	// The long names BatchAck also accepts, numbers as strings.
	long := `{"acks":[{"consumerGroup":"G","topic":"T","retry":"0","startOffset":"7","queueId":0,"reviveQueueId":1,"popTime":5,"invisibleTime":6,"bitSet":"AQ=="}]}`
	if err := json.Unmarshal([]byte(long), &body); err != nil || body.Acks[0].startOffset != 7 || body.Acks[0].bits[0] != 1 {
		t.Fatalf("long names: %+v %v", body, err)
	}
}
