package broker

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// testBroker is a broker without NameServers on a fresh port, on dir.
type testBroker struct {
	t    *testing.T
	b    *Broker
	dir  string
	conf map[string]string
	port int
}

// startTestBroker starts a broker on dir with extra broker.conf keys; it is
// closed when the test ends.
func startTestBroker(t *testing.T, dir string, conf ...string) *testBroker {
	t.Helper()
	tb := &testBroker{t: t, dir: dir, conf: map[string]string{}, port: testutil.FreePort(t, 2)}
	for i := 0; i+1 < len(conf); i += 2 {
		tb.conf[conf[i]] = conf[i+1]
	}
	tb.start()
	t.Cleanup(tb.stop)
	return tb
}

func (tb *testBroker) start() {
	tb.t.Helper()
	cfg := DefaultConfig()
	cfg.BrokerIP1, cfg.ListenHost, cfg.ListenPort = "127.0.0.1", "127.0.0.1", tb.port
	cfg.StorePathRootDir = tb.dir
	cfg.MappedFileSizeCommitLog = 16 << 20
	for k, v := range tb.conf {
		if known, err := cfg.Set(k, v); !known || err != nil {
			tb.t.Fatalf("conf %s=%s: known %v, %v", k, v, known, err)
		}
	}
	b, err := New(cfg, nil)
	if err != nil {
		tb.t.Fatal(err)
	}
	if err := b.Start(); err != nil {
		tb.t.Fatal(err)
	}
	tb.b = b
}

func (tb *testBroker) stop() {
	if tb.b != nil {
		if err := tb.b.Close(); err != nil {
			tb.t.Errorf("close broker: %v", err)
		}
		tb.b = nil
	}
}

// restart closes the broker cleanly and opens it again on the same store.
func (tb *testBroker) restart() {
	tb.t.Helper()
	tb.stop()
	tb.start()
}

// client dials the broker; the client is closed when the test ends.
func (tb *testBroker) client() *transport.Client {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c, err := transport.Dial(ctx, tb.b.Addr())
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Cleanup(func() { c.Close() })
	return c
}

func call(t *testing.T, c *transport.Client, req *wire.Command) *wire.Command {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := c.Invoke(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// props builds a properties string from key/value pairs.
func props(kv ...string) string {
	var b []byte
	for i := 0; i+1 < len(kv); i += 2 {
		b = codec.AppendProperty(b, kv[i], kv[i+1])
	}
	return string(b)
}

// sendReq is a SEND_MESSAGE_V2 request; extra adds header fields (j =
// reconsumeTimes, l = maxReconsumeTimes).
func sendReq(topic string, queueID int, properties string, body []byte, extra ...wire.Field) *wire.Command {
	req := wire.NewRequest(wire.SendMessageV2, append([]wire.Field{
		{Key: "a", Value: "pg"}, {Key: "b", Value: topic}, {Key: "c", Value: "TBW102"},
		{Key: "d", Value: "4"}, {Key: "e", Value: strconv.Itoa(queueID)}, {Key: "f", Value: "0"},
		{Key: "g", Value: strconv.FormatInt(time.Now().UnixMilli(), 10)}, {Key: "h", Value: "0"},
		{Key: "i", Value: properties}}, extra...)...)
	req.Body = body
	return req
}

func mustSend(t *testing.T, c *transport.Client, req *wire.Command) *wire.Command {
	t.Helper()
	resp := call(t, c, req)
	if resp.ResponseCode() != wire.Success {
		t.Fatalf("send to %s: %v %s", req.ExtValue("b"), resp.ResponseCode(), resp.Remark)
	}
	return resp
}

// pullRecords reads what a queue holds from offset on (no long polling).
func pullRecords(t *testing.T, c *transport.Client, topic string, queueID int, offset int64) []codec.Message {
	t.Helper()
	req := wire.NewRequest(wire.PullMessage,
		wire.Field{Key: "consumerGroup", Value: "schedule_test_reader"}, wire.Field{Key: "topic", Value: topic},
		wire.Field{Key: "queueId", Value: strconv.Itoa(queueID)}, wire.Field{Key: "queueOffset", Value: strconv.FormatInt(offset, 10)},
		wire.Field{Key: "maxMsgNums", Value: "32"}, wire.Field{Key: "sysFlag", Value: "4"},
		wire.Field{Key: "commitOffset", Value: "0"}, wire.Field{Key: "suspendTimeoutMillis", Value: "0"},
		wire.Field{Key: "subscription", Value: "*"}, wire.Field{Key: "subVersion", Value: "0"})
	resp := call(t, c, req)
	var out []codec.Message
	for b := resp.Body; len(b) > 0; {
		m, n, err := codec.DecodeRecord(b)
		if err != nil {
			t.Fatalf("pull %s/%d body: %v", topic, queueID, err)
		}
		out = append(out, m)
		b = b[n:]
	}
	return out
}

// waitRecords polls a queue until it holds n records and returns them.
func waitRecords(t *testing.T, c *transport.Client, topic string, queueID, n int, timeout time.Duration) []codec.Message {
	t.Helper()
	var got []codec.Message
	testutil.Eventually(t, timeout, fmt.Sprintf("%d records in %s/%d", n, topic, queueID), func() bool {
		got = pullRecords(t, c, topic, queueID, 0)
		return len(got) >= n
	})
	return got
}

func bodies(ms []codec.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, string(m.Body))
	}
	return out
}

