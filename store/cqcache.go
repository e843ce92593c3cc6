package store

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

// errFileDeleted means a consume-queue file was deleted (retention, topic
// deletion, recovery) while a reader still had it in its file list.
var errFileDeleted = errors.New("store: consume queue file deleted")

// cqFile is one consume-queue file. It is mapped on first use through the
// store's mapCache and unmapped again when it goes cold, so a broker with
// tens of thousands of queues keeps a bounded number of mappings and no
// descriptors for them (a mapping outlives its descriptor).
//
// The mapping is reference-counted like any mappedFile: eviction only
// drops the cache's reference, so a reader or the writer that holds the
// mapping keeps using it, and the next user maps the file again. Both
// mappings share the page cache, so they see the same bytes.
type cqFile struct {
	start int64 // byte position of the file's first unit in the queue
	size  int64
	path  string

	mu      sync.Mutex // serializes mapping and deletion
	deleted bool       // guarded by mu

	m    atomic.Pointer[mappedFile] // nil while unmapped
	used atomic.Bool                // CLOCK reference bit
	slot int                        // index in mapCache.ring, -1 if absent; guarded by mapCache.mu
}

func newCQFile(path string, start, size int64) *cqFile {
	return &cqFile{start: start, size: size, path: path, slot: -1}
}

func (f *cqFile) end() int64 { return f.start + f.size }

// mapCache bounds the number of mapped consume-queue files with the CLOCK
// algorithm: a hit sets the file's reference bit; past the bound the hand
// sweeps the ring, clearing set bits and unmapping the first file whose
// bit is clear.
type mapCache struct {
	max    int
	mu     sync.Mutex
	ring   []*cqFile
	hand   int
	mapped atomic.Int64 // files mapped by the cache, for tests and metrics
}

func newMapCache(max int) *mapCache { return &mapCache{max: max} }

// hold returns f's mapping with a reference the caller must release,
// mapping the file if needed.
func (c *mapCache) hold(f *cqFile) (*mappedFile, error) {
	if m := f.m.Load(); m != nil && m.hold() {
		if !f.used.Load() {
			f.used.Store(true)
		}
		return m, nil
	}
	return c.mapFile(f)
}

func (c *mapCache) mapFile(f *cqFile) (*mappedFile, error) {
	f.mu.Lock()
	if m := f.m.Load(); m != nil && m.hold() {
		f.mu.Unlock()
		return m, nil
	}
	if f.deleted {
		f.mu.Unlock()
		return nil, errFileDeleted
	}
	m, err := openMappedFile(f.path, f.start, f.size, false)
	if err != nil {
		f.mu.Unlock()
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %v", errFileDeleted, err)
		}
		return nil, err
	}
	m.adviseRandom()
	m.hold() // the caller's reference; the cache owns the first
	f.m.Store(m)
	f.used.Store(true)
	f.mu.Unlock()
	c.mapped.Add(1)

	c.mu.Lock()
	if f.slot < 0 {
		f.slot = len(c.ring)
		c.ring = append(c.ring, f)
	}
	for len(c.ring) > c.max && c.evictOne() {
	}
	c.mu.Unlock()
	return m, nil
}

// evictOne unmaps one cold file. The caller holds c.mu.
func (c *mapCache) evictOne() bool {
	for range 2*len(c.ring) + 1 {
		if len(c.ring) == 0 {
			return false
		}
		if c.hand >= len(c.ring) {
			c.hand = 0
		}
		f := c.ring[c.hand]
		if f.m.Load() == nil { // dropped by someone else
			c.remove(f)
			continue
		}
		if f.used.Swap(false) {
			c.hand++
			continue
		}
		c.remove(f)
		c.unmap(f)
		return true
	}
	return false
}

// unmap drops the cache's reference to f's mapping, if it is mapped.
func (c *mapCache) unmap(f *cqFile) {
	if m := f.m.Load(); m != nil && f.m.CompareAndSwap(m, nil) {
		c.mapped.Add(-1)
		m.release()
	}
}

// remove takes f out of the ring. The caller holds c.mu.
func (c *mapCache) remove(f *cqFile) {
	i := f.slot
	if i < 0 {
		return
	}
	last := len(c.ring) - 1
	c.ring[i] = c.ring[last]
	c.ring[i].slot = i
	c.ring[last] = nil
	c.ring = c.ring[:last]
	f.slot = -1
}

// drop unmaps f for good: it is being deleted or the store is closing.
// Readers that hold its mapping keep it until they release.
func (c *mapCache) drop(f *cqFile) {
	f.mu.Lock()
	f.deleted = true
	f.mu.Unlock()
	c.mu.Lock()
	c.remove(f)
	c.mu.Unlock()
	c.unmap(f)
}
