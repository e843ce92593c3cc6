package store

import (
	"encoding/binary"
	"math"
	"sort"

	"github.com/booster-mq/booster/codec"
)

// Pull limits (§6.2).
const (
	// DefaultMaxTransferBytes is Java's maxTransferBytesOnMessageInMemory,
	// used when GetMessages gets maxBytes <= 0.
	DefaultMaxTransferBytes = 256 << 10
	// minScanBytes is the least consume-queue span a pull scans
	// (Java's maxFilterMessageCount floor of 16000 bytes).
	minScanBytes = 16000
)

// GetResult is the outcome of GetMessages. Records alias the mapped commit
// log; they stay valid until Release, which the caller must call once
// done (also when Records is empty).
type GetResult struct {
	Status          GetStatus
	NextBeginOffset int64
	MinOffset       int64
	MaxOffset       int64
	// Records are whole raw records, the PULL body when concatenated.
	Records [][]byte
	// Bytes is the total size of Records.
	Bytes int

	held    []*mappedFile
	heldBuf [2]*mappedFile // held's usual backing: a pull spans one or two segments
}

// Release lets go of the segments Records point into. Records must not be
// used afterwards. It is safe to call more than once.
func (r *GetResult) Release() {
	for _, f := range r.held {
		f.release()
	}
	clear(r.heldBuf[:])
	r.held, r.Records = nil, nil
}

// hold keeps f mapped for the result's lifetime, once.
func (r *GetResult) hold(f *mappedFile) bool {
	for _, h := range r.held {
		if h == f {
			return true
		}
	}
	if !f.hold() {
		return false
	}
	if r.held == nil {
		r.held = r.heldBuf[:0]
	}
	r.held = append(r.held, f)
	return true
}

// GetMessages reads up to maxMsgs records of a queue from offset on,
// following Java's getMessage: it stops at maxMsgs messages, at maxBytes
// (DefaultMaxTransferBytes if <= 0; the first message always fits) and
// after scanning max(16000, maxMsgs*20) bytes of consume queue. filter,
// when not nil, sees each unit's tag code; units it rejects are skipped and
// still advance NextBeginOffset. Statuses and NextBeginOffset follow
// §6.3: an unknown queue gives NoMatchedLogicQueue and an empty one
// NoMessageInQueue, both with 0; offset < min gives OffsetTooSmall with
// min; offset == max OffsetOverflowOne with offset; offset > max
// OffsetOverflowBadly with max. Java additionally caps in-memory pulls at
// 32 messages; callers pass min(maxMsgNums, 32) for that.
//
// GetMessages never waits for writers: it reads published offsets and
// holds segment references, no locks beyond a map lookup.
func (s *Store) GetMessages(topic string, queueID int32, offset int64, maxMsgs int, maxBytes int, filter func(tagsCode int64) bool) *GetResult {
	r := &GetResult{}
	if s.closed.Load() {
		r.Status, r.NextBeginOffset = StoreClosed, offset
		return r
	}
	q := s.queue(topic, queueID)
	if q == nil {
		r.Status = NoMatchedLogicQueue
		return r
	}
	minOff, maxOff := q.min.Load(), q.max.Load()
	r.MinOffset, r.MaxOffset = minOff, maxOff
	switch {
	case maxOff == 0:
		r.Status = NoMessageInQueue
		return r
	case offset < minOff:
		r.Status, r.NextBeginOffset = OffsetTooSmall, minOff
		return r
	case offset == maxOff:
		r.Status, r.NextBeginOffset = OffsetOverflowOne, offset
		return r
	case offset > maxOff:
		r.Status, r.NextBeginOffset = OffsetOverflowBadly, maxOff
		return r
	}
	maxMsgs = max(maxMsgs, 1)
	if maxBytes <= 0 {
		maxBytes = DefaultMaxTransferBytes
	}
	scanEnd := min(maxOff, offset+int64(max(minScanBytes, maxMsgs*cqUnitSize))/cqUnitSize)
	r.Records = make([][]byte, 0, min(maxMsgs, int(scanEnd-offset), 32))
	minPhy := s.cl.minOffset()
	clFiles := s.cl.files.load()
	cur := q.cursor()
	defer cur.close()
	filtered, removed := 0, 0
	i := offset
	for ; i < scanEnd; i++ {
		u, ok := cur.unit(i)
		if !ok || !u.valid() || u.phy < minPhy {
			removed++
			continue
		}
		if len(r.Records) > 0 && (len(r.Records) >= maxMsgs || r.Bytes+int(u.size) > maxBytes) {
			break
		}
		if filter != nil && !filter(u.tags) {
			filtered++
			continue
		}
		rec, seg := s.cl.recordAt(u.phy, u.size, clFiles)
		if rec == nil || !r.hold(seg) {
			removed++
			continue
		}
		r.Records = append(r.Records, rec)
		r.Bytes += len(rec)
	}
	r.NextBeginOffset = i
	switch {
	case len(r.Records) > 0:
		r.Status = Found
	case removed > 0:
		r.Status = MessageWasRemoving
	case filtered > 0:
		r.Status = NoMatchedMessage
	default:
		r.Status = OffsetFoundNull
	}
	return r
}

