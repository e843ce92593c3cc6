package conformance

// Store compatibility with Apache RocketMQ, both ways: a store directory
// written by the real Apache broker (5.3.3 and 4.9.7 from Maven Central,
// run by scripts/apache; $BOOSTER_APACHE_VERSIONS picks others) is opened
// and served by Booster, and one Booster wrote is opened and served by
// Apache.
// The writer sends messages with tags, keys, user properties, a compressed
// body and a batch to two topics, a group consumes and commits part of
// one topic, the writer stops cleanly, and the reader then must serve:
// both topics' routes; every message at its queue offset with its body,
// tags, keys, properties and ids intact, as whole records; the index
// (QUERY_MESSAGE by key); the group's committed offsets, from which it
// resumes without re-reading what it had consumed; tag filtering on the
// old consume queues; and new sends that land right after the old
// messages. The Apache-written store then goes back to Apache after
// Booster appended to it (a rollback). A third test SIGKILLs a SYNC_FLUSH
// Booster under load and has Apache recover the store and serve every
// acknowledged message.
//
// They need BOOSTER_APACHE_SCRIPTS (scripts/apache; make conformance sets
// it) plus Java 17 and Maven, and skip otherwise. Each Apache start takes
// ~15-40 s (JVMs and mqadmin polls on a busy 2-core machine) and each
// clean stop ~15-25 s; the three tests take 1-2 min in parallel.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"

	"github.com/booster-mq/booster/internal/testcluster"
)

// TestStoreCompatApacheToBooster: Apache writes, Booster serves and
// appends, then Apache serves again.
func TestStoreCompatApacheToBooster(t *testing.T) {
	scripts := scApacheScripts(t)
	t.Parallel()
	for _, version := range scApacheVersions() {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			store := filepath.Join(t.TempDir(), "store")
			a := scStartApache(t, scripts, version, store)
			w := scWrite(t, scHarness(t, nil, a.NS), a.Broker, "apache"+version)
			a.stop(t)

			c := testcluster.Start(t,
				testcluster.WithConf("storePathRootDir", store),
				testcluster.WithConf("mappedFileSizeCommitLog", strconv.Itoa(scSegment)))
			w = scRead(t, scHarness(t, c, c.NamesrvAddr), w, c.BrokerAddr, "booster")
			c.StopBroker(false)

			// And back: Apache serves the store Booster appended to (a
			// rollback after a migration).
			a = scStartApache(t, scripts, version, store)
			scRead(t, scHarness(t, nil, a.NS), w, a.Broker, "apache"+version)
		})
	}
}

// TestStoreCompatBoosterToApache: Booster writes, Apache serves.
func TestStoreCompatBoosterToApache(t *testing.T) {
	scripts := scApacheScripts(t)
	t.Parallel()
	for _, version := range scApacheVersions() {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			store := filepath.Join(t.TempDir(), "store")
			c := testcluster.Start(t,
				testcluster.WithConf("storePathRootDir", store),
				testcluster.WithConf("mappedFileSizeCommitLog", strconv.Itoa(scSegment)))
			w := scWrite(t, scHarness(t, c, c.NamesrvAddr), c.BrokerAddr, "booster")
			c.StopBroker(false)

			a := scStartApache(t, scripts, version, store)
			scRead(t, scHarness(t, nil, a.NS), w, a.Broker, "apache"+version)
		})
	}
}

