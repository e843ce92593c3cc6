package ha

import (
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"math"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/store"
)

// Frame layout.
const (
	reportSize      = 8     // slave → master: [long maxPhyOffset]
	frameHeaderSize = 8 + 4 // master → slave: [long phyOffset][int size]
	maxFrameBody    = 64 << 20
	// maxWriteBatch bounds the frames a master gathers into one writev.
	maxWriteBatch = 1 << 20
)

// ErrClosed means the master or slave is shut down.
var ErrClosed = errors.New("ha: closed")

// Master serves slaves on the HA port (Java's DefaultHAService with its
// AcceptSocketService, HAConnection and GroupTransferService) and
// implements store.Replication for its store.
type Master struct {
	cfg     Config
	st      *store.Store
	segSize int64
	log     *slog.Logger
	ln      net.Listener

	// conns is the copy-on-write list of connected slaves; connMu
	// serialises its writers.
	connMu sync.Mutex
	conns  atomic.Pointer[[]*slaveConn]
	closed bool // guarded by connMu

	// acked is the highest offset any slave acknowledged (Java's
	// push2SlaveMaxOffset); it never goes down.
	acked atomic.Int64

	// syncSet, when set (controller mode), is the brokerIds of the slaves
	// in the SyncStateSet: a sync send waits for every one of them.
	syncSet atomic.Pointer[[]int64]
	// epochs is the master's epoch file, sent in handshakes (nil: none).
	epochs atomic.Pointer[store.EpochFile]

	waitMu     sync.Mutex
	waiters    []*ackWaiter
	waitClosed bool // guarded by waitMu
	pool       sync.Pool

	wg sync.WaitGroup
}

var _ store.Replication = (*Master)(nil)

// NewMaster returns a master for st; Start listens.
func NewMaster(st *store.Store, cfg Config, log *slog.Logger) (*Master, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Master{cfg: cfg, st: st, segSize: st.Config().MappedFileSizeCommitLog, log: log.With("ha", "master")}, nil
}

// Start listens on cfg.ListenAddr and accepts slaves.
func (m *Master) Start() error {
	ln, err := net.Listen("tcp", m.cfg.ListenAddr)
	if err != nil {
		return err
	}
	m.ln = ln
	m.wg.Add(1)
	go m.accept()
	m.log.Info("HA master listening", "addr", ln.Addr().String(), "sync", m.cfg.Sync)
	return nil
}

// Addr is the address the master listens on.
func (m *Master) Addr() net.Addr { return m.ln.Addr() }

// Close stops accepting, drops every slave and releases every waiter with
// FLUSH_SLAVE_TIMEOUT.
func (m *Master) Close() error {
	m.connMu.Lock()
	if m.closed {
		m.connMu.Unlock()
		return nil
	}
	m.closed = true
	m.connMu.Unlock()
	var err error
	if m.ln != nil {
		err = m.ln.Close()
	}
	for _, c := range m.slaves() {
		c.close()
	}
	m.wg.Wait()
	m.waitMu.Lock()
	m.waitClosed = true
	for _, w := range m.waiters {
		w.done <- store.PutFlushSlaveTimeout
	}
	clear(m.waiters)
	m.waiters = m.waiters[:0]
	m.waitMu.Unlock()
	return err
}

func (m *Master) slaves() []*slaveConn {
	if p := m.conns.Load(); p != nil {
		return *p
	}
	return nil
}

// SlaveStatus describes one connected slave.
type SlaveStatus struct {
	// Addr is the slave's remote address.
	Addr string
	// AckOffset is the last offset it reported (-1 before its first).
	AckOffset int64
	// BrokerID is the brokerId it named in its handshake, -1 without one.
	BrokerID int64
}

// Slaves lists the connected slaves.
func (m *Master) Slaves() []SlaveStatus {
	var out []SlaveStatus
	for _, c := range m.slaves() {
		out = append(out, SlaveStatus{Addr: c.remote, AckOffset: c.ack.Load(), BrokerID: c.brokerID.Load()})
	}
	return out
}

