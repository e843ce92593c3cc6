package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
)

// Index file layout (Java's IndexFile and IndexHeader):
//
//	header  40 B: beginTimestamp, endTimestamp, beginPhyOffset,
//	              endPhyOffset (longs), hashSlotCount, indexCount (ints)
//	slots   maxHashSlotNum ints: number of the newest entry of the slot
//	entries maxIndexNum x 20 B: keyHash int, phyOffset long,
//	              timeDiff int (seconds since beginTimestamp),
//	              prevIndex int (older entry of the same slot, 0 = none)
//
// indexCount is the number of the next entry and starts at 1, so entry 0
// is never used and 0 means "none" in slots and chains.
const (
	indexHeaderSize = 40
	indexSlotSize   = 4
	indexEntrySize  = 20

	ixOffBeginTs   = 0
	ixOffEndTs     = 8
	ixOffBeginPhy  = 16
	ixOffEndPhy    = 24
	ixOffSlotCount = 32
	ixOffCount     = 36

	// indexNameLayout names index files by creation time, yyyyMMddHHmmssSSS
	// in local time like Java (the dot is dropped).
	indexNameLayout = "20060102150405.000"
	indexNameLen    = 17

	// indexReserveChunk is how far ahead of the next entry the entry area is
	// allocated with fallocate. The file is sparse (most of its 420 MB is
	// never written when traffic is light), but a write fault into an
	// unallocated page of a full file system would kill the process with
	// SIGBUS, so every page is allocated before it is written.
	indexReserveChunk = 4 << 20
)

// indexFile is one mapped index file.
type indexFile struct {
	path       string
	m          *mappedFile // start 0; keeps its descriptor for fallocate
	slots      int64
	maxEntries int64

	// Mirror of the header that readers use; the writer updates it after
	// the bytes, and count last.
	beginTs, endTs   atomic.Int64
	beginPhy, endPhy atomic.Int64
	count            atomic.Int32

	// Writer state, guarded by Store.mu.
	slotCount int32
	reserved  int64 // bytes from the file start whose blocks are allocated

	// Flusher state, guarded by Store.cqFlushMu.
	flushed int32 // entries below it are durable
}

func indexFileSize(slots, entries int64) int64 {
	return indexHeaderSize + slots*indexSlotSize + entries*indexEntrySize
}

func (f *indexFile) entryPos(n int32) int64 {
	return indexHeaderSize + f.slots*indexSlotSize + int64(n)*indexEntrySize
}

func (f *indexFile) slotPos(hash int32) int64 {
	return indexHeaderSize + int64(hash)%f.slots*indexSlotSize
}

// loadSlot and storeSlot access a slot atomically: a reader that sees a
// slot value sees the entry it names complete. Slots are big-endian ints
// at 4-byte-aligned positions of a page-aligned mapping.
func (f *indexFile) loadSlot(pos int64) int32 {
	v := atomic.LoadUint32((*uint32)(unsafe.Pointer(&f.m.data[pos])))
	var b [4]byte
	binary.NativeEndian.PutUint32(b[:], v)
	return int32(binary.BigEndian.Uint32(b[:]))
}

func (f *indexFile) storeSlot(pos int64, n int32) {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], uint32(n))
	atomic.StoreUint32((*uint32)(unsafe.Pointer(&f.m.data[pos])), binary.NativeEndian.Uint32(b[:]))
}

type indexEntry struct {
	hash     int32
	phy      int64
	timeDiff int32
	prev     int32
}

func (f *indexFile) entry(n int32) indexEntry {
	b := f.m.data[f.entryPos(n):]
	be := binary.BigEndian
	return indexEntry{int32(be.Uint32(b)), int64(be.Uint64(b[4:])), int32(be.Uint32(b[12:])), int32(be.Uint32(b[16:]))}
}

// loadHeader fills the mirror from the file's header.
func (f *indexFile) loadHeader() {
	be, d := binary.BigEndian, f.m.data
	f.beginTs.Store(int64(be.Uint64(d[ixOffBeginTs:])))
	f.endTs.Store(int64(be.Uint64(d[ixOffEndTs:])))
	f.beginPhy.Store(int64(be.Uint64(d[ixOffBeginPhy:])))
	f.endPhy.Store(int64(be.Uint64(d[ixOffEndPhy:])))
	f.slotCount = int32(be.Uint32(d[ixOffSlotCount:]))
	n := int32(be.Uint32(d[ixOffCount:]))
	if n <= 0 || int64(n) > f.maxEntries {
		n = 1
	}
	f.count.Store(n)
	f.flushed = n
}

