package store

import (
	"encoding/binary"
	"os"
	"sync"
	"sync/atomic"
)

// checkpointSize is the size of the checkpoint file: one page of longs.
const checkpointSize = 4096

// checkpoint is the file Java calls StoreCheckpoint: the store timestamps
// up to which the commit log (physic), the consume queues (logics) and the
// index are known to be durable. Crash recovery re-dispatches from the
// newest segment that starts 3 s before min(physic, logics, index).
type checkpoint struct {
	f       *os.File
	physic  atomic.Int64
	logics  atomic.Int64
	index   atomic.Int64
	writeMu sync.Mutex
}

func openCheckpoint(path string) (*checkpoint, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	c := &checkpoint{f: f}
	var buf [24]byte
	if n, _ := f.ReadAt(buf[:], 0); n == len(buf) {
		c.physic.Store(int64(binary.BigEndian.Uint64(buf[0:])))
		c.logics.Store(int64(binary.BigEndian.Uint64(buf[8:])))
		c.index.Store(int64(binary.BigEndian.Uint64(buf[16:])))
	}
	if fi, err := f.Stat(); err == nil && fi.Size() < checkpointSize {
		err = f.Truncate(checkpointSize)
		if err != nil {
			f.Close()
			return nil, err
		}
	}
	return c, nil
}

// minTimestamp is what crash recovery trusts (Java's getMinTimestamp
// without the index).
func (c *checkpoint) minTimestamp() int64 {
	return min(c.physic.Load(), c.logics.Load())
}

// flush writes the three timestamps and makes them durable.
func (c *checkpoint) flush() error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	var buf [24]byte
	binary.BigEndian.PutUint64(buf[0:], uint64(c.physic.Load()))
	binary.BigEndian.PutUint64(buf[8:], uint64(c.logics.Load()))
	binary.BigEndian.PutUint64(buf[16:], uint64(c.index.Load()))
	if _, err := c.f.WriteAt(buf[:], 0); err != nil {
		return err
	}
	return c.f.Sync()
}

func (c *checkpoint) close() error { return c.f.Close() }
