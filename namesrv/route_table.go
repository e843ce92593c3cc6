package namesrv

import (
	"maps"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire/transport"
)

// defaultBrokerTimeout is how long a broker stays registered without a
// registration or heartbeat when it names no heartbeatTimeoutMillis (Java's
// RouteInfoManager.DEFAULT_BROKER_CHANNEL_EXPIRED_TIME).
const defaultBrokerTimeout = 120 * time.Second

// brokerAddrKey identifies one broker process: Java's BrokerAddrInfo.
type brokerAddrKey struct {
	cluster, addr string
}

// liveInfo is Java's BrokerLiveInfo: when a broker process was last heard
// from, on which connection, and the DataVersion of its last topic table.
type liveInfo struct {
	// lastUpdate is unix milliseconds; heartbeats store it under the read
	// lock, so it is atomic.
	lastUpdate   atomic.Int64
	timeout      time.Duration
	dataVersion  *codec.DataVersion // nil when the broker sent none
	conn         *transport.Conn    // nil for registrations not tied to a connection
	haServerAddr string
}

func (l *liveInfo) expired(now time.Time) bool {
	return time.UnixMilli(l.lastUpdate.Load()).Add(l.timeout).Before(now)
}

// registration is one REGISTER_BROKER request, decoded.
type registration struct {
	cluster, addr, name, haServerAddr, zone string
	id                                      int64
	timeout                                 time.Duration
	// actingMaster is nil when the broker did not send enableActingMaster
	// (brokers before 5.0).
	actingMaster *bool
	topics       codec.TopicConfigSerializeWrapper
	filterSrvs   []string
	conn         *transport.Conn
}

// registerResult is Java's RegisterBrokerResult, plus whether the broker
// process was not registered before.
type registerResult struct {
	haServerAddr, masterAddr string
	newProcess               bool
}

// unregistration is one broker process to remove (Java's
// UnRegisterBrokerRequestHeader).
type unregistration struct {
	cluster, addr, name string
	id                  int64
}

// routeTable is Java's RouteInfoManager: every table the routes are
// computed from.
//
// Concurrency: mu guards every map and everything the maps point to.
// Queries take the read lock; registrations, removals and permission
// changes take the write lock. liveInfo.lastUpdate alone may be written
// under the read lock (it is atomic). Nothing blocking (I/O, connection
// writes) happens while mu is held, except closing expired connections,
// which gnet does asynchronously.
type routeTable struct {
	mu sync.RWMutex
	// topics: topic → brokerName → queues of that broker group.
	topics map[string]map[string]codec.QueueData
	// brokers: brokerName → cluster, addresses by broker id.
	brokers map[string]*codec.BrokerData
	// clusters: cluster → set of brokerName.
	clusters map[string]map[string]struct{}
	// live: broker process → liveness.
	live map[brokerAddrKey]*liveInfo
	// filterServers: broker process → its filter servers (kept for the
	// route's filterServerTable; brokers since 5.0 send none).
	filterServers map[brokerAddrKey][]string
}

func newRouteTable() *routeTable {
	return &routeTable{
		topics:        map[string]map[string]codec.QueueData{},
		brokers:       map[string]*codec.BrokerData{},
		clusters:      map[string]map[string]struct{}{},
		live:          map[brokerAddrKey]*liveInfo{},
		filterServers: map[brokerAddrKey][]string{},
	}
}

