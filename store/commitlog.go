package store

import (
	"errors"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"github.com/booster-mq/booster/codec"
)

// commitLog is the sequence of segments all messages are appended to.
type commitLog struct {
	dir     string
	segSize int64
	files   fileList
	listMu  sync.Mutex // serializes changes of files (rolling, retention)

	// wrote is the end of the last published record (or of a segment
	// closed by a blank marker): every byte below it is complete.
	wrote atomic.Int64
	// flushed is the durable prefix; only the flusher advances it.
	flushed atomic.Int64
	// lastStoreTs is the store timestamp of the newest record. It is
	// stored after wrote, so a reader that loads it first and wrote second
	// gets a timestamp of a record below wrote.
	lastStoreTs atomic.Int64

	// cur is the segment being appended to; guarded by Store.mu.
	cur   *mappedFile
	alloc *allocator
}

// minOffset is the first offset still held in a segment.
func (cl *commitLog) minOffset() int64 {
	if files := cl.files.load(); len(files) > 0 {
		return files[0].start
	}
	return cl.wrote.Load()
}

// room returns the segment and position where n more bytes go, writing
// the blank end-of-file marker and rolling to a new segment when
// n + 8 bytes don't fit (Java's rule). The caller holds Store.mu and has
// checked n + 8 <= segSize.
func (cl *commitLog) room(n int64) (*mappedFile, int64, error) {
	wrote := cl.wrote.Load()
	if c := cl.cur; c != nil {
		pos := wrote - c.start
		if pos+n+codec.BlankMarkerSize <= c.size() {
			if (pos+n)/warmChunk != pos/warmChunk {
				cl.alloc.warm(c, pos+n)
			}
			return c, pos, nil
		}
		if free := c.size() - pos; free >= codec.BlankMarkerSize {
			codec.PutBlankMarker(c.data[pos:], int(free))
		}
		wrote = c.end()
		cl.wrote.Store(wrote)
	}
	seg, err := cl.alloc.take(wrote)
	if err != nil {
		return nil, 0, err
	}
	cl.append(seg)
	return seg, 0, nil
}

// append makes seg, the segment that follows cur, the one written to and
// asks for the one after it. The caller holds Store.mu.
func (cl *commitLog) append(seg *mappedFile) {
	cl.listMu.Lock()
	cl.files.appendFile(seg)
	cl.listMu.Unlock()
	if c := cl.cur; c != nil {
		c.adviseWritten()
	}
	cl.setCur(seg, 0)
	cl.alloc.request(seg.end())
}

// setCur makes seg, written up to pos, the segment appended to. Its pages
// from pos on are advised random: without read-ahead every page the
// writer faults in is a single small folio. Read-ahead fills the page
// cache with large folios (seen on Linux 6.18 with ext4), a folio is written back
// whole once any byte of it is dirty, and a SYNC_FLUSH group commit of a
// few kilobytes then wrote megabytes (2.6 GB/s of writes at 28k msg/s of
// 1 KiB, against 100 MB/s with small folios). The caller holds Store.mu.
func (cl *commitLog) setCur(seg *mappedFile, pos int64) {
	cl.cur = seg
	_ = unix.Madvise(seg.data[pos&^(pageSize-1):], unix.MADV_RANDOM) // advice only
}

// recordAt returns the size bytes at off and the segment they are in, if
// they lie below wrote inside one segment of files. It takes no reference.
func (cl *commitLog) recordAt(off int64, size int32, files []*mappedFile) ([]byte, *mappedFile) {
	seg := findFile(files, off)
	if seg == nil || size <= 0 {
		return nil, nil
	}
	pos := off - seg.start
	end := pos + int64(size)
	if end > seg.size() || off+int64(size) > cl.wrote.Load() {
		return nil, nil
	}
	return seg.data[pos:end:end], seg
}

// scanSegment checks the records of one segment that starts at global
// offset base, from byte pos on, and calls visit for each valid one. It
// returns where the valid records end and whether the segment is complete
// (closed by a blank marker, or too full for another record), in which
// case the log continues in the next segment. A record is valid when its
// magic is known, its lengths add up, PHYSICALOFFSET is its own offset and,
// with checkCRC, BODYCRC matches. It is a pure function of its inputs.
func scanSegment(seg []byte, base int64, pos int, checkCRC bool, visit func(pos int, v *codec.RecordView)) (end int, complete bool) {
	for {
		if len(seg)-pos < codec.BlankMarkerSize {
			return pos, true
		}
		v, err := codec.ViewRecord(seg[pos:])
		if errors.Is(err, codec.ErrBlank) {
			return pos, true
		}
		if err != nil || v.CommitLogOffset != base+int64(pos) ||
			(checkCRC && codec.BodyCRC(v.Body) != v.BodyCRC) {
			return pos, false
		}
		if visit != nil {
			visit(pos, &v)
		}
		pos += v.Size
	}
}

