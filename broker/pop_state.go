package broker

// The pop in-flight table: which popped messages are invisible until when.
//
// Apache keeps this state as checkpoint and ack records in its revive
// topic (rmq_sys_REVIVE_LOG_<cluster>) and replays them in PopReviveService.
// Booster keeps it in memory and writes it as one small file:
//
//	config/popState.json
//	{"queues":[{"topic":"T","group":"G","queueId":0,"offset":12,
//	            "inflight":[{"offset":10,"popTime":1700000000000,"invisibleTime":60000,"reviveQid":3}]}]}
//
// Per (topic, group, queue) the pop offset is the group's consumer offset
// (as in Apache: pop reads and advances ConsumerOffsetManager), and the
// in-flight map holds each popped, unacknowledged queue offset with its pop
// time and invisible time. The file is rewritten atomically at most every
// popStateFlushInterval when something changed, and at Close. On load its
// offsets override config/consumerOffset.json for those queues, so the pair
// (offset, in-flight set) always comes from one snapshot.
//
// A snapshot reads the offsets before it copies the in-flight maps, and a
// pop adds its in-flight entries before it advances the offset, so a
// snapshot never has an offset past a popped message it does not list. The
// first pop of a queue writes the file before it advances the offset, so
// every popped queue is in the file before consumerOffset.json can carry
// an offset past its in-flight messages. A crash can therefore redeliver
// (at least once: the offset goes back to the last snapshot), never lose.

import (
	"container/heap"
	"encoding/json"
	"path/filepath"
	"sort"
	"strconv"
	"sync"

	"github.com/booster-mq/booster/store"
)

// popInflight is one popped, unacknowledged message.
type popInflight struct {
	popTime   int64 // ms
	invisible int64 // ms
	reviveQid int32
}

func (e popInflight) deadline() int64 { return e.popTime + e.invisible }

// popQueueKey names one queue as a group pops it; topic is the topic the
// records are stored in (the pop retry topic for redeliveries).
type popQueueKey struct {
	topic   string
	group   string
	queueID int32
}

// popQueue is the pop state of one queue.
type popQueue struct {
	key popQueueKey
	// popMu is held while one request pops from the queue (Apache's
	// QueueLockManager); a concurrent pop skips the queue.
	popMu sync.Mutex
	// inflight maps queue offsets to their invisibility; guarded by
	// popState.mu.
	inflight map[int64]popInflight
	// Orderly pops (pop_order.go), guarded by popState.mu: the offset after
	// the batch in flight, and how often each of its offsets was delivered
	// before.
	orderNext  int64
	orderCount map[int64]int32
	// onDisk is set once the queue is in popState.json; guarded by popState.mu.
	onDisk bool
}

// reviveItem is a deadline in the revive heap. Items are not removed when
// their entry is acked or changed; a stale item is skipped when it comes up.
type reviveItem struct {
	deadline int64
	q        *popQueue
	offset   int64
	popTime  int64
}

type reviveHeap []reviveItem

func (h reviveHeap) Len() int           { return len(h) }
func (h reviveHeap) Less(i, j int) bool { return h[i].deadline < h[j].deadline }
func (h reviveHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *reviveHeap) Push(x any)        { *h = append(*h, x.(reviveItem)) }
func (h *reviveHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = reviveItem{}
	*h = old[:len(old)-1]
	return it
}

// popState is the in-flight table of every popped queue. Safe for
// concurrent use; mu is a leaf lock (no other table lock is taken under it).
type popState struct {
	path string
	// persistMu serializes persist: one snapshot written at a time, in order.
	persistMu sync.Mutex

	mu     sync.Mutex
	queues map[popQueueKey]*popQueue
	due    reviveHeap
	dirty  bool
	count  int // in-flight entries
}

func newPopState(root string) *popState {
	return &popState{path: filepath.Join(root, "config", "popState.json"), queues: map[popQueueKey]*popQueue{}}
}

// queue returns the state of a queue, creating it.
func (s *popState) queue(key popQueueKey) *popQueue {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queueLocked(key)
}

func (s *popState) queueLocked(key popQueueKey) *popQueue {
	q := s.queues[key]
	if q == nil {
		q = &popQueue{key: key, inflight: map[int64]popInflight{}}
		s.queues[key] = q
		s.dirty = true
	}
	return q
}