// register applies a broker registration. ok is false when Java answers
// "register broker failed": an incremental single-topic registration from
// a broker id this NameServer does not know yet.
func (t *routeTable) register(r *registration, deleteMissingTopics bool, now time.Time) (res registerResult, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if r.conn != nil && r.conn.Closed() {
		// The connection closed while the request waited: its close
		// callback has run or will find nothing; registering now would
		// leave an entry only expiry removes.
		return res, false
	}
	// A one-topic table from an id the group lacks is an incremental
	// registration that must not create the broker (Java checks this after
	// creating the group, leaving an empty one behind; Booster checks first).
	if len(r.topics.TopicConfigTable) == 1 {
		if bd := t.brokers[r.name]; bd == nil || bd.BrokerAddrs[r.id] == "" {
			return res, false
		}
	}

	names := t.clusters[r.cluster]
	if names == nil {
		names = map[string]struct{}{}
		t.clusters[r.cluster] = names
	}
	names[r.name] = struct{}{}

	bd := t.brokers[r.name]
	first := bd == nil
	if first {
		bd = &codec.BrokerData{Cluster: r.cluster, BrokerName: r.name, BrokerAddrs: map[int64]string{}}
		t.brokers[r.name] = bd
	}
	bd.EnableActingMaster = r.actingMaster != nil && *r.actingMaster
	bd.ZoneName = r.zone

	// One address has one id: a slave turned master drops its old id.
	for id, a := range bd.BrokerAddrs {
		if a == r.addr && id != r.id {
			delete(bd.BrokerAddrs, id)
		}
	}
	// Another process holds this id with a newer state version: ignore us.
	if old, held := bd.BrokerAddrs[r.id]; held && old != r.addr {
		if li := t.live[brokerAddrKey{r.cluster, old}]; li != nil && li.dataVersion != nil &&
			li.dataVersion.StateVersion > r.topics.DataVersion.StateVersion {
			delete(t.live, brokerAddrKey{r.cluster, r.addr})
			return res, true
		}
	}
	old := bd.BrokerAddrs[r.id]
	bd.BrokerAddrs[r.id] = r.addr
	first = first || old == ""

	key := brokerAddrKey{r.cluster, r.addr}
	isMaster := r.id == compat.MasterID
	primeSlave := r.actingMaster != nil && !isMaster && r.id == minID(bd.BrokerAddrs)
	if isMaster || primeSlave {
		changed := t.dataVersionChanged(key, &r.topics.DataVersion)
		// A one-topic table is incremental (see above): it lists only the
		// new topic, so it deletes nothing.
		incremental := len(r.topics.TopicConfigTable) == 1
		if deleteMissingTopics && !incremental && len(r.topics.TopicQueueMappingInfoMap) == 0 {
			for topic, qds := range t.topics {
				if _, listed := r.topics.TopicConfigTable[topic]; listed {
					continue
				}
				if _, had := qds[r.name]; had {
					delete(qds, r.name)
					if len(qds) == 0 {
						delete(t.topics, topic)
					}
				}
			}
		}
		for name, tc := range r.topics.TopicConfigTable {
			if tc == nil {
				continue
			}
			topic := tc.TopicName
			if topic == "" {
				topic = name
			}
			if !first && !changed && t.hasQueueData(topic, r.name) {
				continue
			}
			perm := tc.Perm
			if primeSlave && bd.EnableActingMaster {
				perm &^= compat.PermWrite
			}
			qds := t.topics[topic]
			if qds == nil {
				qds = map[string]codec.QueueData{}
				t.topics[topic] = qds
			}
			qds[r.name] = codec.QueueData{
				BrokerName:     r.name,
				Perm:           perm,
				ReadQueueNums:  tc.ReadQueueNums,
				TopicSysFlag:   tc.TopicSysFlag,
				WriteQueueNums: tc.WriteQueueNums,
			}
		}
	}

	li := &liveInfo{timeout: r.timeout, conn: r.conn, haServerAddr: r.haServerAddr}
	if li.timeout <= 0 {
		li.timeout = defaultBrokerTimeout
	}
	dv := r.topics.DataVersion
	li.dataVersion = &dv
	li.lastUpdate.Store(now.UnixMilli())
	_, known := t.live[key]
	res.newProcess = !known
	t.live[key] = li

	if r.filterSrvs != nil {
		if len(r.filterSrvs) == 0 {
			delete(t.filterServers, key)
		} else {
			t.filterServers[key] = slices.Clone(r.filterSrvs)
		}
	}

	if !isMaster {
		if master, has := bd.BrokerAddrs[compat.MasterID]; has {
			if ml := t.live[brokerAddrKey{r.cluster, master}]; ml != nil {
				res.haServerAddr, res.masterAddr = ml.haServerAddr, master
			}
		}
	}
	return res, true
}

func minID(addrs map[int64]string) int64 {
	first := true
	var m int64
	for id := range addrs {
		if first || id < m {
			m, first = id, false
		}
	}
	return m
}

// dataVersionChanged reports whether dv differs from the one the broker
// process last registered (Java's isBrokerTopicConfigChanged). Caller holds mu.
func (t *routeTable) dataVersionChanged(key brokerAddrKey, dv *codec.DataVersion) bool {
	li := t.live[key]
	if li == nil || li.dataVersion == nil || dv == nil {
		return true
	}
	return *li.dataVersion != *dv
}

func (t *routeTable) hasQueueData(topic, brokerName string) bool {
	_, ok := t.topics[topic][brokerName]
	return ok
}

// queryDataVersion implements QUERY_DATA_VERSION: whether dv differs from
// the broker's last registration, that registration's DataVersion, and a
// liveness refresh.
func (t *routeTable) queryDataVersion(key brokerAddrKey, dv *codec.DataVersion, now time.Time) (changed bool, current *codec.DataVersion) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	changed = t.dataVersionChanged(key, dv)
	if li := t.live[key]; li != nil {
		li.lastUpdate.Store(now.UnixMilli())
		if li.dataVersion != nil {
			c := *li.dataVersion
			current = &c
		}
	}
	return changed, current
}