// allocator pre-creates the next commit-log segment off the append path
// (Java's AllocateMappedFileService). Creation runs under createMu, so the
// append path never races it for the same file: take waits for a creation
// in flight, then uses its result or creates the segment itself.
type allocator struct {
	dir  string
	size int64
	log  *slog.Logger

	createMu sync.Mutex

	mu    sync.Mutex // guards want, spare, warmSeg and warmFrom
	want  int64      // start of the segment to prepare, -1 for none
	spare *mappedFile
	// warmSeg and warmFrom ask for the pages of warmSeg from warmFrom on
	// (warmAhead bytes) to be faulted in.
	warmSeg  *mappedFile
	warmFrom int64
	kick     chan struct{}
}

// Page warming. The first write to a page of a fresh mapping faults, and
// on a file system with unwritten extents that fault can wait for the
// journal: single appends stalled for milliseconds, adding up to several
// times the cost of the appends themselves. The allocator goroutine
// therefore faults pages in ahead of the writer (MADV_POPULATE_WRITE,
// Linux 5.14+; a no-op elsewhere), warmAhead bytes past each warmChunk
// boundary the writer crosses, and the first warmAhead bytes of the
// segment it prepares. Java's warmMappedFile does the like for a whole
// segment, when enabled.
const (
	warmChunk = 4 << 20
	warmAhead = 32 << 20
)

func newAllocator(dir string, size int64, log *slog.Logger) *allocator {
	return &allocator{dir: dir, size: size, log: log, want: -1, kick: make(chan struct{}, 1)}
}

// request asks for the segment that starts at start.
func (a *allocator) request(start int64) {
	a.mu.Lock()
	a.want = start
	a.mu.Unlock()
	select {
	case a.kick <- struct{}{}:
	default:
	}
}

// warm asks for the pages of seg after pos to be faulted in.
func (a *allocator) warm(seg *mappedFile, pos int64) {
	a.mu.Lock()
	a.warmSeg, a.warmFrom = seg, pos
	a.mu.Unlock()
	select {
	case a.kick <- struct{}{}:
	default:
	}
}

// populate faults in the pages of f from pos for warmAhead bytes, unless
// f was released meanwhile.
func populate(f *mappedFile, pos int64) {
	if !f.hold() {
		return
	}
	defer f.release()
	from := pos &^ (pageSize - 1)
	to := min(from+warmAhead, f.size())
	if from < to {
		_ = unix.Madvise(f.data[from:to], unix.MADV_POPULATE_WRITE) // best effort
	}
}

// take returns the segment that starts at start: the prepared one, or a
// new one.
func (a *allocator) take(start int64) (*mappedFile, error) {
	a.createMu.Lock()
	defer a.createMu.Unlock()
	a.mu.Lock()
	s := a.spare
	a.spare, a.want = nil, -1
	a.mu.Unlock()
	if s != nil {
		if s.start == start {
			return s, nil
		}
		s.release() // a future segment; its empty file is reused or recovered away
	}
	return a.create(start)
}

func (a *allocator) create(start int64) (*mappedFile, error) {
	f, err := createMappedFile(a.dir, start, a.size, true)
	if err != nil {
		return nil, err
	}
	if err := syncDir(a.dir); err != nil {
		f.release()
		return nil, err
	}
	return f, nil
}

func (a *allocator) run(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-a.kick:
		}
		a.mu.Lock()
		seg, from := a.warmSeg, a.warmFrom
		a.warmSeg = nil
		a.mu.Unlock()
		if seg != nil {
			populate(seg, from)
		}
		a.createMu.Lock()
		a.mu.Lock()
		want, have := a.want, a.spare != nil
		a.mu.Unlock()
		if want >= 0 && !have {
			f, err := a.create(want)
			if err != nil {
				// The append path retries and reports the error.
				a.log.Warn("pre-creating commit log segment failed", "offset", want, "err", err)
			} else {
				populate(f, 0)
				a.mu.Lock()
				a.spare = f
				a.mu.Unlock()
			}
		}
		a.createMu.Unlock()
	}
}

// close drops a segment that was prepared but never used, and its file.
func (a *allocator) close() {
	a.createMu.Lock()
	defer a.createMu.Unlock()
	if s := a.spare; s != nil {
		a.spare = nil
		_ = os.Remove(s.path)
		s.release()
	}
}