// writeHeader writes the mirror into the file's header.
func (f *indexFile) writeHeader() {
	be, d := binary.BigEndian, f.m.data
	be.PutUint64(d[ixOffBeginTs:], uint64(f.beginTs.Load()))
	be.PutUint64(d[ixOffEndTs:], uint64(f.endTs.Load()))
	be.PutUint64(d[ixOffBeginPhy:], uint64(f.beginPhy.Load()))
	be.PutUint64(d[ixOffEndPhy:], uint64(f.endPhy.Load()))
	be.PutUint32(d[ixOffSlotCount:], uint32(f.slotCount))
	be.PutUint32(d[ixOffCount:], uint32(f.count.Load()))
}

func (f *indexFile) full() bool { return int64(f.count.Load()) >= f.maxEntries }

// put adds an entry the way Java's IndexFile.putKey does, byte for byte
// (including its quirk of measuring the first entry of a rolled file
// against the previous file's end time). It reports false when the file
// is full. The caller is the writer.
func (f *indexFile) put(hash int32, phy, storeTs int64) (bool, error) {
	n := f.count.Load()
	if int64(n) >= f.maxEntries {
		return false, nil
	}
	pos := f.entryPos(n)
	if pos+indexEntrySize > f.reserved {
		if err := f.reserve(pos + indexEntrySize); err != nil {
			return false, err
		}
	}
	sp := f.slotPos(hash)
	prev := f.loadSlot(sp)
	if prev <= 0 || prev > n {
		prev = 0
	}
	begin := f.beginTs.Load()
	diff := (storeTs - begin) / 1000
	switch {
	case begin <= 0:
		diff = 0
	case diff > math.MaxInt32:
		diff = math.MaxInt32
	case diff < 0:
		diff = 0
	}
	b := f.m.data[pos:]
	be := binary.BigEndian
	be.PutUint32(b, uint32(hash))
	be.PutUint64(b[4:], uint64(phy))
	be.PutUint32(b[12:], uint32(int32(diff)))
	be.PutUint32(b[16:], uint32(prev))
	if n <= 1 {
		f.beginPhy.Store(phy)
		f.beginTs.Store(storeTs)
	}
	if prev == 0 {
		f.slotCount++
	}
	f.endPhy.Store(phy)
	f.endTs.Store(storeTs)
	f.storeSlot(sp, n)
	f.count.Store(n + 1)
	f.writeHeader()
	return true, nil
}

// reserve allocates blocks up to at least end (in chunks).
func (f *indexFile) reserve(end int64) error {
	to := min(max(end, f.reserved+indexReserveChunk), f.m.size())
	err := unix.Fallocate(int(f.m.f.Fd()), 0, f.reserved, to-f.reserved)
	if err != nil && !errors.Is(err, unix.EOPNOTSUPP) && !errors.Is(err, unix.ENOSYS) {
		return fmt.Errorf("fallocate %s: %w", f.path, err)
	}
	if err != nil {
		to = f.m.size() // nothing to reserve with on this file system
	}
	f.reserved = to
	return nil
}

// timeMatched is Java's isTimeMatched: the file's time span overlaps
// [begin, end].
func (f *indexFile) timeMatched(begin, end int64) bool {
	b, e := f.beginTs.Load(), f.endTs.Load()
	return begin < b && end > e || begin >= b && begin <= e || end >= b && end <= e
}

// selectPhy appends the commit-log offsets of the entries with hash and a
// time in [begin, end], newest first, until out has maxNum (Java's
// selectPhyOffset). It needs no lock: the slot is read atomically and the
// chain below it is immutable.
func (f *indexFile) selectPhy(out []int64, hash int32, maxNum int, begin, end int64) []int64 {
	cur := f.loadSlot(f.slotPos(hash))
	count := f.count.Load() // after the slot: cur <= count
	if cur <= 0 || cur > count || count <= 1 {
		return out
	}
	beginTs := f.beginTs.Load()
	for len(out) < maxNum {
		e := f.entry(cur)
		if e.timeDiff < 0 {
			break
		}
		t := beginTs + int64(e.timeDiff)*1000
		if e.hash == hash && t >= begin && t <= end {
			out = append(out, e.phy)
		}
		if e.prev <= 0 || e.prev > count || e.prev == cur || t < begin {
			break
		}
		cur = e.prev
	}
	return out
}