// touch refreshes a broker process's liveness (BROKER_HEARTBEAT).
func (t *routeTable) touch(key brokerAddrKey, now time.Time) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if li := t.live[key]; li != nil {
		li.lastUpdate.Store(now.UnixMilli())
	}
}

// unregister removes broker processes (Java's unRegisterBroker). It
// returns the broker names whose last address went away.
func (t *routeTable) unregister(reqs ...unregistration) (removed []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.unregisterLocked(reqs)
}

func (t *routeTable) unregisterLocked(reqs []unregistration) (removed []string) {
	reduced := map[string]struct{}{}
	for _, u := range reqs {
		key := brokerAddrKey{u.cluster, u.addr}
		delete(t.live, key)
		delete(t.filterServers, key)
		bd := t.brokers[u.name]
		if bd == nil {
			reduced[u.name] = struct{}{}
			continue
		}
		maps.DeleteFunc(bd.BrokerAddrs, func(_ int64, a string) bool { return a == u.addr })
		if len(bd.BrokerAddrs) > 0 {
			reduced[u.name] = struct{}{}
			continue
		}
		delete(t.brokers, u.name)
		if names := t.clusters[u.cluster]; names != nil {
			delete(names, u.name)
			if len(names) == 0 {
				delete(t.clusters, u.cluster)
			}
		}
		removed = append(removed, u.name)
	}
	for topic, qds := range t.topics {
		for _, name := range removed {
			delete(qds, name)
		}
		if len(qds) == 0 {
			delete(t.topics, topic)
			continue
		}
		// An acting-master group that lost its master may not take writes.
		for name := range reduced {
			qd, ok := qds[name]
			bd := t.brokers[name]
			if ok && bd != nil && bd.EnableActingMaster && (len(bd.BrokerAddrs) == 0 || minID(bd.BrokerAddrs) > 0) {
				qd.Perm &^= compat.PermWrite
				qds[name] = qd
			}
		}
	}
	return removed
}

// unregistrationFor finds the broker name and id registered for a broker
// process (Java's setupUnRegisterRequest). Caller holds mu.
func (t *routeTable) unregistrationFor(key brokerAddrKey) (unregistration, bool) {
	for _, bd := range t.brokers {
		if bd.Cluster != key.cluster {
			continue
		}
		for id, a := range bd.BrokerAddrs {
			if a == key.addr {
				return unregistration{cluster: key.cluster, addr: key.addr, name: bd.BrokerName, id: id}, true
			}
		}
	}
	return unregistration{}, false
}

// connClosed removes every broker process that registered on conn.
func (t *routeTable) connClosed(conn *transport.Conn) []unregistration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var reqs []unregistration
	for key, li := range t.live {
		if li.conn != conn {
			continue
		}
		if u, ok := t.unregistrationFor(key); ok {
			reqs = append(reqs, u)
		} else {
			delete(t.live, key)
		}
	}
	if len(reqs) > 0 {
		t.unregisterLocked(reqs)
	}
	return reqs
}

// expire removes broker processes not heard from within their timeout and
// returns them with the connections they registered on, for the caller to
// close.
func (t *routeTable) expire(now time.Time) (gone []unregistration, conns []*transport.Conn) {
	t.mu.RLock()
	found := false
	for _, li := range t.live {
		if li.expired(now) {
			found = true
			break
		}
	}
	t.mu.RUnlock()
	if !found {
		return nil, nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for key, li := range t.live {
		if !li.expired(now) {
			continue
		}
		if li.conn != nil {
			conns = append(conns, li.conn)
		}
		if u, ok := t.unregistrationFor(key); ok {
			gone = append(gone, u)
		} else {
			delete(t.live, key)
		}
	}
	if len(gone) > 0 {
		t.unregisterLocked(gone)
	}
	return gone, conns
}

// route builds the TopicRouteData of topic (Java's pickupTopicRouteData),
// or returns false when the topic has no queues or no live broker group.
func (t *routeTable) route(topic string) (codec.TopicRouteData, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	qds := t.topics[topic]
	if len(qds) == 0 {
		return codec.TopicRouteData{}, false
	}
	rd := codec.TopicRouteData{
		BrokerDatas:       make([]codec.BrokerData, 0, len(qds)),
		FilterServerTable: map[string][]string{},
		QueueDatas:        make([]codec.QueueData, 0, len(qds)),
	}
	for name, qd := range qds {
		rd.QueueDatas = append(rd.QueueDatas, qd)
		bd := t.brokers[name]
		if bd == nil {
			continue
		}
		rd.BrokerDatas = append(rd.BrokerDatas, bd.Clone())
		if len(t.filterServers) == 0 {
			continue
		}
		for _, addr := range bd.BrokerAddrs {
			if fs := t.filterServers[brokerAddrKey{bd.Cluster, addr}]; fs != nil {
				rd.FilterServerTable[addr] = slices.Clone(fs)
			}
		}
	}
	if len(rd.BrokerDatas) == 0 {
		return codec.TopicRouteData{}, false
	}
	rd.Sort()
	return rd, true
}

// clusterInfo returns a copy of the broker and cluster tables.
func (t *routeTable) clusterInfo() codec.ClusterInfo {
	t.mu.RLock()
	defer t.mu.RUnlock()
	ci := codec.ClusterInfo{
		BrokerAddrTable:  make(map[string]*codec.BrokerData, len(t.brokers)),
		ClusterAddrTable: make(map[string][]string, len(t.clusters)),
	}
	for name, bd := range t.brokers {
		c := bd.Clone()
		ci.BrokerAddrTable[name] = &c
	}
	for cluster, names := range t.clusters {
		ci.ClusterAddrTable[cluster] = sortedKeys(names)
	}
	return ci
}

// memberGroup returns the addresses of one broker group.
func (t *routeTable) memberGroup(brokerName string) map[int64]string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if bd := t.brokers[brokerName]; bd != nil {
		return maps.Clone(bd.BrokerAddrs)
	}
	return map[int64]string{}
}