// add records popped offsets of q as in flight. A re-popped offset (after
// an offset reset or a crash) gets the new pop time.
func (s *popState) add(q *popQueue, offsets []int64, e popInflight) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, off := range offsets {
		if _, ok := q.inflight[off]; !ok {
			s.count++
		}
		q.inflight[off] = e
		heap.Push(&s.due, reviveItem{deadline: e.deadline(), q: q, offset: off, popTime: e.popTime})
	}
	s.dirty = true
}

// ack removes an in-flight offset popped at popTime; it reports whether
// there was one. An ack with another pop time (a stale handle) is ignored,
// as Apache ignores an ack of a checkpoint that is already done.
func (s *popState) ack(key popQueueKey, offset, popTime int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queues[key]
	if q == nil {
		return false
	}
	e, ok := q.inflight[offset]
	if !ok || e.popTime != popTime {
		return false
	}
	delete(q.inflight, offset)
	s.count--
	s.dirty = true
	return true
}

// change gives an in-flight offset popped at oldPopTime a new pop time
// and invisible time; it reports whether there was one.
func (s *popState) change(key popQueueKey, offset, oldPopTime int64, e popInflight) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queues[key]
	if q == nil {
		return false
	}
	old, ok := q.inflight[offset]
	if !ok || old.popTime != oldPopTime {
		return false
	}
	q.inflight[offset] = e
	if e.reviveQid != popOrderReviveQid {
		heap.Push(&s.due, reviveItem{deadline: e.deadline(), q: q, offset: offset, popTime: e.popTime})
	}
	s.dirty = true
	return true
}

// inflightCount returns the number of in-flight offsets of a queue.
func (s *popState) inflightCount(key popQueueKey) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q := s.queues[key]; q != nil {
		return len(q.inflight)
	}
	return 0
}

// current reports whether it is still the live deadline of its entry.
func (s *popState) currentLocked(it reviveItem) bool {
	e, ok := it.q.inflight[it.offset]
	return ok && e.popTime == it.popTime && e.deadline() == it.deadline
}

// expired takes the due items whose deadline is at or before now (at most
// limit), skipping stale ones. The entries stay in flight until
// finishRevive, so a crash during the revive redelivers rather than loses.
func (s *popState) expired(now int64, limit int) []reviveItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []reviveItem
	for len(s.due) > 0 && s.due[0].deadline <= now && len(out) < limit {
		it := heap.Pop(&s.due).(reviveItem)
		if s.currentLocked(it) {
			out = append(out, it)
		}
	}
	return out
}

// finishRevive drops an entry once its message has been put back, unless
// it changed meanwhile (acked, or its invisible time changed).
func (s *popState) finishRevive(it reviveItem) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.currentLocked(it) {
		delete(it.q.inflight, it.offset)
		s.count--
		s.dirty = true
	}
}

// retryRevive schedules another revive attempt of an item at deadline.
func (s *popState) retryRevive(it reviveItem, at int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.currentLocked(it) {
		return
	}
	e := it.q.inflight[it.offset]
	e.invisible = at - e.popTime
	it.q.inflight[it.offset] = e
	it.deadline = at
	heap.Push(&s.due, it)
	s.dirty = true
}

// nextDeadline returns the earliest pending deadline, or 0.
func (s *popState) nextDeadline() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.due) == 0 {
		return 0
	}
	return s.due[0].deadline
}

type popStateFile struct {
	Queues []popStateQueue `json:"queues"`
}

type popStateQueue struct {
	Topic    string             `json:"topic"`
	Group    string             `json:"group"`
	QueueID  int32              `json:"queueId"`
	Offset   int64              `json:"offset"`
	Inflight []popStateInflight `json:"inflight"`
	// Orderly pops only.
	OrderNext  int64            `json:"orderNext,omitempty"`
	OrderCount map[string]int32 `json:"orderCount,omitempty"`
}

type popStateInflight struct {
	Offset        int64 `json:"offset"`
	PopTime       int64 `json:"popTime"`
	InvisibleTime int64 `json:"invisibleTime"`
	ReviveQid     int32 `json:"reviveQid"`
}

