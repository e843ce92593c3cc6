package broker

// 5.x timer messages, mirroring HookUtils.checkIfTimerMessage /
// transformTimerMessage for the send side and doing the job of Java's
// TimerMessageStore (timing wheel + timer log) in a simpler way.
//
// Properties: TIMER_DELAY_SEC (delay in s), TIMER_DELAY_MS (delay in ms)
// or TIMER_DELIVER_MS (absolute ms), first one present wins in that order.
// The Go client sets TIMER_DELIVER_MS (Message.WithDelayTimestamp).
//
// Behaviour:
//  1. A NOT_TYPE/COMMIT message with a timer property, no DELAY level (the
//     level wins, schedule_message.go), no TIMER_OUT_MS and not already in
//     rmq_sys_wheel_timer is a timer message.
//  2. timerWheelEnable=false answers 1 SYSTEM_ERROR. An unparsable value
//     answers 13 MESSAGE_ILLEGAL.
//  3. deliverMs in the future: more than timerMaxDelaySec (3 days) ahead
//     answers 13; otherwise TIMER_OUT_MS=deliverMs, REAL_TOPIC and REAL_QID
//     are set and the message is stored in rmq_sys_wheel_timer queue 0.
//     deliverMs not in the future: stored as a normal message, unless it
//     carries TIMER_DEL_UNIQKEY (13).
//  4. The timer service reads the timer queue from its scan offset into an
//     in-memory min-heap ordered by (deliverMs, queue offset), and every
//     time the head is due (it sleeps until then, at most 100 ms) copies
//     the record back to REAL_TOPIC/REAL_QID like a due delay message,
//     except that REAL_TOPIC/REAL_QID are removed and TIMER_ENQUEUE_MS
//     (the timer record's store time) and TIMER_DEQUEUE_MS (now) are added.
//  5. Durability: the records stay in the commit log, so only the progress
//     is persisted, in config/timerProgress.json — the scan offset and the
//     queue offsets of the messages still pending — every
//     flushDelayOffsetInterval and at shutdown. At start the pending
//     records are read back into the heap and the scan resumes. After a
//     crash, messages delivered since the last write are delivered again
//     (at least once, like delay levels).
//
// Differences from Java: no timing wheel or timer log files (the heap holds
// one small entry per pending message, in memory); delivery happens at
// deliverMs itself, where Java first rounds it down to timerPrecisionMs
// (1 s) and can fire up to that much early; no TIMER_ROLL_TIMES (nothing
// needs rolling); no flow control; TIMER_DEL_UNIQKEY markers are stored
// and never delivered, but do not cancel the message they name; the SEND
// response has no recallHandle.

import (
	"container/heap"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
)

// timerTopic is Java's TimerMessageStore.TIMER_TOPIC.
const timerTopic = "rmq_sys_wheel_timer"

// routeTimer moves a timer message into the timer topic (see routeScheduled).
func (b *Broker) routeTimer(req *wire.Command, m *codec.Message, now time.Time) *wire.Command {
	props := m.Properties
	if _, ok := codec.PropertyValue(props, codec.PropertyTimerOutMS); ok {
		return nil
	}
	sec, hasSec := codec.PropertyValue(props, codec.PropertyTimerDelaySec)
	ms, hasMs := codec.PropertyValue(props, codec.PropertyTimerDelayMS)
	abs, hasAbs := codec.PropertyValue(props, codec.PropertyTimerDeliverMS)
	if !hasSec && !hasMs && !hasAbs {
		return nil
	}
	if !b.conf().TimerWheelEnable {
		return wire.NewResponse(req, wire.SystemError, "accurate timer message is not enabled, timerWheelEnable is false")
	}
	nowMs := now.UnixMilli()
	var deliverMs int64
	var err error
	switch {
	case hasSec:
		deliverMs, err = strconv.ParseInt(sec, 10, 64)
		deliverMs = nowMs + deliverMs*1000
	case hasMs:
		deliverMs, err = strconv.ParseInt(ms, 10, 64)
		deliverMs += nowMs
	default:
		deliverMs, err = strconv.ParseInt(abs, 10, 64)
	}
	illegal := fmt.Sprintf("timer message illegal, the delay time should not be bigger than the max delay %dms; or if set del msg, the delay time should be bigger than the current time",
		int64(b.conf().TimerMaxDelaySec)*1000)
	if err != nil {
		return wire.NewResponse(req, wire.MessageIllegal, illegal)
	}
	if deliverMs <= nowMs {
		if _, ok := codec.PropertyValue(props, codec.PropertyTimerDelUniqKey); ok {
			return wire.NewResponse(req, wire.MessageIllegal, illegal)
		}
		return nil
	}
	if deliverMs-nowMs > int64(b.conf().TimerMaxDelaySec)*1000 {
		return wire.NewResponse(req, wire.MessageIllegal, illegal)
	}
	m.Properties = setProperties(props,
		codec.PropertyTimerOutMS, strconv.FormatInt(deliverMs, 10),
		codec.PropertyRealTopic, m.Topic,
		codec.PropertyRealQueueID, strconv.Itoa(int(m.QueueID)))
	m.Topic = timerTopic
	m.QueueID = 0
	return nil
}

