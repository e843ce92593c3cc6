package controller

// The replicated state machine (Java's ReplicasInfoManager, applied through
// raft instead of DLedger): per broker set (brokerName), the replicas that
// registered with their brokerId and address, the master, the master
// epoch and the SyncStateSet with its own epoch. Every change is a raft
// log entry (a JSON command); liveness is not part of it (heartbeat.go).

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"

	"github.com/hashicorp/raft"
)

// NoMaster is the master brokerId of a broker set without a master.
const NoMaster int64 = -1

// Errors of state changes; each maps to one CONTROLLER_* response code.
var (
	// ErrBrokerIDInvalid means an applied brokerId is taken by another broker.
	ErrBrokerIDInvalid = errors.New("controller: brokerId is taken by another broker")
	// ErrNeedRegister means the broker set or the replica is unknown.
	ErrNeedRegister = errors.New("controller: the broker must apply for a brokerId first")
	// ErrFencedMasterEpoch means a request carried an old master epoch.
	ErrFencedMasterEpoch = errors.New("controller: fenced: the master epoch is stale")
	// ErrFencedSyncStateSetEpoch means a request carried an old SyncStateSet epoch.
	ErrFencedSyncStateSetEpoch = errors.New("controller: fenced: the SyncStateSet epoch is stale")
	// ErrInvalidMaster means the requester is not the master.
	ErrInvalidMaster = errors.New("controller: the requester is not the current master")
	// ErrInvalidReplicas means a SyncStateSet names an unknown replica or
	// leaves out the master.
	ErrInvalidReplicas = errors.New("controller: the SyncStateSet names unknown replicas or leaves out the master")
	// ErrMasterNotAvailable means no replica can become master.
	ErrMasterNotAvailable = errors.New("controller: no replica can become master")
	// ErrInvalidRequest means a malformed command.
	ErrInvalidRequest = errors.New("controller: invalid request")
)

// BrokerSet is the replicated state of one broker set.
type BrokerSet struct {
	// Cluster is the brokerClusterName.
	Cluster string `json:"cluster"`
	// Name is the brokerName.
	Name string `json:"name"`
	// Replicas maps brokerId to the broker's address (brokerIP1:listenPort).
	Replicas map[int64]string `json:"replicas"`
	// CheckCodes maps brokerId to the registerCheckCode that applied for it.
	CheckCodes map[int64]string `json:"checkCodes"`
	// MasterID is the master's brokerId, NoMaster when there is none.
	MasterID int64 `json:"masterId"`
	// MasterEpoch is incremented at every change of master.
	MasterEpoch int32 `json:"masterEpoch"`
	// SyncStateSet is the brokerIds in sync with the master, sorted.
	SyncStateSet []int64 `json:"syncStateSet"`
	// SyncStateSetEpoch is incremented at every change of SyncStateSet.
	SyncStateSetEpoch int32 `json:"syncStateSetEpoch"`
}

// MasterAddr is the master's address, "" without a master.
func (s *BrokerSet) MasterAddr() string {
	if s.MasterID == NoMaster {
		return ""
	}
	return s.Replicas[s.MasterID]
}

// NextID is the brokerId a new replica gets (Java's getNextBrokerId: one
// past the highest applied, starting at 1).
func (s *BrokerSet) NextID() int64 {
	next := int64(1)
	for id := range s.Replicas {
		next = max(next, id+1)
	}
	return next
}

func (s *BrokerSet) clone() *BrokerSet {
	c := *s
	c.Replicas = maps.Clone(s.Replicas)
	c.CheckCodes = maps.Clone(s.CheckCodes)
	c.SyncStateSet = slices.Clone(s.SyncStateSet)
	return &c
}

// Command kinds.
const (
	opApplyBrokerID     = "applyBrokerId"
	opRegisterBroker    = "registerBroker"
	opAlterSyncStateSet = "alterSyncStateSet"
	opElectMaster       = "electMaster"
	opCleanBrokerData   = "cleanBrokerData"
)

// command is one raft log entry.
type command struct {
	Op      string `json:"op"`
	Cluster string `json:"cluster,omitempty"`
	Name    string `json:"name"`
	ID      int64  `json:"id"`
	Addr    string `json:"addr,omitempty"`
	// CheckCode is an applyBrokerId's registerCheckCode.
	CheckCode string `json:"checkCode,omitempty"`
	// MasterID and MasterEpoch are what the proposer saw: an
	// alterSyncStateSet's requester, an electMaster's old master.
	MasterID    int64 `json:"masterId"`
	MasterEpoch int32 `json:"masterEpoch"`
	// Set and SetEpoch are an alterSyncStateSet's new set and the epoch it
	// replaces.
	Set      []int64 `json:"set,omitempty"`
	SetEpoch int32   `json:"setEpoch"`
}

// result is what Apply returns for a command.
type result struct {
	set *BrokerSet // a copy of the broker set after the command
	err error
}

// fsm is the raft.FSM. mu guards sets: Apply writes under it, readers
// (handlers, the scan) take copies.
type fsm struct {
	mu   sync.RWMutex
	sets map[string]*BrokerSet
}

func newFSM() *fsm { return &fsm{sets: map[string]*BrokerSet{}} }

var _ raft.FSM = (*fsm)(nil)

