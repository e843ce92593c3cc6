package store

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/booster-mq/booster/compat"
)

// padSize marks the filler units Java writes before the first entry of a
// queue that starts past offset 0: (0, Integer.MAX_VALUE, 0).
const padSize = math.MaxInt32

// cqUnit is one consume-queue entry.
type cqUnit struct {
	phy  int64
	size int32
	tags int64
}

// valid reports whether u points at a record (not a filler or a hole).
func (u cqUnit) valid() bool { return u.phy >= 0 && u.size > 0 && u.size != padSize }

func readUnit(b []byte) cqUnit {
	be := binary.BigEndian
	return cqUnit{int64(be.Uint64(b)), int32(be.Uint32(b[8:])), int64(be.Uint64(b[12:]))}
}

func putUnit(b []byte, u cqUnit) {
	be := binary.BigEndian
	be.PutUint64(b, uint64(u.phy))
	be.PutUint32(b[8:], uint32(u.size))
	be.PutUint64(b[12:], uint64(u.tags))
}

// consumeQueue is the index of one topic queue: unit k (queue offset k)
// is at byte k*20 of the file sequence. Its files are mapped on demand
// through the store's mapCache.
type consumeQueue struct {
	topic    string
	queueID  int32
	dir      string
	fileSize int64
	cache    *mapCache

	// files is a copy-on-write list of contiguous files; filesMu
	// serializes its writers (the append path adding a file, retention
	// and recovery removing them). Readers load it without locks.
	files   atomic.Pointer[[]*cqFile]
	filesMu sync.Mutex

	// max is the published queue length: units below it are complete and
	// their records are in the commit log. min is the first unit whose
	// record still exists.
	max atomic.Int64
	min atomic.Int64

	// Writer state, guarded by Store.mu (or owned by recovery).
	next   int64 // next queue offset to assign
	maxPhy int64 // end of the last indexed record in the commit log

	// Flusher state, guarded by Store.cqFlushMu.
	flushed int64 // durable byte prefix
	newDirs atomic.Bool

	// Retention state, guarded by Store.cleanMu: the unit at queue offset
	// minPhyAt points at commit-log offset minPhy.
	minPhyAt int64
	minPhy   int64
}

func newConsumeQueue(root, topic string, queueID int32, fileSize int64, cache *mapCache) *consumeQueue {
	return &consumeQueue{
		topic:    topic,
		queueID:  queueID,
		dir:      filepath.Join(root, topic, strconv.Itoa(int(queueID))),
		fileSize: fileSize,
		cache:    cache,
	}
}

func (q *consumeQueue) fileList() []*cqFile {
	if p := q.files.Load(); p != nil {
		return *p
	}
	return nil
}

// setFiles publishes a new file list; the caller holds filesMu or owns the
// queue.
func (q *consumeQueue) setFiles(files []*cqFile) { q.files.Store(&files) }

// findCQFile returns the file that holds byte position pos, or nil.
func findCQFile(files []*cqFile, pos int64) *cqFile {
	if len(files) == 0 || pos < files[0].start {
		return nil
	}
	i := (pos - files[0].start) / files[0].size
	if i >= int64(len(files)) {
		return nil
	}
	return files[i]
}