// persist writes the state if it changed. offset returns a queue's pop
// offset (the consumer offset) or false when it has none.
func (s *popState) persist(offset func(popQueueKey) (int64, bool)) error {
	s.persistMu.Lock()
	defer s.persistMu.Unlock()
	s.mu.Lock()
	if !s.dirty {
		s.mu.Unlock()
		return nil
	}
	s.dirty = false
	keys := make([]popQueueKey, 0, len(s.queues))
	for k := range s.queues {
		keys = append(keys, k)
	}
	s.mu.Unlock()

	// Offsets first, in-flight maps second (see the file comment).
	offs := make(map[popQueueKey]int64, len(keys))
	for _, k := range keys {
		if off, ok := offset(k); ok {
			offs[k] = off
		}
	}
	f := popStateFile{Queues: make([]popStateQueue, 0, len(keys))}
	var written []*popQueue
	s.mu.Lock()
	for _, k := range keys {
		off, hasOff := offs[k]
		q := s.queues[k]
		if !hasOff && len(q.inflight) == 0 {
			continue
		}
		if !hasOff {
			off = -1
		}
		sq := popStateQueue{Topic: k.topic, Group: k.group, QueueID: k.queueID, Offset: off,
			Inflight: make([]popStateInflight, 0, len(q.inflight))}
		for o, e := range q.inflight {
			sq.Inflight = append(sq.Inflight, popStateInflight{Offset: o, PopTime: e.popTime, InvisibleTime: e.invisible, ReviveQid: e.reviveQid})
		}
		sq.OrderNext = q.orderNext
		if len(q.orderCount) > 0 {
			sq.OrderCount = make(map[string]int32, len(q.orderCount))
			for o, n := range q.orderCount {
				sq.OrderCount[strconv.FormatInt(o, 10)] = n
			}
		}
		f.Queues = append(f.Queues, sq)
		written = append(written, q)
	}
	s.mu.Unlock()

	sort.Slice(f.Queues, func(i, j int) bool {
		a, b := &f.Queues[i], &f.Queues[j]
		if a.Topic != b.Topic {
			return a.Topic < b.Topic
		}
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		return a.QueueID < b.QueueID
	})
	for i := range f.Queues {
		in := f.Queues[i].Inflight
		sort.Slice(in, func(a, b int) bool { return in[a].Offset < in[b].Offset })
	}
	data, err := json.Marshal(f)
	if err == nil {
		err = store.WriteFileAtomic(s.path, data)
	}
	s.mu.Lock()
	if err != nil {
		s.dirty = true
	} else {
		for _, q := range written {
			q.onDisk = true
		}
	}
	s.mu.Unlock()
	return err
}

// isOnDisk reports whether q has been written to popState.json.
func (s *popState) isOnDisk(q *popQueue) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return q.onDisk
}

// load reads the state file; commit receives each queue's saved pop offset.
func (s *popState) load(commit func(key popQueueKey, offset int64)) error {
	var f popStateFile
	if found, err := readConfigFile(s.path, &f); !found {
		return err
	}
	type saved struct {
		key    popQueueKey
		offset int64
	}
	var offs []saved
	s.mu.Lock()
	for _, sq := range f.Queues {
		key := popQueueKey{topic: sq.Topic, group: sq.Group, queueID: sq.QueueID}
		q := s.queueLocked(key)
		q.onDisk = true
		for _, in := range sq.Inflight {
			e := popInflight{popTime: in.PopTime, invisible: in.InvisibleTime, reviveQid: in.ReviveQid}
			if _, ok := q.inflight[in.Offset]; !ok {
				s.count++
			}
			q.inflight[in.Offset] = e
			if e.reviveQid != popOrderReviveQid {
				heap.Push(&s.due, reviveItem{deadline: e.deadline(), q: q, offset: in.Offset, popTime: e.popTime})
			}
		}
		q.orderNext = sq.OrderNext
		for o, n := range sq.OrderCount {
			if off, err := strconv.ParseInt(o, 10, 64); err == nil {
				if q.orderCount == nil {
					q.orderCount = map[int64]int32{}
				}
				q.orderCount[off] = n
			}
		}
		if sq.Offset >= 0 {
			offs = append(offs, saved{key, sq.Offset})
		}
	}
	s.dirty = false
	s.mu.Unlock()
	for _, o := range offs {
		commit(o.key, o.offset)
	}
	return nil
}