// TestStoreCompatBoosterKilledToApache: a booster process under SYNC_FLUSH
// load is killed with SIGKILL, and Apache recovers the store (the abort
// file is there) and serves every acknowledged message at its offset,
// whole, and finds them by key.
func TestStoreCompatBoosterKilledToApache(t *testing.T) {
	scripts := scApacheScripts(t)
	if os.Getenv("BOOSTER_TEST_BINARY") == "" {
		t.Skip("needs the booster binary: set BOOSTER_TEST_BINARY (make conformance does)")
	}
	t.Parallel()
	for _, version := range scApacheVersions() {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			const seg, cqFile = 4 << 20, 2000 * 20 // several segments and queue files
			root := filepath.Join(t.TempDir(), "store")
			c := testcluster.Start(t,
				testcluster.WithConf("flushDiskType", "SYNC_FLUSH"),
				testcluster.WithConf("storePathRootDir", root),
				testcluster.WithConf("mappedFileSizeCommitLog", strconv.Itoa(seg)),
				testcluster.WithConf("mappedFileSizeConsumeQueue", strconv.Itoa(cqFile)))
			seed := uint64(time.Now().UnixNano())
			suffix := fmt.Sprintf("%d_%d", time.Now().UnixNano(), clientSeq.Add(1))
			r := &crashRun{
				t: t, c: c, addr: c.BrokerAddr, root: root,
				topics: []string{"sc_kill_a_" + suffix, "sc_kill_b_" + suffix},
				rng:    rand.New(rand.NewPCG(seed, seed>>7)),
			}
			r.init()
			r.precreate()
			r.produceAndKillAfter(1, 3000)
			t.Logf("booster killed after %d acknowledged messages (seed %d)", r.ackedCount(), seed)
			if _, err := os.Stat(filepath.Join(root, "abort")); err != nil {
				t.Errorf("no abort file after SIGKILL, so Apache would not recover as after a crash: %v", err)
			}

			a := scStartApache(t, scripts, version, root,
				"mappedFileSizeCommitLog="+strconv.Itoa(seg),
				"mappedFileSizeConsumeQueue="+strconv.Itoa(cqFile))
			r.addr = a.Broker
			r.verify(1, true)
			r.checkIndex(0)
			r.sendAfter()
		})
	}
}

// scHarness is a harness for the Go client against the NameServer ns; c
// is nil for an Apache cluster.
func scHarness(t *testing.T, c *testcluster.Cluster, ns string) *harness {
	return &harness{
		t:      t,
		c:      c,
		ns:     primitive.NamesrvAddr{ns},
		suffix: fmt.Sprintf("%d_%d", time.Now().UnixNano(), clientSeq.Add(1)),
	}
}

// scMsg is one message the writer sent and where it went.
type scMsg struct {
	topic, body, tag string
	keys             []string
	props            map[string]string

	queue       int
	offset      int64
	msgID       string // UNIQ_KEY
	offsetMsgID string // store host + commit-log offset
}

// scWritten is what the writer left in the store.
type scWritten struct {
	writer string
	topics []string
	// group consumed and committed the first phase of topics[0].
	group     string
	committed map[int]int64
	consumed  map[string]bool // bodies of that first phase
	msgs      []*scMsg
}

var scTags = []string{"TagA", "TagB", "标签", ""}

// scBody is a message body: mostly short text, sometimes binary, and one
// of 12 KiB (the Go client compresses bodies over 4 KiB).
func scBody(name string, i int) string {
	switch i % 7 {
	case 3:
		b := []byte(name + "|")
		for j := 0; j < 256; j++ {
			b = append(b, byte(j))
		}
		return string(b)
	case 5:
		if i == 5 {
			return name + "|" + strings.Repeat("compressible ", 1000)
		}
	}
	return name + "|" + strings.Repeat("x", i*13%200)
}

func scNewMsg(topic, writer, phase string, ti, i int) *scMsg {
	name := fmt.Sprintf("%s-%s-t%d-%03d", writer, phase, ti, i)
	return &scMsg{
		topic: topic,
		body:  scBody(name, i),
		tag:   scTags[i%len(scTags)],
		keys:  []string{"key-" + name, "shared-" + phase},
		props: map[string]string{"phase": phase, "idx": strconv.Itoa(i), "ünïcode": "välüe ✓ " + name},
	}
}

func (m *scMsg) message() *primitive.Message {
	return message(m.topic, m.body, m.tag, m.keys, m.props)
}

// scSend sends msgs (one batch when there are several) and records where
// they went.
func scSend(t *testing.T, p interface {
	SendSync(context.Context, ...*primitive.Message) (*primitive.SendResult, error)
}, msgs ...*scMsg) {
	t.Helper()
	pm := make([]*primitive.Message, len(msgs))
	for i, m := range msgs {
		pm[i] = m.message()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*sendTimeout)
	defer cancel()
	res, err := p.SendSync(ctx, pm...)
	if err != nil || res.Status != primitive.SendOK {
		t.Fatalf("send to %s: %v %v", msgs[0].topic, err, res)
	}
	// The Go client gives batch messages no UNIQ_KEY (the broker may add
	// one), so their MsgID is unknown here.
	ids := strings.Split(res.MsgID, ",")
	offIDs := strings.Split(res.OffsetMsgID, ",")
	if len(offIDs) != len(msgs) {
		t.Fatalf("send of %d messages: result %s names %d offset ids", len(msgs), res, len(offIDs))
	}
	for i, m := range msgs {
		m.queue, m.offset, m.offsetMsgID = res.MessageQueue.QueueId, res.QueueOffset+int64(i), offIDs[i]
		if len(ids) == len(msgs) {
			m.msgID = ids[i]
		}
	}
}

