package controller

// Broker liveness (Java's DefaultBrokerHeartbeatManager): every controller
// keeps, outside raft, when each replica last sent BROKER_HEARTBEAT and
// what it reported (epoch, maxOffset, confirmOffset, electionPriority).
// Brokers heartbeat to every controller, so a new leader already knows
// who is alive; for one heartbeat timeout after it wins leadership it
// counts an unseen replica as alive rather than electing around it.

import (
	"slices"
	"sync"
	"time"
)

// replicaKey names one replica.
type replicaKey struct {
	cluster, name string
	id            int64
}

// LiveInfo is what the latest heartbeat of a replica said.
type LiveInfo struct {
	// Addr is the broker's address.
	Addr string
	// LastSeen is when its last heartbeat arrived.
	LastSeen time.Time
	// Timeout is the heartbeatTimeoutMills it asked for.
	Timeout time.Duration
	// Epoch is the master epoch it has seen.
	Epoch int32
	// MaxOffset is the end of its commit log.
	MaxOffset int64
	// ConfirmOffset is its confirmed offset.
	ConfirmOffset int64
	// Priority is its electionPriority (lower wins).
	Priority int32
	// conn is the connection the heartbeat came on (0 when unknown).
	conn uint64
}

// liveness is the heartbeat table. mu guards all fields.
type liveness struct {
	mu    sync.Mutex
	table map[replicaKey]*LiveInfo
	// since is when this controller became leader: replicas it has not
	// heard from are alive until since + their timeout.
	since          time.Time
	defaultTimeout time.Duration
}

func newLiveness(defaultTimeout time.Duration) *liveness {
	return &liveness{table: map[replicaKey]*LiveInfo{}, defaultTimeout: defaultTimeout}
}

func (l *liveness) beat(k replicaKey, info LiveInfo) {
	if info.Timeout <= 0 {
		info.Timeout = l.defaultTimeout
	}
	l.mu.Lock()
	l.table[k] = &info
	l.mu.Unlock()
}

// leaderSince resets the grace period.
func (l *liveness) leaderSince(t time.Time) {
	l.mu.Lock()
	l.since = t
	l.mu.Unlock()
}

// alive reports whether the replica heartbeated within its timeout (or is
// within the grace period of a new leader and was never seen).
func (l *liveness) alive(k replicaKey, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.aliveLocked(k, now)
}

func (l *liveness) aliveLocked(k replicaKey, now time.Time) bool {
	info := l.table[k]
	if info == nil {
		return now.Sub(l.since) < l.defaultTimeout
	}
	return now.Sub(info.LastSeen) < info.Timeout
}

func (l *liveness) info(k replicaKey) (LiveInfo, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i := l.table[k]; i != nil {
		return *i, true
	}
	return LiveInfo{}, false
}

// connClosed marks every replica whose heartbeats came on conn as dead
// at once (Java's BrokerHousekeepingService.onChannelClose) and returns
// them.
func (l *liveness) connClosed(conn uint64) []replicaKey {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []replicaKey
	for k, i := range l.table {
		if i.conn == conn && conn != 0 {
			i.LastSeen = time.Time{}
			out = append(out, k)
		}
	}
	return out
}

// forget drops the replicas silent for longer than their timeout and
// returns them (Java's scanNotActiveBroker).
func (l *liveness) expired(now time.Time) []replicaKey {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []replicaKey
	for k, i := range l.table {
		if now.Sub(i.LastSeen) >= i.Timeout {
			out = append(out, k)
		}
	}
	return out
}

// candidate is one replica considered for master.
type candidate struct {
	id   int64
	info LiveInfo
	seen bool
}

// chooseMaster picks the new master of s (Java's DefaultElectPolicy):
// among the live members of the SyncStateSet (or, with unclean, of all
// replicas, as for the first election of a set) other than a dead old master, the one with the highest epoch,
// then the highest maxOffset, then the lowest electionPriority, then the
// lowest brokerId. A live old master is kept. preferred, when not
// NoMaster, is chosen if it is eligible (a designated election). It
// returns NoMaster when nobody qualifies.
func (l *liveness) chooseMaster(s *BrokerSet, preferred int64, unclean bool, now time.Time) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := func(id int64) replicaKey { return replicaKey{cluster: s.Cluster, name: s.Name, id: id} }
	pool := s.SyncStateSet
	if unclean || (s.MasterEpoch == 0 && len(s.SyncStateSet) == 0) {
		// The first election of a broker set (Java's
		// isFirstTimeForElect) may choose any live replica.
		pool = nil
		for id := range s.Replicas {
			pool = append(pool, id)
		}
	}
	var cands []candidate
	for _, id := range pool {
		if _, ok := s.Replicas[id]; !ok || !l.aliveLocked(key(id), now) {
			continue
		}
		c := candidate{id: id}
		if i := l.table[key(id)]; i != nil {
			c.info, c.seen = *i, true
		}
		cands = append(cands, c)
	}
	if preferred != NoMaster {
		for _, c := range cands {
			if c.id == preferred {
				return preferred
			}
		}
		return NoMaster
	}
	for _, c := range cands {
		if c.id == s.MasterID {
			return s.MasterID
		}
	}
	if len(cands) == 0 {
		return NoMaster
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		switch {
		case a.info.Epoch != b.info.Epoch:
			return int(b.info.Epoch) - int(a.info.Epoch)
		case a.info.MaxOffset != b.info.MaxOffset:
			if a.info.MaxOffset > b.info.MaxOffset {
				return -1
			}
			return 1
		case a.info.Priority != b.info.Priority:
			return int(a.info.Priority) - int(b.info.Priority)
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	return cands[0].id
}
