package store

// Master/slave replication, the store's side (package ha drives it):
//
//   - A master reads its published commit log in chunks (ReadCommitLog) to
//     push them to slaves, is told of every append (Replication.Appended)
//     and, for a SYNC_MASTER, makes Put wait for a slave's acknowledgement
//     (Replication.WaitAck).
//   - A slave writes the raw bytes it receives at the same offsets
//     (AppendReplica): the commit log is a byte-for-byte copy of the
//     master's, blank end-of-segment markers included. The stream may cut
//     records anywhere, so MaxPhyOffset (what the slave reports) can end
//     inside a record; the slave's own consume queues and index are built
//     from each record once it is complete, by the same dispatch recovery
//     uses, and published like Put publishes.
//
// A slave's crash recovery is the ordinary one: it cuts the log after the
// last whole record, so the master resends the rest.

import (
	"errors"
	"fmt"

	"github.com/booster-mq/booster/codec"
)

// Errors of replication.
var (
	// ErrSlave means Put was called on a slave's store.
	ErrSlave = errors.New("store: the store is a slave; its commit log is written by replication only")
	// ErrReplicaOffset means replicated bytes do not continue the log.
	ErrReplicaOffset = errors.New("store: replicated data does not start at the end of the commit log")
)

// Replication is a master's replication service as Put sees it.
type Replication interface {
	// Appended is called after every successful Put, outside the append
	// lock, with the new end of the commit log. It must not block.
	Appended(end int64)
	// WaitAck is called by a Put that waits for its messages (WAIT=true)
	// with the end of its last record; it returns PutOK once a slave has
	// acknowledged the log up to end (at once for an asynchronous master),
	// PutSlaveNotAvailable or PutFlushSlaveTimeout.
	WaitAck(end int64) PutStatus
}

// SetReplication installs (or, with nil, removes) the master's
// replication service.
func (s *Store) SetReplication(r Replication) {
	if r == nil {
		s.repl.Store(nil)
		return
	}
	s.repl.Store(&r)
}

// SetSlave marks the store as a slave's: Put answers PutServiceNotAvailable
// (ErrSlave) and only AppendReplica writes the commit log.
func (s *Store) SetSlave(slave bool) { s.slave.Store(slave) }

// IsSlave reports whether SetSlave(true) is in effect.
func (s *Store) IsSlave() bool { return s.slave.Load() }

// CommitLogChunk is a held view of published commit-log bytes. Data
// aliases the mapped segment and stays valid until Release.
type CommitLogChunk struct {
	// Offset is the commit-log offset of Data[0].
	Offset int64
	// Data is the bytes, never spanning two segments.
	Data []byte
	seg  *mappedFile
}

// Release lets go of the segment. It is safe to call more than once.
func (c *CommitLogChunk) Release() {
	if c.seg != nil {
		c.seg.release()
		c.seg = nil
	}
	c.Data = nil
}

// ReadCommitLog returns up to maxBytes published bytes from off on, within
// the segment that holds off (Java's getCommitLogData, for the HA stream).
// A segment closed by a blank marker is published to its end, so its
// chunks carry the marker and the unused bytes after it. ok is false when
// nothing is published at off yet, or off is no longer held (below
// MinPhyOffset).
func (s *Store) ReadCommitLog(off int64, maxBytes int) (c CommitLogChunk, ok bool) {
	wrote := s.cl.wrote.Load()
	if off < 0 || off >= wrote || maxBytes <= 0 {
		return c, false
	}
	seg := findFile(s.cl.files.load(), off)
	if seg == nil || !seg.hold() {
		return c, false
	}
	end := min(seg.end(), wrote, off+int64(maxBytes))
	lo, hi := off-seg.start, end-seg.start
	return CommitLogChunk{Offset: off, Data: seg.data[lo:hi:hi], seg: seg}, true
}

// replArrival is one record a slave dispatched, for the arrival hook.
type replArrival struct {
	q     *consumeQueue
	max   int64
	tags  int64
	props string // only when a hook is set
}

// AppendReplica appends commit-log bytes received from the master at off,
// which must be MaxPhyOffset; into an empty log, any segment start. The
// bytes are copied as they are, rolling to the next segment at a segment
// end; then every record completed by them is dispatched to its consume
// queue and the index, published, and announced to the arrival hook. A
// record that is not whole stays undispatched until the rest arrives. A
// stream that does not hold valid records at the offsets it names fences
// the store (the next Open cuts the log after the last good record).
func (s *Store) AppendReplica(off int64, data []byte) error {
	if len(data) == 0 {
		return nil
	}
	var arrivals []replArrival
	s.mu.Lock()
	err := s.appendReplicaLocked(off, data, &arrivals)
	s.mu.Unlock()
	if hp := s.hook.Load(); hp != nil {
		for _, a := range arrivals {
			(*hp)(a.q.topic, a.q.queueID, a.max, a.tags, a.props)
		}
	}
	return err
}

