package controller

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/hashicorp/raft"

	"github.com/booster-mq/booster/internal/testutil"
)

func apply(t *testing.T, f *fsm, c command) result {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return f.Apply(&raft.Log{Data: data}).(result)
}

func TestFSMApply(t *testing.T) {
	f := newFSM()
	if r := apply(t, f, command{Op: opRegisterBroker, Name: "a", ID: 1, Addr: "x"}); !errors.Is(r.err, ErrNeedRegister) {
		t.Fatalf("register before apply: %v", r.err)
	}
	for id, addr := range map[int64]string{1: "10.0.0.1:10911", 2: "10.0.0.2:10911"} {
		if r := apply(t, f, command{Op: opApplyBrokerID, Cluster: "c", Name: "a", ID: id, Addr: addr, CheckCode: addr + ";1"}); r.err != nil {
			t.Fatal(r.err)
		}
	}
	if r := apply(t, f, command{Op: opApplyBrokerID, Cluster: "c", Name: "a", ID: 1, Addr: "10.0.0.9:1", CheckCode: "10.0.0.9:1;5"}); !errors.Is(r.err, ErrBrokerIDInvalid) {
		t.Fatalf("taken id: %v", r.err)
	}
	s := f.get("a")
	equal(t, s.NextID(), int64(3))
	equal(t, s.MasterID, NoMaster)

	r := apply(t, f, command{Op: opElectMaster, Name: "a", ID: 1, MasterID: NoMaster, MasterEpoch: 0})
	if r.err != nil {
		t.Fatal(r.err)
	}
	equal(t, r.set.MasterID, int64(1))
	equal(t, r.set.MasterEpoch, int32(1))
	equal(t, r.set.MasterAddr(), "10.0.0.1:10911")
	equal(t, len(r.set.SyncStateSet), 1)

	// A stale election is fenced.
	if r := apply(t, f, command{Op: opElectMaster, Name: "a", ID: 2, MasterID: NoMaster, MasterEpoch: 0}); !errors.Is(r.err, ErrFencedMasterEpoch) {
		t.Fatalf("stale election: %v", r.err)
	}
	// The master grows the SyncStateSet.
	alter := command{Op: opAlterSyncStateSet, Name: "a", MasterID: 1, MasterEpoch: 1, Set: []int64{2, 1}, SetEpoch: r.set.SyncStateSetEpoch}
	r2 := apply(t, f, alter)
	if r2.err != nil {
		t.Fatal(r2.err)
	}
	equal(t, len(r2.set.SyncStateSet), 2)
	equal(t, r2.set.SyncStateSetEpoch, r.set.SyncStateSetEpoch+1)
	if r := apply(t, f, alter); !errors.Is(r.err, ErrFencedSyncStateSetEpoch) {
		t.Fatalf("replayed alter: %v", r.err)
	}
	bad := alter
	bad.MasterID = 2
	if r := apply(t, f, bad); !errors.Is(r.err, ErrInvalidMaster) {
		t.Fatalf("alter by a slave: %v", r.err)
	}
	bad = alter
	bad.SetEpoch, bad.Set = r2.set.SyncStateSetEpoch, []int64{2}
	if r := apply(t, f, bad); !errors.Is(r.err, ErrInvalidReplicas) {
		t.Fatalf("set without master: %v", r.err)
	}
	// Failover: 2 takes over, epoch 2, set {2}.
	r3 := apply(t, f, command{Op: opElectMaster, Name: "a", ID: 2, MasterID: 1, MasterEpoch: 1})
	if r3.err != nil {
		t.Fatal(r3.err)
	}
	equal(t, r3.set.MasterID, int64(2))
	equal(t, r3.set.MasterEpoch, int32(2))
	equal(t, r3.set.SyncStateSet[0], int64(2))
}

func TestFSMSnapshotRestore(t *testing.T) {
	f := newFSM()
	apply(t, f, command{Op: opApplyBrokerID, Cluster: "c", Name: "a", ID: 1, Addr: "h:1", CheckCode: "h:1;1"})
	apply(t, f, command{Op: opApplyBrokerID, Cluster: "c", Name: "a", ID: 2, Addr: "h:2", CheckCode: "h:2;1"})
	apply(t, f, command{Op: opElectMaster, Name: "a", ID: 1, MasterID: NoMaster})
	apply(t, f, command{Op: opAlterSyncStateSet, Name: "a", MasterID: 1, MasterEpoch: 1, Set: []int64{1, 2}, SetEpoch: 1})
	snap, err := f.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	if err := snap.Persist(sink); err != nil {
		t.Fatal(err)
	}
	g := newFSM()
	if err := g.Restore(io.NopCloser(bytes.NewReader(sink.Bytes()))); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(f.all())
	got, _ := json.Marshal(g.all())
	equal(t, string(got), string(want))
	equal(t, g.get("a").SyncStateSetEpoch, int32(2))
}

