package conformance

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

var (
	crashCyclesFlag = flag.Int("crash.cycles", 0,
		"SIGKILL cycles of TestCrashSyncFlushKeepsAcknowledged (default 3, or $BOOSTER_CRASH_CYCLES)")
	crashTearFlag = flag.Bool("crash.tear", true,
		"after some kills, also zero unacknowledged commit-log sectors as a power loss would")
	crashAutoCreateFlag = flag.Bool("crash.autocreate", false,
		"let the concurrent producers auto-create the topics instead of one send per topic first")
)

// crashCycles is the number of kill cycles: -crash.cycles, else
// $BOOSTER_CRASH_CYCLES, else 3 (small enough for make test).
func crashCycles(t *testing.T) int {
	if *crashCyclesFlag > 0 {
		return *crashCyclesFlag
	}
	if v := os.Getenv("BOOSTER_CRASH_CYCLES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			t.Fatalf("BOOSTER_CRASH_CYCLES=%q is not a positive number", v)
		}
		return n
	}
	return 3
}

const (
	crashQueues    = 4
	crashProducers = 8 // goroutines, two per connection
	crashSegment   = 1 << 20
	crashSector    = 512
)

// Message states in the ledger.
const (
	crashInDoubt = iota // sent; no code-0 answer (yet)
	crashAcked          // answered with code 0: must survive every crash
	crashSeen           // not acknowledged, but served after a restart: must stay
)

// crashMsg is one sent message. Its body is id + "|" + crashFiller(id, fill).
type crashMsg struct {
	topic  int
	state  int
	queue  int32 // where it was acknowledged or seen
	offset int64
	phys   int64
	fill   int
	cycle  int
	code   wire.ResponseCode // last non-zero answer, for the report
}

type crashSlot struct {
	topic  int
	queue  int32
	offset int64
}

// crashLedger records every sent message and, for each queue offset, the
// message that must be there from now on.
type crashLedger struct {
	mu    sync.Mutex
	msgs  map[string]*crashMsg
	slots map[crashSlot]string
	// maxPhys is the highest commit-log offset of a message that must stay
	// (-1 for none): the log past that record's end is what a power loss
	// may take.
	maxPhys int64
	acked   int
	codes   map[wire.ResponseCode]int
	errs    []string
}

func (l *crashLedger) errorf(format string, args ...any) {
	l.errs = append(l.errs, fmt.Sprintf(format, args...))
}

func crashID(cycle, producer, seq, i int) string {
	return fmt.Sprintf("c%d-p%d-s%d-%d", cycle, producer, seq, i)
}

func crashKey(id string) string { return "ck-" + id }

func crashTag(id string) string {
	switch crc32.ChecksumIEEE([]byte(id)) % 3 {
	case 0:
		return "TagA"
	case 1:
		return "TagB"
	}
	return ""
}

// crashFiller is n deterministic bytes derived from id, so a body can be
// checked byte for byte without keeping it.
func crashFiller(id string, n int) []byte {
	h := crc32.ChecksumIEEE([]byte(id))
	b := make([]byte, n)
	for i := range b {
		h = h*1664525 + 1013904223
		b[i] = 'a' + byte(h>>24)%26
	}
	return b
}

func crashBody(id string, fill int) []byte {
	return append([]byte(id+"|"), crashFiller(id, fill)...)
}

func crashProps(id string) string {
	kv := []string{codec.PropertyKeys, crashKey(id), "crashId", id}
	if tag := crashTag(id); tag != "" {
		kv = append(kv, codec.PropertyTags, tag)
	}
	return scProps(kv...)
}

// crashRun is the state of one crash test.
type crashRun struct {
	t      *testing.T
	c      *testcluster.Cluster
	addr   string // the broker verify, checkIndex and sendAfter talk to
	root   string // storePathRootDir
	topics []string
	rng    *rand.Rand
	l      crashLedger
	// verified[slot{topic,queue}] is the queue offset up to which the
	// queue has been read back after the latest restart.
	verified map[crashSlot]int64
	tears    map[string]int
}

