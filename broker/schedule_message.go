package broker

// Scheduled (delay-level) messages, mirroring Java's ScheduleMessageService
// and HookUtils.handleScheduleMessage / transformDelayLevelMessage. Not a
// request handler: it is the routing step every stored message goes through
// (routeScheduled, called by SEND and CONSUMER_SEND_MSG_BACK) and the
// service that delivers due messages.
//
// Property DELAY (delay level, 1-based, table messageDelayLevel, default
// "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h").
//
// Behaviour:
//  1. Only NOT_TYPE and COMMIT messages are rerouted; records for
//     rmq_sys_wheel_timer (a timer being re-put) never are.
//  2. DELAY > 0 wins over the 5.x timer properties: TIMER_DELIVER_MS,
//     TIMER_DELAY_SEC and TIMER_DELAY_MS are removed. Otherwise the timer
//     properties route the message to the timer (timer_message.go).
//  3. The level is clamped to the table size (DELAY rewritten), REAL_TOPIC
//     and REAL_QID record the destination, and the message is stored in
//     SCHEDULE_TOPIC_XXXX queue level-1. The store sets that queue's tag
//     code to storeTimestamp + delay of the level (the deliver time).
//  4. One goroutine per level reads its queue from the level's offset.
//     A unit is due when its tag code <= now, or when it lies further
//     ahead than the level's delay (the clock went back; Java's
//     correctDeliverTimestamp). A due record is copied back to
//     REAL_TOPIC/REAL_QID: DELAY, TIMER_DELIVER_MS and TIMER_DELAY_SEC
//     removed, REAL_TOPIC/REAL_QID kept, WAIT=false, tag code recomputed;
//     body, flag, sysFlag, born time and host, store host and reconsume
//     times kept; new commit-log offset, queue offset and store time.
//  5. A level sleeps until its first pending unit is due, at most 100 ms
//     (Java: a fixed 100 ms), so delivery is late by the store and pull
//     path only. A failed put is retried every 100 ms; a record that can
//     never be stored (no REAL_TOPIC, illegal) is logged and skipped.
//  6. Progress is kept in config/delayOffset.json, Java's
//     {"dataVersion":{…},"offsetTable":{level:offset}} (written with
//     quoted keys, read either way), every flushDelayOffsetInterval
//     (10 s) and at shutdown; offsets are clamped into the queue's range
//     at start. Only a master delivers.
//
// Response codes (of the send that stores the message): those of the store;
// a batch carrying DELAY > 0 is refused with 13 MESSAGE_ILLEGAL (send path).

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
)

// scheduleTick is the longest a delivery loop sleeps (Java's
// DELAY_FOR_A_WHILE).
const scheduleTick = 100 * time.Millisecond

// scheduleService delivers SCHEDULE_TOPIC_XXXX messages when they are due.
// offsets is shared by the per-level loops and the persister; each level
// is read and written by its own loop only.
type scheduleService struct {
	b      *Broker
	path   string
	delays []time.Duration

	mu      sync.Mutex
	offsets map[int]int64 // level → next queue offset
	dirty   bool
	version codec.DataVersion
}

// delayOffsetFile is config/delayOffset.json (DelayOffsetSerializeWrapper).
type delayOffsetFile struct {
	DataVersion codec.DataVersion `json:"dataVersion"`
	OffsetTable map[string]int64  `json:"offsetTable"`
}

func newScheduleService(b *Broker) (*scheduleService, error) {
	delays, err := store.ParseDelayLevels(b.conf().MessageDelayLevel)
	if err != nil {
		return nil, err
	}
	return &scheduleService{
		b:       b,
		path:    filepath.Join(b.conf().StorePathRootDir, "config", "delayOffset.json"),
		delays:  delays,
		offsets: map[int]int64{},
		version: codec.DataVersion{Timestamp: time.Now().UnixMilli()},
	}, nil
}

// load reads delayOffset.json (or its .bak) and clamps each offset into
// its queue's current range (Java's correctDelayOffset).
func (s *scheduleService) load() error {
	var f delayOffsetFile
	if found, err := readConfigFile(s.path, &f); !found {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version = f.DataVersion
	for k, off := range f.OffsetTable {
		level, err := strconv.Atoi(k)
		if err != nil || level <= 0 {
			continue
		}
		qid := int32(level - 1)
		lo, hi := s.b.store.MinOffset(compat.ScheduleTopic, qid), s.b.store.MaxOffset(compat.ScheduleTopic, qid)
		if c := min(max(off, lo), hi); c != off {
			s.b.log.Warn("corrected delay offset", "level", level, "from", off, "to", c, "min", lo, "max", hi)
			off = c
		}
		s.offsets[level] = off
	}
	return nil
}

// persist writes delayOffset.json if an offset moved since the last write.
func (s *scheduleService) persist() error {
	s.mu.Lock()
	if !s.dirty {
		s.mu.Unlock()
		return nil
	}
	s.dirty = false
	s.version.Counter++
	s.version.Timestamp = time.Now().UnixMilli()
	f := delayOffsetFile{DataVersion: s.version, OffsetTable: make(map[string]int64, len(s.offsets))}
	for level, off := range s.offsets {
		f.OffsetTable[strconv.Itoa(level)] = off
	}
	s.mu.Unlock()
	data, err := json.MarshalIndent(f, "", "\t")
	if err != nil {
		return err
	}
	return store.WriteFileAtomic(s.path, data)
}

func (s *scheduleService) offset(level int) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.offsets[level]
}