// timerEntry is one pending timer message.
type timerEntry struct {
	deliverMs   int64
	queueOffset int64 // in the timer queue
	phy         int64 // commit-log offset of the timer record
}

// timerHeap orders entries by deliver time, then queue offset.
type timerHeap []timerEntry

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].deliverMs != h[j].deliverMs {
		return h[i].deliverMs < h[j].deliverMs
	}
	return h[i].queueOffset < h[j].queueOffset
}
func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)   { *h = append(*h, x.(timerEntry)) }
func (h *timerHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// timerService delivers timer messages. Its loop is the only writer of
// scan and pending after start; persist reads them under mu.
type timerService struct {
	b    *Broker
	path string

	mu      sync.Mutex
	scan    int64 // next timer-queue offset to read
	pending timerHeap
	dirty   bool
	version codec.DataVersion
}

// timerProgressFile is config/timerProgress.json.
type timerProgressFile struct {
	DataVersion codec.DataVersion `json:"dataVersion"`
	ScanOffset  int64             `json:"scanOffset"`
	Pending     []int64           `json:"pending"`
}

func newTimerService(b *Broker) *timerService {
	return &timerService{
		b:       b,
		path:    filepath.Join(b.conf().StorePathRootDir, "config", "timerProgress.json"),
		version: codec.DataVersion{Timestamp: time.Now().UnixMilli()},
	}
}

// load restores the scan offset and re-reads the pending records.
func (s *timerService) load() error {
	var f timerProgressFile
	if found, err := readConfigFile(s.path, &f); !found {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version = f.DataVersion
	lo, hi := s.b.store.MinOffset(timerTopic, 0), s.b.store.MaxOffset(timerTopic, 0)
	s.scan = min(max(f.ScanOffset, lo), hi)
	for _, off := range f.Pending {
		if off >= s.scan {
			continue // will be scanned again
		}
		if e, ok := s.readEntry(off); ok {
			s.pending = append(s.pending, e)
		}
	}
	heap.Init(&s.pending)
	return nil
}

// readEntry reads the timer record at one queue offset.
func (s *timerService) readEntry(off int64) (timerEntry, bool) {
	res := s.b.store.GetMessages(timerTopic, 0, off, 1, 0, nil)
	defer res.Release()
	if res.Status != store.Found {
		return timerEntry{}, false
	}
	v, err := codec.ViewRecord(res.Records[0])
	if err != nil || v.QueueOffset != off {
		return timerEntry{}, false
	}
	return timerEntry{deliverMs: timerOutMs(&v), queueOffset: off, phy: v.CommitLogOffset}, true
}

// timerOutMs is a timer record's TIMER_OUT_MS, or its store time (due now)
// when that is missing.
func timerOutMs(v *codec.RecordView) int64 {
	s, _ := codec.PropertyValue(string(v.Properties), codec.PropertyTimerOutMS)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	return v.StoreTimestamp
}

// persist writes timerProgress.json if anything moved.
func (s *timerService) persist() error {
	s.mu.Lock()
	if !s.dirty {
		s.mu.Unlock()
		return nil
	}
	s.dirty = false
	s.version.Counter++
	s.version.Timestamp = time.Now().UnixMilli()
	f := timerProgressFile{DataVersion: s.version, ScanOffset: s.scan, Pending: make([]int64, len(s.pending))}
	for i, e := range s.pending {
		f.Pending[i] = e.queueOffset
	}
	s.mu.Unlock()
	slices.Sort(f.Pending)
	data, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return store.WriteFileAtomic(s.path, data)
}

func (s *timerService) start() {
	s.b.wg.Add(1)
	go s.run()
}

func (s *timerService) run() {
	defer s.b.wg.Done()
	t := time.NewTimer(scheduleTick)
	defer t.Stop()
	for {
		select {
		case <-s.b.stop:
			return
		case <-t.C:
		}
		s.scanNew()
		t.Reset(s.deliverDue())
	}
}

// scanNew moves newly stored timer records into the heap.
func (s *timerService) scanNew() {
	for {
		s.mu.Lock()
		off := s.scan
		s.mu.Unlock()
		res := s.b.store.GetMessages(timerTopic, 0, off, 64, 0, nil)
		switch res.Status {
		case store.Found:
			s.mu.Lock()
			for _, rec := range res.Records {
				v, err := codec.ViewRecord(rec)
				if err != nil {
					s.b.log.Error("BUG: unreadable timer record", "err", err)
					continue
				}
				heap.Push(&s.pending, timerEntry{deliverMs: timerOutMs(&v), queueOffset: v.QueueOffset, phy: v.CommitLogOffset})
				s.scan = v.QueueOffset + 1
			}
			s.dirty = true
			s.mu.Unlock()
			res.Release()
		case store.OffsetTooSmall, store.MessageWasRemoving, store.OffsetFoundNull:
			res.Release()
			if res.NextBeginOffset == off {
				return
			}
			s.setScan(res.NextBeginOffset)
		case store.OffsetOverflowBadly:
			s.setScan(res.NextBeginOffset)
			res.Release()
			return
		default:
			res.Release()
			return
		}
	}
}

func (s *timerService) setScan(off int64) {
	s.mu.Lock()
	if s.scan != off {
		s.scan, s.dirty = off, true
	}
	s.mu.Unlock()
}

// deliverDue delivers every due message and returns how long to sleep.
func (s *timerService) deliverDue() time.Duration {
	for {
		select {
		case <-s.b.stop:
			return scheduleTick
		default:
		}
		now := time.Now().UnixMilli()
		s.mu.Lock()
		if len(s.pending) == 0 {
			s.mu.Unlock()
			return scheduleTick
		}
		e := s.pending[0]
		s.mu.Unlock()
		if e.deliverMs > now {
			return untilDue(e.deliverMs, now)
		}
		if !s.deliver(e, now) {
			return scheduleTick
		}
		s.mu.Lock()
		heap.Pop(&s.pending)
		s.dirty = true
		s.mu.Unlock()
	}
}

// deliver stores one due timer message in its real topic; false means
// retry later.
func (s *timerService) deliver(e timerEntry, now int64) bool {
	rec, err := s.b.store.LookupMessage(e.phy)
	if err != nil {
		s.b.log.Error("timer record missing from the commit log", "queueOffset", e.queueOffset, "offset", e.phy, "err", err)
		return true
	}
	v, err := codec.ViewRecord(rec)
	if err != nil {
		s.b.log.Error("BUG: unreadable timer record", "offset", e.phy, "err", err)
		return true
	}
	props := string(v.Properties)
	if _, ok := codec.PropertyValue(props, codec.PropertyTimerDelUniqKey); ok {
		return true // a cancel marker is never delivered
	}
	props = setProperties(props,
		codec.PropertyTimerEnqueueMS, strconv.FormatInt(v.StoreTimestamp, 10),
		codec.PropertyTimerDequeueMS, strconv.FormatInt(now, 10))
	return s.b.deliverTimeUp(&v, props, true)
}
