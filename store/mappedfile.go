package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"github.com/booster-mq/booster/compat"
)

// pageSize is the flush granularity.
const pageSize = 4096

// mappedFile is one fixed-size file mapped MAP_SHARED into memory: a
// commit-log segment or a consume-queue file. Its name is its start offset.
//
// Lifetime is reference-counted (Java's hold/release): the owner holds one
// reference from creation; readers and flushers hold one while they touch
// data. The mapping is unmapped and the file closed when the count drops to
// zero. Files are unlinked by whoever deletes them, right away: Linux keeps
// an unlinked file's mapping valid, and a deferred unlink could hit a new
// file of the same name.
type mappedFile struct {
	path  string
	start int64 // global offset of data[0]
	f     *os.File
	data  []byte
	refs  atomic.Int64
}

// createMappedFile creates (or reuses) the file for start in dir, sizes it
// with ftruncate, optionally reserves its blocks with fallocate so a full
// disk fails here instead of faulting a write into the mapping, and maps
// it. The directory is not synced; callers do that.
func createMappedFile(dir string, start, size int64, reserve bool) (*mappedFile, error) {
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
	if err == nil && reserve {
		if ferr := unix.Fallocate(int(f.Fd()), 0, 0, size); ferr != nil &&
			!errors.Is(ferr, unix.EOPNOTSUPP) && !errors.Is(ferr, unix.ENOSYS) {
			err = fmt.Errorf("fallocate %s: %w", path, ferr)
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return mapFile(f, path, start, size)
}

// openMappedFile maps an existing file, which must be exactly size bytes.
// With keepFD false the descriptor is closed once the file is mapped (the
// mapping stays valid), so many mapped files cost no descriptors.
func openMappedFile(path string, start, size int64, keepFD bool) (*mappedFile, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && fi.Size() != size {
		err = fmt.Errorf("%s is %d bytes, want %d (did the configured file size change?)", path, fi.Size(), size)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	m, err := mapFile(f, path, start, size)
	if err == nil && !keepFD {
		err = m.f.Close()
		m.f = nil
		if err != nil {
			m.release()
			return nil, err
		}
	}
	return m, err
}

func mapFile(f *os.File, path string, start, size int64) (*mappedFile, error) {
	data, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("mmap %s: %w", path, err)
	}
	m := &mappedFile{path: path, start: start, f: f, data: data}
	m.refs.Store(1)
	return m, nil
}

// adviseRandom turns off read-ahead for m's faults. Consume-queue and
// index files are touched a few bytes at a time in many places; with the
// kernel's read-ahead each first touch of a sparse file filled megabytes
// of zeroed page cache, and 10,000 queues written round-robin cost about
// 2.5 ms per message instead of 6 µs for the first touch of a page.
func (m *mappedFile) adviseRandom() {
	_ = unix.Madvise(m.data, unix.MADV_RANDOM) // advice only
}

// adviseWritten gives a segment that is no longer written to read-ahead
// back for its later cold reads (see commitLog.setCur).
func (m *mappedFile) adviseWritten() {
	_ = unix.Madvise(m.data, unix.MADV_NORMAL) // advice only
}

func (m *mappedFile) size() int64 { return int64(len(m.data)) }
func (m *mappedFile) end() int64  { return m.start + int64(len(m.data)) }

// hold takes a reference; it fails once the owner and every reader have
// released the file.
func (m *mappedFile) hold() bool {
	for {
		n := m.refs.Load()
		if n <= 0 {
			return false
		}
		if m.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// release drops a reference and unmaps after the last one.
func (m *mappedFile) release() {
	if m.refs.Add(-1) != 0 {
		return
	}
	// Nobody can reach the data any more; an error here leaks a mapping
	// at worst.
	_ = unix.Munmap(m.data)
	if m.f != nil {
		_ = m.f.Close()
	}
}

// flushRange makes data[from:to) durable with msync on the page-aligned
// range that covers it. The caller holds a reference.
func (m *mappedFile) flushRange(from, to int64) error {
	from = max(from, 0)
	to = min(to, m.size())
	if from >= to {
		return nil
	}
	lo := from &^ (pageSize - 1)
	hi := min((to+pageSize-1)&^(pageSize-1), m.size())
	if err := unix.Msync(m.data[lo:hi], unix.MS_SYNC); err != nil {
		return fmt.Errorf("msync %s: %w", m.path, err)
	}
	return nil
}

// zeroFrom clears data[from:] so stale bytes past a recovered end can
// never be mistaken for records, and makes that durable. Whole pages are
// punched out of the file; the rest is cleared through the mapping.
func (m *mappedFile) zeroFrom(from int64) error {
	if from >= m.size() {
		return nil
	}
	f := m.f
	if f == nil {
		var err error
		if f, err = os.OpenFile(m.path, os.O_RDWR, 0); err != nil {
			return err
		}
		defer f.Close()
	}
	page := min((from+pageSize-1)&^(pageSize-1), m.size())
	clear(m.data[from:page])
	if page < m.size() {
		err := unix.Fallocate(int(f.Fd()), unix.FALLOC_FL_PUNCH_HOLE|unix.FALLOC_FL_KEEP_SIZE, page, m.size()-page)
		if err != nil {
			clear(m.data[page:])
		}
	}
	if err := m.flushRange(from, m.size()); err != nil {
		return err
	}
	return unix.Fdatasync(int(f.Fd()))
}

// fdatasyncPath makes the data of the file at path durable without a
// mapping (a consume-queue file that was unmapped while dirty). A file
// that is gone needs nothing.
func fdatasyncPath(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	err = unix.Fdatasync(int(f.Fd()))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// fileList is a copy-on-write list of contiguous, equally sized files.
// Readers load it without locks; writers replace it under the owner's lock.
type fileList struct {
	p atomic.Pointer[[]*mappedFile]
}

func (l *fileList) load() []*mappedFile {
	if p := l.p.Load(); p != nil {
		return *p
	}
	return nil
}

func (l *fileList) set(files []*mappedFile) { l.p.Store(&files) }

// appendFile publishes files+f. Only the list's writer calls it.
func (l *fileList) appendFile(f *mappedFile) {
	old := l.load()
	files := make([]*mappedFile, len(old), len(old)+1)
	copy(files, old)
	l.set(append(files, f))
}

// find returns the file that contains global offset off, or nil.
func findFile(files []*mappedFile, off int64) *mappedFile {
	if len(files) == 0 || off < files[0].start {
		return nil
	}
	i := (off - files[0].start) / files[0].size()
	if i >= int64(len(files)) {
		return nil
	}
	return files[i]
}

// syncDir fsyncs a directory so created, renamed or removed entries are
// durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// listFiles returns the start offsets of the 20-digit offset files of
// dir, in order. A trailing empty file (a creation cut short by a crash) is
// removed. The files must be contiguous and, with checkSize, each exactly
// size bytes, as Java requires.
func listFiles(dir string, size int64, checkSize bool) ([]int64, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var offs []int64
	for _, e := range ents { // ReadDir sorts by name: 20-digit names sort numerically
		if off, ok := compat.ParseOffsetFileName(e.Name()); ok && e.Type().IsRegular() {
			offs = append(offs, off)
		}
	}
	if n := len(offs); n > 0 {
		last := filepath.Join(dir, compat.OffsetFileName(offs[n-1]))
		if fi, err := os.Stat(last); err == nil && fi.Size() == 0 {
			if err := os.Remove(last); err != nil {
				return nil, err
			}
			offs = offs[:n-1]
		}
	}
	for i, off := range offs {
		name := compat.OffsetFileName(off)
		if i > 0 && off != offs[i-1]+size {
			return nil, fmt.Errorf("%s: file %s does not follow %s (size %d)", dir,
				name, compat.OffsetFileName(offs[i-1]), size)
		}
		if off%size != 0 {
			return nil, fmt.Errorf("%s: file %s is not at a multiple of %d", dir, name, size)
		}
		if checkSize {
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				return nil, err
			}
			if fi.Size() != size {
				return nil, fmt.Errorf("%s/%s is %d bytes, want %d (did the configured file size change?)", dir, name, fi.Size(), size)
			}
		}
	}
	return offs, nil
}

// loadFiles maps the 20-digit offset files of dir (see listFiles).
func loadFiles(dir string, size int64) ([]*mappedFile, error) {
	offs, err := listFiles(dir, size, false)
	if err != nil {
		return nil, err
	}
	var files []*mappedFile
	for _, off := range offs {
		f, err := openMappedFile(filepath.Join(dir, compat.OffsetFileName(off)), off, size, true)
		if err != nil {
			for _, f := range files {
				f.release()
			}
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}