func (s *Store) appendReplicaLocked(off int64, data []byte, arrivals *[]replArrival) error {
	if s.closed.Load() {
		return ErrClosed
	}
	if err := s.err(); err != nil {
		return err
	}
	wrote := s.cl.wrote.Load()
	if s.cl.cur == nil {
		// An empty log starts where the master's stream does: a fresh
		// slave is sent the master's newest segment on.
		if off%s.cl.segSize != 0 {
			return fmt.Errorf("%w: offset %d into an empty log is not a segment start", ErrReplicaOffset, off)
		}
		wrote = off
		s.cl.wrote.Store(off)
	} else if off != wrote {
		return fmt.Errorf("%w: got %d, log ends at %d", ErrReplicaOffset, off, wrote)
	}
	if !s.replPosSet {
		// Recovery left only whole, dispatched records.
		s.replPos, s.replPosSet = wrote, true
	}
	for len(data) > 0 {
		seg := s.cl.cur
		if seg == nil || off >= seg.end() {
			var err error
			if seg, err = s.cl.alloc.take(off); err != nil {
				return fmt.Errorf("create commit log segment: %w", err)
			}
			s.cl.append(seg)
		}
		pos := off - seg.start
		n := copy(seg.data[pos:], data)
		if (pos+int64(n))/warmChunk != pos/warmChunk {
			s.cl.alloc.warm(seg, pos+int64(n))
		}
		data = data[n:]
		off += int64(n)
		s.cl.wrote.Store(off)
	}
	return s.dispatchReplicaLocked(arrivals)
}

// dispatchReplicaLocked dispatches the whole records between replPos and
// the end of the log and publishes their units. The caller holds s.mu.
func (s *Store) dispatchReplicaLocked(arrivals *[]replArrival) error {
	end := s.cl.wrote.Load()
	files := s.cl.files.load()
	hooked := s.hook.Load() != nil
	pos := s.replPos
	var lastTs int64
	var derr error
	for pos < end && derr == nil {
		seg := findFile(files, pos)
		if seg == nil {
			derr = fmt.Errorf("BUG: no commit log segment holds offset %d below the end %d", pos, end)
			break
		}
		p := pos - seg.start
		avail := seg.data[p:min(seg.size(), end-seg.start)]
		if seg.size()-p < codec.BlankMarkerSize {
			pos = seg.end() // too full for a record: the log goes on in the next segment
			continue
		}
		v, err := codec.ViewRecord(avail)
		switch {
		case errors.Is(err, codec.ErrShortRecord):
			// The rest of the record has not arrived yet.
			s.replPos = pos
			s.publishReplica(arrivals, lastTs)
			return nil
		case errors.Is(err, codec.ErrBlank):
			pos = seg.end()
			continue
		case err != nil:
			derr = fmt.Errorf("replicated record at offset %d: %w", pos, err)
			continue
		case v.CommitLogOffset != pos:
			derr = fmt.Errorf("replicated record at offset %d names offset %d", pos, v.CommitLogOffset)
			continue
		case codec.BodyCRC(v.Body) != v.BodyCRC:
			derr = fmt.Errorf("replicated record at offset %d: body CRC mismatch", pos)
			continue
		}
		q, tags, err := s.dispatchRecord(&v, &s.replHashes)
		if err != nil {
			derr = err
			continue
		}
		if q != nil {
			a := replArrival{q: q, max: q.next, tags: tags}
			if hooked {
				a.props = string(v.Properties)
			}
			*arrivals = append(*arrivals, a)
		}
		lastTs = v.StoreTimestamp
		pos += int64(v.Size)
	}
	s.replPos = pos
	s.publishReplica(arrivals, lastTs)
	if derr != nil {
		return s.fail(derr)
	}
	return nil
}

// publishReplica publishes the units of dispatched records (after the
// bytes and wrote, as Put does) and the newest store time.
func (s *Store) publishReplica(arrivals *[]replArrival, lastTs int64) {
	for _, a := range *arrivals {
		a.q.max.Store(a.q.next)
	}
	if lastTs > 0 {
		s.cl.lastStoreTs.Store(lastTs)
	}
}
