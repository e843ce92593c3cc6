package conformance

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	rocketmq "github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"
	"github.com/apache/rocketmq-client-go/v2/rlog"

	"github.com/booster-mq/booster/internal/testcluster"
)

// Bounds for the polling waits. The Go client rebalances every 20 s and
// refreshes routes every 30 s, so anything that may depend on one periodic
// round gets a minute.
const (
	routeWait   = 30 * time.Second
	consumeWait = 60 * time.Second
	commitWait  = 30 * time.Second
	sendTimeout = 10 * time.Second
)

func TestMain(m *testing.M) {
	level := os.Getenv("BOOSTER_TEST_CLIENT_LOG")
	if level == "" {
		level = "error"
	}
	rlog.SetLogLevel(level)
	os.Exit(m.Run())
}

// clientSeq makes every client instance name in this process unique: the Go
// client shares one connection set (and one NameServer list) between all
// clients with the same ClientIP@InstanceName, which would mix up the
// clusters of parallel tests.
var clientSeq atomic.Int64

func instanceName(role string) string {
	return fmt.Sprintf("cf-%s-%d-%d", role, os.Getpid(), clientSeq.Add(1))
}

// harness is one test's cluster plus name and client factories.
type harness struct {
	t      *testing.T
	c      *testcluster.Cluster
	ns     primitive.NamesrvAddr
	suffix string
	seq    atomic.Int64
}

func newHarness(t *testing.T, opts ...testcluster.Option) *harness {
	t.Helper()
	c := testcluster.Start(t, opts...)
	return &harness{
		t:      t,
		c:      c,
		ns:     primitive.NamesrvAddr{c.NamesrvAddr},
		suffix: fmt.Sprintf("%d_%d", time.Now().UnixNano(), clientSeq.Add(1)),
	}
}

// name returns a topic or group name unique to this run.
func (h *harness) name(kind string) string {
	return fmt.Sprintf("cf_%s_%d_%s", kind, h.seq.Add(1), h.suffix)
}

// newProducer starts a producer that is shut down when the test ends.
func (h *harness) newProducer(opts ...producer.Option) rocketmq.Producer {
	h.t.Helper()
	base := []producer.Option{
		producer.WithNameServer(h.ns),
		producer.WithGroupName(h.name("pg")),
		producer.WithInstanceName(instanceName("producer")),
		producer.WithRetry(2),
		producer.WithSendMsgTimeout(sendTimeout),
	}
	p, err := producer.NewDefaultProducer(append(base, opts...)...)
	if err != nil {
		h.t.Fatalf("new producer: %v", err)
	}
	if err := p.Start(); err != nil {
		h.t.Fatalf("start producer: %v", err)
	}
	h.t.Cleanup(func() { _ = p.Shutdown() })
	return p
}

// sendSync sends one message and insists on SEND_OK.
func sendSync(t *testing.T, p rocketmq.Producer, msgs ...*primitive.Message) *primitive.SendResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*sendTimeout)
	defer cancel()
	res, err := p.SendSync(ctx, msgs...)
	if err != nil {
		t.Fatalf("SendSync to %s: %v", msgs[0].Topic, err)
	}
	if res.Status != primitive.SendOK {
		t.Fatalf("SendSync to %s: status %v, want SEND_OK (%s)", msgs[0].Topic, res.Status, res)
	}
	return res
}

// collector records what a push consumer's callback receives.
type collector struct {
	mu   sync.Mutex
	msgs []*primitive.MessageExt
}

func (c *collector) consume(_ context.Context, msgs ...*primitive.MessageExt) (consumer.ConsumeResult, error) {
	c.mu.Lock()
	c.msgs = append(c.msgs, msgs...)
	c.mu.Unlock()
	return consumer.ConsumeSuccess, nil
}

func (c *collector) all() []*primitive.MessageExt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*primitive.MessageExt(nil), c.msgs...)
}

// byBody indexes the received messages by body (first copy wins) and
// counts the copies of each.
func (c *collector) byBody() (map[string]*primitive.MessageExt, map[string]int) {
	first := map[string]*primitive.MessageExt{}
	count := map[string]int{}
	for _, m := range c.all() {
		b := string(m.Body)
		if _, ok := first[b]; !ok {
			first[b] = m
		}
		count[b]++
	}
	return first, count
}

// missing lists which of want the collector has not seen yet.
func (c *collector) missing(want []string) []string {
	_, count := c.byBody()
	var out []string
	for _, w := range want {
		if count[w] == 0 {
			out = append(out, w)
		}
	}
	return out
}

// waitAll waits until the collector holds every body in want.
func (c *collector) waitAll(t *testing.T, what string, want []string) {
	t.Helper()
	eventually(t, consumeWait, what, func() (bool, string) {
		miss := c.missing(want)
		return len(miss) == 0, fmt.Sprintf("%d of %d missing, e.g. %v", len(miss), len(want), head(miss, 5))
	})
}

func head(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// eventually polls cond every 50 ms until it holds; after timeout it fails
// the test with what and cond's last status.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	eventuallyEvery(t, timeout, 50*time.Millisecond, what, cond)
}

