package conformance

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"
)

var subAll = consumer.MessageSelector{Type: consumer.TAG, Expression: "*"}

// checkSendResult checks what every successful send reports: a client
// message id, an offset message id naming the broker, and the queue.
func checkSendResult(t *testing.T, h *harness, topic string, res *primitive.SendResult) {
	t.Helper()
	if res.MsgID == "" {
		t.Errorf("send result %s: empty MsgID", res)
	}
	if res.OffsetMsgID == "" {
		t.Errorf("send result %s: empty OffsetMsgID", res)
	} else {
		addr, _ := decodeOffsetMsgID(t, res.OffsetMsgID)
		if !h.c.External && addr != h.c.BrokerAddr {
			t.Errorf("OffsetMsgID %s decodes to %s, want the broker's %s", res.OffsetMsgID, addr, h.c.BrokerAddr)
		}
	}
	if res.MessageQueue == nil || res.MessageQueue.Topic != topic || res.MessageQueue.BrokerName == "" {
		t.Errorf("send result %s: bad message queue", res)
	}
	if res.QueueOffset < 0 {
		t.Errorf("send result %s: negative queue offset", res)
	}
}

// checkDelivered compares a consumed message with the result of its send.
func checkDelivered(t *testing.T, body string, m *primitive.MessageExt, res *primitive.SendResult) {
	t.Helper()
	if m.MsgId != res.MsgID {
		t.Errorf("%s: consumed MsgId %s, send result said %s", body, m.MsgId, res.MsgID)
	}
	if m.OffsetMsgId != res.OffsetMsgID {
		t.Errorf("%s: consumed OffsetMsgId %s, send result said %s", body, m.OffsetMsgId, res.OffsetMsgID)
	}
	if m.Queue == nil || m.Queue.QueueId != res.MessageQueue.QueueId {
		t.Errorf("%s: consumed from queue %v, sent to queue %d", body, m.Queue, res.MessageQueue.QueueId)
	}
	if m.QueueOffset != res.QueueOffset {
		t.Errorf("%s: consumed queue offset %d, send result said %d", body, m.QueueOffset, res.QueueOffset)
	}
	if res.OffsetMsgID != "" {
		addr, off := decodeOffsetMsgID(t, res.OffsetMsgID)
		if addr != m.StoreHost {
			t.Errorf("%s: OffsetMsgID names %s, message's store host is %s", body, addr, m.StoreHost)
		}
		if off != m.CommitLogOffset {
			t.Errorf("%s: OffsetMsgID names commit-log offset %d, message's is %d", body, off, m.CommitLogOffset)
		}
	}
}

func TestSendSyncAsyncOneway(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.name("t")
	p := h.newProducer()
	ctx := context.Background()

	results := map[string]*primitive.SendResult{}
	var want []string

	for i := 0; i < 3; i++ {
		body := fmt.Sprintf("sync-%d", i)
		res := sendSync(t, p, primitive.NewMessage(topic, []byte(body)))
		checkSendResult(t, h, topic, res)
		results[body] = res
		want = append(want, body)
	}

	type asyncResult struct {
		body string
		res  *primitive.SendResult
		err  error
	}
	const nAsync = 3
	ch := make(chan asyncResult, nAsync)
	for i := 0; i < nAsync; i++ {
		body := fmt.Sprintf("async-%d", i)
		err := p.SendAsync(ctx, func(_ context.Context, res *primitive.SendResult, err error) {
			ch <- asyncResult{body, res, err}
		}, primitive.NewMessage(topic, []byte(body)))
		if err != nil {
			t.Fatalf("SendAsync %s: %v", body, err)
		}
		want = append(want, body)
	}
	timeout := time.After(2 * sendTimeout)
	for i := 0; i < nAsync; i++ {
		select {
		case r := <-ch:
			if r.err != nil {
				t.Fatalf("SendAsync %s callback: %v", r.body, r.err)
			}
			if r.res.Status != primitive.SendOK {
				t.Fatalf("SendAsync %s: status %v, want SEND_OK", r.body, r.res.Status)
			}
			checkSendResult(t, h, topic, r.res)
			results[r.body] = r.res
		case <-timeout:
			t.Fatalf("only %d of %d SendAsync callbacks ran within %v", i, nAsync, 2*sendTimeout)
		}
	}

	for i := 0; i < 3; i++ {
		body := fmt.Sprintf("oneway-%d", i)
		if err := p.SendOneWay(ctx, primitive.NewMessage(topic, []byte(body))); err != nil {
			t.Fatalf("SendOneWay %s: %v", body, err)
		}
		want = append(want, body)
	}

	col := &collector{}
	h.startPush(h.name("g"), topic, subAll, col)
	col.waitAll(t, "the push consumer to receive the sync, async and one-way messages", want)

	got, _ := col.byBody()
	for body, res := range results {
		checkDelivered(t, body, got[body], res)
	}
	for _, body := range want {
		if m := got[body]; m.Topic != topic || m.MsgId == "" {
			t.Errorf("%s: consumed topic %q, MsgId %q", body, m.Topic, m.MsgId)
		}
	}
}

