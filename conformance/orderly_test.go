package conformance

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"

	"github.com/booster-mq/booster/internal/testcluster"
)

// orderEvent is one message reaching an orderly consumer's callback.
type orderEvent struct {
	consumer string
	queue    int
	offset   int64
	body     string
}

// orderLog records, in arrival order, what the orderly consumers of a test
// receive.
type orderLog struct {
	mu     sync.Mutex
	events []orderEvent
}

func (l *orderLog) interceptor(name string) primitive.Interceptor {
	return func(ctx context.Context, req, reply any, next primitive.Invoker) error {
		msgs, _ := req.([]*primitive.MessageExt)
		l.mu.Lock()
		for _, m := range msgs {
			l.events = append(l.events, orderEvent{consumer: name, queue: m.Queue.QueueId, offset: m.QueueOffset, body: string(m.Body)})
		}
		l.mu.Unlock()
		return next(ctx, req, reply)
	}
}

func (l *orderLog) all() []orderEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]orderEvent(nil), l.events...)
}

func (l *orderLog) missing(want []string) []string {
	seen := map[string]bool{}
	for _, e := range l.all() {
		seen[e.body] = true
	}
	var out []string
	for _, w := range want {
		if !seen[w] {
			out = append(out, w)
		}
	}
	return out
}

func (l *orderLog) waitAll(t *testing.T, what string, want []string) {
	t.Helper()
	eventually(t, consumeWait, what, func() (bool, string) {
		miss := l.missing(want)
		return len(miss) == 0, fmt.Sprintf("%d of %d missing, e.g. %v", len(miss), len(want), head(miss, 5))
	})
}

// sentAt is where a send put a message.
type sentAt struct {
	queue  int
	offset int64
}

// Orderly consumption with a hash queue selector: two consumers of one
// group split the queues through LOCK_BATCH_MQ, one of them leaves, and
// through both hand-overs every queue is consumed strictly in order,
// without gaps, and by one consumer at a time.
func TestOrderlyConsumption(t *testing.T) {
	if raceDetector {
		// processQueue.takeMessages polls msgCache.Empty() without the
		// queue's mutex while the pull goroutine's putMessage writes the
		// tree (consumer/process_queue.go), so every orderly run trips the
		// race detector inside the client. Run this test without -race.
		t.Skip("rocketmq-client-go's orderly consumer has a data race of its own; run without -race")
	}
	t.Parallel()
	// Go's client does not unlock the queues it loses in a rebalance, so the
	// new owner waits for the broker lock to expire; shorten that wait.
	h := newHarness(t, testcluster.WithConf("rocketmq.broker.rebalance.lockMaxLiveTime", "3000"))
	topic := h.name("t")
	group := h.name("g")
	p := h.newProducer(producer.WithQueueSelector(producer.NewHashQueueSelector()))

	sent := map[string]sentAt{}
	const keys = 16
	send := func(phase string, rounds int) []string {
		var bodies []string
		for i := 0; i < rounds; i++ {
			for k := 0; k < keys; k++ {
				body := fmt.Sprintf("%s-k%02d-%03d", phase, k, i)
				m := primitive.NewMessage(topic, []byte(body))
				m.WithShardingKey(fmt.Sprintf("k%02d", k))
				res := sendSync(t, p, m)
				sent[body] = sentAt{queue: res.MessageQueue.QueueId, offset: res.QueueOffset}
				bodies = append(bodies, body)
			}
		}
		return bodies
	}

	log := &orderLog{}
	opts := func(name string) []consumer.Option {
		return []consumer.Option{consumer.WithConsumerOrder(true), consumer.WithRebalanceLockInterval(time.Second),
			consumer.WithInterceptor(log.interceptor(name))}
	}
	phase1 := send("p1", 4)
	queues := h.topicQueueIDs(topic)
	a := h.startPush(group, topic, subAll, &collector{}, opts("A")...)
	log.waitAll(t, "consumer A to receive the first phase", phase1)

	b := h.startPush(group, topic, subAll, &collector{}, opts("B")...)
	splitWait := consumeWait
	if h.c.External {
		splitWait += 30 * time.Second // Java's 60 s lock expiry + a 20 s rebalance round
	}
	eventually(t, splitWait, "A and B to split the queues", func() (bool, string) {
		qa, qb := a.queues(), b.queues()
		seen := map[int]bool{}
		for _, q := range append(append([]int(nil), qa...), qb...) {
			seen[q] = true
		}
		return len(qa) > 0 && len(qb) > 0 && len(qa)+len(qb) == len(queues) && len(seen) == len(queues),
			fmt.Sprintf("A holds %v, B holds %v, topic has %v", qa, qb, queues)
	})
	t.Logf("queues split: A %v, B %v", a.queues(), b.queues())
	phase2 := send("p2", 4)
	log.waitAll(t, "A and B to receive the second phase", phase2)

	if err := a.Shutdown(); err != nil { // unlocks its queues
		t.Fatalf("shutdown A: %v", err)
	}
	eventually(t, consumeWait, "B to take over every queue", func() (bool, string) {
		qb := b.queues()
		return len(qb) == len(queues), fmt.Sprintf("B holds %v of %v", qb, queues)
	})
	phase3 := send("p3", 4)
	log.waitAll(t, "B to receive the third phase", phase3)

	checkOrder(t, log.all(), sent)
	byPhase := map[string]map[string]int{}
	for _, e := range log.all() {
		ph := e.body[:2]
		if byPhase[ph] == nil {
			byPhase[ph] = map[string]int{}
		}
		byPhase[ph][e.consumer]++
	}
	t.Logf("deliveries by phase and consumer: %v", byPhase)
	if byPhase["p2"]["A"] == 0 || byPhase["p2"]["B"] == 0 {
		t.Errorf("the second phase was not shared by both consumers: %v", byPhase["p2"])
	}
	if byPhase["p3"]["A"] != 0 {
		t.Errorf("consumer A received %d third-phase messages after its shutdown", byPhase["p3"]["A"])
	}
}