// eventuallyEvery is eventually with a chosen poll interval.
func eventuallyEvery(t *testing.T, timeout, every time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	if ok, status := poll(timeout, every, cond); !ok {
		t.Fatalf("timed out after %v waiting for %s: %s", timeout, what, status)
	}
}

// poll calls cond every interval until it holds or timeout passes, and
// returns its last result.
func poll(timeout, every time.Duration, cond func() (bool, string)) (bool, string) {
	deadline := time.Now().Add(timeout)
	for {
		ok, status := cond()
		if ok || time.Now().After(deadline) {
			return ok, status
		}
		time.Sleep(every)
	}
}

// pushHandle is a started push consumer.
type pushHandle struct {
	rocketmq.PushConsumer
	// offsets returns, for each queue of the subscribed topic the consumer
	// holds right now, its consume offset as the client has it in memory
	// (what it will commit next).
	offsets func() map[primitive.MessageQueue]int64
}

// queues returns the sorted ids of the topic's queues the consumer holds.
func (p *pushHandle) queues() []int {
	var ids []int
	for mq := range p.offsets() {
		ids = append(ids, mq.QueueId)
	}
	sort.Ints(ids)
	return ids
}

// committedSum adds up the consumer's in-memory offsets.
func (p *pushHandle) committedSum() int64 {
	var n int64
	for _, off := range p.offsets() {
		if off > 0 {
			n += off
		}
	}
	return n
}

func isRouteNotFound(err error) bool {
	return err != nil && strings.Contains(err.Error(), "route info not found")
}

