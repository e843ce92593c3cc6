package store

import (
	"os"
	"slices"
	"time"

	"golang.org/x/sys/unix"
)

// Retention (Java's CleanCommitLogService and CleanConsumeQueueService).
//
// Every CleanResourceInterval the cleaner measures disk use (the fuller of
// the commit-log and consume-queue file systems) and:
//   - above DiskSpaceWarningLevelRatio marks the disk full: Put refuses
//     with ErrDiskFull until use is back at DiskSpaceCleanForciblyRatio or
//     below (reads keep working);
//   - at a DeleteWhen hour, or above DiskMaxUsedSpaceRatio, deletes the
//     oldest segments last modified more than FileReservedTime hours ago;
//   - above DiskSpaceCleanForciblyRatio deletes the oldest segments even if
//     they have not expired (CleanFileForciblyEnable).
//
// It deletes at most DeleteFileBatchMax segments per run, oldest first,
// stopping at the first one it must keep, pausing
// DeleteCommitLogFilesInterval between two, and never the segment being
// written. When the first segment moved, every queue's min offset moves to
// its first unit whose record still exists, consume-queue files wholly
// below it are deleted, and so are index files (except the newest) whose
// entries all point below the new first segment.

// cleaner runs retention until the store closes.
func (s *Store) cleaner() {
	t := time.NewTicker(s.cfg.CleanResourceInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		case <-s.cleanKick:
		}
		s.clean()
	}
}

// DeleteExpiredFilesManually makes the next runs of the cleaner delete
// expired segments whatever the hour (Java's executeDeleteFilesManually,
// behind mqadmin deleteExpiredCommitLog), and starts one now.
func (s *Store) DeleteExpiredFilesManually() {
	s.manualDelete.Store(20)
	select {
	case s.cleanKick <- struct{}{}:
	default:
	}
}

// DiskFull reports whether Put is refusing because of disk use.
func (s *Store) DiskFull() bool { return s.diskFull.Load() }

// clean is one retention run.
func (s *Store) clean() {
	s.cleanMu.Lock()
	defer s.cleanMu.Unlock()
	if s.closed.Load() {
		return
	}
	pressure, force := s.checkDisk()
	timeUp := s.isTimeToDelete()
	manual := s.manualDelete.Load() > 0
	if timeUp || pressure || manual {
		if manual {
			s.manualDelete.Add(-1)
		}
		if n := s.deleteExpiredSegments(force && s.cfg.CleanFileForciblyEnable); n > 0 {
			s.checkDisk()
		} else if pressure {
			s.log.Warn("disk space will be full soon, but no commit log segment could be deleted")
		}
	}
	if minPhy := s.cl.minOffset(); minPhy > s.lastMinPhy {
		s.trimBelow(minPhy)
		s.lastMinPhy = minPhy
	}
}

// isTimeToDelete reports whether the local hour is one of DeleteWhen.
func (s *Store) isTimeToDelete() bool {
	hours, _ := ParseDeleteWhen(s.cfg.DeleteWhen) // validated by Open
	return slices.Contains(hours, s.wallClock().Hour())
}

// checkDisk measures disk use and updates the disk-full mark. pressure
// means expired segments may go now, force that unexpired ones may too.
func (s *Store) checkDisk() (pressure, force bool) {
	probe := s.cfg.DiskUsage
	if probe == nil {
		probe = statfsUsage
	}
	used := -1.0
	for _, dir := range []string{s.cfg.CommitLogDir, s.cqRoot} {
		u, err := probe(dir)
		if err != nil {
			s.log.Warn("cannot measure disk use", "dir", dir, "err", err)
			continue
		}
		used = max(used, u)
	}
	warn := float64(clampRatio(s.cfg.DiskSpaceWarningLevelRatio, 35, 90)) / 100
	forcibly := float64(clampRatio(s.cfg.DiskSpaceCleanForciblyRatio, 30, 85)) / 100
	maxUsed := float64(clampRatio(s.cfg.DiskMaxUsedSpaceRatio, 10, 95)) / 100
	switch {
	case used > warn:
		if !s.diskFull.Swap(true) {
			s.log.Error("disk is full: refusing new messages", "used", used, "warningLevel", warn)
		}
		return true, true
	case used > forcibly:
		return true, true
	case s.diskFull.Swap(false):
		s.log.Info("disk space is OK again: accepting messages", "used", used)
	}
	// An unmeasurable disk counts as under pressure, as in Java.
	return used < 0 || used > maxUsed, false
}