func (s *scheduleService) setOffset(level int, off int64) {
	s.mu.Lock()
	if s.offsets[level] != off {
		s.offsets[level] = off
		s.dirty = true
	}
	s.mu.Unlock()
}

// openScheduled creates the schedule and timer services and the orderly
// lock table, and loads the persisted progress; the store is open.
func (b *Broker) openScheduled() error {
	var err error
	if b.schedule, err = newScheduleService(b); err != nil {
		return err
	}
	b.timers = newTimerService(b)
	b.locks = newLockTable(b.conf().RebalanceLockMaxLiveTime)
	if err := b.schedule.load(); err != nil {
		return fmt.Errorf("load delay offsets: %w", err)
	}
	if err := b.timers.load(); err != nil {
		return fmt.Errorf("load timer progress: %w", err)
	}
	return nil
}

// startScheduled starts delivering delayed and timer messages on a master,
// and the writer of their progress.
func (b *Broker) startScheduled() {
	if b.conf().BrokerRole == "SLAVE" {
		return
	}
	b.schedule.start()
	if b.conf().TimerWheelEnable {
		b.timers.start()
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		t := time.NewTicker(b.conf().FlushDelayOffsetInterval)
		defer t.Stop()
		for {
			select {
			case <-b.stop:
				return
			case <-t.C:
				if err := b.persistScheduled(); err != nil {
					b.log.Error("persist delay offsets and timer progress", "err", err)
				}
			}
		}
	}()
}

// persistScheduled writes delayOffset.json and timerProgress.json.
func (b *Broker) persistScheduled() error {
	if b.schedule == nil {
		return nil
	}
	return errors.Join(b.schedule.persist(), b.timers.persist())
}

// start runs one delivery loop per level on the broker's stop channel and
// wait group.
func (s *scheduleService) start() {
	for level := 1; level <= len(s.delays); level++ {
		s.b.wg.Add(1)
		go s.run(level)
	}
}

func (s *scheduleService) run(level int) {
	defer s.b.wg.Done()
	t := time.NewTimer(scheduleTick)
	defer t.Stop()
	for {
		select {
		case <-s.b.stop:
			return
		case <-t.C:
		}
		t.Reset(s.deliver(level))
	}
}

// deliver copies every due message of one level back to its topic and
// returns how long to sleep.
func (s *scheduleService) deliver(level int) time.Duration {
	qid := int32(level - 1)
	span := s.delays[level-1].Milliseconds()
	for {
		select {
		case <-s.b.stop:
			return scheduleTick
		default:
		}
		off := s.offset(level)
		now := time.Now().UnixMilli()
		// The filter sees units in queue order; deliver times only grow
		// along a level's queue, so the first unit not due ends the batch.
		accepted, pending, next := 0, false, int64(0)
		due := func(tagsCode int64) bool {
			if pending {
				return false
			}
			// Ahead by more than the level's delay means the clock went
			// back; look at the clock again first, as a unit appended
			// after now was taken may be stored a little later than now.
			if tagsCode <= now || (tagsCode > now+span && tagsCode > time.Now().UnixMilli()+span) {
				accepted++
				return true
			}
			pending, next = true, tagsCode
			return false
		}
		res := s.b.store.GetMessages(compat.ScheduleTopic, qid, off, 32, 0, due)
		switch res.Status {
		case store.Found:
			for _, rec := range res.Records {
				v, err := codec.ViewRecord(rec)
				if err != nil {
					s.b.log.Error("BUG: unreadable schedule record", "level", level, "err", err)
					continue
				}
				if !s.b.deliverTimeUp(&v, codec.RemoveProperties(string(v.Properties),
					codec.PropertyDelayLevel, codec.PropertyTimerDeliverMS, codec.PropertyTimerDelaySec), false) {
					s.setOffset(level, v.QueueOffset)
					res.Release()
					return scheduleTick
				}
				s.setOffset(level, v.QueueOffset+1)
			}
			res.Release()
			if pending {
				return untilDue(next, now)
			}
			continue
		case store.OffsetTooSmall:
			s.setOffset(level, res.NextBeginOffset)
			res.Release()
			continue
		case store.OffsetOverflowBadly:
			s.setOffset(level, res.NextBeginOffset)
		case store.MessageWasRemoving:
			switch {
			case accepted > 0:
				// A due unit whose record is unreadable: step over it.
				s.b.log.Error("schedule record missing from the commit log", "level", level, "offset", off)
				s.setOffset(level, off+1)
				res.Release()
				continue
			case !pending:
				s.setOffset(level, res.NextBeginOffset)
			}
		}
		res.Release()
		if pending {
			return untilDue(next, now)
		}
		return scheduleTick
	}
}

