package store

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
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
// is at byte k*20 of the file sequence.
type consumeQueue struct {
	topic    string
	queueID  int32
	dir      string
	fileSize int64
	files    fileList

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
}

func newConsumeQueue(root, topic string, queueID int32, fileSize int64) *consumeQueue {
	return &consumeQueue{
		topic:    topic,
		queueID:  queueID,
		dir:      filepath.Join(root, topic, strconv.Itoa(int(queueID))),
		fileSize: fileSize,
	}
}

// fileFor returns the file that holds byte position pos, creating files up
// to it. The caller is the writer.
func (q *consumeQueue) fileFor(pos int64) (*mappedFile, error) {
	files := q.files.load()
	if f := findFile(files, pos); f != nil {
		return f, nil
	}
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
		f, err := createMappedFile(q.dir, start, q.fileSize, false)
		if err != nil {
			return nil, err
		}
		q.files.appendFile(f)
		q.newDirs.Store(true)
		files = q.files.load()
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

// write stores unit u at queue offset off. The file must exist (reserve).
func (q *consumeQueue) write(off int64, u cqUnit) {
	pos := off * cqUnitSize
	f := findFile(q.files.load(), pos)
	putUnit(f.data[pos-f.start:], u)
}

// append writes the unit for the record at queue offset off during
// recovery, padding a gap before it with filler units so positions keep
// matching the records' QUEUEOFFSET. It reports false for an offset that is
// already taken.
func (q *consumeQueue) append(off int64, u cqUnit) (bool, error) {
	if off < q.next {
		return false, nil
	}
	if len(q.files.load()) == 0 {
		// An empty queue starts at the file that holds off.
		q.next = off - off%(q.fileSize/cqUnitSize)
		q.min.Store(off)
	}
	for ; q.next < off; q.next++ {
		if err := q.reserve(q.next); err != nil {
			return false, err
		}
		q.write(q.next, cqUnit{0, padSize, 0})
	}
	if err := q.reserve(off); err != nil {
		return false, err
	}
	q.write(off, u)
	q.next = off + 1
	q.maxPhy = u.phy + int64(u.size)
	return true, nil
}

// cqCursor reads units in order, holding one file at a time.
type cqCursor struct {
	files []*mappedFile
	f     *mappedFile
}

func (c *cqCursor) unit(off int64) (cqUnit, bool) {
	pos := off * cqUnitSize
	if c.f == nil || pos < c.f.start || pos >= c.f.end() {
		c.close()
		f := findFile(c.files, pos)
		if f == nil || !f.hold() {
			return cqUnit{}, false
		}
		c.f = f
	}
	return readUnit(c.f.data[pos-c.f.start:]), true
}

func (c *cqCursor) close() {
	if c.f != nil {
		c.f.release()
		c.f = nil
	}
}

// flush makes the published units durable when at least leastPages pages
// are dirty (0: any). The caller holds Store.cqFlushMu.
func (q *consumeQueue) flush(leastPages int) error {
	target := q.max.Load() * cqUnitSize
	if target <= q.flushed || (leastPages > 0 && target/pageSize-q.flushed/pageSize < int64(leastPages)) {
		return q.syncDirs()
	}
	for _, f := range q.files.load() {
		if f.end() <= q.flushed || f.start >= target || !f.hold() {
			continue
		}
		err := f.flushRange(q.flushed-f.start, target-f.start)
		f.release()
		if err != nil {
			return err
		}
	}
	q.flushed = target
	return q.syncDirs()
}

// syncDirs makes new queue directories and files durable.
func (q *consumeQueue) syncDirs() error {
	if !q.newDirs.Swap(false) {
		return nil
	}
	topicDir := filepath.Dir(q.dir)
	for _, d := range []string{q.dir, topicDir, filepath.Dir(topicDir)} {
		if err := syncDir(d); err != nil {
			if os.IsNotExist(err) {
				return nil // deleted meanwhile
			}
			q.newDirs.Store(true)
			return err
		}
	}
	return nil
}

// release drops the owner's references to all files.
func (q *consumeQueue) release() {
	for _, f := range q.files.load() {
		f.release()
	}
	q.files.set(nil)
}
