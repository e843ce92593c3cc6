package ha

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/store"
)

// ackEvery is the most a slave applies before it acknowledges, when more
// frames are already waiting.
const ackEvery = 64 << 10

// Slave follows a master's commit log into its store (Java's HAClient).
// The master's HA address comes from haMasterAddress or from the
// NameServer's REGISTER_BROKER answer (SetMasterAddr).
type Slave struct {
	cfg Config
	st  *store.Store
	log *slog.Logger

	master  atomic.Pointer[string]
	changed chan struct{}
	stop    chan struct{}
	wg      sync.WaitGroup

	mu   sync.Mutex // guards conn
	conn net.Conn

	// followMu is held while a connection is being dialled or followed,
	// so Detach can wait for the last applied frame.
	followMu sync.Mutex
	// identity, when set (controller mode), makes every connection open
	// with the epoch handshake (handshake.go).
	identity atomic.Pointer[slaveIdentity]

	connected atomic.Bool
	// received counts the commit-log bytes applied since start.
	received atomic.Int64
}

// NewSlave returns a slave writing into st, which it marks as a slave's
// (st.SetSlave); Start runs it.
func NewSlave(st *store.Store, cfg Config, log *slog.Logger) (*Slave, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st.SetSlave(true)
	return &Slave{cfg: cfg, st: st, log: log.With("ha", "slave"),
		changed: make(chan struct{}, 1), stop: make(chan struct{})}, nil
}

// slaveIdentity is what a controller-mode slave sends in its handshake.
type slaveIdentity struct {
	id     int64
	epochs *store.EpochFile
}

// SetIdentity makes the slave open every connection with the epoch
// handshake, naming itself brokerId id and keeping epochs in step with
// the master's (controller mode).
func (s *Slave) SetIdentity(id int64, epochs *store.EpochFile) {
	s.identity.Store(&slaveIdentity{id: id, epochs: epochs})
}

// Detach stops following: it forgets the master's address, drops the
// connection and returns once no frame is being applied any more (a
// slave about to become master).
func (s *Slave) Detach() {
	s.master.Store(new(string))
	s.dropConn()
	s.followMu.Lock()
	s.followMu.Unlock() //nolint:staticcheck // waits for the follow loop to let go
}

// Start begins following the master (once its address is known).
func (s *Slave) Start() {
	s.wg.Add(1)
	go s.run()
}

// Close disconnects and stops.
func (s *Slave) Close() {
	select {
	case <-s.stop:
		return
	default:
	}
	close(s.stop)
	s.dropConn()
	s.wg.Wait()
}

// SetMasterAddr sets the master's HA address ("host:port"); a change drops
// the current connection so the next one goes to the new master.
func (s *Slave) SetMasterAddr(addr string) {
	if old := s.master.Load(); old != nil && *old == addr {
		return
	}
	s.master.Store(&addr)
	s.log.Info("HA master address", "addr", addr)
	s.dropConn()
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

// MasterAddr is the master's HA address, "" when unknown.
func (s *Slave) MasterAddr() string {
	if p := s.master.Load(); p != nil {
		return *p
	}
	return ""
}

// Connected reports whether the slave has a connection to its master.
func (s *Slave) Connected() bool { return s.connected.Load() }

// Received is the number of commit-log bytes applied since Start.
func (s *Slave) Received() int64 { return s.received.Load() }

func (s *Slave) dropConn() {
	s.mu.Lock()
	if s.conn != nil {
		s.conn.Close()
	}
	s.mu.Unlock()
}

func (s *Slave) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-s.stop:
		return false
	case <-s.changed:
	case <-t.C:
	}
	return true
}

