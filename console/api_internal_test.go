package console

import (
	"bytes"
	"compress/zlib"
	"net/netip"
	"testing"

	"github.com/booster-mq/booster/codec"
)

func TestTopicKind(t *testing.T) {
	system := map[string]bool{"DefaultCluster": true}
	for topic, want := range map[string]string{
		"Orders": "normal", "%RETRY%g": "retry", "%DLQ%g": "dlq", "TBW102": "system", "SCHEDULE_TOPIC_XXXX": "system",
		"rmq_sys_wheel_timer": "system", "RMQ_SYS_TRANS_HALF_TOPIC": "system", "DefaultCluster": "system",
		"DefaultCluster_REPLY_TOPIC": "system",
	} {
		if got := topicKind(topic, system); got != want {
			t.Errorf("topicKind(%q) = %q, want %q", topic, got, want)
		}
	}
}

func TestSystemGroup(t *testing.T) {
	for g, want := range map[string]bool{"CID_RMQ_SYS_TRANS": true, "TOOLS_CONSUMER": true, "orders": false} {
		if got := systemGroup(g); got != want {
			t.Errorf("systemGroup(%q) = %v", g, got)
		}
	}
}

func TestFirstFloat(t *testing.T) {
	for in, want := range map[string]float64{"12.5 3.0 1.0": 12.5, " 7 ": 7, "": 0, "x": 0} {
		if got := firstFloat(in); got != want {
			t.Errorf("firstFloat(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestDecodeMessages(t *testing.T) {
	host := netip.MustParseAddrPort("127.0.0.1:10911")
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, _ = zw.Write([]byte("compressed body"))
	_ = zw.Close()
	plain := codec.Message{Topic: "T", QueueID: 1, Body: []byte("plain"), BornHost: host, StoreHost: host,
		Properties: codec.EncodeProperties(map[string]string{codec.PropertyKeys: "k1 k2", codec.PropertyTags: "A"})}
	packed := codec.Message{Topic: "T", Body: z.Bytes(), SysFlag: codec.SysFlagCompressed, BornHost: host, StoreHost: host,
		Properties: codec.EncodeProperties(map[string]string{codec.PropertyUniqKey: "U1"})}
	binary := codec.Message{Topic: "T", Body: []byte{0xff, 0xfe}, BornHost: host, StoreHost: host}
	var body []byte
	for _, m := range []codec.Message{plain, packed, binary} {
		body = m.AppendRecord(body)
	}
	msgs, err := decodeMessages(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 3 {
		t.Fatalf("%d messages", len(msgs))
	}
	if m := msgs[0]; m.Body != "plain" || m.Keys != "k1 k2" || m.Tags != "A" || m.MsgID != m.OffsetMsgID || m.QueueID != 1 {
		t.Errorf("plain: %+v", m)
	}
	if m := msgs[1]; m.Body != "compressed body" || m.MsgID != "U1" || m.BodyBytes != len("compressed body") {
		t.Errorf("compressed: %+v", m)
	}
	if m := msgs[2]; m.Body != "(binary, 2 bytes)" {
		t.Errorf("binary: %+v", m)
	}
	if !hasKey("k1 k2", "k2") || hasKey("k1 k2", "k") {
		t.Error("hasKey")
	}
}