// scWrite sends two phases of messages to two new topics, with a group
// consuming and committing the first phase of the first topic in between,
// and shuts its clients down.
func scWrite(t *testing.T, h *harness, brokerAddr, writer string) *scWritten {
	t.Helper()
	w := &scWritten{writer: writer, topics: []string{h.name("sca"), h.name("scb")}, group: h.name("scg"), consumed: map[string]bool{}}
	p := h.newProducer()
	phase := func(name string, n int) {
		for ti, topic := range w.topics {
			var batch []*scMsg
			for i := 0; i < n; i++ {
				m := scNewMsg(topic, writer, name, ti, i)
				w.msgs = append(w.msgs, m)
				if i >= n-4 { // the last four go as one batch
					batch = append(batch, m)
					continue
				}
				scSend(t, p, m)
			}
			scSend(t, p, batch...)
		}
	}
	phase("old1", 16)
	var first []string
	for _, m := range w.msgs {
		if m.topic == w.topics[0] {
			first = append(first, m.body)
			w.consumed[m.body] = true
		}
	}
	w.committed = scConsumeAndCommit(t, h, brokerAddr, w.group, w.topics[0], first)
	phase("old2", 10)
	if err := p.Shutdown(); err != nil {
		t.Errorf("producer shutdown: %v", err)
	}
	t.Logf("%s wrote %d messages to %s and %s; group %s committed %v on the first",
		writer, len(w.msgs), w.topics[0], w.topics[1], w.group, w.committed)
	return w
}

// scConsumeAndCommit has a push consumer of group read want (everything
// in topic) and waits until the broker at brokerAddr reports the committed
// offsets (the Go client commits every 5 s) before shutting the consumer
// down: against Apache the commit the client sends on Shutdown alone
// sometimes misses a queue. It returns the broker's offsets.
func scConsumeAndCommit(t *testing.T, h *harness, brokerAddr, group, topic string, want []string) map[int]int64 {
	t.Helper()
	col := &collector{}
	pc := h.startPush(group, topic, subAll, col)
	col.waitAll(t, "group "+group+" to consume", want)
	total := int64(len(want))
	eventually(t, commitWait, "client offsets to cover what was consumed", func() (bool, string) {
		n := pc.committedSum()
		return n == total, fmt.Sprintf("client offsets %v sum to %d, want %d", pc.offsets(), n, total)
	})
	var offs map[int]int64
	eventuallyEvery(t, commitWait, 500*time.Millisecond, "the broker to report the committed offsets", func() (bool, string) {
		offs = scCommittedOffsets(t, brokerAddr, group, topic, len(pc.queues()))
		return sumOffsets(offs) == total, fmt.Sprintf("broker offsets %v, want a sum of %d", offs, total)
	})
	if err := pc.Shutdown(); err != nil {
		t.Errorf("shutdown consumer of %s: %v", group, err)
	}
	return offs
}