func TestPushConsumerReceivesEverything(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.name("t")
	p := h.newProducer()

	type spec struct {
		tag   string
		keys  []string
		props map[string]string
	}
	const n = 100
	specs := map[string]spec{}
	var want []string
	for i := 0; i < n; i++ {
		body := fmt.Sprintf("msg-%03d", i)
		if i%10 == 0 {
			// Above the client's 4 KiB threshold: sent zlib-compressed
			// with the compressed sysflag, and inflated by the consumer.
			body += ":" + strings.Repeat(fmt.Sprintf("large body %03d;", i), 600)
		}
		s := spec{
			tag:  fmt.Sprintf("Tag%d", i%3),
			keys: []string{fmt.Sprintf("key-%03d", i), fmt.Sprintf("alt-%03d", i)},
			props: map[string]string{
				"seq":     strconv.Itoa(i),
				"color":   []string{"red", "green", "blue"}[i%3],
				"unicode": "héllo wörld ✓",
				"note":    "a=b; c:d, e",
			},
		}
		specs[body] = s
		want = append(want, body)
		sendSync(t, p, message(topic, body, s.tag, s.keys, s.props))
	}

	col := &collector{}
	h.startPush(h.name("g"), topic, subAll, col)
	col.waitAll(t, "the push consumer to receive all 100 messages", want)

	got, count := col.byBody()
	dups := 0
	for body, c := range count {
		s, ok := specs[body]
		if !ok {
			t.Errorf("received a message that was never sent: %q", abbrev(body))
			continue
		}
		dups += c - 1
		checkMsg(t, got[body], topic, body, s.tag, s.keys, s.props)
	}
	if dups > 0 {
		t.Logf("%d duplicate deliveries (allowed: at-least-once)", dups)
	}
}

func TestTagFilter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.name("t")
	p := h.newProducer()

	var want []string
	for i := 0; i < 10; i++ {
		for _, tag := range []string{"TagA", "TagB", "TagC"} {
			body := fmt.Sprintf("%s-%02d", tag, i)
			sendSync(t, p, message(topic, body, tag, nil, nil))
			if tag != "TagB" {
				want = append(want, body)
			}
		}
	}

	col := &collector{}
	h.startPush(h.name("g"), topic, consumer.MessageSelector{Type: consumer.TAG, Expression: "TagA || TagC"}, col)
	col.waitAll(t, "the TagA || TagC consumer to receive every TagA and TagC message", want)
	// Give a wrongly delivered TagB message a moment to show up.
	time.Sleep(time.Second)
	for _, m := range col.all() {
		if tag := m.GetTags(); tag != "TagA" && tag != "TagC" {
			t.Errorf("consumer subscribed to TagA || TagC received %q with tag %q", m.Body, tag)
		}
	}
}