func (s *Slave) run() {
	defer s.wg.Done()
	for {
		select {
		case <-s.stop:
			return
		default:
		}
		addr := s.MasterAddr()
		if addr == "" {
			if !s.sleep(s.cfg.HeartbeatInterval) {
				return
			}
			continue
		}
		s.followMu.Lock()
		d := net.Dialer{Timeout: 3 * time.Second}
		nc, err := d.Dial("tcp", addr)
		if err != nil {
			s.followMu.Unlock()
			s.log.Debug("cannot reach HA master", "addr", addr, "err", err)
			if !s.sleep(s.cfg.ReconnectInterval) {
				return
			}
			continue
		}
		s.mu.Lock()
		s.conn = nc
		// SetMasterAddr stores the address before it drops the connection
		// under mu: a change that raced with the dial is seen here.
		moved := s.MasterAddr() != addr
		s.mu.Unlock()
		if moved {
			nc.Close()
			s.mu.Lock()
			s.conn = nil
			s.mu.Unlock()
			s.followMu.Unlock()
			continue
		}
		select {
		case <-s.stop: // Close ran between Dial and storing the connection
			nc.Close()
			s.followMu.Unlock()
			return
		default:
		}
		s.connected.Store(true)
		err = s.follow(nc)
		s.connected.Store(false)
		nc.Close()
		s.mu.Lock()
		s.conn = nil
		s.mu.Unlock()
		s.followMu.Unlock()
		select {
		case <-s.stop:
			return
		default:
		}
		s.log.Info("HA connection to master closed", "addr", addr, "err", err, "maxPhyOffset", s.st.MaxPhyOffset())
		if !s.sleep(s.cfg.ReconnectInterval) {
			return
		}
	}
}

// follow runs one connection: report, then apply frames until an error.
func (s *Slave) follow(nc net.Conn) error {
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	var wmu sync.Mutex
	var reported atomic.Int64
	report := func(off int64) error {
		var buf [reportSize]byte
		binary.BigEndian.PutUint64(buf[:], uint64(off))
		wmu.Lock()
		defer wmu.Unlock()
		if err := nc.SetWriteDeadline(time.Now().Add(s.cfg.HousekeepingInterval)); err != nil {
			return err
		}
		_, err := nc.Write(buf[:])
		if err == nil {
			reported.Store(off)
		}
		return err
	}
	if id := s.identity.Load(); id != nil {
		if err := s.handshake(nc, id.id, id.epochs); err != nil {
			return fmt.Errorf("handshake: %w", err)
		}
	}
	// Java waits one heartbeat interval before its first report; Booster
	// asks at once.
	start := s.st.MaxPhyOffset()
	if err := report(start); err != nil {
		return err
	}
	s.log.Info("following HA master", "addr", nc.RemoteAddr().String(), "from", start)
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(s.cfg.HeartbeatInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := report(max(reported.Load(), s.st.MaxPhyOffset())); err != nil {
					nc.Close()
					return
				}
			}
		}
	}()
	br := bufio.NewReaderSize(nc, 1<<20)
	var hdr [frameHeaderSize]byte
	var body []byte
	for {
		if err := nc.SetReadDeadline(time.Now().Add(s.cfg.HousekeepingInterval)); err != nil {
			return err
		}
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return err
		}
		off := int64(binary.BigEndian.Uint64(hdr[:]))
		size := int32(binary.BigEndian.Uint32(hdr[8:]))
		if size < 0 || size > maxFrameBody {
			return fmt.Errorf("frame of %d bytes", size)
		}
		if end := s.st.MaxPhyOffset(); end != 0 && end != off {
			return fmt.Errorf("master sent offset %d, slave log ends at %d", off, end)
		}
		if size > 0 {
			if cap(body) < int(size) {
				body = make([]byte, size)
			}
			body = body[:size]
			if _, err := io.ReadFull(br, body); err != nil {
				return err
			}
			if err := s.st.AppendReplica(off, body); err != nil {
				s.log.Error("applying replicated commit log failed", "offset", off, "err", err)
				return err
			}
			s.received.Add(int64(size))
		}
		// Acknowledge once the frames already here are applied, so one
		// report covers a burst, and at least every ackEvery bytes while
		// the master streams without a pause (sync sends wait for it).
		if br.Buffered() < frameHeaderSize || s.st.MaxPhyOffset()-reported.Load() >= ackEvery {
			if end := s.st.MaxPhyOffset(); end > reported.Load() {
				if err := report(end); err != nil {
					return err
				}
			}
		}
	}
}