// indexKeyHash is Java's abs(("topic#key").hashCode()) (MIN_VALUE gives 0)
// from the topic's hash, without building the string: for Java's
// polynomial hash, hash(a+b) = hash(a)*31^len(b) + hash(b) with len in
// UTF-16 units.
func indexKeyHash(topicHash int32, key string) int32 {
	h := topicHash*31 + '#'
	p, base := int32(1), int32(31)
	for n := utf16Len(key); n > 0; n >>= 1 {
		if n&1 != 0 {
			p *= base
		}
		base *= base
	}
	h = h*p + compat.JavaStringHash(key)
	switch {
	case h == math.MinInt32:
		return 0
	case h < 0:
		return -h
	}
	return h
}

// utf16Len counts the UTF-16 units Java would see in s (invalid bytes
// count as one U+FFFD each, as compat.JavaStringHash decodes them).
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// appendIndexHashes appends the hashes of the index keys of a message:
// UNIQ_KEY, then every non-empty token of KEYS split on single spaces, each
// as topic#key (Java's IndexService.buildIndex).
func appendIndexHashes(dst []int32, topic, props string) []int32 {
	uniq, hasUniq := codec.PropertyValue(props, codec.PropertyUniqKey)
	keys, _ := codec.PropertyValue(props, codec.PropertyKeys)
	if !hasUniq && keys == "" {
		return dst
	}
	th := compat.JavaStringHash(topic)
	if hasUniq {
		dst = append(dst, indexKeyHash(th, uniq))
	}
	for keys != "" {
		k := keys
		if i := strings.IndexByte(keys, ' '); i >= 0 {
			k, keys = keys[:i], keys[i+1:]
		} else {
			keys = ""
		}
		if k != "" {
			dst = append(dst, indexKeyHash(th, k))
		}
	}
	return dst
}

// index is the set of index files under <RootDir>/index.
type index struct {
	dir     string
	slots   int64
	entries int64
	log     *slog.Logger

	mu    sync.Mutex // serializes changes of the file list
	files atomic.Pointer[[]*indexFile]

	// Writer state, guarded by Store.mu (or owned by recovery).
	lastName time.Time // creation time in the newest file name
	broken   bool      // a file could not be created or grown: stop indexing
	// resume: records at or past it are not indexed yet (recovery).
	resume int64
}

func newIndex(dir string, slots, entries int, log *slog.Logger) *index {
	return &index{dir: dir, slots: int64(slots), entries: int64(entries), log: log}
}

func (ix *index) fileList() []*indexFile {
	if p := ix.files.Load(); p != nil {
		return *p
	}
	return nil
}

func (ix *index) setFiles(files []*indexFile) { ix.files.Store(&files) }

func (ix *index) fileSize() int64 { return indexFileSize(ix.slots, ix.entries) }

// load maps the index files in name (= creation) order.
func (ix *index) load() error {
	if err := os.MkdirAll(ix.dir, 0o755); err != nil {
		return err
	}
	ents, err := os.ReadDir(ix.dir)
	if err != nil {
		return err
	}
	var files []*indexFile
	for _, e := range ents {
		name := e.Name()
		t, ok := parseIndexName(name)
		if !ok || !e.Type().IsRegular() {
			ix.log.Warn("ignoring unexpected file in the index directory", "file", name)
			continue
		}
		path := filepath.Join(ix.dir, name)
		if fi, err := e.Info(); err == nil && fi.Size() == 0 {
			// A creation cut short by a crash.
			ix.log.Warn("removing empty index file", "file", path)
			if err := os.Remove(path); err != nil {
				return err
			}
			continue
		}
		m, err := openMappedFile(path, 0, ix.fileSize(), true)
		if err != nil {
			for _, f := range files {
				f.m.release()
			}
			return err
		}
		m.adviseRandom()
		// reserved stays 0: the first put allocates everything up to its
		// entry, which costs nothing where blocks exist already.
		f := &indexFile{path: m.path, m: m, slots: ix.slots, maxEntries: ix.entries}
		f.loadHeader()
		files = append(files, f)
		ix.lastName = t
	}
	ix.setFiles(files)
	if n := len(files); n > 0 {
		// The newest file's header names the last record indexed.
		if last := files[n-1]; last.count.Load() > 1 || last.endPhy.Load() > 0 {
			ix.resume = last.endPhy.Load() + 1
		}
	}
	return nil
}