// A DELAY message waits in SCHEDULE_TOPIC_XXXX queue level-1 and comes
// back to its topic and queue, on time, with the schedule keys cleaned up.
func TestDelayLevelDelivery(t *testing.T) {
	tb := startTestBroker(t, t.TempDir())
	c := tb.client()
	p := props(codec.PropertyTags, "TagD", codec.PropertyKeys, "kd", "user", "v",
		codec.PropertyDelayLevel, "1", codec.PropertyTimerDeliverMS, "1")
	resp := mustSend(t, c, sendReq("DelayT", 1, p, []byte("delayed")))
	if resp.ExtValue("queueId") != "1" || resp.ExtValue("queueOffset") != "0" {
		t.Fatalf("send response queueId %s queueOffset %s, want the requested queue 1 and schedule offset 0",
			resp.ExtValue("queueId"), resp.ExtValue("queueOffset"))
	}
	sched := waitRecords(t, c, "SCHEDULE_TOPIC_XXXX", 0, 1, 3*time.Second)[0]
	sp := codec.ParseProperties(sched.Properties)
	if sp["REAL_TOPIC"] != "DelayT" || sp["REAL_QID"] != "1" || sp["DELAY"] != "1" || sp["TIMER_DELIVER_MS"] != "" {
		t.Fatalf("schedule record properties %v", sp)
	}
	if got := pullRecords(t, c, "DelayT", 1, 0); len(got) != 0 {
		t.Fatalf("delayed message visible at once: %q", bodies(got))
	}
	got := waitRecords(t, c, "DelayT", 1, 1, 5*time.Second)[0]
	if late := got.StoreTimestamp - (sched.StoreTimestamp + 1000); late < 0 || late > 900 {
		t.Errorf("delivered %d ms after its due time", late)
	}
	gp := codec.ParseProperties(got.Properties)
	for k, want := range map[string]string{"TAGS": "TagD", "KEYS": "kd", "user": "v", "REAL_TOPIC": "DelayT", "REAL_QID": "1",
		"WAIT": "false", "DELAY": "", "TIMER_DELIVER_MS": "", "UNIQ_KEY": sp["UNIQ_KEY"]} {
		if gp[k] != want {
			t.Errorf("delivered property %s = %q, want %q (all: %v)", k, gp[k], want, gp)
		}
	}
	if string(got.Body) != "delayed" || got.QueueID != 1 || got.QueueOffset != 0 || got.BornTimestamp != sched.BornTimestamp ||
		got.BornHost != sched.BornHost || got.CommitLogOffset <= sched.CommitLogOffset {
		t.Errorf("delivered record %+v, schedule record %+v", got, sched)
	}

	// Levels beyond the table are clamped to its last level.
	mustSend(t, c, sendReq("DelayT", 0, props(codec.PropertyDelayLevel, "99"), []byte("clamped")))
	last := waitRecords(t, c, "SCHEDULE_TOPIC_XXXX", 17, 1, 3*time.Second)[0]
	if v := codec.ParseProperties(last.Properties)["DELAY"]; v != "18" {
		t.Errorf("clamped DELAY = %q, want 18", v)
	}

	// A batch may not carry a delay, in its header or in an entry.
	for _, hdr := range []string{"", props(codec.PropertyDelayLevel, "2")} {
		body := codec.AppendBatchEntry(nil, 0, []byte("b1"), props(codec.PropertyDelayLevel, "2"))
		if hdr != "" {
			body = codec.AppendBatchEntry(nil, 0, []byte("b1"), "")
		}
		req := sendReq("DelayT", 0, hdr, body)
		req.Code = int32(wire.SendBatchMessage)
		if r := call(t, c, req); r.ResponseCode() != wire.MessageIllegal {
			t.Errorf("batch with a delay (header %q): %v %s, want 13", hdr, r.ResponseCode(), r.Remark)
		}
	}
}

