package conformance

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"

	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// sqlMessages sends, to topic, messages whose properties exercise the
// expression "a > 5 AND b = 'x'" and returns the bodies it must select.
func (h *harness) sqlMessages(topic string) (want []string) {
	h.t.Helper()
	p := h.newProducer()
	for i := range 10 {
		b := "x"
		if i%3 == 0 {
			b = "y"
		}
		body := fmt.Sprintf("a=%d,b=%s", i, b)
		sendSync(h.t, p, message(topic, body, "T", nil, map[string]string{"a": strconv.Itoa(i), "b": b}))
		if i > 5 && b == "x" {
			want = append(want, body)
		}
	}
	// Unknown and unconvertible values never match.
	sendSync(h.t, p, message(topic, "no-a", "T", nil, map[string]string{"b": "x"}))
	sendSync(h.t, p, message(topic, "a-not-a-number", "T", nil, map[string]string{"a": "many", "b": "x"}))
	sendSync(h.t, p, message(topic, "a-decimal", "T", nil, map[string]string{"a": "6.5", "b": "x"}))
	return want
}

func TestSQL92FilterSelectsMatchingMessages(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testcluster.WithConf("enablePropertyFilter", "true"))
	topic := h.name("t")
	want := h.sqlMessages(topic)
	col := &collector{}
	h.startPush(h.name("cg"), topic, consumer.MessageSelector{Type: consumer.SQL92, Expression: "a > 5 AND b = 'x'"}, col)
	col.waitAll(t, "the matching messages", want)
	// A sentinel sent last proves everything before it was examined.
	sendSync(t, h.newProducer(), message(topic, "sentinel", "T", nil, map[string]string{"a": "100", "b": "x"}))
	col.waitAll(t, "the sentinel", []string{"sentinel"})
	_, count := col.byBody()
	var got []string
	for body, n := range count {
		got = append(got, body)
		if n != 1 {
			t.Errorf("%s consumed %d times", body, n)
		}
	}
	sort.Strings(got)
	exp := append(append([]string(nil), want...), "sentinel")
	sort.Strings(exp)
	if fmt.Sprint(got) != fmt.Sprint(exp) {
		t.Errorf("consumed %v, want exactly %v", got, exp)
	}
}

// rawPull pulls queue 0 of topic as the Go push consumer does: by the
// subscription the group registered with its heartbeat.
func rawPull(t *testing.T, addr, group, topic string) *wire.Command {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cl, err := transport.Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	resp, err := cl.Invoke(ctx, wire.NewRequest(wire.PullMessage,
		wire.Field{Key: "consumerGroup", Value: group}, wire.Field{Key: "topic", Value: topic},
		wire.Field{Key: "queueId", Value: "0"}, wire.Field{Key: "queueOffset", Value: "0"},
		wire.Field{Key: "maxMsgNums", Value: "32"}, wire.Field{Key: "sysFlag", Value: "0"},
		wire.Field{Key: "commitOffset", Value: "0"}, wire.Field{Key: "suspendTimeoutMillis", Value: "0"},
		wire.Field{Key: "subVersion", Value: "0"}, wire.Field{Key: "expressionType", Value: "TAG"}))
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// The Go client sends no CHECK_CLIENT_CONFIG, so its push consumer starts
// with an expression the broker cannot compile; every pull then fails
// (the client logs the error and retries after 3 s) and nothing is
// consumed. The broker keeps no filter data for such a subscription and
// answers 27 FILTER_DATA_NOT_EXIST, as Java's does.
func TestSQL92InvalidExpressionGetsNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testcluster.WithConf("enablePropertyFilter", "true"))
	topic := h.name("t")
	h.sqlMessages(topic)
	group := h.name("cg")
	col := &collector{}
	h.startPush(group, topic, consumer.MessageSelector{Type: consumer.SQL92, Expression: "a > 'x'"}, col)
	if !h.c.External {
		eventually(t, routeWait, "the broker to refuse the group's pulls", func() (bool, string) {
			resp := rawPull(t, h.c.BrokerAddr, group, topic)
			return resp.ResponseCode() == wire.FilterDataNotExist, fmt.Sprintf("pull answered %d %q", resp.Code, resp.Remark)
		})
	}
	time.Sleep(8 * time.Second) // several pull attempts
	if got := col.all(); len(got) != 0 {
		t.Fatalf("consumed %d messages with an invalid expression", len(got))
	}
}

// With enablePropertyFilter=false (Apache's default) a SQL92 consumer gets
// nothing; the broker answers its pulls 1 with Java's remark.
func TestSQL92DisabledGetsNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.name("t")
	h.sqlMessages(topic)
	group := h.name("cg")
	col := &collector{}
	h.startPush(group, topic, consumer.MessageSelector{Type: consumer.SQL92, Expression: "a > 5"}, col)
	if !h.c.External {
		eventually(t, routeWait, "the broker to refuse the group's pulls", func() (bool, string) {
			resp := rawPull(t, h.c.BrokerAddr, group, topic)
			ok := resp.ResponseCode() == wire.SystemError && resp.Remark == "The broker does not support consumer to filter message by SQL92"
			return ok, fmt.Sprintf("pull answered %d %q", resp.Code, resp.Remark)
		})
	}
	time.Sleep(8 * time.Second)
	if got := col.all(); len(got) != 0 {
		t.Fatalf("consumed %d messages with property filtering disabled", len(got))
	}
}