// SetEpochs gives the master its epoch file, which it sends to slaves
// that open with a handshake.
func (m *Master) SetEpochs(ef *store.EpochFile) { m.epochs.Store(ef) }

// SetSyncStateSet switches sync sends to controller mode: they wait until
// every slave in ids (the SyncStateSet without the master) has
// acknowledged them, and succeed at once when ids is empty. nil restores
// the classic rule (any one slave).
func (m *Master) SetSyncStateSet(ids []int64) {
	if ids == nil {
		m.syncSet.Store(nil)
	} else {
		ids = slices.Clone(ids)
		m.syncSet.Store(&ids)
	}
	m.releaseUpTo(m.confirmOffset())
}

// DropSlaves closes every slave connection (a demoted master).
func (m *Master) DropSlaves() {
	for _, c := range m.slaves() {
		c.close()
	}
}

// confirmOffset is, in controller mode, the offset every slave of the
// SyncStateSet has acknowledged (math.MaxInt64 when it has none; -1 when
// one of them is not connected); otherwise the best slave's.
func (m *Master) confirmOffset() int64 {
	p := m.syncSet.Load()
	if p == nil {
		return m.acked.Load()
	}
	confirm := int64(math.MaxInt64)
	conns := m.slaves()
	for _, id := range *p {
		best := int64(-1)
		for _, c := range conns {
			if c.brokerID.Load() == id {
				best = max(best, c.ack.Load())
			}
		}
		confirm = min(confirm, best)
	}
	return confirm
}

// AckedOffset is the highest commit-log offset a slave acknowledged.
func (m *Master) AckedOffset() int64 { return m.acked.Load() }

func (m *Master) accept() {
	defer m.wg.Done()
	for {
		nc, err := m.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				m.log.Warn("HA accept failed", "err", err)
			}
			return
		}
		c := &slaveConn{m: m, c: nc, remote: nc.RemoteAddr().String(),
			kick: make(chan struct{}, 1), started: make(chan struct{}), done: make(chan struct{})}
		c.req.Store(-1)
		c.ack.Store(-1)
		c.brokerID.Store(-1)
		if tc, ok := nc.(*net.TCPConn); ok {
			_ = tc.SetNoDelay(true)
		}
		m.connMu.Lock()
		if m.closed {
			m.connMu.Unlock()
			nc.Close()
			return
		}
		conns := append(slices.Clone(m.slaves()), c)
		m.conns.Store(&conns)
		m.connMu.Unlock()
		m.log.Info("slave connected", "remote", c.remote)
		m.wg.Add(2)
		go c.readReports()
		go c.push()
	}
}

// remove forgets a closed connection.
func (m *Master) remove(c *slaveConn) {
	m.connMu.Lock()
	conns := slices.DeleteFunc(slices.Clone(m.slaves()), func(x *slaveConn) bool { return x == c })
	m.conns.Store(&conns)
	m.connMu.Unlock()
}

// Appended wakes the slaves' writers (store.Replication).
func (m *Master) Appended(int64) {
	for _, c := range m.slaves() {
		select {
		case c.kick <- struct{}{}:
		default:
		}
	}
}

// slaveOK is Java's isSlaveOK: a slave is connected and the best one is
// less than MaxGapNotInSync behind end.
func (m *Master) slaveOK(end int64) bool {
	return len(m.slaves()) > 0 && end-m.acked.Load() < m.cfg.MaxGapNotInSync
}

// ackWaiter is a sync send waiting for a slave's acknowledgement. Waiters
// are pooled; done gets exactly one value per registration, from ackTo,
// Close or the waiter's own timeout path.
type ackWaiter struct {
	target int64
	done   chan store.PutStatus
	timer  *time.Timer
}

