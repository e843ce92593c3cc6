package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
)

// crashSafetyMillis is how far before the checkpoint crash recovery starts
// re-dispatching (Java's 3 s).
const crashSafetyMillis = 3000

// recover loads the commit log and the consume queues and makes them agree:
//  1. find the end of the valid records (all segments after a crash, the
//     last three after a clean stop) and cut the log there;
//  2. drop consume-queue units that point at or past that end;
//  3. index the records that have no unit or index entry yet: after a
//     crash from the segment the checkpoint vouches for (the index is cut
//     back to it), else from the highest offset any queue has indexed (as
//     Java's reput does).
func (s *Store) recover(crashed bool) error {
	files, err := loadFiles(s.cl.dir, s.cl.segSize)
	if err != nil {
		return err
	}
	s.cl.files.set(files)
	if err := s.loadQueues(); err != nil {
		return err
	}
	if s.ix != nil {
		if err := s.ix.load(); err != nil {
			return fmt.Errorf("index: %w", err)
		}
	}

	end, dirtyTail := int64(0), false
	if len(files) > 0 {
		first := 0
		if !crashed {
			first = max(0, len(files)-3)
		}
		end = files[first].start
		last, lastTorn := int64(-1), false
		pr := startProgress(s.log, "scanning commit log", "bytes", files[len(files)-1].end()-files[first].start)
		for _, f := range files[first:] {
			n, complete := scanSegment(f.data, f.start, 0, s.cfg.CheckCRCOnRecover, func(pos int, v *codec.RecordView) {
				last, lastTorn = f.start+int64(pos), tornTail(v)
			})
			pr.add(f.size())
			end = f.start + int64(n)
			if !complete {
				dirtyTail = crashed || !allZero(f.data[n:min(len(f.data), n+codec.BlankMarkerSize)])
				break
			}
			end = f.end()
		}
		pr.end()
		if crashed && lastTorn {
			s.log.Warn("dropping the last commit-log record: its tail is zeros (torn)", "offset", last)
			end, dirtyTail = last, true
		}
	}
	if err := s.truncateCommitLog(end, dirtyTail); err != nil {
		return err
	}
	if err := s.trimQueues(end); err != nil {
		return err
	}

	from := s.dispatchStart(crashed)
	if crashed && s.ix != nil {
		if err := s.ix.recoverAfterCrash(from, s.recordTime); err != nil {
			return fmt.Errorf("index: %w", err)
		}
		from = min(from, s.ix.resume)
	}
	if err := s.dispatch(from, end); err != nil {
		return err
	}
	for _, qs := range s.queues {
		for _, q := range qs {
			q.max.Store(q.next)
		}
	}
	if crashed {
		// After a process crash the scanned bytes may still be only in
		// the page cache; make them durable before calling them flushed.
		for _, f := range s.cl.files.load() {
			if f.end() > from {
				if err := f.flushRange(0, min(f.size(), end-f.start)); err != nil {
					return err
				}
			}
		}
	}
	s.cl.flushed.Store(end)
	s.log.Info("store recovered", "crashed", crashed, "minPhyOffset", s.cl.minOffset(),
		"maxPhyOffset", end, "dispatchedFrom", from, "queues", s.queueCount())
	return nil
}

