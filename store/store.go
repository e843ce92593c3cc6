package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
)

// Errors of the store.
var (
	// ErrLocked means another process (or Store) has the directory open.
	ErrLocked = errors.New("store: directory is locked by another store")
	// ErrClosed means the store is shut down.
	ErrClosed = errors.New("store: closed")
	// ErrNotFound means no record starts at the given commit-log offset.
	ErrNotFound = errors.New("store: message not found")
	// ErrDiskFull means disk use is over DiskSpaceWarningLevelRatio; Put
	// refuses until retention brings it back under
	// DiskSpaceCleanForciblyRatio.
	ErrDiskFull = errors.New("store: disk full")
)

// maxTopicLen is the longest topic the broker accepts (retry and DLQ
// topics); it is also the longest file name.
const maxTopicLen = 255

// recordOverhead is how much a record may exceed maxMessageSize.
const recordOverhead = 64 << 10

// ArrivalHook is called after a successful Put for every message that got
// a consume-queue entry, with the queue's new max offset, so parked pulls
// can wake up.
type ArrivalHook func(topic string, queueID int32, maxOffset int64, tagsCode int64, props string)

// PutOffset says where one message went.
type PutOffset struct {
	CommitLogOffset int64
	QueueOffset     int64
	Size            int32
}

// PutResult is the outcome of Put. Offsets has one entry per message when
// the status is Stored().
type PutResult struct {
	Status         PutStatus
	Offsets        []PutOffset
	StoreTimestamp int64
	// Err explains a failure.
	Err error
}

// Store is a RocketMQ-compatible message store: a commit log of fixed-size
// segments and one consume queue per topic queue, laid out as Java lays
// them out, so either broker can open the other's directory.
type Store struct {
	cfg    Config
	log    *slog.Logger
	delays []time.Duration
	cqRoot string

	lockFile *os.File
	cl       commitLog
	ckpt     *checkpoint

	// mu is the append lock. It also serializes queue creation and
	// deletion, so the writer can read s.queues without cqMu.
	mu sync.Mutex
	// beginTimeInLock is the store time (ms) the running append took mu
	// at, 0 while no append holds it (Java's CommitLog.beginTimeInLock).
	beginTimeInLock atomic.Int64
	closed          atomic.Bool

	cqMu    sync.RWMutex // guards the queues map for readers
	queues  map[string]map[int32]*consumeQueue
	cqCache *mapCache
	ix      *index // nil when MessageIndexEnable is off

	// Retention state.
	diskFull     atomic.Bool
	cleanKick    chan struct{}
	manualDelete atomic.Int32 // runs left that delete expired files at any hour
	lastMinPhy   int64        // min offset queues and index were trimmed to; guarded by cleanMu
	cleanMu      sync.Mutex   // one retention pass at a time
	wallClock    func() time.Time

	hook    atomic.Pointer[ArrivalHook]
	failure atomic.Pointer[error] // sticky I/O error

	cqFlushMu  sync.Mutex
	clFlushMu  sync.Mutex
	waitMu     sync.Mutex
	waiters    []*flushWaiter
	waiterPool sync.Pool // *flushWaiter
	waitClosed bool      // guarded by waitMu
	flushKick  chan struct{}

	stop    chan struct{}
	wg      sync.WaitGroup
	scratch sync.Pool // *putScratch

	clock   func() int64 // store time in ms; replaced by tests
	flushes atomic.Int64 // commit-log flushes done, for tests

	// Replication (replica.go).
	repl  atomic.Pointer[Replication] // a master's replication service
	slave atomic.Bool                 // SetSlave: Put refuses, AppendReplica writes
	// replPos is where a slave's live dispatch continues: the end of
	// the last complete record it has indexed; guarded by mu.
	replPos    int64
	replPosSet bool
	replHashes []int32
}

func nowMillis() int64 { return time.Now().UnixMilli() }