type memSink struct{ bytes.Buffer }

func (s *memSink) ID() string    { return "mem" }
func (s *memSink) Cancel() error { return nil }
func (s *memSink) Close() error  { return nil }

func TestChooseMaster(t *testing.T) {
	now := time.Now()
	l := newLiveness(10 * time.Second)
	l.leaderSince(now.Add(-time.Hour))
	s := &BrokerSet{Cluster: "c", Name: "a", MasterID: 1, MasterEpoch: 3,
		Replicas: map[int64]string{1: "h:1", 2: "h:2", 3: "h:3", 4: "h:4"}, SyncStateSet: []int64{1, 2, 3}}
	beat := func(id int64, epoch int32, off int64, prio int32, ago time.Duration) {
		l.beat(replicaKey{"c", "a", id}, LiveInfo{LastSeen: now.Add(-ago), Epoch: epoch, MaxOffset: off, Priority: prio})
	}
	beat(1, 3, 900, 0, 0)
	beat(2, 3, 500, 0, 0)
	beat(3, 3, 700, 0, 0)
	beat(4, 3, 9999, 0, 0)                                       // not in the SyncStateSet
	equal(t, l.chooseMaster(s, NoMaster, false, now), int64(1))  // the live master stays
	equal(t, l.chooseMaster(s, 2, false, now), int64(2))         // designated
	equal(t, l.chooseMaster(s, 4, false, now), NoMaster)         // designated outside the set
	beat(1, 3, 900, 0, time.Minute)                              // the master dies
	equal(t, l.chooseMaster(s, NoMaster, false, now), int64(3))  // highest offset in the set
	equal(t, l.chooseMaster(s, NoMaster, true, now), int64(4))   // unclean: anyone
	beat(2, 4, 100, 0, 0)                                        // a newer epoch wins over offset
	equal(t, l.chooseMaster(s, NoMaster, false, now), int64(2))  //
	beat(2, 3, 700, 1, 0)                                        // equal epoch and offset: priority
	equal(t, l.chooseMaster(s, NoMaster, false, now), int64(3))  //
	beat(2, 3, 700, 0, time.Minute)                              //
	beat(3, 3, 700, 0, time.Minute)                              // nobody left in the set
	equal(t, l.chooseMaster(s, NoMaster, false, now), NoMaster)  //
	l.connClosed(0)                                              // unknown connection: no-op
	equal(t, len(l.expired(now)), 3)                             //
	l2 := newLiveness(10 * time.Second)                          //
	l2.leaderSince(now)                                          // a new leader's grace period
	equal(t, l2.chooseMaster(s, NoMaster, false, now), int64(1)) //
	equal(t, l2.alive(replicaKey{"c", "a", 2}, now.Add(11*time.Second)), false)
}

// cluster is three controllers over in-memory raft transports.
type cluster struct {
	nodes  []*Controller
	trans  []*raft.InmemTransport
	closed []bool
}

func startCluster(t *testing.T) *cluster {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Peers = "n0-127.0.0.1:1;n1-127.0.0.1:3;n2-127.0.0.1:5"
	cfg.ScanNotActiveBrokerInterval = 50 * time.Millisecond
	cfg.BrokerHeartbeatTimeout = 300 * time.Millisecond
	cl := &cluster{closed: make([]bool, 3)}
	for i, id := range []string{"n0", "n1", "n2"} {
		_, tr := raft.NewInmemTransport(raft.ServerAddress(id))
		cl.trans = append(cl.trans, tr)
		c := cfg
		c.SelfID = id
		store := raft.NewInmemStore()
		node, err := newController(c, slog.New(slog.DiscardHandler), raftDeps{logs: store, stable: store,
			snaps: raft.NewInmemSnapshotStore(), trans: tr, tune: func(rc *raft.Config) {
				rc.HeartbeatTimeout = 100 * time.Millisecond
				rc.ElectionTimeout = 100 * time.Millisecond
				rc.LeaderLeaseTimeout = 50 * time.Millisecond
				rc.CommitTimeout = 5 * time.Millisecond
				rc.SnapshotThreshold = 4
				rc.TrailingLogs = 2
				rc.LogLevel = "ERROR"
			}})
		if err != nil {
			t.Fatal(err)
		}
		cl.nodes = append(cl.nodes, node)
		_ = i
	}
	for i, a := range cl.trans {
		for j, b := range cl.trans {
			if i != j {
				a.Connect(b.LocalAddr(), b)
			}
		}
	}
	for _, n := range cl.nodes {
		if err := n.startRaft(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for i, n := range cl.nodes {
			if !cl.closed[i] {
				n.Close()
			}
		}
	})
	return cl
}