// Apply implements raft.FSM.
func (f *fsm) Apply(l *raft.Log) any {
	var c command
	if err := json.Unmarshal(l.Data, &c); err != nil {
		return result{err: fmt.Errorf("%w: %v", ErrInvalidRequest, err)}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.apply(&c)
}

func (f *fsm) apply(c *command) result {
	s := f.sets[c.Name]
	switch c.Op {
	case opApplyBrokerID:
		if s == nil {
			s = &BrokerSet{Cluster: c.Cluster, Name: c.Name, Replicas: map[int64]string{},
				CheckCodes: map[int64]string{}, MasterID: NoMaster}
			f.sets[c.Name] = s
		}
		if c.ID < 1 {
			return result{err: ErrBrokerIDInvalid}
		}
		if code, ok := s.CheckCodes[c.ID]; ok && code != c.CheckCode && s.Replicas[c.ID] != c.Addr {
			return result{err: ErrBrokerIDInvalid}
		}
		s.Replicas[c.ID] = c.Addr
		s.CheckCodes[c.ID] = c.CheckCode
	case opRegisterBroker:
		if s == nil {
			return result{err: ErrNeedRegister}
		}
		if _, ok := s.Replicas[c.ID]; !ok {
			return result{err: ErrNeedRegister}
		}
		s.Replicas[c.ID] = c.Addr
	case opAlterSyncStateSet:
		if s == nil {
			return result{err: ErrNeedRegister}
		}
		switch {
		case s.MasterID != c.MasterID:
			return result{err: ErrInvalidMaster}
		case s.MasterEpoch != c.MasterEpoch:
			return result{err: ErrFencedMasterEpoch}
		case s.SyncStateSetEpoch != c.SetEpoch:
			return result{err: ErrFencedSyncStateSetEpoch}
		case !slices.Contains(c.Set, s.MasterID):
			return result{err: ErrInvalidReplicas}
		}
		for _, id := range c.Set {
			if _, ok := s.Replicas[id]; !ok {
				return result{err: ErrInvalidReplicas}
			}
		}
		set := slices.Clone(c.Set)
		slices.Sort(set)
		s.SyncStateSet = slices.Compact(set)
		s.SyncStateSetEpoch++
	case opElectMaster:
		// The proposer chose the new master (it alone knows liveness);
		// the command applies only if nothing changed meanwhile.
		if s == nil {
			return result{err: ErrNeedRegister}
		}
		if s.MasterID != c.MasterID || s.MasterEpoch != c.MasterEpoch {
			return result{err: ErrFencedMasterEpoch}
		}
		if c.ID == NoMaster {
			if s.MasterID != NoMaster {
				s.MasterID = NoMaster
				s.MasterEpoch++
			}
			return result{set: s.clone(), err: ErrMasterNotAvailable}
		}
		if _, ok := s.Replicas[c.ID]; !ok {
			return result{err: ErrInvalidReplicas}
		}
		s.MasterID = c.ID
		s.MasterEpoch++
		s.SyncStateSet = []int64{c.ID}
		s.SyncStateSetEpoch++
	case opCleanBrokerData:
		if s == nil {
			return result{err: ErrNeedRegister}
		}
		if c.ID == NoMaster {
			delete(f.sets, c.Name)
			return result{}
		}
		delete(s.Replicas, c.ID)
		delete(s.CheckCodes, c.ID)
		s.SyncStateSet = slices.DeleteFunc(s.SyncStateSet, func(id int64) bool { return id == c.ID })
		if s.MasterID == c.ID {
			s.MasterID = NoMaster
			s.MasterEpoch++
		}
	default:
		return result{err: fmt.Errorf("%w: unknown op %q", ErrInvalidRequest, c.Op)}
	}
	return result{set: s.clone()}
}

// get returns a copy of the broker set called name, nil if unknown.
func (f *fsm) get(name string) *BrokerSet {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if s := f.sets[name]; s != nil {
		return s.clone()
	}
	return nil
}

// all returns a copy of every broker set, sorted by name.
func (f *fsm) all() []*BrokerSet {
	f.mu.RLock()
	defer f.mu.RUnlock()
	out := make([]*BrokerSet, 0, len(f.sets))
	for _, s := range f.sets {
		out = append(out, s.clone())
	}
	slices.SortFunc(out, func(a, b *BrokerSet) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return out
}

// snapshot is the FSM's whole state as written by Snapshot.
type snapshot struct {
	Sets []*BrokerSet `json:"sets"`
}

// Snapshot implements raft.FSM.
func (f *fsm) Snapshot() (raft.FSMSnapshot, error) {
	return &snapshot{Sets: f.all()}, nil
}

// Restore implements raft.FSM.
func (f *fsm) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	var snap snapshot
	if err := json.NewDecoder(rc).Decode(&snap); err != nil {
		return fmt.Errorf("controller: restore snapshot: %w", err)
	}
	sets := make(map[string]*BrokerSet, len(snap.Sets))
	for _, s := range snap.Sets {
		if s.Replicas == nil {
			s.Replicas = map[int64]string{}
		}
		if s.CheckCodes == nil {
			s.CheckCodes = map[int64]string{}
		}
		sets[s.Name] = s
	}
	f.mu.Lock()
	f.sets = sets
	f.mu.Unlock()
	return nil
}

// Persist implements raft.FSMSnapshot.
func (s *snapshot) Persist(sink raft.SnapshotSink) error {
	if err := json.NewEncoder(sink).Encode(s); err != nil {
		_ = sink.Cancel()
		return err
	}
	return sink.Close()
}

// Release implements raft.FSMSnapshot.
func (s *snapshot) Release() {}