// statfsUsage is Java's getDiskPartitionSpaceUsedPercent: used blocks over
// used plus available ones (the root reserve excluded), rounded up to a
// whole percent.
func statfsUsage(path string) (float64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return -1, err
	}
	used := st.Blocks - st.Bfree
	entire := used + st.Bavail
	if entire == 0 {
		return 0, nil
	}
	pct := used * 100 / entire
	if used*100%entire != 0 {
		pct++
	}
	return float64(pct) / 100, nil
}

// deleteExpiredSegments deletes the oldest commit-log segments that
// expired (or any, with force), never the newest. It returns how many it
// deleted.
func (s *Store) deleteExpiredSegments(force bool) int {
	reserve := time.Duration(s.cfg.FileReservedTime) * time.Hour
	deleted := 0
	for deleted < s.cfg.DeleteFileBatchMax {
		if deleted > 0 && s.cfg.DeleteCommitLogFilesInterval > 0 {
			select {
			case <-s.stop:
				return deleted
			case <-time.After(s.cfg.DeleteCommitLogFilesInterval):
			}
		}
		files := s.cl.files.load()
		if len(files) < 2 {
			break
		}
		f := files[0]
		fi, err := os.Stat(f.path)
		if err != nil {
			s.log.Error("cannot stat commit log segment", "file", f.path, "err", err)
			break
		}
		if !force && s.wallClock().Before(fi.ModTime().Add(reserve)) {
			break // keep it, and everything newer
		}
		s.cl.listMu.Lock()
		files = s.cl.files.load()
		ok := len(files) >= 2 && files[0] == f
		if ok {
			s.cl.files.set(slices.Clone(files[1:]))
		}
		s.cl.listMu.Unlock()
		if !ok {
			break
		}
		if err := os.Remove(f.path); err != nil {
			s.log.Error("cannot delete commit log segment", "file", f.path, "err", err)
		}
		f.release() // readers holding it keep the mapping until they release
		deleted++
		s.log.Info("deleted commit log segment", "file", f.path, "modified", fi.ModTime(), "forced", force)
	}
	if deleted > 0 {
		if err := syncDir(s.cl.dir); err != nil {
			s.log.Warn("sync commit log directory", "err", err)
		}
	}
	return deleted
}

// trimBelow moves every queue's min offset past the units whose records
// are gone, deletes the consume-queue files wholly below it (never a
// queue's last file) and the index files wholly below minPhy.
func (s *Store) trimBelow(minPhy int64) {
	s.cqMu.RLock()
	var queues []*consumeQueue
	for _, qs := range s.queues {
		for _, q := range qs {
			queues = append(queues, q)
		}
	}
	s.cqMu.RUnlock()
	for _, q := range queues {
		s.trimQueue(q, minPhy)
	}
	if s.ix != nil {
		if err := s.ix.deleteBelow(minPhy); err != nil {
			s.log.Warn("deleting expired index files", "err", err)
		}
	}
}

func (s *Store) trimQueue(q *consumeQueue, minPhy int64) {
	cur, maxOff := q.min.Load(), q.max.Load()
	if q.minPhyAt != cur || q.minPhy < minPhy {
		next := q.firstLive(cur, maxOff, minPhy)
		if next > cur {
			q.min.Store(next)
			cur = next
		}
		q.minPhyAt, q.minPhy = cur, minPhy
		if cur < maxOff {
			q.minPhy = q.unitAt(cur).phy
		}
	}
	q.filesMu.Lock()
	files := q.fileList()
	i := 0
	for i < len(files)-1 && files[i].end() <= cur*cqUnitSize {
		i++
	}
	if i == 0 {
		q.filesMu.Unlock()
		return
	}
	gone := files[:i]
	q.setFiles(slices.Clone(files[i:]))
	q.filesMu.Unlock()
	for _, f := range gone {
		q.cache.drop(f)
		if err := os.Remove(f.path); err != nil && !os.IsNotExist(err) {
			s.log.Warn("cannot delete consume queue file", "file", f.path, "err", err)
		}
	}
	q.newDirs.Store(true) // the flusher syncs the directory
}