// createCQFile creates the sized, empty file for start without mapping it.
func createCQFile(dir string, start, size int64) (*cqFile, error) {
	path := filepath.Join(dir, compat.OffsetFileName(start))
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && fi.Size() != size {
		if fi.Size() > size {
			err = fmt.Errorf("%s is %d bytes, larger than the configured %d", path, fi.Size(), size)
		} else {
			err = f.Truncate(size)
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return newCQFile(path, start, size), nil
}

// fileFor returns the file that holds byte position pos, creating files up
// to it. The caller is the writer.
func (q *consumeQueue) fileFor(pos int64) (*cqFile, error) {
	files := q.fileList()
	if f := findCQFile(files, pos); f != nil {
		return f, nil
	}
	q.filesMu.Lock()
	defer q.filesMu.Unlock()
	files = q.fileList()
	if len(files) == 0 {
		if err := os.MkdirAll(q.dir, 0o755); err != nil {
			return nil, err
		}
		q.newDirs.Store(true)
	}
	for {
		start := pos - pos%q.fileSize // a first file starts where the queue does
		if len(files) > 0 {
			start = files[len(files)-1].end()
		}
		f, err := createCQFile(q.dir, start, q.fileSize)
		if err != nil {
			return nil, err
		}
		files = append(files[:len(files):len(files)], f)
		q.setFiles(files)
		q.newDirs.Store(true)
		if f.end() > pos {
			return f, nil
		}
	}
}

// reserve makes sure the unit at queue offset off has a file. The caller
// is the writer.
func (q *consumeQueue) reserve(off int64) error {
	_, err := q.fileFor(off * cqUnitSize)
	return err
}

// holdUnit makes sure the unit at queue offset off has a file and returns
// that file's mapping, held. The caller is the writer.
func (q *consumeQueue) holdUnit(off int64) (*mappedFile, error) {
	f, err := q.fileFor(off * cqUnitSize)
	if err != nil {
		return nil, err
	}
	return q.cache.hold(f)
}

// write stores unit u at queue offset off. The file must exist (reserve).
func (q *consumeQueue) write(off int64, u cqUnit) error {
	pos := off * cqUnitSize
	f := findCQFile(q.fileList(), pos)
	if f == nil {
		return fmt.Errorf("no file for queue offset %d", off)
	}
	m, err := q.cache.hold(f)
	if err != nil {
		return err
	}
	putUnit(m.data[pos-m.start:], u)
	m.release()
	return nil
}

// append writes the unit for the record at queue offset off during
// recovery, padding a gap before it with filler units so positions keep
// matching the records' QUEUEOFFSET. It reports false for an offset that is
// already taken.
func (q *consumeQueue) append(off int64, u cqUnit) (bool, error) {
	if off < q.next {
		return false, nil
	}
	if len(q.fileList()) == 0 {
		// An empty queue starts at the file that holds off.
		q.next = off - off%(q.fileSize/cqUnitSize)
		q.min.Store(off)
	}
	for ; q.next < off; q.next++ {
		if err := q.reserve(q.next); err != nil {
			return false, err
		}
		if err := q.write(q.next, cqUnit{0, padSize, 0}); err != nil {
			return false, err
		}
	}
	if err := q.reserve(off); err != nil {
		return false, err
	}
	if err := q.write(off, u); err != nil {
		return false, err
	}
	q.next = off + 1
	q.maxPhy = u.phy + int64(u.size)
	return true, nil
}

// cqCursor reads units in order, holding one mapped file at a time.
type cqCursor struct {
	cache *mapCache
	files []*cqFile
	m     *mappedFile
}

func (q *consumeQueue) cursor() cqCursor { return cqCursor{cache: q.cache, files: q.fileList()} }

func (c *cqCursor) unit(off int64) (cqUnit, bool) {
	pos := off * cqUnitSize
	if c.m == nil || pos < c.m.start || pos >= c.m.end() {
		c.close()
		f := findCQFile(c.files, pos)
		if f == nil {
			return cqUnit{}, false
		}
		m, err := c.cache.hold(f)
		if err != nil {
			return cqUnit{}, false
		}
		c.m = m
	}
	return readUnit(c.m.data[pos-c.m.start:]), true
}

func (c *cqCursor) close() {
	if c.m != nil {
		c.m.release()
		c.m = nil
	}
}

// firstLive returns the first queue offset in [from, to) whose unit points
// at or past minPhy, or to if there is none. The units of a queue point at
// increasing commit-log offsets, except fillers (at the start of a queue,
// or over a gap recovery found), so it is a binary search over the valid
// units, stepping over fillers.
func (q *consumeQueue) firstLive(from, to, minPhy int64) int64 {
	cur := q.cursor()
	defer cur.close()
	// valid returns the first offset at or after o with a valid unit.
	valid := func(o int64) (int64, cqUnit) {
		for ; o < to; o++ {
			if u, ok := cur.unit(o); ok && u.valid() {
				return o, u
			}
		}
		return to, cqUnit{}
	}
	lo, hi := from, to
	for lo < hi {
		mid := lo + (hi-lo)/2
		if v, u := valid(mid); v == to || u.phy >= minPhy {
			hi = mid
		} else {
			lo = v + 1
		}
	}
	v, _ := valid(lo)
	return v
}

// flush makes the published units durable when at least leastPages pages
// are dirty (0: any): it msyncs the dirty range of mapped files and
// appends the paths of dirty files that are not mapped to unmapped, for
// the caller to sync. It returns the byte position the queue is durable
// up to once those are synced; the caller then stores it in q.flushed.
// The caller holds Store.cqFlushMu.
func (q *consumeQueue) flush(leastPages int, unmapped *[]string) (int64, error) {
	target := q.max.Load() * cqUnitSize
	if target <= q.flushed || (leastPages > 0 && target/pageSize-q.flushed/pageSize < int64(leastPages)) {
		return q.flushed, nil
	}
	for _, f := range q.fileList() {
		if f.end() <= q.flushed || f.start >= target {
			continue
		}
		if m := f.m.Load(); m != nil && m.hold() {
			err := m.flushRange(q.flushed-f.start, target-f.start)
			m.release()
			if err != nil {
				return q.flushed, err
			}
		} else {
			*unmapped = append(*unmapped, f.path)
		}
	}
	return target, nil
}

// release unmaps all files for good (the queue is deleted or the store
// closes).
func (q *consumeQueue) release() {
	q.filesMu.Lock()
	defer q.filesMu.Unlock()
	for _, f := range q.fileList() {
		q.cache.drop(f)
	}
	q.setFiles(nil)
}