// checkOrder verifies orderly delivery: every message arrives from the
// queue and offset it was sent to; each consumer sees each queue's offsets
// strictly increasing; and across consumers the first delivery of each
// offset follows the previous one without a gap (a redelivery of an
// already consumed offset, at least once, is allowed and counted).
func checkOrder(t *testing.T, events []orderEvent, sent map[string]sentAt) {
	t.Helper()
	last := map[string]int64{}  // consumer/queue → last offset
	frontier := map[int]int64{} // queue → highest offset delivered so far
	owner := map[int]string{}   // queue → consumer of the frontier
	var redelivered, handovers int
	for i, e := range events {
		if s, ok := sent[e.body]; ok && (s.queue != e.queue || s.offset != e.offset) {
			t.Errorf("%s arrived from queue %d offset %d, sent to queue %d offset %d", e.body, e.queue, e.offset, s.queue, s.offset)
		}
		k := fmt.Sprintf("%s/%d", e.consumer, e.queue)
		if prev, ok := last[k]; ok && e.offset <= prev {
			t.Errorf("event %d: consumer %s got queue %d offset %d after offset %d", i, e.consumer, e.queue, e.offset, prev)
		}
		last[k] = e.offset
		f, ok := frontier[e.queue]
		if !ok {
			f = -1
		}
		switch {
		case e.offset == f+1:
			frontier[e.queue] = e.offset
			if owner[e.queue] != "" && owner[e.queue] != e.consumer {
				handovers++
			}
			owner[e.queue] = e.consumer
		case e.offset > f+1:
			t.Errorf("event %d: queue %d jumped from offset %d to %d (consumer %s): offsets skipped", i, e.queue, f, e.offset, e.consumer)
			frontier[e.queue] = e.offset
		default:
			redelivered++
		}
	}
	var qs []int
	for q := range frontier {
		qs = append(qs, q)
	}
	sort.Ints(qs)
	t.Logf("%d deliveries, %d redeliveries after a hand-over, %d queue hand-overs, queues %v", len(events), redelivered, handovers, qs)
}

