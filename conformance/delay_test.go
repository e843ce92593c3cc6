package conformance

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	rocketmq "github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
)

// scheduleTopic holds delay-level messages until they are due.
const scheduleTopic = "SCHEDULE_TOPIC_XXXX"

// maxLateness bounds how late a due message may reach the consumer. The
// broker delivers within milliseconds; the rest is the client's pull and
// dispatch path on a shared CI box.
const maxLateness = time.Second

// arrivals records, through a consumer interceptor, when each message body
// first reached the consume callback.
type arrivals struct {
	mu sync.Mutex
	at map[string]time.Time
}

func newArrivals() *arrivals { return &arrivals{at: map[string]time.Time{}} }

func (a *arrivals) interceptor(ctx context.Context, req, reply any, next primitive.Invoker) error {
	now := time.Now()
	if msgs, ok := req.([]*primitive.MessageExt); ok {
		a.mu.Lock()
		for _, m := range msgs {
			if _, seen := a.at[string(m.Body)]; !seen {
				a.at[string(m.Body)] = now
			}
		}
		a.mu.Unlock()
	}
	return next(ctx, req, reply)
}

func (a *arrivals) get(body string) time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.at[body]
}

// percentile returns the p-th percentile (nearest rank) of sorted values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

func latenessSummary(ls []time.Duration) string {
	s := append([]time.Duration(nil), ls...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return fmt.Sprintf("n=%d p50=%v p99=%v max=%v", len(s), percentile(s, 50), percentile(s, 99), percentile(s, 100))
}

// brokerName returns the name of the broker that serves topic (the suite
// runs one broker).
func (h *harness) brokerName(topic string) string {
	h.t.Helper()
	pc := h.startPull(h.name("probe"), topic)
	defer func() { _ = pc.Shutdown() }()
	mqs, err := pc.GetTopicRouteInfo(topic)
	if err != nil || len(mqs) == 0 {
		h.t.Fatalf("route of %s: %v", topic, err)
	}
	return mqs[0].BrokerName
}

// pullOne reads the message at offset of a queue with a pull consumer.
func pullOne(t *testing.T, pc rocketmq.PullConsumer, mq *primitive.MessageQueue, offset int64) *primitive.MessageExt {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := pc.PullFrom(ctx, mq, offset, 1)
	if err != nil {
		t.Fatalf("PullFrom(%s, %d): %v", mq, offset, err)
	}
	if res.Status != primitive.PullFound || len(res.GetMessageExts()) == 0 {
		t.Fatalf("PullFrom(%s, %d): status %v, %d messages", mq, offset, res.Status, len(res.GetMessageExts()))
	}
	return res.GetMessageExts()[0]
}

// Delay level 2 (5 s): every message reaches the consumer no earlier than
// 5 s after the broker stored it, and less than maxLateness after that.
func TestDelayLevelOnTime(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.name("t")
	p := h.newProducer()
	sendSync(t, p, primitive.NewMessage(topic, []byte("warmup")))

	arr := newArrivals()
	col := &collector{}
	h.startPush(h.name("g"), topic, subAll, col, consumer.WithInterceptor(arr.interceptor))
	col.waitAll(t, "the consumer to receive the warm-up message", []string{"warmup"})

	const n, level, delay = 40, 2, 5 * time.Second
	results := map[string]*primitive.SendResult{}
	var want []string
	for i := 0; i < n; i++ {
		body := fmt.Sprintf("delay-%02d", i)
		m := primitive.NewMessage(topic, []byte(body)).WithDelayTimeLevel(level)
		m.WithProperty("seq", strconv.Itoa(i))
		results[body] = sendSync(t, p, m)
		want = append(want, body)
		time.Sleep(20 * time.Millisecond) // spread the due times
	}
	col.waitAll(t, "the consumer to receive every delayed message", want)

	// The broker's store time of each message is the one of its record in
	// SCHEDULE_TOPIC_XXXX queue level-1, at the offset the send reported.
	pc := h.startPull(h.name("probe"), topic)
	sched := &primitive.MessageQueue{Topic: scheduleTopic, BrokerName: h.brokerName(topic), QueueId: level - 1}
	got, _ := col.byBody()
	var endToEnd, broker []time.Duration
	for _, body := range want {
		res := results[body]
		stored := pullOne(t, pc, sched, res.QueueOffset)
		if string(stored.Body) != body || stored.GetProperty(primitive.PropertyRealTopic) != topic {
			t.Fatalf("%s: schedule queue offset %d holds %q for %q", body, res.QueueOffset, stored.Body, stored.GetProperty(primitive.PropertyRealTopic))
		}
		due := time.UnixMilli(stored.StoreTimestamp).Add(delay)
		m := got[body]
		if m.Topic != topic || m.GetProperty("seq") == "" || m.MsgId != res.MsgID {
			t.Errorf("%s: delivered topic %q seq %q msgId %s (sent %s)", body, m.Topic, m.GetProperty("seq"), m.MsgId, res.MsgID)
		}
		if m.GetProperty(primitive.PropertyDelayTimeLevel) != "" {
			t.Errorf("%s: delivered with DELAY=%s", body, m.GetProperty(primitive.PropertyDelayTimeLevel))
		}
		delivered := time.UnixMilli(m.StoreTimestamp)
		at := arr.get(body)
		if delivered.Before(due) || at.Before(due) {
			t.Errorf("%s: early: due %v, stored in %s at %v, consumed at %v", body, due.Format("15:04:05.000"),
				topic, delivered.Format("15:04:05.000"), at.Format("15:04:05.000"))
		}
		broker = append(broker, delivered.Sub(due))
		endToEnd = append(endToEnd, at.Sub(due))
		if late := at.Sub(due); late > maxLateness {
			t.Errorf("%s: consumed %v after it was due (limit %v)", body, late, maxLateness)
		}
	}
	t.Logf("delay level %d lateness, broker store: %s", level, latenessSummary(broker))
	t.Logf("delay level %d lateness, consume callback: %s", level, latenessSummary(endToEnd))
}

// Go's Message.WithDelayTimestamp sets TIMER_DELIVER_MS (5.x timer
// messages): each message is consumed at its deliver time, not before.
func TestTimerMessageOnTime(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.name("t")
	p := h.newProducer()
	sendSync(t, p, primitive.NewMessage(topic, []byte("warmup")))

	arr := newArrivals()
	col := &collector{}
	h.startPush(h.name("g"), topic, subAll, col, consumer.WithInterceptor(arr.interceptor))
	col.waitAll(t, "the consumer to receive the warm-up message", []string{"warmup"})

	// Java rounds deliver times down to timerPrecisionMs (1 s) and may fire
	// that much early; Booster fires at the deliver time itself.
	early := time.Duration(0)
	if h.c.External {
		early = time.Second
	}
	const n = 20
	deliverAt := map[string]time.Time{}
	var want []string
	base := time.Now().Add(2 * time.Second)
	for i := 0; i < n; i++ {
		body := fmt.Sprintf("timer-%02d", i)
		at := base.Add(time.Duration(i) * 97 * time.Millisecond).Truncate(time.Millisecond)
		m := primitive.NewMessage(topic, []byte(body)).WithDelayTimestamp(at)
		sendSync(t, p, m)
		deliverAt[body] = at
		want = append(want, body)
	}
	col.waitAll(t, "the consumer to receive every timer message", want)

	got, _ := col.byBody()
	var lateness []time.Duration
	for _, body := range want {
		due, at, m := deliverAt[body], arr.get(body), got[body]
		if m.Topic != topic || m.GetProperty(primitive.PropertyTimerDeliverMS) != strconv.FormatInt(due.UnixMilli(), 10) {
			t.Errorf("%s: delivered topic %q TIMER_DELIVER_MS %q, want %q %d", body, m.Topic,
				m.GetProperty(primitive.PropertyTimerDeliverMS), topic, due.UnixMilli())
		}
		if at.Before(due.Add(-early)) {
			t.Errorf("%s: consumed at %v, before its deliver time %v", body, at.Format("15:04:05.000"), due.Format("15:04:05.000"))
		}
		lateness = append(lateness, at.Sub(due))
		if late := at.Sub(due); late > maxLateness {
			t.Errorf("%s: consumed %v after its deliver time (limit %v)", body, late, maxLateness)
		}
	}
	t.Logf("timer lateness, consume callback: %s", latenessSummary(lateness))
}