// parseIndexName parses a yyyyMMddHHmmssSSS file name.
func parseIndexName(name string) (time.Time, bool) {
	if len(name) != indexNameLen {
		return time.Time{}, false
	}
	for i := range len(name) {
		if name[i] < '0' || name[i] > '9' {
			return time.Time{}, false
		}
	}
	t, err := time.ParseInLocation(indexNameLayout, name[:14]+"."+name[14:], time.Local)
	return t, err == nil
}

// create starts a new file that continues from prev (Java's
// getAndCreateLastIndexFile). The caller is the writer.
func (ix *index) create(prev *indexFile) (*indexFile, error) {
	t := time.Now().Truncate(time.Millisecond)
	if !t.After(ix.lastName) {
		t = ix.lastName.Add(time.Millisecond)
	}
	name := strings.Replace(t.Format(indexNameLayout), ".", "", 1)
	path := filepath.Join(ix.dir, name)
	fd, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	size := ix.fileSize()
	err = fd.Truncate(size) // sparse
	var m *mappedFile
	if err == nil {
		m, err = mapFile(fd, path, 0, size)
	} else {
		fd.Close()
	}
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	m.adviseRandom()
	f := &indexFile{path: path, m: m, slots: ix.slots, maxEntries: ix.entries}
	// The header and slots are written at random; allocate them now.
	if err := f.reserve(f.entryPos(1)); err != nil {
		m.release()
		os.Remove(path)
		return nil, err
	}
	f.count.Store(1)
	f.flushed = 1
	if prev != nil {
		if p := prev.endPhy.Load(); p > 0 {
			f.beginPhy.Store(p)
			f.endPhy.Store(p)
		}
		if ts := prev.endTs.Load(); ts > 0 {
			f.beginTs.Store(ts)
			f.endTs.Store(ts)
		}
	}
	f.writeHeader()
	if err := syncDir(ix.dir); err != nil {
		m.release()
		os.Remove(path)
		return nil, err
	}
	ix.lastName = t
	ix.mu.Lock()
	files := ix.fileList()
	ix.setFiles(append(files[:len(files):len(files)], f))
	ix.mu.Unlock()
	return f, nil
}

// add indexes one key of the record at phy. The caller is the writer. A
// file that cannot be created or grown stops indexing until the next
// start (Java's makeIndexFileError); messages are still stored.
func (ix *index) add(hash int32, phy, storeTs int64) {
	if ix.broken {
		return
	}
	files := ix.fileList()
	var f *indexFile
	if n := len(files); n > 0 {
		f = files[n-1]
	}
	for range 2 {
		if f == nil || f.full() {
			nf, err := ix.create(f)
			if err != nil {
				ix.broken = true
				ix.log.Error("cannot create an index file; messages are no longer indexed until restart", "err", err)
				return
			}
			f = nf
		}
		ok, err := f.put(hash, phy, storeTs)
		if err != nil {
			ix.broken = true
			ix.log.Error("cannot grow the index file; messages are no longer indexed until restart", "file", f.path, "err", err)
			return
		}
		if ok {
			return
		}
	}
}

// flush makes every entry written so far durable: the header and slot
// table (msync only writes their dirty pages) and the new entries. The
// caller holds Store.cqFlushMu.
func (ix *index) flush() error {
	for _, f := range ix.fileList() {
		n := f.count.Load()
		if n == f.flushed || !f.m.hold() {
			continue
		}
		err := f.m.flushRange(0, f.entryPos(0))
		if err == nil {
			err = f.m.flushRange(f.entryPos(f.flushed), f.entryPos(n))
		}
		f.m.release()
		if err != nil {
			return err
		}
		f.flushed = n
	}
	return nil
}