// topicList returns the sorted topics whose queues satisfy keep (all topics
// when keep is nil). keep sees the topic's queue data, the first by broker
// name first.
func (t *routeTable) topicList(keep func(qds []codec.QueueData) bool) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]string, 0, len(t.topics))
	for topic, m := range t.topics {
		if keep != nil {
			qds := slices.Collect(maps.Values(m))
			sort.Slice(qds, func(i, j int) bool { return qds[i].BrokerName < qds[j].BrokerName })
			if !keep(qds) {
				continue
			}
		}
		out = append(out, topic)
	}
	slices.Sort(out)
	return out
}

// topicsOfCluster returns the sorted topics with queues on any broker group
// of cluster.
func (t *routeTable) topicsOfCluster(cluster string) []string {
	t.mu.RLock()
	names := t.clusters[cluster]
	out := []string{}
	for topic, qds := range t.topics {
		for name := range names {
			if _, ok := qds[name]; ok {
				out = append(out, topic)
				break
			}
		}
	}
	t.mu.RUnlock()
	slices.Sort(out)
	return out
}

// systemTopics returns Java's system topic list: every cluster name and
// broker name (brokers register topics named after both), plus one broker
// address to query.
func (t *routeTable) systemTopics() (topics []string, brokerAddr string) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	set := map[string]struct{}{}
	for cluster, names := range t.clusters {
		set[cluster] = struct{}{}
		for n := range names {
			set[n] = struct{}{}
		}
	}
	for _, name := range sortedKeys(t.brokers) {
		bd := t.brokers[name]
		if len(bd.BrokerAddrs) > 0 {
			brokerAddr = bd.BrokerAddrs[minID(bd.BrokerAddrs)]
			break
		}
	}
	return sortedKeys(set), brokerAddr
}

// setWritePerm wipes (wipe) or restores the write permission of every
// topic on a broker group and returns how many topics it touched. Restoring
// sets perm to read|write exactly, as Java does.
func (t *routeTable) setWritePerm(brokerName string, wipe bool) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, qds := range t.topics {
		qd, ok := qds[brokerName]
		if !ok {
			continue
		}
		if wipe {
			qd.Perm &^= compat.PermWrite
		} else {
			qd.Perm = compat.PermRead | compat.PermWrite
		}
		qds[brokerName] = qd
		n++
	}
	return n
}

// deleteTopic removes a topic, or with a cluster name only that cluster's
// queues of it.
func (t *routeTable) deleteTopic(topic, cluster string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if cluster == "" {
		delete(t.topics, topic)
		return
	}
	qds := t.topics[topic]
	if qds == nil {
		return
	}
	for name := range t.clusters[cluster] {
		delete(qds, name)
	}
	if len(qds) == 0 {
		delete(t.topics, topic)
	}
}

// registerTopic adds or replaces queue data of a topic (REGISTER_TOPIC_IN_NAMESRV).
// It changes nothing and returns false if a broker name is unknown.
func (t *routeTable) registerTopic(topic string, qds []codec.QueueData) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, qd := range qds {
		if t.brokers[qd.BrokerName] == nil {
			return false
		}
	}
	m := t.topics[topic]
	if m == nil {
		m = make(map[string]codec.QueueData, len(qds))
		t.topics[topic] = m
	}
	for _, qd := range qds {
		m[qd.BrokerName] = qd
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