// Delivery progress survives a restart: what was delivered is not
// delivered again, what was pending is delivered once.
func TestDelayOffsetsSurviveRestart(t *testing.T) {
	tb := startTestBroker(t, t.TempDir(), "messageDelayLevel", "1s 4s")
	c := tb.client()
	mustSend(t, c, sendReq("DelayR", 0, props(codec.PropertyDelayLevel, "1"), []byte("early")))
	waitRecords(t, c, "DelayR", 0, 1, 5*time.Second)
	mustSend(t, c, sendReq("DelayR", 0, props(codec.PropertyDelayLevel, "2"), []byte("late")))

	tb.restart()
	data, err := os.ReadFile(filepath.Join(tb.dir, "config", "delayOffset.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		OffsetTable map[string]int64 `json:"offsetTable"`
	}
	// Level 2 is due 4 s after the send; a very slow restart may have
	// delivered it already.
	if err := json.Unmarshal(codec.QuoteNumericKeys(data), &f); err != nil || f.OffsetTable["1"] != 1 || f.OffsetTable["2"] > 1 {
		t.Fatalf("delayOffset.json %s (%v), want level 1 at offset 1 and level 2 at 0 or 1", data, err)
	}

	c = tb.client()
	waitRecords(t, c, "DelayR", 0, 2, 8*time.Second)
	time.Sleep(1500 * time.Millisecond) // room for a wrong redelivery
	if got := bodies(pullRecords(t, c, "DelayR", 0, 0)); fmt.Sprint(got) != "[early late]" {
		t.Fatalf("after the restart the topic holds %q, want [early late]", got)
	}
}

// Java writes delayOffset.json with unquoted numeric keys; Booster reads
// it and clamps offsets into the queue's range.
func TestDelayOffsetFileFromJava(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	java := `{"dataVersion":{"counter":3,"stateVersion":0,"timestamp":1700000000000},"offsetTable":{1:0,2:7}}`
	if err := os.WriteFile(filepath.Join(dir, "config", "delayOffset.json"), []byte(java), 0o644); err != nil {
		t.Fatal(err)
	}
	tb := startTestBroker(t, dir)
	if got := tb.b.schedule.offset(1); got != 0 {
		t.Errorf("level 1 offset %d, want 0", got)
	}
	if got := tb.b.schedule.offset(2); got != 0 {
		t.Errorf("level 2 offset %d, want 0 (clamped to the empty queue)", got)
	}
}