// WaitAck waits until a slave has acknowledged the log up to end, for a
// SYNC_MASTER (store.Replication); an ASYNC_MASTER returns PutOK at once.
func (m *Master) WaitAck(end int64) store.PutStatus {
	inSync := m.syncSet.Load() != nil
	if !m.cfg.Sync || m.confirmOffset() >= end {
		return store.PutOK
	}
	if !inSync && !m.slaveOK(end) {
		return store.PutSlaveNotAvailable
	}
	w, _ := m.pool.Get().(*ackWaiter)
	if w == nil {
		w = &ackWaiter{done: make(chan store.PutStatus, 1), timer: time.NewTimer(time.Hour)}
		w.timer.Stop()
	}
	defer m.pool.Put(w)
	w.target = end
	m.waitMu.Lock()
	// Reports store their offset before releaseUpTo takes waitMu: checked
	// under the lock, either we see the value or it sees us in the list.
	if m.confirmOffset() >= end {
		m.waitMu.Unlock()
		return store.PutOK
	}
	if m.waitClosed {
		m.waitMu.Unlock()
		return store.PutFlushSlaveTimeout
	}
	m.waiters = append(m.waiters, w)
	m.waitMu.Unlock()
	w.timer.Reset(m.cfg.SlaveTimeout)
	select {
	case st := <-w.done:
		w.timer.Stop()
		return st
	case <-w.timer.C:
	}
	m.waitMu.Lock()
	i := slices.Index(m.waiters, w)
	if i >= 0 {
		m.waiters = slices.Delete(m.waiters, i, i+1)
	}
	m.waitMu.Unlock()
	if i >= 0 {
		return store.PutFlushSlaveTimeout
	}
	// Released meanwhile: take the value so the pooled waiter starts empty.
	return <-w.done
}

// ackTo records a slave's acknowledgement and releases the waiters it
// covers.
func (m *Master) ackTo(off int64) {
	for {
		cur := m.acked.Load()
		if off <= cur {
			break
		}
		if m.acked.CompareAndSwap(cur, off) {
			break
		}
	}
	m.releaseUpTo(m.confirmOffset())
}

// releaseUpTo releases the waiters whose target off covers.
func (m *Master) releaseUpTo(off int64) {
	if off < 0 {
		return
	}
	m.waitMu.Lock()
	keep := m.waiters[:0]
	for _, w := range m.waiters {
		if w.target <= off {
			w.done <- store.PutOK
		} else {
			keep = append(keep, w)
		}
	}
	clear(m.waiters[len(keep):])
	m.waiters = keep
	m.waitMu.Unlock()
}

// slaveConn is one connected slave (Java's HAConnection).
type slaveConn struct {
	m      *Master
	c      net.Conn
	remote string
	kick   chan struct{}
	// started is closed by the first report, which fixes req.
	started chan struct{}
	req     atomic.Int64
	ack     atomic.Int64
	// brokerID is what the slave's handshake named, -1 without one.
	brokerID atomic.Int64
	done     chan struct{}
	once     sync.Once
}

func (c *slaveConn) close() {
	c.once.Do(func() {
		close(c.done)
		c.c.Close()
		c.m.remove(c)
		c.m.log.Info("slave disconnected", "remote", c.remote, "ackOffset", c.ack.Load())
	})
}

// readReports reads the slave's offset reports (Java's ReadSocketService).
func (c *slaveConn) readReports() {
	defer c.m.wg.Done()
	defer c.close()
	var buf [reportSize]byte
	progress := catchUp{log: c.m.log, remote: c.remote}
	for {
		if err := c.c.SetReadDeadline(time.Now().Add(c.m.cfg.HousekeepingInterval)); err != nil {
			return
		}
		if _, err := io.ReadFull(c.c, buf[:]); err != nil {
			select {
			case <-c.done:
			default:
				c.m.log.Info("slave connection lost", "remote", c.remote, "err", err)
			}
			return
		}
		off := int64(binary.BigEndian.Uint64(buf[:]))
		if off == handshakeMagic && c.req.Load() < 0 {
			if err := c.handshake(); err != nil {
				c.m.log.Warn("slave handshake failed", "remote", c.remote, "err", err)
				return
			}
			continue
		}
		c.ack.Store(off)
		if c.req.Load() < 0 {
			c.req.Store(off)
			close(c.started)
			c.m.log.Info("slave requests offset", "remote", c.remote, "offset", off)
		} else if end := c.m.st.MaxPhyOffset(); off > end {
			c.m.log.Warn("slave acknowledges past the commit log end; dropping it", "remote", c.remote, "ack", off, "maxPhyOffset", end)
			return
		} else {
			progress.report(off, end, time.Now())
		}
		c.m.ackTo(off)
	}
}