func (cl *cluster) leader(t *testing.T) *Controller {
	t.Helper()
	var l *Controller
	testutil.Eventually(t, 10*time.Second, "a controller leader", func() bool {
		for i, n := range cl.nodes {
			if !cl.closed[i] && n.IsLeader() && n.leader.Load() {
				l = n
				return true
			}
		}
		return false
	})
	return l
}

// beatAll makes every controller hear a heartbeat of the replica.
func (cl *cluster) beatAll(id int64, off int64) {
	for i, n := range cl.nodes {
		if !cl.closed[i] {
			n.live.beat(replicaKey{"c", "a", id}, LiveInfo{Addr: "h", LastSeen: time.Now(), MaxOffset: off})
		}
	}
}

func TestRaftFailover(t *testing.T) {
	cl := startCluster(t)
	l := cl.leader(t)
	for _, id := range []int64{1, 2} {
		if _, err := l.propose(command{Op: opApplyBrokerID, Cluster: "c", Name: "a", ID: id, Addr: "h:" + itoa(id), CheckCode: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	// Followers refuse proposals.
	for _, n := range cl.nodes {
		if n != l {
			if _, err := n.propose(command{Op: opRegisterBroker, Name: "a", ID: 1, Addr: "h:1"}); !errors.Is(err, ErrNotLeader) {
				t.Fatalf("follower proposal: %v", err)
			}
		}
	}
	cl.beatAll(1, 100)
	cl.beatAll(2, 100)
	s, err := l.elect("a", 1)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, s.MasterID, int64(1))
	if _, err := l.propose(command{Op: opAlterSyncStateSet, Name: "a", MasterID: 1, MasterEpoch: s.MasterEpoch, Set: []int64{1, 2}, SetEpoch: s.SyncStateSetEpoch}); err != nil {
		t.Fatal(err)
	}
	// Every controller applies the same state, snapshots included.
	for i := 0; i < 6; i++ {
		if _, err := l.propose(command{Op: opRegisterBroker, Name: "a", ID: 2, Addr: "h:2"}); err != nil {
			t.Fatal(err)
		}
	}
	testutil.Eventually(t, 5*time.Second, "followers caught up", func() bool {
		for _, n := range cl.nodes {
			if s := n.BrokerSet("a"); s == nil || len(s.SyncStateSet) != 2 {
				return false
			}
		}
		return true
	})
	if err := l.raft.Snapshot().Error(); err != nil {
		t.Fatal(err)
	}

	// The raft leader dies; the master keeps heartbeating; nothing changes.
	for i, n := range cl.nodes {
		if n == l {
			n.Close()
			cl.closed[i] = true
			for j, tr := range cl.trans {
				if j != i {
					tr.Disconnect(cl.trans[i].LocalAddr())
				}
			}
		}
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // replica 2 heartbeats throughout; replica 1 (master) stops now
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				cl.beatAll(2, 100)
			}
		}
	}()
	defer func() { close(stop); <-done }()
	l2 := cl.leader(t)
	equal(t, l2.BrokerSet("a").MasterID, int64(1))
	// Master 1 is silent: the new leader's scan elects 2 after the grace
	// period and the heartbeat timeout.
	testutil.Eventually(t, 5*time.Second, "replica 2 elected", func() bool {
		s := l2.BrokerSet("a")
		return s.MasterID == 2 && s.MasterEpoch == 2
	})
	s2 := l2.BrokerSet("a")
	equal(t, len(s2.SyncStateSet), 1)
	// The old master's stale SyncStateSet change is fenced.
	if _, err := l2.propose(command{Op: opAlterSyncStateSet, Name: "a", MasterID: 1, MasterEpoch: 1, Set: []int64{1, 2}, SetEpoch: s2.SyncStateSetEpoch}); !errors.Is(err, ErrInvalidMaster) {
		t.Fatalf("old master's alter: %v", err)
	}
}

func itoa(v int64) string { return string(rune('0' + v)) }

func equal[T comparable](t *testing.T, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("got %v, want %v", got, want)
	}
}