// topicQueueIDs returns the topic's (read) queue ids as the NameServer
// routes them.
func (h *harness) topicQueueIDs(topic string) []int {
	h.t.Helper()
	pc := h.startPull(h.name("probe"), topic)
	defer func() { _ = pc.Shutdown() }()
	mqs, err := pc.GetTopicRouteInfo(topic)
	if err != nil {
		h.t.Fatalf("route of %s: %v", topic, err)
	}
	var ids []int
	for _, mq := range mqs {
		ids = append(ids, mq.QueueId)
	}
	sort.Ints(ids)
	return ids
}

func queueSet(msgs []*primitive.MessageExt, bodyPrefix string) map[int]bool {
	out := map[int]bool{}
	for _, m := range msgs {
		if strings.HasPrefix(string(m.Body), bodyPrefix) {
			out[m.Queue.QueueId] = true
		}
	}
	return out
}

func TestTwoConsumersSplitQueues(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.name("t")
	group := h.name("g")
	p := h.newProducer()

	sendSync(t, p, primitive.NewMessage(topic, []byte("warmup"))) // creates the topic
	queues := h.topicQueueIDs(topic)
	if len(queues) < 2 {
		t.Fatalf("auto-created topic has queues %v, want at least 2 (the producer asks for 4)", queues)
	}

	col1, col2 := &collector{}, &collector{}
	c1 := h.startPush(group, topic, subAll, col1)
	c2 := h.startPush(group, topic, subAll, col2)
	eventually(t, consumeWait, "the two consumers to split the topic's queues", func() (bool, string) {
		q1, q2 := c1.queues(), c2.queues()
		seen := map[int]int{}
		for _, q := range append(append([]int(nil), q1...), q2...) {
			seen[q]++
		}
		ok := len(q1) > 0 && len(q2) > 0 && len(q1)+len(q2) == len(queues) && len(seen) == len(queues)
		return ok, fmt.Sprintf("consumer 1 holds %v, consumer 2 holds %v, topic has %v", q1, q2, queues)
	})
	q1, q2 := c1.queues(), c2.queues()
	t.Logf("queues split: %v / %v", q1, q2)

	var split []string
	for i := 0; i < 10*len(queues); i++ {
		body := fmt.Sprintf("split-%03d", i)
		sendSync(t, p, primitive.NewMessage(topic, []byte(body)))
		split = append(split, body)
	}
	eventually(t, consumeWait, "the two consumers together to receive every message", func() (bool, string) {
		_, n1 := col1.byBody()
		_, n2 := col2.byBody()
		var miss []string
		for _, b := range split {
			if n1[b] == 0 && n2[b] == 0 {
				miss = append(miss, b)
			}
		}
		return len(miss) == 0, fmt.Sprintf("%d missing, e.g. %v", len(miss), head(miss, 5))
	})
	s1, s2 := queueSet(col1.all(), "split-"), queueSet(col2.all(), "split-")
	if len(s1) == 0 || len(s2) == 0 {
		t.Errorf("queues not split: consumer 1 got messages from queues %v, consumer 2 from %v", s1, s2)
	}
	for q := range s1 {
		if s2[q] {
			t.Errorf("both consumers received messages of queue %d (consumer 1 holds %v, consumer 2 %v)", q, q1, q2)
		}
	}

	// Consumer 2 leaves: consumer 1 takes over its queues and gets all of
	// what is sent from now on.
	if err := c2.Shutdown(); err != nil {
		t.Fatalf("shutdown consumer 2: %v", err)
	}
	var after []string
	for i := 0; i < 5*len(queues); i++ {
		body := fmt.Sprintf("after-%03d", i)
		sendSync(t, p, primitive.NewMessage(topic, []byte(body)))
		after = append(after, body)
	}
	col1.waitAll(t, "the remaining consumer to take over all queues and receive every new message", after)
	if got := c1.queues(); len(got) != len(queues) {
		t.Errorf("remaining consumer holds queues %v, want all of %v", got, queues)
	}
}

// queueSelectorFunc adapts a function to producer.QueueSelector.
type queueSelectorFunc func(*primitive.Message, []*primitive.MessageQueue, string) *primitive.MessageQueue

func (f queueSelectorFunc) Select(m *primitive.Message, mqs []*primitive.MessageQueue, last string) *primitive.MessageQueue {
	return f(m, mqs, last)
}