// An orderly consumer that answers SUSPEND_CURRENT_QUEUE_A_MOMENT gets the
// same message again after the pause, before anything behind it in that
// queue: every queue is still consumed strictly in order, with no gap.
func TestOrderlySuspendRetriesInOrder(t *testing.T) {
	if raceDetector {
		t.Skip("rocketmq-client-go's orderly consumer has a data race of its own; run without -race")
	}
	t.Parallel()
	h := newHarness(t)
	topic := h.name("t")
	p := h.newProducer(producer.WithQueueSelector(producer.NewHashQueueSelector()))
	const keys, rounds = 8, 10
	var want []string
	for i := range rounds {
		for k := range keys {
			m := primitive.NewMessage(topic, []byte(fmt.Sprintf("k%02d-%03d", k, i)))
			m.WithShardingKey(fmt.Sprintf("k%02d", k))
			sendSync(t, p, m)
			want = append(want, string(m.Body))
		}
	}
	var (
		mu        sync.Mutex
		attempts  = map[string]int{}
		done      = map[int][]int64{} // queue → offsets consumed successfully, in order
		delivered = map[int][]int64{} // queue → offsets delivered, in order
	)
	consume := func(_ context.Context, msgs ...*primitive.MessageExt) (consumer.ConsumeResult, error) {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range msgs {
			delivered[m.Queue.QueueId] = append(delivered[m.Queue.QueueId], m.QueueOffset)
			attempts[string(m.Body)]++
		}
		// Every third message of a queue is refused once.
		for _, m := range msgs {
			if m.QueueOffset%3 == 1 && attempts[string(m.Body)] == 1 {
				return consumer.SuspendCurrentQueueAMoment, nil
			}
		}
		for _, m := range msgs {
			done[m.Queue.QueueId] = append(done[m.Queue.QueueId], m.QueueOffset)
		}
		return consumer.ConsumeSuccess, nil
	}
	pc, err := consumer.NewPushConsumer(
		consumer.WithNameServer(h.ns),
		consumer.WithGroupName(h.name("g")),
		consumer.WithInstance(instanceName("push")),
		consumer.WithConsumerOrder(true),
		consumer.WithConsumeFromWhere(consumer.ConsumeFromFirstOffset),
		consumer.WithSuspendCurrentQueueTimeMillis(100*time.Millisecond),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := pc.Subscribe(topic, subAll, consume); err != nil {
		t.Fatal(err)
	}
	if err := pc.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = shutdownConsumer(pc) })
	eventually(t, consumeWait, "every message consumed", func() (bool, string) {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, offs := range done {
			n += len(offs)
		}
		return n >= len(want), fmt.Sprintf("%d of %d consumed", n, len(want))
	})
	mu.Lock()
	defer mu.Unlock()
	for q, offs := range done {
		for i, off := range offs {
			if off != int64(i) {
				t.Fatalf("queue %d consumed out of order: %v", q, offs)
			}
		}
		// A refused message comes back right after itself.
		d := delivered[q]
		for i := 1; i < len(d); i++ {
			if d[i] != d[i-1]+1 && !(d[i] == d[i-1] && d[i]%3 == 1) {
				t.Fatalf("queue %d delivered %v", q, d)
			}
		}
	}
	retried := 0
	for body, n := range attempts {
		if n > 2 {
			t.Errorf("%s delivered %d times", body, n)
		}
		if n == 2 {
			retried++
		}
	}
	if retried == 0 {
		t.Error("no message was delivered again after SUSPEND_CURRENT_QUEUE_A_MOMENT")
	}
}
