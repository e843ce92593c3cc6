package store

import (
	"errors"
	"fmt"
	"time"
)

// syncFlushPoll is how often SYNC_FLUSH flushes bytes nobody waits for
// (Java's GroupCommitService loop).
const syncFlushPoll = 10 * time.Millisecond

// ErrFlushTimeout means a SYNC_FLUSH wait timed out.
var ErrFlushTimeout = errors.New("store: flush timed out")

type flushWaiter struct {
	target int64
	done   chan struct{}
}

// flushCommitLog makes every published byte durable: msync on the dirty
// page-aligned range of each segment it spans, never under the append
// lock. An error fences the store.
func (s *Store) flushCommitLog() error {
	s.clFlushMu.Lock()
	defer s.clFlushMu.Unlock()
	if err := s.err(); err != nil {
		return err
	}
	ts := s.cl.lastStoreTs.Load() // before wrote: see commitLog.lastStoreTs
	target := s.cl.wrote.Load()
	from := s.cl.flushed.Load()
	if target <= from {
		return nil
	}
	for _, f := range s.cl.files.load() {
		if f.end() <= from || f.start >= target || !f.hold() {
			continue
		}
		err := f.flushRange(from-f.start, target-f.start)
		f.release()
		if err != nil {
			return s.fail(err)
		}
	}
	s.cl.flushed.Store(target)
	s.flushes.Add(1)
	if ts > 0 {
		s.ckpt.physic.Store(ts)
	}
	return nil
}

// flushConsumeQueues flushes the queues with enough dirty pages, or all of
// them when thorough; a thorough flush also advances the checkpoint's
// logics timestamp. The checkpoint file is written either way.
func (s *Store) flushConsumeQueues(thorough bool) error {
	s.cqFlushMu.Lock()
	defer s.cqFlushMu.Unlock()
	ts := s.cl.lastStoreTs.Load() // before the queues' max offsets
	least := s.cfg.FlushConsumeQueueLeastPages
	if thorough {
		least = 0
	}
	s.cqMu.RLock()
	var queues []*consumeQueue
	for _, qs := range s.queues {
		for _, q := range qs {
			queues = append(queues, q)
		}
	}
	s.cqMu.RUnlock()
	var errs []error
	for _, q := range queues {
		if err := q.flush(least); err != nil {
			errs = append(errs, fmt.Errorf("flush consume queue %s/%d: %w", q.topic, q.queueID, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return s.fail(err)
	}
	if thorough && ts > 0 {
		s.ckpt.logics.Store(ts)
	}
	if err := s.ckpt.flush(); err != nil {
		return s.fail(fmt.Errorf("flush checkpoint: %w", err))
	}
	return nil
}

// Flush makes everything written so far durable.
func (s *Store) Flush() error {
	if err := s.flushCommitLog(); err != nil {
		return err
	}
	s.wakeWaiters()
	return s.flushConsumeQueues(true)
}

// commitLogFlusher runs the flush policy of the configured mode.
func (s *Store) commitLogFlusher() {
	if s.cfg.FlushDiskType == SyncFlush {
		// Group commit: waiters kick; one flush covers all of them.
		t := time.NewTicker(syncFlushPoll)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-s.flushKick:
			case <-t.C:
			}
			if s.cl.wrote.Load() > s.cl.flushed.Load() {
				_ = s.flushCommitLog() // errors are sticky and logged
			}
			s.wakeWaiters()
		}
	}
	t := time.NewTicker(s.cfg.FlushIntervalCommitLog)
	defer t.Stop()
	lastThorough := time.Now()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		least := int64(s.cfg.FlushCommitLogLeastPages)
		if time.Since(lastThorough) >= s.cfg.FlushCommitLogThoroughInterval {
			least, lastThorough = 0, time.Now()
		}
		wrote, flushed := s.cl.wrote.Load(), s.cl.flushed.Load()
		if wrote > flushed && wrote/pageSize-flushed/pageSize >= least {
			_ = s.flushCommitLog()
		}
	}
}

// consumeQueueFlusher flushes consume queues and the checkpoint every
// FlushIntervalConsumeQueue, thoroughly every
// FlushConsumeQueueThoroughInterval.
func (s *Store) consumeQueueFlusher() {
	t := time.NewTicker(s.cfg.FlushIntervalConsumeQueue)
	defer t.Stop()
	lastThorough := time.Now()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		thorough := time.Since(lastThorough) >= s.cfg.FlushConsumeQueueThoroughInterval
		if thorough {
			lastThorough = time.Now()
		}
		_ = s.flushConsumeQueues(thorough)
	}
}

// waitFlushed blocks until the commit log is durable up to target, the
// store fails or closes, or SyncFlushTimeout passes.
func (s *Store) waitFlushed(target int64) error {
	if s.cl.flushed.Load() >= target {
		return nil
	}
	w := flushWaiter{target: target, done: make(chan struct{})}
	s.waitMu.Lock()
	if s.waitClosed {
		s.waitMu.Unlock()
		if s.cl.flushed.Load() >= target {
			return nil
		}
		return ErrClosed
	}
	s.waiters = append(s.waiters, w)
	s.waitMu.Unlock()
	select {
	case s.flushKick <- struct{}{}:
	default:
	}
	timer := time.NewTimer(s.cfg.SyncFlushTimeout)
	defer timer.Stop()
	select {
	case <-w.done:
		if s.cl.flushed.Load() >= target {
			return nil
		}
		if err := s.err(); err != nil {
			return err
		}
		return ErrClosed
	case <-timer.C:
		return ErrFlushTimeout
	}
}

// wakeWaiters releases the waiters the flushed offset covers, or all of
// them once the store has failed.
func (s *Store) wakeWaiters() { s.wake(false) }

// wake is wakeWaiters; final (from Close, after the last flush) releases
// every waiter and turns later ones away.
func (s *Store) wake(final bool) {
	flushed := s.cl.flushed.Load()
	all := final || s.err() != nil
	s.waitMu.Lock()
	if final {
		s.waitClosed = true
	}
	keep := s.waiters[:0]
	for _, w := range s.waiters {
		if all || w.target <= flushed {
			close(w.done)
		} else {
			keep = append(keep, w)
		}
	}
	clear(s.waiters[len(keep):])
	s.waiters = keep
	s.waitMu.Unlock()
}