func TestPullConsumerByOffset(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.name("t")
	// Send everything to the queue with the lowest id.
	p := h.newProducer(producer.WithQueueSelector(queueSelectorFunc(
		func(_ *primitive.Message, mqs []*primitive.MessageQueue, _ string) *primitive.MessageQueue {
			best := mqs[0]
			for _, mq := range mqs {
				if mq.QueueId < best.QueueId {
					best = mq
				}
			}
			return best
		})))

	const n = 10
	body := func(i int64) string { return fmt.Sprintf("pull-%02d", i) }
	qid := -1
	for i := int64(0); i < n; i++ {
		res := sendSync(t, p, message(topic, body(i), "TagP", []string{body(i)}, nil))
		if qid == -1 {
			qid = res.MessageQueue.QueueId
		}
		if res.MessageQueue.QueueId != qid || res.QueueOffset != i {
			t.Fatalf("send %d went to queue %d offset %d, want queue %d offset %d", i, res.MessageQueue.QueueId, res.QueueOffset, qid, i)
		}
	}

	pc := h.startPull(h.name("g"), topic)
	mqs, err := pc.GetTopicRouteInfo(topic)
	if err != nil {
		t.Fatalf("GetTopicRouteInfo: %v", err)
	}
	var mq *primitive.MessageQueue
	for _, q := range mqs {
		if q.QueueId == qid {
			mq = q
		}
	}
	if mq == nil {
		t.Fatalf("route of %s has no queue %d: %v", topic, qid, mqs)
	}

	pull := func(offset int64, num int) *primitive.PullResult {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		res, err := pc.PullFrom(ctx, mq, offset, num)
		if err != nil {
			t.Fatalf("PullFrom(offset %d, %d): %v", offset, num, err)
		}
		if res.Status != primitive.PullFound {
			t.Fatalf("PullFrom(offset %d, %d): status %v, want FOUND (next %d, min %d, max %d)",
				offset, num, res.Status, res.NextBeginOffset, res.MinOffset, res.MaxOffset)
		}
		if len(res.GetMessageExts()) == 0 || len(res.GetMessageExts()) > num {
			t.Fatalf("PullFrom(offset %d, %d): %d messages", offset, num, len(res.GetMessageExts()))
		}
		if res.MinOffset != 0 || res.MaxOffset != n {
			t.Errorf("PullFrom(offset %d): min/max offset %d/%d, want 0/%d", offset, res.MinOffset, res.MaxOffset, n)
		}
		return res
	}

	// Read the whole queue from offset 0; the broker may answer in pieces.
	for offset := int64(0); offset < n; {
		res := pull(offset, int(n-offset))
		for _, m := range res.GetMessageExts() {
			if m.QueueOffset != offset {
				t.Fatalf("message at position %d has queue offset %d", offset, m.QueueOffset)
			}
			checkMsg(t, m, topic, body(offset), "TagP", []string{body(offset)}, nil)
			offset++
		}
		if res.NextBeginOffset != offset {
			t.Errorf("next begin offset %d after reading up to %d", res.NextBeginOffset, offset)
		}
	}

	// And from the middle.
	res := pull(4, 3)
	for i, m := range res.GetMessageExts() {
		want := int64(4 + i)
		if m.QueueOffset != want || string(m.Body) != body(want) {
			t.Errorf("pull from 4: message %d is offset %d body %q, want offset %d body %q", i, m.QueueOffset, m.Body, want, body(want))
		}
	}
	if want := int64(4 + len(res.GetMessageExts())); res.NextBeginOffset != want {
		t.Errorf("pull from 4: next begin offset %d, want %d", res.NextBeginOffset, want)
	}
}