// TestCrashSyncFlushKeepsAcknowledged kills the booster process with
// SIGKILL at random moments while producers send with SYNC_FLUSH, and
// after every restart reads the queues back: every acknowledged message is
// at the queue offset its answer named with its exact body, offsets are
// contiguous, every record served is whole, no message is served twice,
// and QUERY_MESSAGE finds the messages by key (the index is rebuilt).
// After some kills (-crash.tear) it also zeroes commit-log sectors past
// the last message that must survive, at sector granularity, as a power
// loss would, so recovery has a torn tail to cut. It ends with a clean
// restart, a full read-back from offset 0 and new sends that land after
// the old messages.
//
// It needs the booster binary (BOOSTER_TEST_BINARY, set by make
// conformance). The loop runs 3 cycles; -crash.cycles=N or
// BOOSTER_CRASH_CYCLES=N runs a longer one.
func TestCrashSyncFlushKeepsAcknowledged(t *testing.T) {
	if os.Getenv("BOOSTER_TEST_BINARY") == "" {
		t.Skip("needs the booster binary: set BOOSTER_TEST_BINARY (make conformance does)")
	}
	if os.Getenv("BOOSTER_TEST_NAMESRV") != "" {
		t.Skip("cannot kill an external broker")
	}
	t.Parallel()
	cycles := crashCycles(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("%d kill cycles, seed %d", cycles, seed)
	root := filepath.Join(t.TempDir(), "store")
	c := testcluster.Start(t,
		testcluster.WithConf("flushDiskType", "SYNC_FLUSH"),
		testcluster.WithConf("storePathRootDir", root),
		testcluster.WithConf("mappedFileSizeCommitLog", strconv.Itoa(crashSegment)),
		testcluster.WithConf("mappedFileSizeConsumeQueue", strconv.Itoa(2000*20)),
		testcluster.WithConf("maxHashSlotNum", "1000"),
		testcluster.WithConf("maxIndexNum", "8000"),
	)
	suffix := fmt.Sprintf("%d_%d", time.Now().UnixNano(), clientSeq.Add(1))
	r := &crashRun{
		t: t, c: c, addr: c.BrokerAddr, root: root,
		topics: []string{"crash_a_" + suffix, "crash_b_" + suffix},
		rng:    rand.New(rand.NewPCG(seed, seed>>7)),
	}
	r.init()
	if !*crashAutoCreateFlag {
		r.precreate()
	}
	start := time.Now()
	for cycle := 1; cycle <= cycles; cycle++ {
		t0 := time.Now()
		acked0 := r.ackedCount()
		r.produceAndKill(cycle)
		tear := "none"
		if *crashTearFlag && cycle%3 != 1 { // cycles 2, 3, 5, 6, ...
			tear = r.tear()
		}
		r.tears[tear]++
		t1 := time.Now()
		c.RestartBroker() // the process is dead: this only starts it again
		restart := time.Since(t1)
		r.verify(cycle, false)
		r.checkIndex(cycle)
		if t.Failed() {
			t.FailNow()
		}
		t.Logf("cycle %d: %d acknowledged (%d in all), tear %s, restart %v, cycle %v",
			cycle, r.ackedCount()-acked0, r.ackedCount(), tear, restart.Round(time.Millisecond), time.Since(t0).Round(time.Millisecond))
	}
	// A clean stop and start, then everything from offset 0.
	c.RestartBroker()
	r.verify(cycles+1, true)
	r.checkIndex(0)
	r.sendAfter()
	inDoubt, seen := 0, 0
	for _, m := range r.l.msgs {
		switch m.state {
		case crashInDoubt:
			inDoubt++
		case crashSeen:
			seen++
		}
	}
	t.Logf("%d cycles in %v: %d acknowledged, %d unacknowledged but recovered, %d unacknowledged and gone; non-zero answers %v; tears %v",
		cycles, time.Since(start).Round(time.Millisecond), r.l.acked, seen, inDoubt, r.l.codes, r.tears)
}

func (r *crashRun) init() {
	r.l = crashLedger{msgs: map[string]*crashMsg{}, slots: map[crashSlot]string{}, maxPhys: -1, codes: map[wire.ResponseCode]int{}}
	r.verified = map[crashSlot]int64{}
	r.tears = map[string]int{}
}

func (r *crashRun) ackedCount() int {
	r.l.mu.Lock()
	defer r.l.mu.Unlock()
	return r.l.acked
}

// precreate creates each topic with one send before the load starts, so
// the test is about the store: concurrent first sends to a new topic can
// be acknowledged before the auto-created topic is in config/topics.json
// (broker/topic_config.go publishes it before persisting it), and a kill
// in that window loses the topic. -crash.autocreate skips this.
func (r *crashRun) precreate() {
	t := r.t
	cl := scDial(t, r.c.BrokerAddr)
	for ti, topic := range r.topics {
		id := fmt.Sprintf("c0-create-%d", ti)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		resp, err := cl.Invoke(ctx, scSendRequest(topic, crashQueues, 0, crashProps(id), crashBody(id, 0)))
		cancel()
		if err != nil || resp.ResponseCode() != wire.Success {
			t.Fatalf("create %s: %v %v", topic, err, resp)
		}
		ack, err := scParseAck(resp, 1)
		if err != nil {
			t.Fatal(err)
		}
		r.l.msgs[id] = &crashMsg{topic: ti, state: crashAcked, queue: ack.queueID, offset: ack.queueOffset, phys: ack.phys[0]}
		r.l.slots[crashSlot{ti, ack.queueID, ack.queueOffset}] = id
		r.l.maxPhys = max(r.l.maxPhys, ack.phys[0])
		r.l.acked++
	}
}

// produceAndKill runs the producers until SIGKILL ends the process at a
// random moment (after some messages of this cycle were acknowledged).
func (r *crashRun) produceAndKill(cycle int) { r.produceAndKillAfter(cycle, 20) }

// produceAndKillAfter is produceAndKill waiting for minAcks acknowledged
// messages (at most 30 s) before the random delay.
func (r *crashRun) produceAndKillAfter(cycle int, minAcks int64) {
	t := r.t
	var wg sync.WaitGroup
	var cycleAcks atomic.Int64
	var conns []*transport.Client
	for i := 0; i < crashProducers/2; i++ {
		conns = append(conns, scDial(t, r.c.BrokerAddr))
	}
	for p := 0; p < crashProducers; p++ {
		seed := r.rng.Uint64()
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.produce(cycle, p, conns[p/2], rand.New(rand.NewPCG(seed, uint64(p))), &cycleAcks)
		}()
	}
	deadline := time.Now().Add(30 * time.Second)
	for cycleAcks.Load() < minAcks && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if cycleAcks.Load() == 0 {
		t.Errorf("cycle %d: nothing acknowledged within 30 s", cycle)
	}
	time.Sleep(time.Duration(r.rng.Int64N(int64(1200 * time.Millisecond))))
	r.c.StopBroker(true)
	wg.Wait()
	r.l.mu.Lock()
	defer r.l.mu.Unlock()
	for _, e := range r.l.errs {
		t.Error(e)
	}
	r.l.errs = nil
}

