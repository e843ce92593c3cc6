package broker

// Controller mode, the broker's side (Java's ReplicasManager with
// enableControllerMode=true): the controller decides which replica of the
// broker set is master.
//  1. At start the broker is neither: its store refuses writes and it does
//     not register with the NameServers until its role is known.
//  2. It gets a brokerId from the controller once
//     (CONTROLLER_GET_NEXT_BROKER_ID, CONTROLLER_APPLY_BROKER_ID with
//     registerCheckCode "address;timestamp") and keeps it in
//     config/controllerBrokerId; then CONTROLLER_REGISTER_BROKER.
//  3. Every brokerHeartbeatInterval it sends BROKER_HEARTBEAT to every
//     controller (epoch, maxOffset, confirmOffset, electionPriority,
//     heartbeatTimeoutMills) and asks the leader CONTROLLER_GET_REPLICA_INFO.
//     A controller answering CONTROLLER_NOT_LEADER sends the broker to
//     CONTROLLER_GET_METADATA_INFO to find the leader.
//  4. Named master: it stops following (ha.Slave.Detach), records the new
//     epoch at its commit-log end in the epoch file, takes writes, waits
//     for the SyncStateSet's slaves on sync sends and registers with the
//     NameServers as brokerId 0. Named slave: it stops taking writes, drops
//     its slaves and follows the master's HA port (the master's remoting
//     port + 1), opening with the epoch handshake that cuts a diverged log
//     (ha/handshake.go); it registers as its controller brokerId. With no
//     master, a member of the SyncStateSet asks CONTROLLER_ELECT_MASTER.
//  5. The master reports its SyncStateSet with
//     CONTROLLER_ALTER_SYNC_STATE_SET (reportSyncStateSet): members that
//     drop out or fall haMaxGapNotInSync behind leave; a caught-up slave
//     joins once it has acknowledged everything sent before sync sends
//     started waiting for it. While a change is pending, sync sends wait
//     for the union of the old and the new set, so a shrink takes effect
//     only once the controller has it.
//  6. Fencing: a master that has not heard from the controller leader for
//     controllerHeartBeatTimeoutMills stops taking writes and registers as
//     a slave until the controller names it master again.
//
// Differences from Apache: the HA protocol is the classic one with
// Booster's epoch handshake, not AutoSwitchHA; the broker polls the
// replica info every heartbeat instead of waiting for
// NOTIFY_BROKER_ROLE_CHANGED; the slave's HA address is the master's
// remoting port + 1 (the default haListenPort).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// Roles in controller mode.
const (
	roleNone int32 = iota
	roleMaster
	roleSlave
)

// noMaster is a broker set without a master.
const noMaster int64 = -1

var errNoLeader = errors.New("no controller leader found")

// controllerMode is the broker's controller client. Its fields are owned
// by the loop goroutine; role and ready are read elsewhere.
type controllerMode struct {
	b          *Broker
	epochs     *store.EpochFile
	idPath     string
	masterRole string // brokerRole while master

	id          int64
	leader      string
	clients     map[string]*transport.Client
	registered  bool
	masterEpoch int32
	syncSet     []int64         // confirmed SyncStateSet (while master)
	joining     map[int64]int64 // slaves on their way in: the offset each must acknowledge (-1: being set)
	lastEnd     int64           // the commit-log end at the previous SyncStateSet round (-1: none yet)
	setEpoch    int32
	lastContact time.Time

	role  atomic.Int32
	ready atomic.Bool
}

// replicaInfo is the leader's answer about the broker set.
type replicaInfo struct {
	master     int64
	masterAddr string
	epoch      int32
	set        []int64
	setEpoch   int32
}