func TestConsumerResumesFromCommittedOffset(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.name("t")
	group := h.name("g")
	p := h.newProducer()

	const nOld, nNew = 20, 10
	var old, fresh []string
	for i := 0; i < nOld; i++ {
		old = append(old, fmt.Sprintf("old-%02d", i))
		sendSync(t, p, primitive.NewMessage(topic, []byte(old[i])))
	}
	h.consumeAndCommit(group, topic, old, nOld)

	for i := 0; i < nNew; i++ {
		fresh = append(fresh, fmt.Sprintf("new-%02d", i))
		sendSync(t, p, primitive.NewMessage(topic, []byte(fresh[i])))
	}
	col := &collector{}
	c2 := h.startPush(group, topic, subAll, col)
	col.waitAll(t, "the restarted group to receive the new messages", fresh)
	eventually(t, consumeWait, "the restarted group's offsets to reach the end", func() (bool, string) {
		n := c2.committedSum()
		return n == nOld+nNew, fmt.Sprintf("offsets %v sum to %d, want %d", c2.offsets(), n, nOld+nNew)
	})
	if again := redelivered(col.all(), "old-"); len(again) > 0 {
		t.Errorf("restarted group re-received %d of the %d messages consumed before the shutdown (e.g. %v), so it did not resume from the committed offsets",
			len(again), nOld, head(again, 5))
	}
}

// redelivered lists (once each, sorted) the received bodies with prefix,
// with their queue and offset.
func redelivered(msgs []*primitive.MessageExt, prefix string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range msgs {
		b := string(m.Body)
		if strings.HasPrefix(b, prefix) && !seen[b] {
			seen[b] = true
			out = append(out, fmt.Sprintf("%s@q%d/o%d", b, m.Queue.QueueId, m.QueueOffset))
		}
	}
	sort.Strings(out)
	return out
}

func TestBrokerRestartKeepsMessagesAndOffsets(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if !h.c.CanRestart() {
		t.Skip("the cluster under test cannot be restarted")
	}
	topic := h.name("t")
	group := h.name("g")
	p := h.newProducer()

	props := func(body string) map[string]string { return map[string]string{"origin": body, "phase": body[:5]} }
	keys := func(body string) []string { return []string{"k-" + body} }
	var first, second []string
	for i := 0; i < 20; i++ {
		b := fmt.Sprintf("first-%02d", i)
		first = append(first, b)
		sendSync(t, p, message(topic, b, "TagR", keys(b), props(b)))
	}
	h.consumeAndCommit(group, topic, first, int64(len(first)))
	for i := 0; i < 20; i++ {
		b := fmt.Sprintf("secnd-%02d", i)
		second = append(second, b)
		sendSync(t, p, message(topic, b, "TagR", keys(b), props(b)))
	}
	_ = p.Shutdown()

	h.c.RestartBroker()

	// Sending works again after the restart.
	p2 := h.newProducer()
	const post = "after-restart"
	sendSync(t, p2, message(topic, post, "TagR", keys(post), props(post)))

	// The group continues from its committed offset.
	col := &collector{}
	c := h.startPush(group, topic, subAll, col)
	col.waitAll(t, "the group to continue after the restart", append(append([]string(nil), second...), post))
	total := int64(len(first) + len(second) + 1)
	eventually(t, consumeWait, "the group's offsets to reach the end", func() (bool, string) {
		n := c.committedSum()
		return n == total, fmt.Sprintf("offsets %v sum to %d, want %d", c.offsets(), n, total)
	})
	if again := redelivered(col.all(), "first-"); len(again) > 0 {
		t.Errorf("after the restart the group re-received %d of the %d messages it had consumed and committed (e.g. %v)",
			len(again), len(first), head(again, 5))
	}

	// A new group reads everything, intact.
	all := append(append(append([]string(nil), first...), second...), post)
	colNew := &collector{}
	h.startPush(h.name("g"), topic, subAll, colNew)
	colNew.waitAll(t, "a new group to read every message after the restart", all)
	got, _ := colNew.byBody()
	for _, b := range all {
		checkMsg(t, got[b], topic, b, "TagR", keys(b), props(b))
	}
}