// produce sends single messages and batches of 2-5 until the connection
// dies, recording each answer.
func (r *crashRun) produce(cycle, p int, cl *transport.Client, rng *rand.Rand, acks *atomic.Int64) {
	for seq := 0; ; seq++ {
		n := 1
		if rng.IntN(4) == 0 {
			n = 2 + rng.IntN(4)
		}
		topic := rng.IntN(len(r.topics))
		queue := rng.IntN(crashQueues)
		ids := make([]string, n)
		bodies := make([][]byte, n)
		props := make([]string, n)
		r.l.mu.Lock()
		for i := range ids {
			fill := rng.IntN(600)
			if rng.IntN(10) == 0 {
				fill = rng.IntN(8000)
			}
			ids[i] = crashID(cycle, p, seq, i)
			bodies[i] = crashBody(ids[i], fill)
			props[i] = crashProps(ids[i])
			r.l.msgs[ids[i]] = &crashMsg{topic: topic, state: crashInDoubt, queue: -1, offset: -1, phys: -1, fill: fill, cycle: cycle}
		}
		r.l.mu.Unlock()
		var req *wire.Command
		if n == 1 {
			req = scSendRequest(r.topics[topic], crashQueues, queue, props[0], bodies[0])
		} else {
			req = scBatchRequest(r.topics[topic], crashQueues, queue, bodies, props)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		resp, err := cl.Invoke(ctx, req)
		cancel()
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				r.l.mu.Lock()
				r.l.errorf("producer %d: no answer to a send within 30 s: %v", p, err)
				r.l.mu.Unlock()
			}
			return // the broker is gone: everything in flight stays in doubt
		}
		r.l.mu.Lock()
		if resp.ResponseCode() != wire.Success {
			r.l.codes[resp.ResponseCode()]++
			for _, id := range ids {
				r.l.msgs[id].code = resp.ResponseCode()
			}
			r.l.mu.Unlock()
			continue
		}
		ack, err := scParseAck(resp, n)
		if err != nil {
			r.l.errorf("producer %d: send answer: %v", p, err)
		} else if ack.queueID != int32(queue) {
			r.l.errorf("producer %d: sent to queue %d, answer says %d", p, queue, ack.queueID)
		} else {
			for i, id := range ids {
				m := r.l.msgs[id]
				m.state, m.queue, m.offset, m.phys = crashAcked, ack.queueID, ack.queueOffset+int64(i), ack.phys[i]
				s := crashSlot{topic, m.queue, m.offset}
				if other, ok := r.l.slots[s]; ok {
					r.l.errorf("%s acknowledged at %s/%d offset %d, which %s already holds",
						id, r.topics[topic], m.queue, m.offset, other)
				}
				r.l.slots[s] = id
				r.l.maxPhys = max(r.l.maxPhys, m.phys)
				r.l.acked++
			}
			acks.Add(int64(n))
		}
		r.l.mu.Unlock()
	}
}