// untilDue is the sleep until deliverMs, between 1 ms and scheduleTick.
func untilDue(deliverMs, now int64) time.Duration {
	return min(max(time.Duration(deliverMs-now)*time.Millisecond, time.Millisecond), scheduleTick)
}

// deliverTimeUp stores a due delay or timer record in its REAL_TOPIC and
// REAL_QID with props (the caller removed its own keys). It reports false
// when the put should be retried later; records that can never be stored
// are logged and count as delivered.
func (b *Broker) deliverTimeUp(v *codec.RecordView, props string, clearReal bool) bool {
	topic, okT := codec.PropertyValue(props, codec.PropertyRealTopic)
	qs, _ := codec.PropertyValue(props, codec.PropertyRealQueueID)
	qid, err := strconv.ParseInt(qs, 10, 32)
	if !okT || err != nil || qid < 0 {
		b.log.Error("dropping due message without a valid REAL_TOPIC/REAL_QID",
			"topic", string(v.Topic), "offset", v.CommitLogOffset, "realTopic", topic, "realQid", qs)
		return true
	}
	if topic == compat.TransHalfTopic {
		b.log.Error("BUG: due message for the half topic dropped", "offset", v.CommitLogOffset)
		return true
	}
	if clearReal {
		props = codec.RemoveProperties(props, codec.PropertyRealTopic, codec.PropertyRealQueueID)
	}
	props = setProperties(props, codec.PropertyWaitStoreMsgOK, "false")
	tags, _ := codec.PropertyValue(props, codec.PropertyTags)
	m := &codec.Message{
		Topic:          topic,
		QueueID:        int32(qid),
		Flag:           v.Flag,
		Body:           v.Body,
		Properties:     props,
		SysFlag:        v.SysFlag,
		BornTimestamp:  v.BornTimestamp,
		BornHost:       v.BornHost,
		StoreHost:      v.StoreHost,
		ReconsumeTimes: v.ReconsumeTimes,
		TagsCode:       compat.TagsCode(tags),
	}
	res := b.store.Put([]*codec.Message{m}, false)
	switch {
	case res.Status.Stored():
		return true
	case res.Status == store.PutMessageIllegal || res.Status == store.PutPropertiesSizeExceeded:
		b.log.Error("dropping due message the store refuses", "topic", topic, "offset", v.CommitLogOffset,
			"status", res.Status.String(), "err", res.Err)
		return true
	}
	b.log.Warn("due message not stored, retrying", "topic", topic, "status", res.Status.String(), "err", res.Err)
	return false
}

// routeScheduled reroutes a message about to be stored: DELAY > 0 to
// SCHEDULE_TOPIC_XXXX, the 5.x timer properties to rmq_sys_wheel_timer.
// It returns the error response for req when the message is refused.
// Half messages (PREPARED) and rollbacks are left alone.
func (b *Broker) routeScheduled(req *wire.Command, m *codec.Message, now time.Time) *wire.Command {
	switch m.SysFlag & codec.SysFlagTransactionMask {
	case codec.SysFlagTransactionNot, codec.SysFlagCommit:
	default:
		return nil
	}
	if m.Topic == timerTopic {
		return nil
	}
	if level := delayLevel(m.Properties); level > 0 {
		m.Properties = codec.RemoveProperties(m.Properties,
			codec.PropertyTimerDeliverMS, codec.PropertyTimerDelaySec, codec.PropertyTimerDelayMS)
		b.toSchedule(m, level)
		return nil
	}
	return b.routeTimer(req, m, now)
}

// toSchedule moves m into the schedule queue of its (clamped) level.
func (b *Broker) toSchedule(m *codec.Message, level int) {
	kv := []string{codec.PropertyRealTopic, m.Topic, codec.PropertyRealQueueID, strconv.Itoa(int(m.QueueID))}
	if n := len(b.schedule.delays); level > n {
		level = n
		kv = append(kv, codec.PropertyDelayLevel, strconv.Itoa(level))
	}
	m.Properties = setProperties(m.Properties, kv...)
	m.Topic = compat.ScheduleTopic
	m.QueueID = int32(level - 1)
}

// batchHasDelay reports whether a batch asks for a delay level, in its
// header properties (what Java checks) or in any entry (which Java would
// store undelayed without a word).
func batchHasDelay(h *codec.SendMessageRequestHeader, msgs []*codec.Message) bool {
	if delayLevel(h.Properties) > 0 {
		return true
	}
	for _, m := range msgs {
		if delayLevel(m.Properties) > 0 {
			return true
		}
	}
	return false
}

// delayLevel is the DELAY property, 0 when absent or not a number.
func delayLevel(props string) int {
	v, ok := codec.PropertyValue(props, codec.PropertyDelayLevel)
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0
	}
	return n
}

// setProperties returns props with each key of the key/value pairs kv
// replaced by (or set to) its value.
func setProperties(props string, kv ...string) string {
	keys := make([]string, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		keys = append(keys, kv[i])
	}
	b := []byte(codec.RemoveProperties(props, keys...))
	for i := 0; i+1 < len(kv); i += 2 {
		b = codec.AppendProperty(b, kv[i], kv[i+1])
	}
	return string(b)
}
