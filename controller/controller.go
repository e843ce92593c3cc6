package controller

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb/v2"

	"github.com/booster-mq/booster/wire/transport"
)

// ErrNotLeader means this controller is not the raft leader; the request
// goes to the leader (CONTROLLER_NOT_LEADER).
var ErrNotLeader = errors.New("controller: not the leader")

// applyTimeout bounds one raft proposal.
const applyTimeout = 5 * time.Second

// Controller is one member of the controller group (Java's
// ControllerManager with a raft-backed Controller): the raft node with
// its state machine, the heartbeat table, the leader's scan for dead
// masters, and the remoting server brokers talk to.
//
// Concurrency: the FSM and the heartbeat table guard themselves; elections
// are serialised by electMu so two triggers for one broker set do not race
// (the FSM would fence the second anyway).
type Controller struct {
	cfg   Config
	log   *slog.Logger
	peers []Peer
	self  Peer

	fsm  *fsm
	live *liveness
	raft *raft.Raft
	deps raftDeps

	srv     *transport.Server
	leader  atomic.Bool
	electMu sync.Mutex

	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

// raftDeps are the raft node's stores and transport.
type raftDeps struct {
	logs   raft.LogStore
	stable raft.StableStore
	snaps  raft.SnapshotStore
	trans  raft.Transport
	// tune shortens raft's timeouts (tests).
	tune    func(*raft.Config)
	closers []io.Closer
}

// New opens the controller's raft stores under controllerStorePath and
// binds its raft port; Start joins the group and serves brokers.
func New(cfg Config, log *slog.Logger) (*Controller, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	peers, _ := ParsePeers(cfg.Peers)
	self, _ := cfg.self(peers)
	dir := filepath.Join(cfg.StorePath, self.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	out := &slogWriter{log: log.With("raft", self.ID)}
	bolt, err := raftboltdb.New(raftboltdb.Options{Path: filepath.Join(dir, "raft.db")})
	if err != nil {
		return nil, fmt.Errorf("controller: raft log: %w", err)
	}
	snaps, err := raft.NewFileSnapshotStore(dir, 3, out)
	if err != nil {
		bolt.Close()
		return nil, fmt.Errorf("controller: snapshots: %w", err)
	}
	raftAddr := self.RaftAddr()
	bind := raftAddr
	if cfg.BindAddress != "" {
		_, port, _ := net.SplitHostPort(raftAddr)
		bind = net.JoinHostPort(cfg.BindAddress, port)
	}
	adv, err := net.ResolveTCPAddr("tcp", raftAddr)
	if err != nil {
		bolt.Close()
		return nil, fmt.Errorf("controller: raft address %s: %w", raftAddr, err)
	}
	trans, err := raft.NewTCPTransport(bind, adv, 3, 10*time.Second, out)
	if err != nil {
		bolt.Close()
		return nil, fmt.Errorf("controller: raft transport: %w", err)
	}
	return newController(cfg, log, raftDeps{logs: bolt, stable: bolt, snaps: snaps, trans: trans,
		closers: []io.Closer{trans, bolt}})
}

func newController(cfg Config, log *slog.Logger, deps raftDeps) (*Controller, error) {
	peers, err := ParsePeers(cfg.Peers)
	if err != nil {
		return nil, err
	}
	self, ok := cfg.self(peers)
	if !ok {
		return nil, fmt.Errorf("controllerSelfId %q is not in controllerPeers", cfg.SelfID)
	}
	return &Controller{cfg: cfg, log: log.With("controller", self.ID), peers: peers, self: self,
		fsm: newFSM(), live: newLiveness(cfg.BrokerHeartbeatTimeout), deps: deps, stop: make(chan struct{})}, nil
}

// Start joins the raft group (bootstrapping it on first start with every
// peer of controllerPeers), serves the controller requests on this
// peer's address and starts the leader's scan.
func (c *Controller) Start() error {
	if err := c.startRaft(); err != nil {
		return err
	}
	host, port, _ := net.SplitHostPort(c.self.Addr)
	if c.cfg.BindAddress != "" {
		host = c.cfg.BindAddress
	}
	sc := transport.DefaultServerConfig("controller")
	sc.Pools[transport.Admin] = transport.PoolConfig{Workers: c.cfg.ThreadPoolNums, Queue: c.cfg.RequestQueueCapacity, MaxWait: 5 * time.Second}
	c.srv = transport.NewServer(sc, transport.NewRouter(c.routes()), c.log)
	c.srv.OnConnClose(c.connClosed)
	if err := c.srv.Start(net.JoinHostPort(host, port)); err != nil {
		c.Close()
		return err
	}
	c.log.Info("controller started", "addr", c.self.Addr, "raft", c.self.RaftAddr(), "peers", c.cfg.Peers)
	return nil
}

func (c *Controller) startRaft() error {
	rc := raft.DefaultConfig()
	rc.LocalID = raft.ServerID(c.self.ID)
	rc.Logger = hclog.New(&hclog.LoggerOptions{Name: "raft", Output: &slogWriter{log: c.log}, Level: hclog.Info})
	notify := make(chan bool, 8)
	rc.NotifyCh = notify
	if c.deps.tune != nil {
		c.deps.tune(rc)
	}
	has, err := raft.HasExistingState(c.deps.logs, c.deps.stable, c.deps.snaps)
	if err != nil {
		return err
	}
	r, err := raft.NewRaft(rc, c.fsm, c.deps.logs, c.deps.stable, c.deps.snaps, c.deps.trans)
	if err != nil {
		return fmt.Errorf("controller: raft: %w", err)
	}
	c.raft = r
	if !has {
		var servers []raft.Server
		for _, p := range c.peers {
			servers = append(servers, raft.Server{ID: raft.ServerID(p.ID), Address: c.raftAddr(p)})
		}
		if err := r.BootstrapCluster(raft.Configuration{Servers: servers}).Error(); err != nil && !errors.Is(err, raft.ErrCantBootstrap) {
			return fmt.Errorf("controller: bootstrap: %w", err)
		}
	}
	c.wg.Add(2)
	go c.watchLeadership(notify)
	go c.scanLoop()
	return nil
}

// raftAddr is the raft address of p as the transport knows it.
func (c *Controller) raftAddr(p Peer) raft.ServerAddress {
	if c.deps.tune != nil { // in-memory transports are addressed by id
		return raft.ServerAddress(p.ID)
	}
	return raft.ServerAddress(p.RaftAddr())
}

// Close leaves: stops serving, shuts raft down and closes the stores.
func (c *Controller) Close() {
	c.once.Do(func() {
		close(c.stop)
		if c.srv != nil {
			c.srv.Stop()
		}
		if c.raft != nil {
			if err := c.raft.Shutdown().Error(); err != nil {
				c.log.Warn("raft shutdown", "err", err)
			}
		}
		c.wg.Wait()
		for _, cl := range c.deps.closers {
			_ = cl.Close()
		}
	})
}

// Addr is the controller's remoting address (its controllerPeers entry).
func (c *Controller) Addr() string { return c.self.Addr }

// IsLeader reports whether this controller is the raft leader.
func (c *Controller) IsLeader() bool { return c.raft != nil && c.raft.State() == raft.Leader }

// ready reports whether this controller is the leader and has applied
// everything committed before its term (it serves requests only then).
func (c *Controller) ready() bool { return c.leader.Load() && c.IsLeader() }

// Leader returns the leader's id and remoting address ("" when unknown).
func (c *Controller) Leader() (id, addr string) {
	_, lid := c.raft.LeaderWithID()
	for _, p := range c.peers {
		if string(lid) == p.ID {
			return p.ID, p.Addr
		}
	}
	return "", ""
}

// BrokerSet returns a copy of the named broker set's state, nil if none.
func (c *Controller) BrokerSet(name string) *BrokerSet { return c.fsm.get(name) }

func (c *Controller) watchLeadership(notify <-chan bool) {
	defer c.wg.Done()
	for {
		select {
		case <-c.stop:
			return
		case leader := <-notify:
			if leader {
				// Apply everything committed before acting as leader; a
				// leader that cannot is about to lose its term.
				if err := c.raft.Barrier(applyTimeout).Error(); err != nil {
					c.log.Warn("raft barrier after election", "err", err)
					leader = false
				} else {
					c.live.leaderSince(time.Now())
				}
			}
			c.leader.Store(leader)
			c.log.Info("controller leadership", "leader", leader)
		}
	}
}

// propose applies cmd through raft on the leader and returns the broker
// set after it.
func (c *Controller) propose(cmd command) (*BrokerSet, error) {
	if !c.IsLeader() {
		return nil, ErrNotLeader
	}
	data, err := json.Marshal(cmd)
	if err != nil {
		return nil, err
	}
	f := c.raft.Apply(data, applyTimeout)
	if err := f.Error(); err != nil {
		if errors.Is(err, raft.ErrNotLeader) || errors.Is(err, raft.ErrLeadershipLost) {
			return nil, ErrNotLeader
		}
		return nil, err
	}
	res, ok := f.Response().(result)
	if !ok {
		return nil, fmt.Errorf("BUG: raft apply returned %T", f.Response())
	}
	return res.set, res.err
}

// elect chooses and installs a master for the broker set (preferred for a
// designated election). It returns the set after the election and
// errMasterStillExists when the live master stays.
func (c *Controller) elect(name string, preferred int64) (*BrokerSet, error) {
	c.electMu.Lock()
	defer c.electMu.Unlock()
	s := c.fsm.get(name)
	if s == nil {
		return nil, ErrNeedRegister
	}
	id := c.live.chooseMaster(s, preferred, false, time.Now())
	if id == NoMaster && c.cfg.EnableElectUncleanMaster && preferred == NoMaster {
		id = c.live.chooseMaster(s, NoMaster, true, time.Now())
	}
	if id != NoMaster && id == s.MasterID {
		return s, errMasterStillExists
	}
	if id == NoMaster && s.MasterID == NoMaster {
		return s, ErrMasterNotAvailable
	}
	ns, err := c.propose(command{Op: opElectMaster, Name: name, ID: id, MasterID: s.MasterID, MasterEpoch: s.MasterEpoch})
	if err == nil || errors.Is(err, ErrMasterNotAvailable) {
		c.log.Warn("broker set master elected", "brokerName", name, "old", s.MasterID, "new", id,
			"masterEpoch", epochOf(ns), "syncStateSet", setOf(ns))
	}
	return ns, err
}

// errMasterStillExists means an election kept the live master.
var errMasterStillExists = errors.New("controller: the master is still alive")

func epochOf(s *BrokerSet) int32 {
	if s == nil {
		return 0
	}
	return s.MasterEpoch
}

func setOf(s *BrokerSet) []int64 {
	if s == nil {
		return nil
	}
	return s.SyncStateSet
}

// scanLoop is the leader's scanNotActiveBroker: every interval, a broker
// set whose master stopped heartbeating (or that has none) gets a new
// master from the live members of its SyncStateSet.
func (c *Controller) scanLoop() {
	defer c.wg.Done()
	t := time.NewTicker(c.cfg.ScanNotActiveBrokerInterval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.scan()
		}
	}
}

func (c *Controller) scan() {
	if !c.leader.Load() {
		return
	}
	now := time.Now()
	for _, s := range c.fsm.all() {
		if s.MasterID != NoMaster && c.live.alive(replicaKey{s.Cluster, s.Name, s.MasterID}, now) {
			continue
		}
		if _, err := c.elect(s.Name, NoMaster); err != nil && !errors.Is(err, ErrMasterNotAvailable) && !errors.Is(err, errMasterStillExists) {
			c.log.Warn("re-election failed", "brokerName", s.Name, "err", err)
		}
	}
}

// connClosed treats a closed broker connection as that broker's death
// (Java's BrokerHousekeepingService): a master is replaced at once.
func (c *Controller) connClosed(conn *transport.Conn) {
	keys := c.live.connClosed(conn.ID())
	if len(keys) == 0 || !c.leader.Load() {
		return
	}
	go func() {
		for _, k := range keys {
			s := c.fsm.get(k.name)
			if s == nil || s.MasterID != k.id {
				continue
			}
			c.log.Warn("master connection closed; electing a new master", "brokerName", k.name, "brokerId", k.id)
			if _, err := c.elect(k.name, NoMaster); err != nil && !errors.Is(err, errMasterStillExists) {
				c.log.Warn("election after master loss", "brokerName", k.name, "err", err)
			}
		}
	}()
}

// slogWriter turns raft's log lines into slog records.
type slogWriter struct{ log *slog.Logger }

func (w *slogWriter) Write(p []byte) (int, error) {
	line := strings.TrimSpace(string(p))
	switch {
	case strings.Contains(line, "[ERROR]"), strings.Contains(line, "[WARN]"):
		w.log.Warn(line)
	default:
		w.log.Debug(line)
	}
	return len(p), nil
}