// verify reads every queue back, from offset 0 when full, else from where
// the previous verification ended, and checks it against the ledger.
func (r *crashRun) verify(cycle int, full bool) {
	t := r.t
	t.Helper()
	nerr := 0
	errorf := func(format string, args ...any) {
		t.Helper()
		if nerr++; nerr <= 30 {
			t.Errorf(format, args...)
		}
	}
	defer func() {
		if nerr > 30 {
			t.Fatalf("after cycle %d: %d more errors", cycle, nerr-30)
		}
	}()
	cl := scDial(t, r.addr)
	r.l.mu.Lock()
	defer r.l.mu.Unlock()
	seenAt := map[string]crashSlot{}
	for ti, topic := range r.topics {
		for q := int32(0); q < crashQueues; q++ {
			qs := crashSlot{ti, q, 0}
			from := r.verified[qs]
			if full {
				from = 0
			}
			rd := scPullRange(t, cl, topic, q, from)
			if rd.max < 0 {
				rd.max = 0
			}
			if full && rd.min != 0 {
				errorf("after cycle %d: %s/%d min offset %d, want 0", cycle, topic, q, rd.min)
			}
			if got, want := int64(len(rd.records)), rd.max-from; got != want {
				errorf("after cycle %d: %s/%d served %d records from offset %d, max offset %d says %d",
					cycle, topic, q, got, from, rd.max, want)
			}
			lastPhys := int64(-1)
			for i, m := range rd.records {
				off := from + int64(i)
				where := fmt.Sprintf("after cycle %d: %s/%d offset %d", cycle, topic, q, off)
				if m.QueueOffset != off || m.Topic != topic || m.QueueID != q {
					errorf("%s: record says %s/%d offset %d", where, m.Topic, m.QueueID, m.QueueOffset)
				}
				if m.CommitLogOffset <= lastPhys {
					errorf("%s: commit-log offset %d not above the previous record's %d", where, m.CommitLogOffset, lastPhys)
				}
				lastPhys = m.CommitLogOffset
				id, _, _ := strings.Cut(string(m.Body), "|")
				cm := r.l.msgs[id]
				if cm == nil || cm.topic != ti {
					errorf("%s: a record nobody sent to this topic: body %q", where, abbrev(string(m.Body)))
					continue
				}
				if string(m.Body) != string(crashBody(id, cm.fill)) {
					errorf("%s: %s has a torn body (%d bytes, want %d)", where, id, len(m.Body), len(id)+1+cm.fill)
				}
				p := codec.ParseProperties(m.Properties)
				if p[codec.PropertyKeys] != crashKey(id) || p["crashId"] != id || p[codec.PropertyTags] != crashTag(id) {
					errorf("%s: %s served with torn properties %q", where, id, m.Properties)
				}
				if prev, dup := seenAt[id]; dup {
					errorf("%s: %s served twice (also at %s/%d offset %d)", where, id, r.topics[prev.topic], prev.queue, prev.offset)
				}
				seenAt[id] = crashSlot{ti, q, off}
				s := crashSlot{ti, q, off}
				if want, ok := r.l.slots[s]; ok && want != id {
					wm := r.l.msgs[want]
					errorf("%s: serves %s, but %s (state %d, cycle %d) was acknowledged or served there before",
						where, id, want, wm.state, wm.cycle)
				}
				switch cm.state {
				case crashAcked, crashSeen:
					if cm.queue != q || cm.offset != off {
						errorf("%s: serves %s, which belongs at %s/%d offset %d", where, id, topic, cm.queue, cm.offset)
					}
					if cm.state == crashAcked && cm.phys != m.CommitLogOffset {
						errorf("%s: %s at commit-log offset %d, its answer said %d", where, id, m.CommitLogOffset, cm.phys)
					}
				case crashInDoubt:
					cm.state, cm.queue, cm.offset, cm.phys = crashSeen, q, off, m.CommitLogOffset
					r.l.slots[s] = id
					r.l.maxPhys = max(r.l.maxPhys, m.CommitLogOffset)
				}
			}
			// Every message that must stay at or past from was served.
			for s, id := range r.l.slots {
				if s.topic == ti && s.queue == q && s.offset >= from+int64(len(rd.records)) {
					m := r.l.msgs[id]
					what := "acknowledged"
					if m.state == crashSeen {
						what = "served after an earlier restart"
					}
					errorf("after cycle %d: %s (%s in cycle %d) is lost: %s/%d offset %d, but the queue ends at %d",
						cycle, id, what, m.cycle, topic, q, s.offset, from+int64(len(rd.records)))
				}
			}
			r.verified[qs] = rd.max
		}
	}
	if full {
		for id, m := range r.l.msgs {
			if m.state != crashInDoubt {
				if _, ok := seenAt[id]; !ok {
					errorf("after the clean restart: %s (state %d, cycle %d) is not served anywhere", id, m.state, m.cycle)
				}
			}
		}
	}
}