// deleteBelow removes the files, except the newest, whose every entry
// points below minPhy (Java's deleteExpiredFile).
func (ix *index) deleteBelow(minPhy int64) error {
	ix.mu.Lock()
	files := ix.fileList()
	i := 0
	for i < len(files)-1 && files[i].endPhy.Load() < minPhy {
		i++
	}
	if i == 0 {
		ix.mu.Unlock()
		return nil
	}
	gone := files[:i]
	ix.setFiles(slices.Clone(files[i:]))
	ix.mu.Unlock()
	var errs []error
	for _, f := range gone {
		ix.log.Info("deleting expired index file", "file", f.path, "endPhyOffset", f.endPhy.Load(), "minPhyOffset", minPhy)
		if err := os.Remove(f.path); err != nil {
			errs = append(errs, err)
		}
		f.m.release()
	}
	if err := syncDir(ix.dir); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// close unmaps every file.
func (ix *index) close() {
	for _, f := range ix.fileList() {
		f.m.release()
	}
	ix.setFiles(nil)
}

// recoverAfterCrash makes the index agree with a commit log that is
// re-dispatched from `from` (a record boundary). Entries
// for records before `from` were made durable before the checkpoint that
// vouches for `from`, so only the file holding `from` is cut: it keeps its
// entries below `from` (up to the first entry that is out of order or out
// of range, should an entry be torn), its slot table is rebuilt from them,
// and newer files are deleted. resume is where indexing picks up again.
// recordTime reads a record's store time (for the header's end time).
func (ix *index) recoverAfterCrash(from int64, recordTime func(phy int64) (int64, bool)) error {
	ix.resume = from
	files := ix.fileList()
	for len(files) > 0 {
		// A file whose first entry and header disagree was created after
		// the last index flush and is torn; its entries are all past from.
		f := files[len(files)-1]
		if e := f.entry(1); f.count.Load() > 1 && e.phy == f.beginPhy.Load() && e.phy < from {
			break
		}
		ix.log.Warn("deleting index file newer than the recovery point", "file", f.path)
		if err := os.Remove(f.path); err != nil {
			return err
		}
		f.m.release()
		files = files[:len(files)-1]
	}
	ix.setFiles(files)
	if len(files) == 0 {
		return syncDir(ix.dir)
	}
	f := files[len(files)-1]
	n := f.count.Load()
	k, prev := int32(1), int64(-1)
	torn := false
	for ; k < n; k++ {
		e := f.entry(k)
		if e.phy < prev || e.phy < 0 || e.timeDiff < 0 {
			torn = true // unflushed pages read back as zeros or garbage
			break
		}
		if e.phy >= from {
			break // the part that is dispatched again
		}
		prev = e.phy
	}
	if torn {
		// The last kept record may have lost some of its keys: index it
		// again, and everything after it.
		for k > 1 && f.entry(k-1).phy == prev {
			k--
		}
		ix.resume = max(prev, 0)
		ix.log.Warn("index file has a torn entry before the recovery point", "file", f.path, "entry", k, "resumeAt", prev)
	}
	if k < n {
		ix.truncate(f, k, recordTime)
	}
	if err := f.m.flushRange(0, f.m.size()); err != nil {
		return err
	}
	return syncDir(ix.dir)
}

// truncate keeps entries 1..k-1 of f and rebuilds the slot table and
// header from them.
func (ix *index) truncate(f *indexFile, k int32, recordTime func(phy int64) (int64, bool)) {
	clear(f.m.data[indexHeaderSize:f.entryPos(0)])
	f.slotCount = 0
	for i := int32(1); i < k; i++ {
		sp := f.slotPos(f.entry(i).hash)
		if f.loadSlot(sp) == 0 {
			f.slotCount++
		}
		f.storeSlot(sp, i)
	}
	clear(f.m.data[f.entryPos(k):f.entryPos(f.count.Load())])
	if k > 1 {
		e := f.entry(k - 1)
		f.endPhy.Store(e.phy)
		ts, ok := recordTime(e.phy)
		if !ok {
			ts = f.beginTs.Load() + int64(e.timeDiff)*1000
		}
		f.endTs.Store(ts)
	} else {
		f.endPhy.Store(f.beginPhy.Load())
		f.endTs.Store(f.beginTs.Load())
	}
	f.count.Store(k)
	f.flushed = k
	f.writeHeader()
}

// lastUpdate is the end time and offset of the newest file.
func (ix *index) lastUpdate() (int64, int64) {
	files := ix.fileList()
	if len(files) == 0 {
		return 0, 0
	}
	f := files[len(files)-1]
	return f.endTs.Load(), f.endPhy.Load()
}