func TestSendBatch(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.name("t")
	p := h.newProducer()
	sendSync(t, p, primitive.NewMessage(topic, []byte("warmup"))) // creates the topic

	const n = 10
	var msgs []*primitive.Message
	var bodies []string
	tag := func(i int) string { return fmt.Sprintf("Batch%d", i%2) }
	keys := func(i int) []string { return []string{fmt.Sprintf("bk-%02d", i)} }
	props := func(i int) map[string]string { return map[string]string{"idx": strconv.Itoa(i)} }
	for i := 0; i < n; i++ {
		b := fmt.Sprintf("batch-%02d", i)
		bodies = append(bodies, b)
		msgs = append(msgs, message(topic, b, tag(i), keys(i), props(i)))
	}
	res := sendSync(t, p, msgs...)
	if res.MessageQueue == nil || res.MessageQueue.Topic != topic {
		t.Fatalf("batch send result %s: bad message queue", res)
	}
	// The broker answers a batch with one offset message id per message,
	// comma separated, and the queue offset of the first message.
	ids := strings.Split(res.OffsetMsgID, ",")
	if len(ids) != n {
		t.Errorf("batch OffsetMsgID %q holds %d ids, want %d", res.OffsetMsgID, len(ids), n)
	}
	lastOff := int64(-1)
	for _, id := range ids {
		addr, off := decodeOffsetMsgID(t, id)
		if !h.c.External && addr != h.c.BrokerAddr {
			t.Errorf("batch OffsetMsgID %s decodes to %s, want the broker's %s", id, addr, h.c.BrokerAddr)
		}
		if off <= lastOff {
			t.Errorf("batch OffsetMsgIDs not increasing: %s", res.OffsetMsgID)
		}
		lastOff = off
	}

	col := &collector{}
	h.startPush(h.name("g"), topic, subAll, col)
	col.waitAll(t, "the push consumer to receive the whole batch", append([]string{"warmup"}, bodies...))
	got, _ := col.byBody()
	for i, b := range bodies {
		m := got[b]
		checkMsg(t, m, topic, b, tag(i), keys(i), props(i))
		if m.Queue.QueueId != res.MessageQueue.QueueId {
			t.Errorf("%s: consumed from queue %d, batch was sent to %d", b, m.Queue.QueueId, res.MessageQueue.QueueId)
		}
		if want := res.QueueOffset + int64(i); m.QueueOffset != want {
			t.Errorf("%s: queue offset %d, want %d (batch starts at %d)", b, m.QueueOffset, want, res.QueueOffset)
		}
		if len(ids) == n && m.OffsetMsgId != ids[i] {
			t.Errorf("%s: consumed OffsetMsgId %s, batch send result listed %s", b, m.OffsetMsgId, ids[i])
		}
	}
}

// TestConsumerStartsRightAfterAutoCreatingSend is the README quick start:
// a send auto-creates a topic, and a push consumer of that topic started
// right after its answer must find the topic's route (the Go client's
// Start fails outright when the NameServer does not know the topic yet),
// so the broker registers a topic a send creates before it answers.
func TestConsumerStartsRightAfterAutoCreatingSend(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// (The quick start's producer and consumer share one client instance;
	// here each has its own: sharing one trips a data race inside the Go
	// client under -race.)
	p := h.newProducer()
	for i := range 5 {
		topic := h.name(fmt.Sprintf("t%d", i))
		body := fmt.Sprintf("first-%d", i)
		sendSync(t, p, primitive.NewMessage(topic, []byte(body)))
		col := &collector{}
		pc, err := consumer.NewPushConsumer(consumer.WithNameServer(h.ns), consumer.WithGroupName(h.name(fmt.Sprintf("g%d", i))),
			consumer.WithInstance(instanceName("push")), consumer.WithConsumeFromWhere(consumer.ConsumeFromFirstOffset))
		if err != nil {
			t.Fatal(err)
		}
		if err := pc.Subscribe(topic, subAll, col.consume); err != nil {
			t.Fatal(err)
		}
		if err := pc.Start(); err != nil {
			t.Fatalf("consumer of %s started right after the send that created it: %v", topic, err)
		}
		t.Cleanup(func() { _ = shutdownConsumer(pc) })
		col.waitAll(t, "the message that created the topic", []string{body})
	}
}