// checkIndex looks up messages by key with QUERY_MESSAGE: a sample of
// those that must exist (of the given cycle, or of all when cycle is 0)
// must be found with their exact body, and messages that are gone must not
// be served.
func (r *crashRun) checkIndex(cycle int) {
	t := r.t
	t.Helper()
	cl := scDial(t, r.addr)
	r.l.mu.Lock()
	var present, gone []string
	for id, m := range r.l.msgs {
		if cycle != 0 && m.cycle != cycle {
			continue
		}
		if m.state == crashInDoubt {
			gone = append(gone, id)
		} else {
			present = append(present, id)
		}
	}
	sort.Strings(present)
	sort.Strings(gone)
	r.rng.Shuffle(len(present), func(i, j int) { present[i], present[j] = present[j], present[i] })
	r.rng.Shuffle(len(gone), func(i, j int) { gone[i], gone[j] = gone[j], gone[i] })
	present, gone = present[:min(len(present), 24)], gone[:min(len(gone), 8)]
	topicOf := map[string]string{}
	fill := map[string]int{}
	for _, id := range append(append([]string(nil), present...), gone...) {
		topicOf[id] = r.topics[r.l.msgs[id].topic]
		fill[id] = r.l.msgs[id].fill
	}
	r.l.mu.Unlock()
	for _, id := range present {
		found := false
		for _, m := range scQuery(t, cl, topicOf[id], crashKey(id)) {
			if scHasKey(m, crashKey(id)) {
				found = true
				if string(m.Body) != string(crashBody(id, fill[id])) {
					t.Errorf("QUERY_MESSAGE %s: torn body", id)
				}
			}
		}
		if !found {
			t.Errorf("after cycle %d: QUERY_MESSAGE by key does not find %s", cycle, id)
		}
	}
	for _, id := range gone {
		for _, m := range scQuery(t, cl, topicOf[id], crashKey(id)) {
			if scHasKey(m, crashKey(id)) {
				t.Errorf("after cycle %d: QUERY_MESSAGE serves %s (commit-log offset %d), which no queue serves",
					cycle, id, m.CommitLogOffset)
			}
		}
	}
}

// sendAfter sends one more message to every queue and checks it lands
// right after the old ones.
func (r *crashRun) sendAfter() {
	t := r.t
	cl := scDial(t, r.addr)
	for ti, topic := range r.topics {
		for q := int32(0); q < crashQueues; q++ {
			id := fmt.Sprintf("after-%d-%d", ti, q)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			resp, err := cl.Invoke(ctx, scSendRequest(topic, crashQueues, int(q), crashProps(id), crashBody(id, 10)))
			cancel()
			if err != nil || resp.ResponseCode() != wire.Success {
				t.Fatalf("send after the crashes to %s/%d: %v %v", topic, q, err, resp)
			}
			ack, err := scParseAck(resp, 1)
			if err != nil {
				t.Fatal(err)
			}
			want := r.verified[crashSlot{ti, q, 0}]
			if ack.queueOffset != want {
				t.Errorf("send after the crashes to %s/%d: queue offset %d, want %d (right after the old messages)",
					topic, q, ack.queueOffset, want)
			}
			// Apache dispatches to the consume queue asynchronously.
			var rd scQueueRead
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
				if rd = scPullRange(t, cl, topic, q, ack.queueOffset); len(rd.records) > 0 || time.Now().After(deadline) {
					break
				}
			}
			if len(rd.records) != 1 || string(rd.records[0].Body) != string(crashBody(id, 10)) {
				t.Errorf("%s/%d: the new message does not read back at offset %d: %d records", topic, q, ack.queueOffset, len(rd.records))
			}
		}
	}
}