// storeTimeAt reads STORETIMESTAMP of the record a unit points at.
func (s *Store) storeTimeAt(files []*mappedFile, u cqUnit) (int64, bool) {
	if !u.valid() {
		return 0, false
	}
	rec, seg := s.cl.recordAt(u.phy, u.size, files)
	if rec == nil || !seg.hold() {
		return 0, false
	}
	defer seg.release()
	if len(rec) < codec.RecordFixedSize {
		return 0, false
	}
	sf := int32(binary.BigEndian.Uint32(rec[36:]))
	off := codec.StoreTimestampOffset(sf)
	if off+8 > len(rec) {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(rec[off:])), true
}

// OffsetByTime finds a queue offset by store time with a binary search
// (Java's getOffsetInQueueByTime). Lower bound (upper false): the first
// offset whose message was stored at or after tsMillis, max if none.
// Upper bound: the last offset stored at or before tsMillis, min if none.
// Units whose message is gone count as infinitely old. 0 for an unknown
// queue.
func (s *Store) OffsetByTime(topic string, queueID int32, tsMillis int64, upper bool) int64 {
	q := s.queue(topic, queueID)
	if q == nil {
		return 0
	}
	minOff, maxOff := q.min.Load(), q.max.Load()
	clFiles := s.cl.files.load()
	cur := q.cursor()
	defer cur.close()
	timeAt := func(o int64) int64 {
		u, ok := cur.unit(o)
		if !ok {
			return math.MinInt64
		}
		t, ok := s.storeTimeAt(clFiles, u)
		if !ok {
			return math.MinInt64
		}
		return t
	}
	n := int(maxOff - minOff)
	if !upper {
		i := sort.Search(n, func(i int) bool { return timeAt(minOff+int64(i)) >= tsMillis })
		return minOff + int64(i)
	}
	i := sort.Search(n, func(i int) bool { return timeAt(minOff+int64(i)) > tsMillis })
	return max(minOff, minOff+int64(i)-1)
}

// EarliestMessageTime is the store time of a queue's first message still
// held, or -1.
func (s *Store) EarliestMessageTime(topic string, queueID int32) int64 {
	q := s.queue(topic, queueID)
	if q == nil {
		return -1
	}
	minOff, maxOff := q.min.Load(), q.max.Load()
	if minOff >= maxOff {
		return -1
	}
	cur := q.cursor()
	defer cur.close()
	u, ok := cur.unit(minOff)
	if !ok {
		return -1
	}
	t, ok := s.storeTimeAt(s.cl.files.load(), u)
	if !ok {
		return -1
	}
	return t
}