// scRead checks that the broker now serving the store (reader) serves
// everything the writer left, then writes more; it returns what the store
// holds then, for another round.
func scRead(t *testing.T, h *harness, w *scWritten, brokerAddr, reader string) *scWritten {
	t.Helper()
	prefix := fmt.Sprintf("%s store served by %s", w.writer, reader)
	t0 := time.Now()
	step := func(what string) { t.Logf("%s: %s (%v)", prefix, what, time.Since(t0).Round(time.Millisecond)) }
	byBody := map[string]*scMsg{}
	for _, m := range w.msgs {
		byBody[m.body] = m
	}

	// Routes, and every message: raw (each record whole, with a matching
	// body CRC; this also gives each queue's end) and through the Go
	// client's pull consumer (which is only asked below the end: at the
	// end the broker would hold its pull for 20 s).
	cl := scDial(t, brokerAddr)
	queueEnd := map[string]map[int]int64{}
	maxPhys := int64(-1)
	for _, topic := range w.topics {
		pc := h.startPull(h.name("scr"), topic)
		mqs, err := pc.GetTopicRouteInfo(topic)
		if err != nil || len(mqs) == 0 {
			t.Fatalf("%s: route of %s: %v (%d queues)", prefix, topic, err, len(mqs))
		}
		queueEnd[topic] = map[int]int64{}
		seen := 0
		for _, mq := range mqs {
			rd := scPullRange(t, cl, topic, int32(mq.QueueId), 0)
			if int64(len(rd.records)) != rd.max || rd.min != 0 {
				t.Errorf("%s: raw read of %s/%d: %d records, min %d max %d", prefix, topic, mq.QueueId, len(rd.records), rd.min, rd.max)
			}
			queueEnd[topic][mq.QueueId] = rd.max
			for off := int64(0); off < rd.max; {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				res, err := pc.PullFrom(ctx, mq, off, 32)
				cancel()
				if err != nil {
					t.Fatalf("%s: PullFrom(%s, %d): %v", prefix, mq, off, err)
				}
				if res.Status != primitive.PullFound || res.NextBeginOffset <= off {
					t.Fatalf("%s: PullFrom(%s, %d) below max offset %d: status %v, next %d", prefix, mq, off, rd.max, res.Status, res.NextBeginOffset)
				}
				for _, got := range res.GetMessageExts() {
					seen++
					want := byBody[string(got.Body)]
					if want == nil || want.topic != topic {
						t.Errorf("%s: %s/%d offset %d: unexpected message %q", prefix, topic, mq.QueueId, got.QueueOffset, abbrev(string(got.Body)))
						continue
					}
					checkMsg(t, got, want.topic, want.body, want.tag, want.keys, want.props)
					if got.Queue.QueueId != want.queue || got.QueueOffset != want.offset {
						t.Errorf("%s: %q at %s/%d offset %d, was sent to queue %d offset %d", prefix, abbrev(want.body),
							topic, got.Queue.QueueId, got.QueueOffset, want.queue, want.offset)
					}
					if (want.msgID != "" && got.MsgId != want.msgID) || got.OffsetMsgId != want.offsetMsgID {
						t.Errorf("%s: %q has ids %s / %s, was sent as %s / %s", prefix, abbrev(want.body),
							got.MsgId, got.OffsetMsgId, want.msgID, want.offsetMsgID)
					}
					maxPhys = max(maxPhys, got.CommitLogOffset)
				}
				off = res.NextBeginOffset
			}
		}
		want := 0
		for _, m := range w.msgs {
			if m.topic == topic {
				want++
			}
		}
		if seen != want {
			t.Errorf("%s: %s serves %d messages, the writer sent %d", prefix, topic, seen, want)
		}
		_ = pc.Shutdown()
	}
	if t.Failed() {
		t.FailNow()
	}
	step("every message read back, raw and with the Go client")

	// Tag codes in the writer's consume queues: a raw pull with a TAG
	// subscription, which the broker filters by the queue units' tag hash
	// codes (Java's String.hashCode over UTF-16, so the non-ASCII tag
	// counts) against the codes it computes from the expression.
	for _, tag := range []string{"TagB", "标签"} {
		want, got := map[string]bool{}, map[string]bool{}
		for _, m := range w.msgs {
			if m.topic == w.topics[1] && m.tag == tag {
				want[m.body] = true
			}
		}
		for q := range queueEnd[w.topics[1]] {
			for _, rec := range scPullFiltered(t, cl, w.topics[1], int32(q), tag) {
				got[scPlainBody(t, rec)] = true
			}
		}
		for b := range want {
			if !got[b] {
				t.Errorf("%s: a pull with subscription %q misses %q", prefix, tag, abbrev(b))
			}
		}
		for b := range got {
			if !want[b] {
				t.Errorf("%s: a pull with subscription %q returns %q", prefix, tag, abbrev(b))
			}
		}
	}

	// QUERY_MESSAGE finds messages by key in the writer's index files.
	for i, m := range w.msgs {
		if i%5 != 0 {
			continue
		}
		found := false
		for _, rec := range scQuery(t, cl, m.topic, m.keys[0]) {
			if scHasKey(rec, m.keys[0]) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: QUERY_MESSAGE does not find %s#%s", prefix, m.topic, m.keys[0])
		}
	}

	step("raw read and QUERY_MESSAGE done")

	// The group's committed offsets survived.
	if got := h.brokerOffsets(w.group, w.topics[0]); fmt.Sprint(got) != fmt.Sprint(w.committed) {
		t.Errorf("%s: group %s's offsets on %s are %v, the writer had %v", prefix, w.group, w.topics[0], got, w.committed)
	}

	step("committed offsets checked")

	// New sends land right after the old messages of their queue.
	p := h.newProducer()
	var fresh []*scMsg
	next := map[string]map[int]int64{}
	for ti, topic := range w.topics {
		next[topic] = map[int]int64{}
		for q, end := range queueEnd[topic] {
			next[topic][q] = end
		}
		for i := 0; i < 8; i++ {
			m := scNewMsg(topic, w.writer+"-"+reader, "new", ti, i)
			scSend(t, p, m)
			fresh = append(fresh, m)
			if m.offset != next[topic][m.queue] {
				t.Errorf("%s: new message to %s/%d got queue offset %d, want %d (right after the old ones)",
					prefix, topic, m.queue, m.offset, next[topic][m.queue])
			}
			next[topic][m.queue] = m.offset + 1
			_, phys := decodeOffsetMsgID(t, m.offsetMsgID)
			if phys <= maxPhys {
				t.Errorf("%s: new message at commit-log offset %d, not after the old ones (up to %d)", prefix, phys, maxPhys)
			}
		}
	}
	_ = p.Shutdown()

	step("new messages sent")

	// The group resumes where it committed: the rest of the old messages
	// and the new ones, nothing it had consumed.
	var want []string
	for _, m := range append(append([]*scMsg(nil), w.msgs...), fresh...) {
		if m.topic == w.topics[0] && !w.consumed[m.body] {
			want = append(want, m.body)
		}
	}
	col := &collector{}
	gc := h.startPush(w.group, w.topics[0], subAll, col)
	col.waitAll(t, prefix+": the group to resume", want)
	var again []string
	for _, m := range col.all() {
		if w.consumed[string(m.Body)] {
			again = append(again, abbrev(string(m.Body)))
		}
	}
	if len(again) > 0 {
		t.Errorf("%s: group %s re-received %d messages it had committed, e.g. %v", prefix, w.group, len(again), head(again, 3))
	}
	got, _ := col.byBody()
	for _, m := range fresh {
		if g := got[m.body]; g != nil {
			checkMsg(t, g, m.topic, m.body, m.tag, m.keys, m.props)
		}
	}

	// Hand the group's new offsets over for a next round: its consumer
	// commits them on shutdown.
	after := &scWritten{writer: w.writer + "+" + reader, topics: w.topics, group: w.group,
		consumed: map[string]bool{}, msgs: append(append([]*scMsg(nil), w.msgs...), fresh...)}
	for _, m := range after.msgs {
		if m.topic == w.topics[0] {
			after.consumed[m.body] = true
		}
	}
	total := int64(len(after.consumed))
	eventually(t, commitWait, prefix+": the group's client offsets to cover everything", func() (bool, string) {
		n := gc.committedSum()
		return n == total, fmt.Sprintf("client offsets %v sum to %d, want %d", gc.offsets(), n, total)
	})
	eventuallyEvery(t, commitWait, 500*time.Millisecond, prefix+": the broker to report the group's new offsets", func() (bool, string) {
		after.committed = scCommittedOffsets(t, brokerAddr, w.group, w.topics[0], len(queueEnd[w.topics[0]]))
		return sumOffsets(after.committed) == total, fmt.Sprintf("offsets %v, want a sum of %d", after.committed, total)
	})
	if err := gc.Shutdown(); err != nil {
		t.Errorf("%s: group consumer shutdown: %v", prefix, err)
	}
	step("the group resumed and committed")

	// A Go client group with a tag subscription gets its messages from the
	// writer's consume queues and the new ones. (ASCII tags only: the Go
	// client sends its subscription's hash codes computed over UTF-8 bytes,
	// which Apache trusts, so against Apache a Go consumer of a non-ASCII
	// tag gets nothing; Booster computes them from the tags as Java does.)
	sel := consumer.MessageSelector{Type: consumer.TAG, Expression: "TagB || TagA"}
	var tagged []string
	for _, m := range append(append([]*scMsg(nil), w.msgs...), fresh...) {
		if m.topic == w.topics[1] && (m.tag == "TagB" || m.tag == "TagA") {
			tagged = append(tagged, m.body)
		}
	}
	tcol := &collector{}
	tc := h.startPush(h.name("sct"), w.topics[1], sel, tcol)
	tcol.waitAll(t, prefix+": a tag-filtered group", tagged)
	_ = tc.Shutdown()
	var wrong []string
	for _, m := range tcol.all() {
		if tag := m.GetTags(); tag != "TagB" && tag != "TagA" {
			wrong = append(wrong, fmt.Sprintf("%q tag %q", abbrev(string(m.Body)), tag))
		}
	}
	sort.Strings(wrong)
	if len(wrong) > 0 {
		t.Errorf("%s: the tag-filtered group received %v", prefix, head(wrong, 5))
	}
	step("tag filtering checked")
	return after
}