// tear simulates the power loss of unflushed data on the killed broker's
// commit log: it walks the records after the last one that must survive
// and zeroes, from a random sector boundary past that record's end,
// either everything after (a lost tail) or one 4 KiB page (a hole, later
// pages having been written back first). It returns what it did.
func (r *crashRun) tear() string {
	t := r.t
	t.Helper()
	dir := filepath.Join(r.root, "commitlog")
	r.l.mu.Lock()
	maxPhys := r.l.maxPhys
	r.l.mu.Unlock()
	read := func(off int64) []byte { // the segment holding off, from off on
		seg := off / crashSegment * crashSegment
		b, err := os.ReadFile(filepath.Join(dir, compat.OffsetFileName(seg)))
		if err != nil {
			return nil
		}
		return b[off-seg:]
	}
	durable := int64(0)
	if maxPhys >= 0 {
		v, err := codec.ViewRecord(read(maxPhys))
		if err != nil || v.CommitLogOffset != maxPhys {
			t.Fatalf("after SIGKILL the record at commit-log offset %d (acknowledged or served) is not on disk: %v", maxPhys, err)
		}
		durable = maxPhys + int64(v.Size)
	}
	// Walk the unacknowledged records after durable; spans are their byte
	// ranges (a segment's blank marker ends its part).
	type span struct{ from, to int64 }
	var recs []span
	for pos := durable; ; {
		b := read(pos)
		if len(b) < codec.BlankMarkerSize {
			if b == nil {
				break
			}
			pos = (pos/crashSegment + 1) * crashSegment
			continue
		}
		v, err := codec.ViewRecord(b)
		if errors.Is(err, codec.ErrBlank) {
			pos = (pos/crashSegment + 1) * crashSegment
			continue
		}
		if err != nil || v.CommitLogOffset != pos {
			break
		}
		recs = append(recs, span{pos, pos + int64(v.Size)})
		pos += int64(v.Size)
	}
	if len(recs) == 0 {
		return "nothing-unacked"
	}
	end := recs[len(recs)-1].to
	first := (durable + crashSector - 1) / crashSector * crashSector
	if first >= end {
		return "unacked-in-durable-sector"
	}
	cut := first + r.rng.Int64N((end-first+crashSector-1)/crashSector)*crashSector
	// Where in its record the cut falls, for the report.
	where := "between-records"
	for _, s := range recs {
		if cut > s.from && cut < s.to {
			v, _ := codec.ViewRecord(read(s.from))
			propStart := s.from + int64(v.Size-len(v.Properties))
			switch {
			case cut >= propStart:
				where = "in-properties"
			case cut >= propStart-2-int64(len(v.Topic))-1:
				where = "in-topic"
			case cut >= propStart-2-int64(len(v.Topic))-1-int64(len(v.Body)):
				where = "in-body"
			default:
				where = "in-header"
			}
		}
	}
	zero := func(from, to int64) {
		for from < to {
			seg := from / crashSegment * crashSegment
			n := min(to, seg+crashSegment) - from
			f, err := os.OpenFile(filepath.Join(dir, compat.OffsetFileName(seg)), os.O_RDWR, 0)
			if err != nil {
				t.Fatalf("tear: %v", err)
			}
			if _, err := f.WriteAt(make([]byte, n), from-seg); err != nil {
				t.Fatalf("tear: %v", err)
			}
			if err := f.Close(); err != nil {
				t.Fatalf("tear: %v", err)
			}
			from += n
		}
	}
	if r.rng.IntN(2) == 0 {
		zero(cut, end)
		return "tail-" + where
	}
	zero(cut, min(cut+4096, (cut/crashSegment+1)*crashSegment))
	return "hole-" + where
}