// push sends the commit log from the requested offset on, and heartbeats
// when idle (Java's WriteSocketService).
func (c *slaveConn) push() {
	defer c.m.wg.Done()
	defer c.close()
	m := c.m
	select {
	case <-c.started:
	case <-c.done:
		return
	}
	next := c.req.Load()
	if next == 0 {
		end := m.st.MaxPhyOffset()
		next = end - end%m.segSize
	}
	m.log.Info("transferring commit log to slave", "remote", c.remote, "from", next, "requested", c.req.Load())
	var (
		hdrs     = make([]byte, 0, frameHeaderSize*(maxWriteBatch/m.cfg.TransferBatchSize+2))
		bufs     = make([][]byte, 0, 2*(maxWriteBatch/m.cfg.TransferBatchSize+2))
		chunks   = make([]store.CommitLogChunk, 0, maxWriteBatch/m.cfg.TransferBatchSize+2)
		lastSend = time.Now()
		warned   bool
	)
	idle := time.NewTimer(m.cfg.HeartbeatInterval)
	defer idle.Stop()
	for {
		hdrs, bufs, chunks = hdrs[:0], bufs[:0], chunks[:0]
		total := 0
		for total < maxWriteBatch {
			ch, ok := m.st.ReadCommitLog(next, m.cfg.TransferBatchSize)
			if !ok {
				break
			}
			hdrs = binary.BigEndian.AppendUint64(hdrs, uint64(next))
			hdrs = binary.BigEndian.AppendUint32(hdrs, uint32(len(ch.Data)))
			chunks = append(chunks, ch)
			next += int64(len(ch.Data))
			total += len(ch.Data)
		}
		if len(chunks) == 0 {
			if next < m.st.MinPhyOffset() && !warned {
				warned = true
				m.log.Warn("slave requests commit log the master no longer holds", "remote", c.remote,
					"offset", next, "minPhyOffset", m.st.MinPhyOffset())
			}
			if since := time.Since(lastSend); since >= m.cfg.HeartbeatInterval {
				hdrs = binary.BigEndian.AppendUint64(hdrs, uint64(next))
				hdrs = binary.BigEndian.AppendUint32(hdrs, 0)
				if !c.write(net.Buffers{hdrs}) {
					return
				}
				lastSend = time.Now()
			}
			idle.Reset(m.cfg.HeartbeatInterval - time.Since(lastSend))
			select {
			case <-c.kick:
			case <-idle.C:
			case <-c.done:
				return
			}
			if !idle.Stop() {
				select {
				case <-idle.C:
				default:
				}
			}
			continue
		}
		for i, ch := range chunks {
			bufs = append(bufs, hdrs[i*frameHeaderSize:(i+1)*frameHeaderSize], ch.Data)
		}
		ok := c.write(net.Buffers(bufs))
		for i := range chunks {
			chunks[i].Release()
		}
		if !ok {
			return
		}
		lastSend = time.Now()
	}
}

// write sends bufs in one writev, bounded by the housekeeping interval.
func (c *slaveConn) write(bufs net.Buffers) bool {
	if err := c.c.SetWriteDeadline(time.Now().Add(c.m.cfg.HousekeepingInterval)); err != nil {
		return false
	}
	if _, err := bufs.WriteTo(c.c); err != nil {
		select {
		case <-c.done:
		default:
			c.m.log.Info("writing to slave failed", "remote", c.remote, "err", err)
		}
		return false
	}
	return true
}