// Open opens or creates the store under cfg.RootDir and recovers it. A
// leftover abort file means the last run did not close cleanly: then
// every commit-log segment is checked and consume queues are rebuilt from
// the checkpoint on; otherwise only the last three segments are checked.
// Either way the log is cut at the first bad record and the consume queues
// are trimmed to match.
func Open(cfg Config, log *slog.Logger) (*Store, error) {
	cfg = cfg.normalized()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	delays, _ := ParseDelayLevels(cfg.MessageDelayLevel)
	s := &Store{
		cfg:       cfg,
		log:       log,
		delays:    delays,
		cqRoot:    filepath.Join(cfg.RootDir, "consumequeue"),
		queues:    make(map[string]map[int32]*consumeQueue),
		cqCache:   newMapCache(cfg.MaxMappedConsumeQueueFiles),
		flushKick: make(chan struct{}, 1),
		cleanKick: make(chan struct{}, 1),
		stop:      make(chan struct{}),
		clock:     nowMillis,
		wallClock: time.Now,
	}
	if cfg.MessageIndexEnable {
		s.ix = newIndex(filepath.Join(cfg.RootDir, "index"), cfg.MaxHashSlotNum, cfg.MaxIndexNum, log)
	}
	s.cl.dir = cfg.CommitLogDir
	s.cl.segSize = cfg.MappedFileSizeCommitLog
	s.cl.alloc = newAllocator(cfg.CommitLogDir, cfg.MappedFileSizeCommitLog, log)
	if err := s.open(); err != nil {
		s.releaseAll()
		return nil, err
	}
	if cur := s.cl.cur; cur != nil {
		s.cl.alloc.request(cur.end())
	}
	// lastMinPhy stays 0: if retention ran before, the first run trims
	// what a crash may have left between deleting segments and files.
	s.checkDisk()
	s.wg.Add(4)
	go func() { defer s.wg.Done(); s.cl.alloc.run(s.stop) }()
	go func() { defer s.wg.Done(); s.commitLogFlusher() }()
	go func() { defer s.wg.Done(); s.consumeQueueFlusher() }()
	go func() { defer s.wg.Done(); s.cleaner() }()
	return s, nil
}

