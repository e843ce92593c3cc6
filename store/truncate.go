package store

// Truncating a slave's commit log at runtime (controller mode): a replica
// that was master and rejoins as a slave cuts off what it wrote after the
// last point its new master agrees with (the epoch boundary, epoch.go),
// then replicates from there. The cut is recovery's: later segments are
// deleted, the tail of the last one zeroed, consume-queue units pointing
// at or past the cut dropped. Index entries past the cut stay; lookups
// through them find no record and are skipped.

import (
	"errors"
	"fmt"
	"os"
)

// ErrNotSlave means TruncateTo was called on a store that takes writes.
var ErrNotSlave = errors.New("store: only a slave's commit log can be truncated")

// TruncateTo cuts the commit log at off, which must not be past its end,
// and drops the consume-queue units of the records after it. The store
// must be a slave's (SetSlave(true)), so no Put runs meanwhile. Pulls
// that raced with the cut may have read the removed records.
func (s *Store) TruncateTo(off int64) error {
	if !s.IsSlave() {
		return ErrNotSlave
	}
	// The consume-queue flusher's state (q.flushed) is reset by the trim:
	// hold it off, then take the append lock (which also keeps s.queues).
	s.cqFlushMu.Lock()
	defer s.cqFlushMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Load() {
		return ErrClosed
	}
	end := s.cl.wrote.Load()
	if off >= end {
		return nil
	}
	if off < 0 {
		return fmt.Errorf("store: truncate to negative offset %d", off)
	}
	s.log.Warn("truncating commit log to rejoin as a slave", "from", end, "to", off)
	if err := s.cl.alloc.discardSpare(); err != nil {
		return s.fail(fmt.Errorf("truncate commit log: %w", err))
	}
	if err := s.truncateCommitLog(off, true); err != nil {
		return s.fail(fmt.Errorf("truncate commit log: %w", err))
	}
	if len(s.cl.files.load()) == 0 {
		s.cl.cur = nil
	}
	if err := s.trimQueues(off); err != nil {
		return s.fail(fmt.Errorf("truncate consume queues: %w", err))
	}
	for _, qs := range s.queues {
		for _, q := range qs {
			q.max.Store(q.next)
		}
	}
	if s.cl.flushed.Load() > off {
		s.cl.flushed.Store(off)
	}
	s.replPos, s.replPosSet = off, true
	return nil
}

// discardSpare deletes the segment prepared ahead of the writer: after a
// truncation it would leave a gap in the segment list.
func (a *allocator) discardSpare() error {
	a.createMu.Lock()
	defer a.createMu.Unlock()
	a.mu.Lock()
	sp := a.spare
	a.spare, a.want = nil, -1
	a.mu.Unlock()
	if sp == nil {
		return nil
	}
	sp.release()
	if err := os.Remove(sp.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return syncDir(a.dir)
}