// tornTail reports whether a record ends in a zero byte where a whole one
// cannot: the body CRC covers only the body, so a record whose last pages
// were never written back before a power loss passes the magic, length and
// CRC checks when the zeros start inside its properties (or inside its
// topic, when it has no properties). A properties string ends with a value
// or a separator and topic names have no NUL, so a written record never
// ends in one. Only the last record of a crashed log is judged by it.
func tornTail(v *codec.RecordView) bool {
	if n := len(v.Properties); n > 0 {
		return v.Properties[n-1] == 0
	}
	n := len(v.Topic)
	return n > 0 && v.Topic[n-1] == 0
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func (s *Store) queueCount() int {
	n := 0
	for _, qs := range s.queues {
		n += len(qs)
	}
	return n
}

// truncateCommitLog cuts the log at end: later segments are deleted and
// the tail of the last one is zeroed when it may hold stale records.
func (s *Store) truncateCommitLog(end int64, dirtyTail bool) error {
	files := s.cl.files.load()
	keep := files[:0:0]
	for _, f := range files {
		if f.start > end {
			s.log.Warn("deleting commit log segment past the recovered end", "file", f.path, "end", end)
			if err := os.Remove(f.path); err != nil {
				return err
			}
			f.release()
			continue
		}
		keep = append(keep, f)
	}
	if len(keep) < len(files) {
		if err := syncDir(s.cl.dir); err != nil {
			return err
		}
	}
	s.cl.files.set(keep)
	s.cl.wrote.Store(end)
	if len(keep) == 0 {
		return nil
	}
	last := keep[len(keep)-1]
	s.cl.setCur(last, end-last.start)
	if dirtyTail && end < last.end() {
		s.log.Warn("truncating commit log after the last valid record", "offset", end)
		return last.zeroFrom(end - last.start)
	}
	return nil
}

// loadQueues maps every consume queue and finds its end: the first unit
// with a negative offset or a non-positive size, searched from the third
// file from the end (Java's rule). Files past the end are deleted.
func (s *Store) loadQueues() error {
	topics, err := os.ReadDir(s.cqRoot)
	if err != nil {
		return err
	}
	pr := startProgress(s.log, "loading consume queues", "topics", int64(len(topics)))
	defer pr.end()
	for _, t := range topics {
		pr.add(1)
		if !t.IsDir() {
			continue
		}
		ids, err := os.ReadDir(filepath.Join(s.cqRoot, t.Name()))
		if err != nil {
			return err
		}
		for _, id := range ids {
			qid, err := strconv.ParseInt(id.Name(), 10, 32)
			if !id.IsDir() || err != nil || qid < 0 {
				continue
			}
			q := newConsumeQueue(s.cqRoot, t.Name(), int32(qid), s.cfg.MappedFileSizeConsumeQueue, s.cqCache)
			if err := s.loadQueue(q); err != nil {
				return fmt.Errorf("consume queue %s/%d: %w", t.Name(), qid, err)
			}
			qs := s.queues[q.topic]
			if qs == nil {
				qs = make(map[int32]*consumeQueue)
				s.queues[q.topic] = qs
			}
			qs[q.queueID] = q
		}
	}
	return nil
}

func (s *Store) loadQueue(q *consumeQueue) error {
	offs, err := listFiles(q.dir, q.fileSize, true)
	if err != nil {
		return err
	}
	files := make([]*cqFile, len(offs))
	for i, off := range offs {
		files[i] = newCQFile(filepath.Join(q.dir, compat.OffsetFileName(off)), off, q.fileSize)
	}
	q.setFiles(files)
	if len(files) == 0 {
		return nil
	}
	endPos := files[max(0, len(files)-3)].start
scan:
	for _, f := range files[max(0, len(files)-3):] {
		m, err := q.cache.hold(f)
		if err != nil {
			return err
		}
		for p := int64(0); p < f.size; p += cqUnitSize {
			if u := readUnit(m.data[p:]); u.phy < 0 || u.size <= 0 {
				endPos = f.start + p
				m.release()
				break scan
			}
		}
		m.release()
		endPos = f.end()
	}
	q.next = endPos / cqUnitSize
	return s.cutQueueFiles(q, endPos)
}

// cutQueueFiles deletes the queue's files that start past pos.
func (s *Store) cutQueueFiles(q *consumeQueue, pos int64) error {
	q.filesMu.Lock()
	defer q.filesMu.Unlock()
	files := q.fileList()
	keep := files[:0:0]
	for _, f := range files {
		if f.start > pos {
			q.cache.drop(f)
			if err := os.Remove(f.path); err != nil {
				return err
			}
			continue
		}
		keep = append(keep, f)
	}
	if len(keep) < len(files) {
		q.newDirs.Store(true)
	}
	q.setFiles(keep)
	return nil
}

// trimQueues drops units that point at or past the commit-log end (and
// fillers left at the tail), then sets each queue's min offset and the end
// of its last indexed record.
func (s *Store) trimQueues(end int64) error {
	minPhy := s.cl.minOffset()
	for _, qs := range s.queues {
		for _, q := range qs {
			files := q.fileList()
			if len(files) == 0 {
				continue
			}
			first := files[0].start / cqUnitSize
			oldNext := q.next
			var last cqUnit
			for q.next > first {
				last = q.unitAt(q.next - 1)
				if last.valid() && last.phy+int64(last.size) <= end {
					break
				}
				q.next--
			}
			if q.next > first {
				q.maxPhy = last.phy + int64(last.size)
			}
			if q.next < oldNext {
				s.log.Warn("trimming consume queue past the commit log end", "topic", q.topic,
					"queueId", q.queueID, "from", oldNext, "to", q.next)
				pos := q.next * cqUnitSize
				if err := s.cutQueueFiles(q, pos); err != nil {
					return err
				}
				if f := findCQFile(q.fileList(), pos); f != nil {
					m, err := q.cache.hold(f)
					if err != nil {
						return err
					}
					err = m.zeroFrom(pos - f.start)
					m.release()
					if err != nil {
						return err
					}
				}
			}
			q.flushed = q.next * cqUnitSize
			q.min.Store(q.firstLive(first, q.next, minPhy))
		}
	}
	return nil
}

// unitAt reads a unit outside the append path (recovery, tests); a unit
// without a file reads as (-1, 0, 0).
func (q *consumeQueue) unitAt(off int64) cqUnit {
	cur := q.cursor()
	defer cur.close()
	u, ok := cur.unit(off)
	if !ok {
		return cqUnit{phy: -1}
	}
	return u
}

// dispatchStart picks where re-indexing starts.
func (s *Store) dispatchStart(crashed bool) int64 {
	files := s.cl.files.load()
	if len(files) == 0 {
		return 0
	}
	if crashed {
		// The newest segment whose first record is older than what the
		// checkpoint says both the log and the queues had made durable.
		safe := s.ckpt.minTimestamp() - crashSafetyMillis
		if s.ix != nil {
			safe = min(safe, s.ckpt.index.Load()-crashSafetyMillis)
		}
		for i := len(files) - 1; i >= 0; i-- {
			v, err := codec.ViewRecord(files[i].data)
			if err == nil && v.StoreTimestamp != 0 && v.StoreTimestamp <= safe {
				return files[i].start
			}
		}
		return files[0].start
	}
	from, any := int64(0), false
	for _, qs := range s.queues {
		for _, q := range qs {
			from, any = max(from, q.maxPhy), true
		}
	}
	if !any {
		return files[0].start
	}
	return max(from, files[0].start)
}

// dispatch indexes the records in [from, end) that their queue or the
// index files have not indexed yet (a queue skips records below the end
// of its last unit, the index those below its resume point).
func (s *Store) dispatch(from, end int64) error {
	var derr error
	var hashes []int32
	pr := startProgress(s.log, "rebuilding consume queues and index", "bytes", max(end-from, 0))
	defer pr.end()
	for _, f := range s.cl.files.load() {
		if f.end() <= from || f.start >= end || derr != nil {
			continue
		}
		pos := int(max(from-f.start, 0))
		limit := min(f.size(), end-f.start)
		n, complete := scanSegment(f.data[:limit], f.start, pos, false, func(_ int, v *codec.RecordView) {
			if derr == nil {
				_, _, derr = s.dispatchRecord(v, &hashes)
			}
		})
		pr.add(limit - int64(pos))
		if !complete && int64(n) < limit {
			s.log.Warn("re-dispatch stopped at an unreadable record", "offset", f.start+int64(n))
			break
		}
	}
	return derr
}

// dispatchRecord gives one record of the commit log its index entries and
// consume-queue unit, unless they have them already (recovery and a
// slave's live dispatch; Put writes its own). It returns the queue that
// got a unit (nil for none) and the unit's tag code. The caller holds s.mu
// or is recovery; the unit is not published (q.max) yet. hashes is
// scratch space.
func (s *Store) dispatchRecord(v *codec.RecordView, hashes *[]int32) (*consumeQueue, int64, error) {
	if s.ix != nil && v.CommitLogOffset >= s.ix.resume && v.SysFlag&codec.SysFlagTransactionMask != codec.SysFlagRollback {
		*hashes = appendIndexHashes((*hashes)[:0], string(v.Topic), string(v.Properties))
		for _, h := range *hashes {
			s.ix.add(h, v.CommitLogOffset, v.StoreTimestamp)
		}
	}
	if isTransactionHalf(v.SysFlag) {
		return nil, 0, nil
	}
	q := s.queueForWrite(string(v.Topic), v.QueueID)
	if v.CommitLogOffset < q.maxPhy {
		return nil, 0, nil
	}
	props := string(v.Properties)
	tags, _ := codec.PropertyValue(props, codec.PropertyTags)
	u := cqUnit{phy: v.CommitLogOffset, size: int32(v.Size), tags: compat.TagsCode(tags)}
	if string(v.Topic) == compat.ScheduleTopic {
		u.tags = s.deliverTime(props, v.StoreTimestamp, u.tags)
	}
	ok, err := q.append(v.QueueOffset, u)
	if err != nil {
		return nil, 0, fmt.Errorf("re-dispatch to %s/%d: %w", q.topic, q.queueID, err)
	}
	if !ok {
		s.log.Warn("record's queue offset already taken; not indexed", "topic", q.topic,
			"queueId", q.queueID, "queueOffset", v.QueueOffset, "offset", v.CommitLogOffset)
		return nil, 0, nil
	}
	return q, u.tags, nil
}

// deliverTime is the tag code of a SCHEDULE_TOPIC_XXXX unit: store time
// plus the delay of the message's level (clamped to the table), or def
// without a positive level.
func (s *Store) deliverTime(props string, storeTs, def int64) int64 {
	v, ok := codec.PropertyValue(props, codec.PropertyDelayLevel)
	if !ok {
		return def
	}
	level, err := strconv.Atoi(v)
	if err != nil || level <= 0 || len(s.delays) == 0 {
		return def
	}
	level = min(level, len(s.delays))
	return storeTs + s.delays[level-1].Milliseconds()
}