func (s *Store) open() error {
	for _, d := range []string{s.cfg.RootDir, s.cfg.CommitLogDir, s.cqRoot} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	lf, err := os.OpenFile(filepath.Join(s.cfg.RootDir, "lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	// flock excludes other Stores, in this process too; the POSIX record
	// lock is the one Java's FileChannel.tryLock takes, so a Java broker
	// and Booster cannot share the directory either. (Closing any fd of
	// the file drops a POSIX lock, so a failed second Open in this process
	// weakens only that one.)
	err = unix.Flock(int(lf.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if err == nil {
		err = unix.FcntlFlock(lf.Fd(), unix.F_SETLK, &unix.Flock_t{Type: unix.F_WRLCK})
	}
	if err != nil {
		lf.Close()
		if errors.Is(err, unix.EWOULDBLOCK) || errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EACCES) {
			return fmt.Errorf("%w: %s", ErrLocked, s.cfg.RootDir)
		}
		return fmt.Errorf("lock %s: %w", s.cfg.RootDir, err)
	}
	s.lockFile = lf
	abortPath := filepath.Join(s.cfg.RootDir, "abort")
	_, err = os.Stat(abortPath)
	crashed := err == nil
	// The abort file goes first: if recovery fails, the next attempt is a
	// crash recovery too.
	if err := os.WriteFile(abortPath, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return err
	}
	if err := syncDir(s.cfg.RootDir); err != nil {
		return err
	}
	if s.ckpt, err = openCheckpoint(filepath.Join(s.cfg.RootDir, "checkpoint")); err != nil {
		return err
	}
	return s.recover(crashed)
}

// releaseAll unmaps every file and drops the lock; for Close and failed
// opens.
func (s *Store) releaseAll() {
	s.cl.alloc.close()
	for _, f := range s.cl.files.load() {
		f.release()
	}
	s.cl.files.set(nil)
	s.cl.cur = nil
	for _, qs := range s.queues {
		for _, q := range qs {
			q.release()
		}
	}
	if s.ix != nil {
		s.ix.close()
	}
	if s.ckpt != nil {
		s.ckpt.close()
	}
	if s.lockFile != nil {
		s.lockFile.Close() // drops the flock
		s.lockFile = nil
	}
}

// Close stops the flushers, flushes everything and removes the abort
// file, unless an I/O error fenced the store (then the next Open recovers
// as after a crash). Mapped data handed out by GetMessages stays valid
// until released.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed.Load() {
		s.mu.Unlock()
		return nil
	}
	s.closed.Store(true)
	s.mu.Unlock()
	close(s.stop)
	s.wg.Wait()
	err := errors.Join(s.flushCommitLog(), s.flushConsumeQueues(true))
	s.wake(true)
	if err == nil {
		err = s.err()
	}
	if err == nil {
		err = os.Remove(filepath.Join(s.cfg.RootDir, "abort"))
		if err == nil {
			err = syncDir(s.cfg.RootDir)
		}
	}
	s.releaseAll()
	return err
}

// err returns the sticky error, if any.
func (s *Store) err() error {
	if p := s.failure.Load(); p != nil {
		return *p
	}
	return nil
}

// fail fences the store after an I/O error: Put refuses from now on.
func (s *Store) fail(err error) error {
	if s.failure.CompareAndSwap(nil, &err) {
		s.log.Error("store fenced read-only after I/O error", "err", err)
	}
	return err
}

// Config returns the configuration the store runs with (derived defaults
// filled in).
func (s *Store) Config() Config { return s.cfg }

// SetArrivalHook installs the hook called after each successful Put. Set
// it once, before the store is used.
func (s *Store) SetArrivalHook(h ArrivalHook) { s.hook.Store(&h) }

// safeTopicName reports whether topic can name its consume-queue
// directory. The broker enforces Java's stricter topic rules; the store
// only refuses names that would escape or break the directory layout.
func safeTopicName(topic string) bool {
	if topic == "" || topic == "." || topic == ".." {
		return false
	}
	for i := 0; i < len(topic); i++ {
		if c := topic[i]; c == '/' || c == 0 || c == '\\' {
			return false
		}
	}
	return true
}

// isTransactionHalf reports the PREPARED and ROLLBACK types, which get no
// queue offset and no consume-queue entry.
func isTransactionHalf(sysFlag int32) bool {
	t := sysFlag & codec.SysFlagTransactionMask
	return t == codec.SysFlagPrepared || t == codec.SysFlagRollback
}

// check validates one message and returns its record size.
func (s *Store) check(m *codec.Message) (int, PutStatus, error) {
	if n := len(m.Topic); n == 0 || n > maxTopicLen {
		return 0, PutMessageIllegal, fmt.Errorf("topic length %d out of 1..%d", n, maxTopicLen)
	}
	if !safeTopicName(m.Topic) {
		return 0, PutMessageIllegal, fmt.Errorf("topic %q cannot name a directory", m.Topic)
	}
	if m.QueueID < 0 {
		return 0, PutMessageIllegal, fmt.Errorf("queue id %d", m.QueueID)
	}
	if len(m.Body) > s.cfg.MaxMessageSize {
		return 0, PutMessageIllegal, fmt.Errorf("body of %d bytes exceeds maxMessageSize %d", len(m.Body), s.cfg.MaxMessageSize)
	}
	if len(m.Properties) > codec.MaxPropertiesSize {
		return 0, PutPropertiesSizeExceeded, fmt.Errorf("properties of %d bytes exceed %d", len(m.Properties), codec.MaxPropertiesSize)
	}
	n := m.RecordSize()
	if n > s.cfg.MaxMessageSize+recordOverhead {
		return 0, PutMessageIllegal, fmt.Errorf("record of %d bytes too large", n)
	}
	return n, PutOK, nil
}

// putScratch is the working memory of one Put, pooled.
type putScratch struct {
	buf    []byte    // the encoded records
	hashes []int32   // index key hashes of all messages, in order
	nkeys  []int32   // per message: how many of hashes are its
	units  []unitRef // per message: its queue and the mapping of its unit
}

// unitRef is where one message's consume-queue unit goes; q is nil for
// messages without one.
type unitRef struct {
	q   *consumeQueue
	m   *mappedFile // held until the unit is written
	off int64
}

// OSPageCacheBusy reports whether one append has held the append lock
// for longer than OSPageCacheBusyTimeOutMills (Java's
// isOSPageCacheBusy): the page cache or the disk is congested. Put then
// answers PutOSPageCacheBusy, and the broker turns sends away with
// SYSTEM_BUSY before they queue.
func (s *Store) OSPageCacheBusy() bool {
	begin := s.beginTimeInLock.Load()
	if begin == 0 || s.cfg.OSPageCacheBusyTimeOutMills <= 0 {
		return false
	}
	held := time.Duration(s.clock()-begin) * time.Millisecond
	return held > s.cfg.OSPageCacheBusyTimeOutMills && held < 10000*time.Second
}

// LockTimeMills is how long the running append has held the append lock,
// 0 while none does (Java's CommitLog.lockTimeMills, which
// GET_BROKER_RUNTIME_INFO reports as pageCacheLockTimeMills).
func (s *Store) LockTimeMills() int64 {
	begin := s.beginTimeInLock.Load()
	if begin == 0 {
		return 0
	}
	return max(0, s.clock()-begin)
}

// Put appends msgs contiguously in one segment under one append lock and
// indexes them. Each message gets the next offset of its topic queue
// (PREPARED and ROLLBACK transaction records get 0 and no consume-queue
// entry), its commit-log offset and a store timestamp shared by the batch;
// these are written into the records and into the Message fields. Every
// message but ROLLBACK records also gets index entries for its UNIQ_KEY
// and KEYS. With SYNC_FLUSH and wait, Put returns once the bytes are
// durable, or PutFlushDiskTimeout after SyncFlushTimeout. While the disk
// is full (see DiskSpaceWarningLevelRatio) Put answers
// PutServiceNotAvailable with ErrDiskFull, and on a slave (SetSlave) with
// ErrSlave. With a Replication set (a master), wait also waits for its
// WaitAck, whose failure status replaces the flush status.
func (s *Store) Put(msgs []*codec.Message, wait bool) PutResult {
	var res PutResult
	s.PutTo(&res, msgs, wait)
	if !res.Status.Stored() {
		res.Offsets = nil
	}
	return res
}

// PutTo is Put writing its result into res and reusing the capacity of
// res.Offsets, so a caller that keeps one PutResult per goroutine (and is
// done with the previous Offsets) appends without allocating.
func (s *Store) PutTo(res *PutResult, msgs []*codec.Message, wait bool) {
	*res = PutResult{Offsets: res.Offsets[:0]}
	if len(msgs) == 0 {
		res.Status, res.Err = PutMessageIllegal, errors.New("no messages")
		return
	}
	if s.diskFull.Load() {
		res.Status, res.Err = PutServiceNotAvailable, ErrDiskFull
		return
	}
	if s.slave.Load() {
		res.Status, res.Err = PutServiceNotAvailable, ErrSlave
		return
	}
	if s.OSPageCacheBusy() {
		res.Status, res.Err = PutOSPageCacheBusy, nil
		return
	}
	total := 0
	for _, m := range msgs {
		n, st, err := s.check(m)
		if err != nil {
			res.Status, res.Err = st, err
			return
		}
		total += n
	}
	if int64(total)+codec.BlankMarkerSize > s.cl.segSize {
		res.Status, res.Err = PutMessageIllegal, fmt.Errorf("%d bytes do not fit in a %d-byte segment", total, s.cl.segSize)
		return
	}
	// Encode, checksum and hash the index keys before taking the lock.
	sc, _ := s.scratch.Get().(*putScratch)
	if sc == nil {
		sc = new(putScratch)
	}
	sc.buf, sc.hashes, sc.nkeys = sc.buf[:0], sc.hashes[:0], sc.nkeys[:0]
	for _, m := range msgs {
		sc.buf = m.AppendRecord(sc.buf)
		if s.ix != nil {
			n := len(sc.hashes)
			sc.hashes = appendIndexHashes(sc.hashes, m.Topic, m.Properties)
			sc.nkeys = append(sc.nkeys, int32(len(sc.hashes)-n))
		}
	}
	res.Offsets = slices.Grow(res.Offsets, len(msgs))[:len(msgs)]
	clear(res.Offsets)

	s.mu.Lock()
	res.Status, res.Err = s.appendLocked(msgs, sc, res)
	s.beginTimeInLock.Store(0)
	s.mu.Unlock()

	if cap(sc.buf) <= 1<<20 && cap(sc.units) <= 1<<12 {
		s.scratch.Put(sc)
	}
	if res.Status != PutOK {
		res.Offsets = res.Offsets[:0]
		return
	}
	if hp := s.hook.Load(); hp != nil {
		for i, m := range msgs {
			if !isTransactionHalf(m.SysFlag) {
				(*hp)(m.Topic, m.QueueID, res.Offsets[i].QueueOffset+1, m.TagsCode, m.Properties)
			}
		}
	}
	last := res.Offsets[len(msgs)-1]
	end := last.CommitLogOffset + int64(last.Size)
	rp := s.repl.Load()
	if rp != nil {
		(*rp).Appended(end)
	}
	if wait && s.cfg.FlushDiskType == SyncFlush {
		if err := s.waitFlushed(end); err != nil {
			res.Status, res.Err = PutFlushDiskTimeout, err
		}
	}
	if wait && rp != nil {
		// Java's handleHA: a replication failure outranks a flush one.
		if st := (*rp).WaitAck(end); st != PutOK {
			res.Status, res.Err = st, nil
		}
	}
}

// appendLocked is the critical section of Put: it assigns offsets, patches
// them into the encoded records, copies the batch into the segment,
// publishes it, writes the consume-queue units and the index entries.
func (s *Store) appendLocked(msgs []*codec.Message, sc *putScratch, res *PutResult) (PutStatus, error) {
	// The store time is when the lock was taken, as in Java.
	now := s.clock()
	s.beginTimeInLock.Store(now)
	if s.closed.Load() {
		return PutServiceNotAvailable, ErrClosed
	}
	if err := s.err(); err != nil {
		return PutServiceNotAvailable, err
	}
	buf := sc.buf
	seg, pos, err := s.cl.room(int64(len(buf)))
	if err != nil {
		return PutCreateMappedFileFailed, fmt.Errorf("create commit log segment: %w", err)
	}
	// Assign queue offsets and map their units first: that is the only
	// step that can fail, and nothing is visible until the copy below.
	units := sc.units[:0]
	defer func() {
		for _, u := range units {
			if u.m != nil {
				u.m.release()
			}
		}
		clear(units)
		sc.units = units[:0]
	}()
	for i, m := range msgs {
		if isTransactionHalf(m.SysFlag) {
			units = append(units, unitRef{})
			continue
		}
		q := s.queueForWrite(m.Topic, m.QueueID)
		mf, err := q.holdUnit(q.next)
		if err != nil {
			for _, u := range units {
				if u.q != nil {
					u.q.next = u.q.max.Load()
				}
			}
			return PutCreateMappedFileFailed, fmt.Errorf("consume queue %s/%d: %w", m.Topic, m.QueueID, err)
		}
		res.Offsets[i].QueueOffset = q.next
		units = append(units, unitRef{q: q, m: mf, off: q.next})
		q.next++
	}
	phy := seg.start + pos
	off := 0
	for i, m := range msgs {
		o := &res.Offsets[i]
		size := int(binary.BigEndian.Uint32(buf[off:]))
		o.CommitLogOffset, o.Size = phy+int64(off), int32(size)
		codec.PatchRecordOffsets(buf[off:off+size], o.QueueOffset, o.CommitLogOffset, now)
		m.QueueOffset, m.CommitLogOffset, m.StoreTimestamp = o.QueueOffset, o.CommitLogOffset, now
		off += size
	}
	copy(seg.data[pos:], buf)
	s.cl.wrote.Store(phy + int64(len(buf)))
	for i, u := range units {
		if u.q == nil {
			continue
		}
		o, m := res.Offsets[i], msgs[i]
		if m.Topic == compat.ScheduleTopic {
			m.TagsCode = s.deliverTime(m.Properties, now, m.TagsCode)
		}
		putUnit(u.m.data[u.off*cqUnitSize-u.m.start:], cqUnit{phy: o.CommitLogOffset, size: o.Size, tags: m.TagsCode})
		u.q.maxPhy = o.CommitLogOffset + int64(o.Size)
	}
	for _, u := range units {
		if u.q != nil {
			u.q.max.Store(u.q.next)
		}
	}
	if s.ix != nil {
		h := 0
		for i, m := range msgs {
			n := int(sc.nkeys[i])
			if m.SysFlag&codec.SysFlagTransactionMask != codec.SysFlagRollback {
				for _, hash := range sc.hashes[h : h+n] {
					s.ix.add(hash, res.Offsets[i].CommitLogOffset, now)
				}
			}
			h += n
		}
	}
	s.cl.lastStoreTs.Store(now)
	res.StoreTimestamp = now
	return PutOK, nil
}

// queue returns the consume queue of topic/queueID for a reader, or nil.
func (s *Store) queue(topic string, queueID int32) *consumeQueue {
	s.cqMu.RLock()
	q := s.queues[topic][queueID]
	s.cqMu.RUnlock()
	return q
}

// queueForWrite returns the queue, creating it; the caller holds s.mu (or
// is recovery).
func (s *Store) queueForWrite(topic string, queueID int32) *consumeQueue {
	if q := s.queues[topic][queueID]; q != nil {
		return q
	}
	q := newConsumeQueue(s.cqRoot, topic, queueID, s.cfg.MappedFileSizeConsumeQueue, s.cqCache)
	s.cqMu.Lock()
	qs := s.queues[topic]
	if qs == nil {
		qs = make(map[int32]*consumeQueue)
		s.queues[topic] = qs
	}
	qs[queueID] = q
	s.cqMu.Unlock()
	return q
}

// MaxOffset returns the number of entries of a queue ever written (its
// next offset); 0 for an unknown queue.
func (s *Store) MaxOffset(topic string, queueID int32) int64 {
	if q := s.queue(topic, queueID); q != nil {
		return q.max.Load()
	}
	return 0
}

// MinOffset returns the first offset of a queue whose message still
// exists; 0 for an unknown queue.
func (s *Store) MinOffset(topic string, queueID int32) int64 {
	if q := s.queue(topic, queueID); q != nil {
		return q.min.Load()
	}
	return 0
}

// MaxPhyOffset is the end of the commit log.
func (s *Store) MaxPhyOffset() int64 { return s.cl.wrote.Load() }

// MinPhyOffset is the first commit-log offset still on disk.
func (s *Store) MinPhyOffset() int64 { return s.cl.minOffset() }

// FlushedPhyOffset is the durable end of the commit log.
func (s *Store) FlushedPhyOffset() int64 { return s.cl.flushed.Load() }

// Topics returns the topics that have consume queues, sorted.
func (s *Store) Topics() []string {
	s.cqMu.RLock()
	defer s.cqMu.RUnlock()
	return slices.Sorted(maps.Keys(s.queues))
}

// QueueIDs returns the queue ids of a topic, sorted.
func (s *Store) QueueIDs(topic string) []int32 {
	s.cqMu.RLock()
	defer s.cqMu.RUnlock()
	return slices.Sorted(maps.Keys(s.queues[topic]))
}

// DeleteTopic removes the consume queues of topic from memory and disk.
// Its records stay in the commit log until retention removes them.
// Readers holding its data keep it until they release.
func (s *Store) DeleteTopic(topic string) error {
	if !safeTopicName(topic) {
		return fmt.Errorf("store: bad topic name %q", topic)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Load() {
		return ErrClosed
	}
	s.cqMu.Lock()
	qs := s.queues[topic]
	delete(s.queues, topic)
	s.cqMu.Unlock()
	for _, q := range qs {
		q.release()
	}
	if err := os.RemoveAll(filepath.Join(s.cqRoot, topic)); err != nil {
		return err
	}
	return syncDir(s.cqRoot)
}

// LookupMessage returns a copy of the record that starts at a commit-log
// offset (VIEW_MESSAGE_BY_ID).
func (s *Store) LookupMessage(commitLogOffset int64) ([]byte, error) {
	files := s.cl.files.load()
	seg := findFile(files, commitLogOffset)
	if seg == nil || commitLogOffset >= s.cl.wrote.Load() || !seg.hold() {
		return nil, ErrNotFound
	}
	defer seg.release()
	pos := commitLogOffset - seg.start
	v, err := codec.ViewRecord(seg.data[pos:min(seg.size(), s.cl.wrote.Load()-seg.start)])
	if err != nil || v.CommitLogOffset != commitLogOffset {
		return nil, fmt.Errorf("%w at offset %d", ErrNotFound, commitLogOffset)
	}
	return slices.Clone(seg.data[pos : pos+int64(v.Size)]), nil
}
