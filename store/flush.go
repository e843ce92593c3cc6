package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"golang.org/x/sys/unix"
)

// syncFlushPoll is how often SYNC_FLUSH flushes bytes nobody waits for
// (Java's GroupCommitService loop).
const syncFlushPoll = 10 * time.Millisecond

// ErrFlushTimeout means a SYNC_FLUSH wait timed out.
var ErrFlushTimeout = errors.New("store: flush timed out")

// flushWaiter is a SYNC_FLUSH producer waiting for its target. Waiters
// are pooled, so waiting allocates nothing: done gets exactly one value
// per registration, from wake or from the waiter's own timeout path.
type flushWaiter struct {
	target int64
	done   chan bool // true: flushed; false: store failed or closed
	timer  *time.Timer
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
	var unmapped []string
	var advanced []flushedTo
	for _, q := range queues {
		target, err := q.flush(least, &unmapped)
		if err != nil {
			errs = append(errs, fmt.Errorf("flush consume queue %s/%d: %w", q.topic, q.queueID, err))
		} else if target > q.flushed {
			advanced = append(advanced, flushedTo{q, target})
		}
	}
	if err := s.syncQueueFiles(queues, unmapped); err != nil {
		errs = append(errs, fmt.Errorf("sync consume queue files: %w", err))
	} else {
		for _, a := range advanced {
			a.q.flushed = a.target
		}
	}
	if s.ix != nil {
		if err := s.ix.flush(); err != nil {
			errs = append(errs, fmt.Errorf("flush index: %w", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return s.fail(err)
	}
	if ts > 0 {
		// Every record stored at or before ts has its index entries
		// durable now (Java only moves this when an index file fills).
		s.ckpt.index.Store(ts)
		if thorough {
			s.ckpt.logics.Store(ts)
		}
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
	w, _ := s.waiterPool.Get().(*flushWaiter)
	if w == nil {
		w = &flushWaiter{done: make(chan bool, 1), timer: time.NewTimer(time.Hour)}
		w.timer.Stop()
	}
	defer s.waiterPool.Put(w)
	w.target = target
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
	w.timer.Reset(s.cfg.SyncFlushTimeout)
	var ok bool
	select {
	case ok = <-w.done:
		w.timer.Stop()
	case <-w.timer.C:
		// Leave the queue, unless wake took us out first; then its value
		// is in done (it sends under waitMu) and we drain it so the pooled
		// waiter starts empty.
		s.waitMu.Lock()
		i := slices.Index(s.waiters, w)
		if i >= 0 {
			s.waiters = slices.Delete(s.waiters, i, i+1)
		}
		s.waitMu.Unlock()
		if i >= 0 {
			return ErrFlushTimeout
		}
		ok = <-w.done
	}
	if ok || s.cl.flushed.Load() >= target {
		return nil
	}
	if err := s.err(); err != nil {
		return err
	}
	return ErrClosed
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
		switch {
		case w.target <= flushed:
			w.done <- true
		case all:
			w.done <- false
		default:
			keep = append(keep, w)
		}
	}
	clear(s.waiters[len(keep):])
	s.waiters = keep
	s.waitMu.Unlock()
}

type flushedTo struct {
	q      *consumeQueue
	target int64
}

// manyFiles is how many files and directories to sync make one syncfs(2)
// cheaper than an fsync each (tens of thousands of queues created or
// written at once, their files long unmapped).
const manyFiles = 64

// syncQueueFiles makes durable the dirty consume-queue files that are not
// mapped (so msync could not reach them), and new queue directories and
// files (or removals): the queue directory, its topic directory and
// consumequeue/. The caller holds cqFlushMu.
func (s *Store) syncQueueFiles(queues []*consumeQueue, unmapped []string) error {
	var dirty []*consumeQueue
	dirs := map[string]struct{}{}
	for _, q := range queues {
		if q.newDirs.Swap(false) {
			dirty = append(dirty, q)
			topicDir := filepath.Dir(q.dir)
			dirs[q.dir], dirs[topicDir], dirs[filepath.Dir(topicDir)] = struct{}{}, struct{}{}, struct{}{}
		}
	}
	var err error
	if len(dirs)+len(unmapped) > manyFiles {
		err = syncFS(s.cqRoot)
	} else {
		for _, path := range unmapped {
			if err = fdatasyncPath(path); err != nil {
				break
			}
		}
		for d := range dirs {
			if err != nil {
				break
			}
			if e := syncDir(d); e != nil && !errors.Is(e, os.ErrNotExist) { // deleted meanwhile
				err = e
			}
		}
	}
	if err != nil {
		for _, q := range dirty {
			q.newDirs.Store(true)
		}
	}
	return err
}

// syncFS commits the whole file system that holds dir (syncfs(2)).
func syncFS(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = unix.Syncfs(int(d.Fd()))
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