// openControllerMode prepares controller mode in New: the epoch file, the
// stored brokerId, and the store refusing writes until a role is known.
func (b *Broker) openControllerMode() error {
	cfg := b.conf()
	ef, err := store.OpenEpochFile(filepath.Join(cfg.StorePathRootDir, store.EpochFileName))
	if err != nil {
		return err
	}
	cm := &controllerMode{b: b, epochs: ef, clients: map[string]*transport.Client{},
		idPath: filepath.Join(cfg.StorePathRootDir, "config", "controllerBrokerId"), masterRole: cfg.BrokerRole}
	if cm.masterRole != "ASYNC_MASTER" {
		cm.masterRole = "SYNC_MASTER"
	}
	if data, err := os.ReadFile(cm.idPath); err == nil {
		if cm.id, err = strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64); err != nil {
			return fmt.Errorf("%s: %w", cm.idPath, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	b.haMaster.SetEpochs(ef)
	if cm.id > 0 {
		b.haSlave.SetIdentity(cm.id, ef)
	}
	b.ctl = cm
	cm.swapRole("SLAVE", max(cm.id, 1))
	return nil
}

// controllerReady reports whether the broker may register with the
// NameServers: always outside controller mode, else once it has a role.
func (b *Broker) controllerReady() bool { return b.ctl == nil || b.ctl.ready.Load() }

// swapRole installs a configuration copy with brokerRole and brokerId.
func (cm *controllerMode) swapRole(role string, id int64) {
	b := cm.b
	b.cfgMu.Lock()
	defer b.cfgMu.Unlock()
	c := *b.conf()
	if c.BrokerRole == role && c.BrokerID == id {
		return
	}
	c.BrokerRole, c.BrokerID = role, id
	b.cfg.Store(&c)
	b.cfgVersion.Add(1)
	b.cfgTime.Store(time.Now().UnixMilli())
}

func (cm *controllerMode) loop() {
	b := cm.b
	defer b.wg.Done()
	defer func() {
		for _, c := range cm.clients {
			c.Close()
		}
	}()
	t := time.NewTicker(b.conf().heartbeatInterval())
	defer t.Stop()
	for {
		cm.tick()
		select {
		case <-b.stop:
			return
		case <-t.C:
		}
	}
}

func (cm *controllerMode) tick() {
	log := cm.b.log
	if err := cm.ensureID(); err != nil {
		log.Warn("controller: no brokerId yet", "err", err)
		cm.checkFence()
		return
	}
	cm.heartbeat()
	if !cm.registered {
		if err := cm.register(); err != nil {
			log.Warn("controller: register failed", "err", err)
			cm.checkFence()
			return
		}
	}
	info, err := cm.replicaInfo()
	if err != nil {
		log.Warn("controller: replica info failed", "err", err)
		cm.checkFence()
		return
	}
	cm.lastContact = time.Now()
	cm.apply(info)
	if cm.role.Load() == roleMaster {
		cm.reportSyncStateSet()
	}
}

// call invokes req on the controller at addr.
func (cm *controllerMode) call(addr string, req *wire.Command) (*wire.Command, error) {
	timeout := min(3*time.Second, max(cm.b.conf().heartbeatInterval()*2, 500*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c := cm.clients[addr]
	if c == nil || c.Err() != nil {
		if c != nil {
			c.Close()
		}
		var err error
		if c, err = transport.Dial(ctx, addr); err != nil {
			delete(cm.clients, addr)
			return nil, err
		}
		cm.clients[addr] = c
	}
	resp, err := c.Invoke(ctx, req)
	if err != nil && c.Err() != nil {
		// A broken connection is dropped; a slow answer is not: closing
		// the connection that carries a master's heartbeats would make
		// the controller take the master for dead.
		c.Close()
		delete(cm.clients, addr)
	}
	return resp, err
}

func (cm *controllerMode) addrs() []string {
	var out []string
	for a := range strings.SplitSeq(cm.b.conf().ControllerAddr, ";") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// callLeader invokes req on the controller leader, finding it first.
func (cm *controllerMode) callLeader(req *wire.Command) (*wire.Command, error) {
	if cm.leader == "" {
		cm.findLeader()
	}
	if cm.leader == "" {
		return nil, errNoLeader
	}
	resp, err := cm.call(cm.leader, req)
	if err != nil {
		cm.leader = ""
		return nil, err
	}
	if resp.ResponseCode() == wire.ControllerNotLeader {
		cm.leader = ""
		return nil, fmt.Errorf("%w: %s", errNoLeader, resp.Remark)
	}
	return resp, nil
}

// findLeader asks the controllers for the leader (GET_METADATA_INFO).
func (cm *controllerMode) findLeader() {
	for _, a := range cm.addrs() {
		resp, err := cm.call(a, wire.NewRequest(wire.ControllerGetMetadataInfo))
		if err != nil || resp.ResponseCode() != wire.Success {
			continue
		}
		if resp.ExtValue("isLeader") == "true" {
			cm.leader = a
			return
		}
		if l := resp.ExtValue("controllerLeaderAddress"); l != "" {
			cm.leader = l
			return
		}
	}
}

func (cm *controllerMode) setFields() []wire.Field {
	cfg := cm.b.conf()
	return []wire.Field{{Key: "clusterName", Value: cfg.BrokerClusterName}, {Key: "brokerName", Value: cfg.BrokerName}}
}

// ensureID applies for a brokerId once.
func (cm *controllerMode) ensureID() error {
	if cm.id > 0 {
		return nil
	}
	resp, err := cm.callLeader(wire.NewRequest(wire.ControllerGetNextBrokerId, cm.setFields()...))
	if err != nil {
		return err
	}
	if resp.ResponseCode() != wire.Success {
		return fmt.Errorf("GET_NEXT_BROKER_ID: %v %s", resp.ResponseCode(), resp.Remark)
	}
	next, err := strconv.ParseInt(resp.ExtValue("nextBrokerId"), 10, 64)
	if err != nil {
		return fmt.Errorf("nextBrokerId %q", resp.ExtValue("nextBrokerId"))
	}
	code := cm.b.Addr() + ";" + strconv.FormatInt(time.Now().UnixMilli(), 10)
	resp, err = cm.callLeader(wire.NewRequest(wire.ControllerApplyBrokerId, append(cm.setFields(),
		wire.Field{Key: "appliedBrokerId", Value: strconv.FormatInt(next, 10)},
		wire.Field{Key: "registerCheckCode", Value: code})...))
	if err != nil {
		return err
	}
	if resp.ResponseCode() != wire.Success {
		return fmt.Errorf("APPLY_BROKER_ID %d: %v %s", next, resp.ResponseCode(), resp.Remark)
	}
	if err := store.WriteFileAtomic(cm.idPath, []byte(strconv.FormatInt(next, 10)+"\n")); err != nil {
		return err
	}
	cm.id = next
	cm.b.haSlave.SetIdentity(next, cm.epochs)
	cm.b.log.Info("controller: brokerId applied", "brokerId", next)
	return nil
}

func (cm *controllerMode) register() error {
	resp, err := cm.callLeader(wire.NewRequest(wire.ControllerRegisterBroker, append(cm.setFields(),
		wire.Field{Key: "brokerId", Value: strconv.FormatInt(cm.id, 10)},
		wire.Field{Key: "brokerAddress", Value: cm.b.Addr()},
		wire.Field{Key: "invokeTime", Value: strconv.FormatInt(time.Now().UnixMilli(), 10)})...))
	if err != nil {
		return err
	}
	switch resp.ResponseCode() {
	case wire.Success:
		cm.registered = true
		return nil
	case wire.ControllerBrokerNeedToBeRegistered:
		cm.id = 0 // the controller does not know the id: apply again
	}
	return fmt.Errorf("REGISTER_BROKER: %v %s", resp.ResponseCode(), resp.Remark)
}

// heartbeat sends BROKER_HEARTBEAT to every controller in parallel.
func (cm *controllerMode) heartbeat() {
	cfg := cm.b.conf()
	end := cm.b.store.MaxPhyOffset()
	fields := append(cm.setFields(),
		wire.Field{Key: "brokerAddr", Value: cm.b.Addr()},
		wire.Field{Key: "brokerId", Value: strconv.FormatInt(cm.id, 10)},
		wire.Field{Key: "epoch", Value: strconv.FormatInt(int64(cm.epochs.LastEpoch()), 10)},
		wire.Field{Key: "maxOffset", Value: strconv.FormatInt(end, 10)},
		wire.Field{Key: "confirmOffset", Value: strconv.FormatInt(end, 10)},
		wire.Field{Key: "heartbeatTimeoutMills", Value: strconv.FormatInt(cfg.ControllerHeartBeatTimeoutMills, 10)},
		wire.Field{Key: "electionPriority", Value: strconv.FormatInt(int64(cfg.BrokerElectionPriority), 10)})
	addrs := cm.addrs()
	clients := make([]*transport.Client, len(addrs))
	// Dial in the loop (clients is the loop's), send in parallel.
	for i, a := range addrs {
		if c := cm.clients[a]; c != nil && c.Err() == nil {
			clients[i] = c
		}
	}
	var wg sync.WaitGroup
	for i, a := range addrs {
		if clients[i] == nil {
			// Unknown or broken: one dial attempt through call.
			if _, err := cm.call(a, wire.NewRequest(wire.BrokerHeartbeat, fields...)); err != nil {
				cm.b.log.Debug("controller heartbeat failed", "controller", a, "err", err)
			}
			continue
		}
		wg.Add(1)
		go func(c *transport.Client) {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), cfg.heartbeatInterval()*2)
			defer cancel()
			_, _ = c.Invoke(ctx, wire.NewRequest(wire.BrokerHeartbeat, fields...))
		}(clients[i])
	}
	wg.Wait()
}

func (cm *controllerMode) replicaInfo() (replicaInfo, error) {
	resp, err := cm.callLeader(wire.NewRequest(wire.ControllerGetReplicaInfo,
		wire.Field{Key: "brokerName", Value: cm.b.conf().BrokerName}))
	if err != nil {
		return replicaInfo{}, err
	}
	if resp.ResponseCode() != wire.Success {
		if resp.ResponseCode() == wire.ControllerBrokerMetadataNotExist {
			cm.registered = false
			cm.id = 0
		}
		return replicaInfo{}, fmt.Errorf("GET_REPLICA_INFO: %v %s", resp.ResponseCode(), resp.Remark)
	}
	return parseReplicaInfo(resp)
}

func parseReplicaInfo(resp *wire.Command) (replicaInfo, error) {
	info := replicaInfo{master: noMaster, masterAddr: resp.ExtValue("masterAddress")}
	if v := resp.ExtValue("masterBrokerId"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return info, fmt.Errorf("masterBrokerId %q", v)
		}
		info.master = id
	}
	if v := resp.ExtValue("masterEpoch"); v != "" {
		e, err := strconv.ParseInt(v, 10, 32)
		if err != nil {
			return info, fmt.Errorf("masterEpoch %q", v)
		}
		info.epoch = int32(e)
	}
	var body struct {
		SyncStateSet      []int64 `json:"syncStateSet"`
		SyncStateSetEpoch int32   `json:"syncStateSetEpoch"`
	}
	if len(resp.Body) > 0 {
		if err := json.Unmarshal(resp.Body, &body); err != nil {
			return info, fmt.Errorf("SyncStateSet body: %w", err)
		}
	}
	info.set, info.setEpoch = body.SyncStateSet, body.SyncStateSetEpoch
	return info, nil
}

// apply acts on the leader's view of the broker set.
func (cm *controllerMode) apply(info replicaInfo) {
	switch {
	case info.master == noMaster:
		if cm.role.Load() == roleMaster {
			cm.fence("the controller names no master")
		}
		if len(info.set) == 0 || slices.Contains(info.set, cm.id) {
			cm.electMaster()
		}
	case info.master == cm.id:
		if cm.role.Load() != roleMaster || cm.masterEpoch != info.epoch {
			cm.becomeMaster(info)
		}
	default:
		if cm.role.Load() != roleSlave || cm.masterEpoch != info.epoch || cm.b.MasterAddr() != info.masterAddr {
			cm.becomeSlave(info)
		}
	}
}

// electMaster asks the leader to elect a master (CONTROLLER_ELECT_MASTER)
// and acts on the answer.
func (cm *controllerMode) electMaster() {
	resp, err := cm.callLeader(wire.NewRequest(wire.ControllerElectMaster, append(cm.setFields(),
		wire.Field{Key: "brokerId", Value: strconv.FormatInt(cm.id, 10)},
		wire.Field{Key: "designateElect", Value: "false"},
		wire.Field{Key: "invokeTime", Value: strconv.FormatInt(time.Now().UnixMilli(), 10)})...))
	if err != nil {
		cm.b.log.Warn("controller: elect master failed", "err", err)
		return
	}
	if c := resp.ResponseCode(); c != wire.Success && c != wire.ControllerMasterStillExist {
		cm.b.log.Info("controller: no master elected", "code", c, "remark", resp.Remark)
		return
	}
	var body struct {
		SyncStateSet []int64 `json:"syncStateSet"`
	}
	_ = json.Unmarshal(resp.Body, &body)
	info, err := parseReplicaInfo(&wire.Command{Ext: resp.Ext})
	if err != nil || info.master == noMaster {
		return
	}
	info.set = body.SyncStateSet
	if v, err := strconv.ParseInt(resp.ExtValue("syncStateSetEpoch"), 10, 32); err == nil {
		info.setEpoch = int32(v)
	}
	cm.apply(info)
}

// becomeMaster takes over writes as the master of info.epoch.
func (cm *controllerMode) becomeMaster(info replicaInfo) {
	b := cm.b
	b.haSlave.Detach()
	if err := cm.epochs.Append(info.epoch, b.store.MaxPhyOffset()); err != nil {
		b.log.Error("controller: epoch file", "err", err)
		return
	}
	cm.syncSet, cm.setEpoch = slices.Clone(info.set), info.setEpoch
	cm.joining, cm.lastEnd = map[int64]int64{}, -1
	b.haMaster.SetSyncStateSet(without(cm.syncSet, cm.id))
	b.store.SetReplication(b.haMaster)
	b.store.SetSlave(false)
	empty := ""
	b.masterAddr.Store(&empty)
	cm.swapRole(cm.masterRole, 0)
	cm.masterEpoch = info.epoch
	cm.role.Store(roleMaster)
	cm.ready.Store(true)
	b.log.Warn("controller: this broker is master", "brokerId", cm.id, "masterEpoch", info.epoch,
		"syncStateSet", info.set, "maxPhyOffset", b.store.MaxPhyOffset())
	b.triggerRegister()
}

// becomeSlave stops writes and follows the master of info.epoch.
func (cm *controllerMode) becomeSlave(info replicaInfo) {
	b := cm.b
	b.store.SetSlave(true)
	b.store.SetReplication(nil)
	b.haMaster.SetSyncStateSet(nil)
	b.haMaster.DropSlaves()
	cm.swapRole("SLAVE", cm.id)
	addr := info.masterAddr
	b.masterAddr.Store(&addr)
	b.haSlave.SetMasterAddr(haAddrOf(addr))
	cm.masterEpoch = info.epoch
	cm.role.Store(roleSlave)
	cm.ready.Store(true)
	b.log.Warn("controller: this broker is a slave", "brokerId", cm.id, "master", addr, "masterEpoch", info.epoch)
	select {
	case b.slaveSyncNow <- struct{}{}:
	default:
	}
	b.triggerRegister()
}

// checkFence stops a master's writes once the leader has been out of
// reach for the heartbeat timeout.
func (cm *controllerMode) checkFence() {
	if cm.role.Load() == roleMaster && time.Since(cm.lastContact) > cm.b.conf().controllerTimeout() {
		cm.fence("no answer from the controller leader for " + cm.b.conf().controllerTimeout().String())
	}
}

// fence makes a master refuse writes and register as a slave.
func (cm *controllerMode) fence(why string) {
	b := cm.b
	b.store.SetSlave(true)
	b.store.SetReplication(nil)
	b.haMaster.SetSyncStateSet(nil)
	cm.swapRole("SLAVE", cm.id)
	cm.role.Store(roleNone)
	cm.masterEpoch = 0
	b.log.Warn("controller: master fenced; refusing writes", "reason", why)
	b.triggerRegister()
}

// reportSyncStateSet keeps the SyncStateSet true to the slaves (Java's
// AutoSwitchHAService.maybeShrinkSyncStateSet / maybeExpandInSyncStateSet),
// reporting every change to the controller:
//   - a member that disconnected or fell more than haMaxGapNotInSync
//     behind leaves the set;
//   - a slave joins in two steps, so no message acknowledged without it
//     is missing on it once it counts for elections: when it has caught
//     up with where the log ended at the previous round, sync sends start
//     waiting for it and the log's end E is noted; once it acknowledges E,
//     the master asks the controller to add it.
//
// Sync sends wait for the confirmed set, the pending joiners and, while
// a change is at the controller, the members it would drop.
func (cm *controllerMode) reportSyncStateSet() {
	b := cm.b
	end := b.store.MaxPhyOffset()
	gap := b.conf().haConfig().MaxGapNotInSync
	acks := map[int64]int64{}
	for _, s := range b.haMaster.Slaves() {
		if s.BrokerID > 0 && s.AckOffset >= 0 && end-s.AckOffset <= gap {
			acks[s.BrokerID] = max(acks[s.BrokerID], s.AckOffset)
		}
	}
	lastEnd := cm.lastEnd
	cm.lastEnd = end
	if cm.joining == nil {
		cm.joining = map[int64]int64{}
	}
	want := []int64{cm.id}
	for _, id := range cm.syncSet {
		if _, ok := acks[id]; ok && id != cm.id {
			want = append(want, id)
		}
	}
	var fresh []int64
	for id, ack := range acks {
		if slices.Contains(cm.syncSet, id) {
			continue
		}
		mark, pending := cm.joining[id]
		switch {
		case !pending && lastEnd >= 0 && ack >= lastEnd:
			fresh = append(fresh, id)
		case pending && mark >= 0 && ack >= mark:
			want = append(want, id)
		}
	}
	for id := range cm.joining {
		if _, ok := acks[id]; !ok {
			delete(cm.joining, id) // gone again: start over
		}
	}
	if len(fresh) > 0 {
		for _, id := range fresh {
			cm.joining[id] = -1
		}
		cm.applyWaitSet(nil)
		mark := b.store.MaxPhyOffset() // after sync sends began to wait for them
		for _, id := range fresh {
			cm.joining[id] = mark
		}
	}
	slices.Sort(want)
	if slices.Equal(want, cm.syncSet) {
		return
	}
	cm.applyWaitSet(want)
	body, _ := json.Marshal(struct {
		SyncStateSet      []int64 `json:"syncStateSet"`
		SyncStateSetEpoch int32   `json:"syncStateSetEpoch"`
	}{want, cm.setEpoch})
	req := wire.NewRequest(wire.ControllerAlterSyncStateSet,
		wire.Field{Key: "brokerName", Value: b.conf().BrokerName},
		wire.Field{Key: "masterBrokerId", Value: strconv.FormatInt(cm.id, 10)},
		wire.Field{Key: "masterEpoch", Value: strconv.FormatInt(int64(cm.masterEpoch), 10)},
		wire.Field{Key: "invokeTime", Value: strconv.FormatInt(time.Now().UnixMilli(), 10)})
	req.Body = body
	resp, err := cm.callLeader(req)
	if err != nil || resp.ResponseCode() != wire.Success {
		cm.applyWaitSet(nil)
		remark := ""
		if resp != nil {
			remark = resp.Remark
		}
		b.log.Warn("controller: SyncStateSet change refused", "want", want, "err", err, "remark", remark)
		return
	}
	ep, _ := strconv.ParseInt(resp.ExtValue("newSyncStateSetEpoch"), 10, 32)
	b.log.Info("controller: SyncStateSet changed", "from", cm.syncSet, "to", want, "syncStateSetEpoch", ep)
	cm.syncSet, cm.setEpoch = want, int32(ep)
	for _, id := range want {
		delete(cm.joining, id)
	}
	cm.applyWaitSet(nil)
}

// applyWaitSet makes sync sends wait for the confirmed set, the joining
// slaves and the members of proposed (a change in flight).
func (cm *controllerMode) applyWaitSet(proposed []int64) {
	ids := slices.Clone(cm.syncSet)
	for id := range cm.joining {
		ids = append(ids, id)
	}
	ids = append(ids, proposed...)
	slices.Sort(ids)
	cm.b.haMaster.SetSyncStateSet(without(slices.Compact(ids), cm.id))
}

// without returns ids less self (never nil).
func without(ids []int64, self int64) []int64 {
	out := []int64{}
	for _, id := range ids {
		if id != self {
			out = append(out, id)
		}
	}
	return out
}

// haAddrOf is a master's HA address: its remoting port + 1.
func haAddrOf(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return ""
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return ""
	}
	return net.JoinHostPort(host, strconv.Itoa(p+1))
}