// startPush starts a push consumer of group on topic. A push consumer's
// Start fails while the NameServer has no route for its topic yet (a topic
// that was just auto-created by a send is registered asynchronously), so it
// retries that case, with a fresh consumer each time, for up to routeWait.
func (h *harness) startPush(group, topic string, sel consumer.MessageSelector, col *collector, opts ...consumer.Option) *pushHandle {
	h.t.Helper()
	deadline := time.Now().Add(routeWait)
	for {
		base := []consumer.Option{
			consumer.WithNameServer(h.ns),
			consumer.WithGroupName(group),
			consumer.WithInstance(instanceName("push")),
			consumer.WithRetry(2),
			consumer.WithConsumerModel(consumer.Clustering),
			consumer.WithConsumeFromWhere(consumer.ConsumeFromFirstOffset),
		}
		pc, err := consumer.NewPushConsumer(append(base, opts...)...)
		if err != nil {
			h.t.Fatalf("new push consumer: %v", err)
		}
		if err := pc.Subscribe(topic, sel, col.consume); err != nil {
			h.t.Fatalf("subscribe %s: %v", topic, err)
		}
		err = pc.Start()
		if err == nil {
			h.t.Cleanup(func() { _ = shutdownConsumer(pc) })
			return &pushHandle{
				PushConsumer: pc,
				offsets: func() map[primitive.MessageQueue]int64 {
					out := map[primitive.MessageQueue]int64{}
					for mq, pi := range pc.GetConsumerRunningInfo(false).MQTable {
						if mq.Topic == topic && !pi.Dropped {
							out[mq] = pi.CommitOffset
						}
					}
					return out
				},
			}
		}
		_ = pc.Shutdown()
		if !isRouteNotFound(err) || time.Now().After(deadline) {
			h.t.Fatalf("start push consumer %s on %s: %v", group, topic, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// startPull starts a pull consumer of group that is assigned no queues (so
// it pulls nothing on its own) and serves PullFrom / CurrentOffset calls on
// topic. Like startPush it waits for the topic's route.
func (h *harness) startPull(group, topic string) rocketmq.PullConsumer {
	h.t.Helper()
	deadline := time.Now().Add(routeWait)
	for {
		pc, err := consumer.NewPullConsumer(
			consumer.WithNameServer(h.ns),
			consumer.WithGroupName(group),
			consumer.WithInstance(instanceName("pull")),
			consumer.WithRetry(2),
		)
		if err != nil {
			h.t.Fatalf("new pull consumer: %v", err)
		}
		if err := pc.Assign(topic, nil); err != nil {
			h.t.Fatalf("assign %s: %v", topic, err)
		}
		err = pc.Start()
		if err == nil {
			h.t.Cleanup(func() { _ = shutdownConsumer(pc) })
			return pc
		}
		_ = pc.Shutdown()
		if !isRouteNotFound(err) || time.Now().After(deadline) {
			h.t.Fatalf("start pull consumer %s on %s: %v", group, topic, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// brokerOffsets asks the broker for group's committed offset of every queue
// of topic (QUERY_CONSUMER_OFFSET through a short-lived pull consumer of the
// group: the client caches an offset once read, so each call needs a fresh
// one). Queues without a committed offset report -1.
func (h *harness) brokerOffsets(group, topic string) map[int]int64 {
	h.t.Helper()
	pc := h.startPull(group, topic)
	defer func() { _ = pc.Shutdown() }()
	mqs, err := pc.GetTopicRouteInfo(topic)
	if err != nil {
		h.t.Fatalf("route of %s: %v", topic, err)
	}
	out := map[int]int64{}
	for _, mq := range mqs {
		off, err := pc.CurrentOffset(mq)
		if err != nil {
			h.t.Fatalf("query offset of %s: %v", mq, err)
		}
		out[mq.QueueId] = off
	}
	return out
}

func sumOffsets(m map[int]int64) int64 {
	var n int64
	for _, v := range m {
		if v > 0 {
			n += v
		}
	}
	return n
}

// consumeAndCommit runs the first half of the offset tests: a push consumer
// of group reads want (already sent), the test waits until the client's
// in-memory offsets cover all of them, shuts the consumer down (which
// commits those offsets with UPDATE_CONSUMER_OFFSET) and waits until the
// broker reports total as the committed sum over topic's queues (an error,
// not a fatal one, when it never does).
func (h *harness) consumeAndCommit(group, topic string, want []string, total int64) {
	h.t.Helper()
	col := &collector{}
	pc := h.startPush(group, topic, consumer.MessageSelector{}, col)
	col.waitAll(h.t, "first consumer to receive the first batch", want)
	eventually(h.t, commitWait, "client offsets to cover the first batch", func() (bool, string) {
		n := pc.committedSum()
		return n == total, fmt.Sprintf("client offsets %v sum to %d, want %d", pc.offsets(), n, total)
	})
	if err := pc.Shutdown(); err != nil {
		h.t.Fatalf("shutdown consumer: %v", err)
	}
	// Not fatal: the rest of a test still shows what a lost commit leads to.
	ok, status := poll(commitWait, 500*time.Millisecond, func() (bool, string) {
		offs := h.brokerOffsets(group, topic)
		n := sumOffsets(offs)
		return n == total, fmt.Sprintf("broker offsets by queue %v sum to %d", offs, n)
	})
	if !ok {
		h.t.Errorf("after the consumer's Shutdown (which commits with UPDATE_CONSUMER_OFFSET) the broker never reported the committed offsets within %v: %s, want %d (the client's in-memory offsets summed to %d)",
			commitWait, status, total, total)
	}
}

// message builds a message with the given tag, keys and user properties.
func message(topic, body, tag string, keys []string, props map[string]string) *primitive.Message {
	m := primitive.NewMessage(topic, []byte(body))
	if tag != "" {
		m.WithTag(tag)
	}
	if len(keys) > 0 {
		m.WithKeys(keys)
	}
	for k, v := range props {
		m.WithProperty(k, v)
	}
	return m
}

// checkMsg compares a received message against what was sent.
func checkMsg(t *testing.T, got *primitive.MessageExt, topic, body, tag string, keys []string, props map[string]string) {
	t.Helper()
	if got.Topic != topic {
		t.Errorf("message %q: topic %q, want %q", body, got.Topic, topic)
	}
	if string(got.Body) != body {
		t.Errorf("message body %q (len %d), want %q (len %d)", abbrev(string(got.Body)), len(got.Body), abbrev(body), len(body))
	}
	if got.GetTags() != tag {
		t.Errorf("message %q: tags %q, want %q", abbrev(body), got.GetTags(), tag)
	}
	if want := strings.Join(keys, primitive.PropertyKeySeparator); got.GetKeys() != want {
		t.Errorf("message %q: keys %q, want %q", abbrev(body), got.GetKeys(), want)
	}
	for k, v := range props {
		if g := got.GetProperty(k); g != v {
			t.Errorf("message %q: property %q = %q, want %q", abbrev(body), k, g, v)
		}
	}
}

func abbrev(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%s...(%d bytes)", s[:40], len(s))
	}
	return s
}

// decodeOffsetMsgID decodes an offset message id to "ip:port" and the
// commit-log offset it names.
func decodeOffsetMsgID(t *testing.T, id string) (string, int64) {
	t.Helper()
	mid, err := primitive.UnmarshalMsgID([]byte(id))
	if err != nil {
		t.Fatalf("UnmarshalMsgID(%q): %v", id, err)
	}
	return fmt.Sprintf("%s:%d", mid.Addr, mid.Port), mid.Offset
}

// consumerShutdownGap is how long shutdownConsumer keeps consumer
// shutdowns apart.
const consumerShutdownGap = 500 * time.Millisecond

// lastConsumerShutdown is when shutdownConsumer last shut one down.
var lastConsumerShutdown struct {
	sync.Mutex
	at time.Time
}

// shutdownConsumer shuts a Go-client consumer down at least
// consumerShutdownGap after the previous one. When a consumer leaves, the
// broker tells the rest of its group (NOTIFY_CONSUMER_IDS_CHANGED) and
// they rebalance at once; the Go client writes its closed flag without
// synchronization while such a rebalance reads it, a data race of the
// client's own that -race reports when a test's consumers of one group
// shut down back to back. The gap lets the rebalance finish first.
func shutdownConsumer(c interface{ Shutdown() error }) error {
	lastConsumerShutdown.Lock()
	defer lastConsumerShutdown.Unlock()
	if d := consumerShutdownGap - time.Since(lastConsumerShutdown.at); d > 0 {
		time.Sleep(d)
	}
	err := c.Shutdown()
	lastConsumerShutdown.at = time.Now()
	return err
}
