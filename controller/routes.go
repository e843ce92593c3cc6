package controller

// The controller's requests (Java's ControllerRequestProcessor), served
// on each controller's controllerPeers address. Only the raft leader
// answers them, except BROKER_HEARTBEAT and CONTROLLER_GET_METADATA_INFO;
// another controller answers CONTROLLER_NOT_LEADER (2007), and a broker
// asks GET_METADATA_INFO to find the leader.
//
// Headers and bodies (Apache's header/controller classes):
//   - BROKER_HEARTBEAT (904): clusterName, brokerAddr, brokerName,
//     brokerId, epoch, maxOffset, confirmOffset, heartbeatTimeoutMills,
//     electionPriority. Answered SUCCESS by every controller.
//   - CONTROLLER_ALTER_SYNC_STATE_SET (1001): brokerName, masterBrokerId,
//     masterEpoch; body SyncStateSet {syncStateSet, syncStateSetEpoch}.
//     Response newSyncStateSetEpoch and the new SyncStateSet body; 2000,
//     2001, 2002, 2003 when fenced or invalid.
//   - CONTROLLER_ELECT_MASTER (1002): clusterName, brokerName, brokerId,
//     designateElect. Response masterBrokerId, masterAddress, masterEpoch,
//     syncStateSetEpoch, body ElectMasterResponseBody {brokerMemberGroup,
//     syncStateSet}; 2011 CONTROLLER_MASTER_STILL_EXIST (with the master)
//     when the live master stays, 2004 when nobody can be master.
//   - CONTROLLER_REGISTER_BROKER (1003): clusterName, brokerName, brokerId,
//     brokerAddress. Response clusterName, brokerName, masterBrokerId,
//     masterAddress, masterEpoch, syncStateSetEpoch (master fields absent
//     without a master); body SyncStateSet. 2010 for an unknown brokerId.
//   - CONTROLLER_GET_REPLICA_INFO (1004): brokerName. Response
//     masterBrokerId, masterAddress, masterEpoch; body SyncStateSet.
//   - CONTROLLER_GET_METADATA_INFO (1005): response group,
//     controllerLeaderId, controllerLeaderAddress, isLeader, peers.
//   - CONTROLLER_GET_SYNC_STATE_DATA (1006): body a JSON list of
//     brokerNames. Response body BrokerReplicasInfo {replicasInfoTable:
//     {brokerName: {masterBrokerId, masterAddress, masterEpoch,
//     syncStateSetEpoch, inSyncReplicas, notInSyncReplicas}}}, each replica
//     {brokerName, brokerId, brokerAddress, alive} (mqadmin getSyncStateSet).
//   - CONTROLLER_GET_NEXT_BROKER_ID (1012): clusterName, brokerName.
//     Response clusterName, brokerName, nextBrokerId.
//   - CONTROLLER_APPLY_BROKER_ID (1013): clusterName, brokerName,
//     appliedBrokerId, registerCheckCode ("address;timestamp"). 2014 when
//     the id belongs to another broker.
//   - CLEAN_BROKER_DATA (1011): clusterName, brokerName, brokerIdSetToClean
//     (";"-separated; empty cleans the whole set).
//
// Differences: reads on the leader come from its state machine without a
// read barrier; NOTIFY_BROKER_ROLE_CHANGED is not sent (brokers poll
// CONTROLLER_GET_REPLICA_INFO every heartbeat).

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (c *Controller) routes() []transport.Route {
	return []transport.Route{
		{Code: wire.BrokerHeartbeat, Handler: c.brokerHeartbeat, Class: transport.Admin},                             // 904
		{Code: wire.ControllerAlterSyncStateSet, Handler: c.leaderOnly(c.alterSyncStateSet), Class: transport.Admin}, // 1001
		{Code: wire.ControllerElectMaster, Handler: c.leaderOnly(c.electMaster), Class: transport.Admin},             // 1002
		{Code: wire.ControllerRegisterBroker, Handler: c.leaderOnly(c.registerBroker), Class: transport.Admin},       // 1003
		{Code: wire.ControllerGetReplicaInfo, Handler: c.leaderOnly(c.getReplicaInfo), Class: transport.Admin},       // 1004
		{Code: wire.ControllerGetMetadataInfo, Handler: c.getMetadataInfo, Class: transport.Admin},                   // 1005
		{Code: wire.ControllerGetSyncStateData, Handler: c.leaderOnly(c.getSyncStateData), Class: transport.Admin},   // 1006
		{Code: wire.CleanBrokerData, Handler: c.leaderOnly(c.cleanBrokerData), Class: transport.Admin},               // 1011
		{Code: wire.ControllerGetNextBrokerId, Handler: c.leaderOnly(c.getNextBrokerID), Class: transport.Admin},     // 1012
		{Code: wire.ControllerApplyBrokerId, Handler: c.leaderOnly(c.applyBrokerID), Class: transport.Admin},         // 1013
	}
}

// SyncStateSetBody is the SyncStateSet body (Java's SyncStateSet).
type SyncStateSetBody struct {
	// SyncStateSet is the in-sync brokerIds.
	SyncStateSet []int64 `json:"syncStateSet"`
	// SyncStateSetEpoch is its epoch.
	SyncStateSetEpoch int32 `json:"syncStateSetEpoch"`
}

// BrokerMemberGroup is Java's BrokerMemberGroup body.
type BrokerMemberGroup struct {
	// Cluster is the cluster name.
	Cluster string `json:"cluster"`
	// BrokerName is the broker set.
	BrokerName string `json:"brokerName"`
	// BrokerAddrs maps brokerId to address.
	BrokerAddrs map[int64]string `json:"brokerAddrs"`
}

// ElectMasterResponseBody is Java's ElectMasterResponseBody.
type ElectMasterResponseBody struct {
	// BrokerMemberGroup is the broker set's replicas.
	BrokerMemberGroup BrokerMemberGroup `json:"brokerMemberGroup"`
	// SyncStateSet is the new SyncStateSet.
	SyncStateSet []int64 `json:"syncStateSet"`
}

func (c *Controller) leaderOnly(h transport.Handler) transport.Handler {
	return func(r *transport.Request) *wire.Command {
		if !c.ready() {
			return c.notLeader(r.Cmd)
		}
		return h(r)
	}
}

func (c *Controller) notLeader(req *wire.Command) *wire.Command {
	_, addr := c.Leader()
	return wire.NewResponse(req, wire.ControllerNotLeader, "The controller is not in leader state, leader: "+addr)
}

// errResponse maps a state-change error to its response code.
func (c *Controller) errResponse(req *wire.Command, err error) *wire.Command {
	code := wire.SystemError
	switch {
	case errors.Is(err, ErrNotLeader):
		return c.notLeader(req)
	case errors.Is(err, ErrBrokerIDInvalid):
		code = wire.ControllerBrokerIdInvalid
	case errors.Is(err, ErrNeedRegister):
		code = wire.ControllerBrokerNeedToBeRegistered
	case errors.Is(err, ErrFencedMasterEpoch):
		code = wire.ControllerFencedMasterEpoch
	case errors.Is(err, ErrFencedSyncStateSetEpoch):
		code = wire.ControllerFencedSyncStateSetEpoch
	case errors.Is(err, ErrInvalidMaster):
		code = wire.ControllerInvalidMaster
	case errors.Is(err, ErrInvalidReplicas):
		code = wire.ControllerInvalidReplicas
	case errors.Is(err, ErrMasterNotAvailable):
		code = wire.ControllerMasterNotAvailable
	case errors.Is(err, ErrInvalidRequest):
		code = wire.ControllerInvalidRequest
	case errors.Is(err, errMasterStillExists):
		code = wire.ControllerMasterStillExist
	}
	return wire.NewResponse(req, code, err.Error())
}

func jsonBody(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("{}")
	}
	return b
}

// setMaster writes the master fields of s into resp (none without a master).
func setMaster(resp *wire.Command, s *BrokerSet) {
	if s == nil {
		return
	}
	if s.MasterID != NoMaster {
		resp.SetExtInt("masterBrokerId", s.MasterID)
		resp.SetExt("masterAddress", s.MasterAddr())
	}
	resp.SetExtInt("masterEpoch", int64(s.MasterEpoch))
	resp.SetExtInt("syncStateSetEpoch", int64(s.SyncStateSetEpoch))
}

// syncStateSetBody is s's SyncStateSet body; an empty set is [] (Java's
// SyncStateSet constructor fails on null).
func syncStateSetBody(s *BrokerSet) []byte {
	return jsonBody(SyncStateSetBody{SyncStateSet: nonNil(s.SyncStateSet), SyncStateSetEpoch: s.SyncStateSetEpoch})
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func (c *Controller) brokerHeartbeat(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	k := replicaKey{cluster: h.String("clusterName", true), name: h.String("brokerName", true)}
	addr := h.String("brokerAddr", true)
	k.id = h.Int64("brokerId", false)
	info := LiveInfo{Addr: addr, LastSeen: time.Now(),
		Timeout:       time.Duration(h.Int64("heartbeatTimeoutMills", false)) * time.Millisecond,
		Epoch:         h.Int32("epoch", false),
		MaxOffset:     h.Int64("maxOffset", false),
		ConfirmOffset: h.Int64("confirmOffset", false),
		Priority:      h.Int32("electionPriority", false)}
	if err := h.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.ControllerInvalidRequest, err.Error())
	}
	if r.Conn != nil {
		info.conn = r.Conn.ID()
	}
	c.live.beat(k, info)
	return wire.NewResponse(r.Cmd, wire.Success, "")
}

func (c *Controller) alterSyncStateSet(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	name := h.String("brokerName", true)
	master := h.Int64("masterBrokerId", true)
	epoch := h.Int32("masterEpoch", true)
	if err := h.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.ControllerInvalidRequest, err.Error())
	}
	var body SyncStateSetBody
	if err := json.Unmarshal(r.Cmd.Body, &body); err != nil {
		return wire.NewResponse(r.Cmd, wire.ControllerInvalidRequest, "bad SyncStateSet body: "+err.Error())
	}
	s, err := c.propose(command{Op: opAlterSyncStateSet, Name: name, MasterID: master, MasterEpoch: epoch,
		Set: body.SyncStateSet, SetEpoch: body.SyncStateSetEpoch})
	if err != nil {
		return c.errResponse(r.Cmd, err)
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.SetExtInt("newSyncStateSetEpoch", int64(s.SyncStateSetEpoch))
	resp.Body = syncStateSetBody(s)
	return resp
}

func (c *Controller) electMaster(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	h.String("clusterName", false)
	name := h.String("brokerName", true)
	id := h.Int64("brokerId", false)
	designate := h.BoolDefault("designateElect", false)
	if err := h.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.ControllerInvalidRequest, err.Error())
	}
	preferred := NoMaster
	if designate {
		preferred = id
	}
	s, err := c.elect(name, preferred)
	var resp *wire.Command
	switch {
	case err == nil:
		resp = wire.NewResponse(r.Cmd, wire.Success, "")
	case s != nil && (errors.Is(err, errMasterStillExists) || errors.Is(err, ErrMasterNotAvailable)):
		resp = c.errResponse(r.Cmd, err)
	default:
		return c.errResponse(r.Cmd, err)
	}
	setMaster(resp, s)
	resp.Body = jsonBody(ElectMasterResponseBody{
		BrokerMemberGroup: BrokerMemberGroup{Cluster: s.Cluster, BrokerName: s.Name, BrokerAddrs: s.Replicas},
		SyncStateSet:      nonNil(s.SyncStateSet)})
	return resp
}

func (c *Controller) registerBroker(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	cluster := h.String("clusterName", true)
	name := h.String("brokerName", true)
	id := h.Int64("brokerId", true)
	addr := h.String("brokerAddress", true)
	if err := h.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.ControllerInvalidRequest, err.Error())
	}
	s := c.fsm.get(name)
	if s == nil || s.Replicas[id] == "" {
		return c.errResponse(r.Cmd, ErrNeedRegister)
	}
	if s.Replicas[id] != addr {
		var err error
		if s, err = c.propose(command{Op: opRegisterBroker, Cluster: cluster, Name: name, ID: id, Addr: addr}); err != nil {
			return c.errResponse(r.Cmd, err)
		}
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.SetExt("clusterName", cluster)
	resp.SetExt("brokerName", name)
	setMaster(resp, s)
	resp.Body = syncStateSetBody(s)
	return resp
}

func (c *Controller) getReplicaInfo(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	name := h.String("brokerName", true)
	if err := h.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.ControllerInvalidRequest, err.Error())
	}
	s := c.fsm.get(name)
	if s == nil {
		return wire.NewResponse(r.Cmd, wire.ControllerBrokerMetadataNotExist, "no broker set "+name)
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	setMaster(resp, s)
	resp.Body = syncStateSetBody(s)
	return resp
}

func (c *Controller) getMetadataInfo(r *transport.Request) *wire.Command {
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	id, addr := c.Leader()
	resp.SetExt("group", "booster-controller")
	resp.SetExt("controllerLeaderId", id)
	resp.SetExt("controllerLeaderAddress", addr)
	resp.SetExt("isLeader", strconv.FormatBool(c.ready()))
	resp.SetExt("peers", c.cfg.Peers)
	return resp
}

func (c *Controller) getNextBrokerID(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	cluster := h.String("clusterName", true)
	name := h.String("brokerName", true)
	if err := h.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.ControllerInvalidRequest, err.Error())
	}
	next := int64(1)
	if s := c.fsm.get(name); s != nil {
		next = s.NextID()
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.SetExt("clusterName", cluster)
	resp.SetExt("brokerName", name)
	resp.SetExtInt("nextBrokerId", next)
	return resp
}

func (c *Controller) applyBrokerID(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	cluster := h.String("clusterName", true)
	name := h.String("brokerName", true)
	id := h.Int64("appliedBrokerId", true)
	code := h.String("registerCheckCode", true)
	if err := h.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.ControllerInvalidRequest, err.Error())
	}
	addr, _, _ := strings.Cut(code, ";")
	if _, err := c.propose(command{Op: opApplyBrokerID, Cluster: cluster, Name: name, ID: id, Addr: addr, CheckCode: code}); err != nil {
		return c.errResponse(r.Cmd, err)
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.SetExt("clusterName", cluster)
	resp.SetExt("brokerName", name)
	return resp
}

func (c *Controller) cleanBrokerData(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	name := h.String("brokerName", true)
	ids := h.String("brokerIdSetToClean", false)
	if err := h.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.ControllerInvalidRequest, err.Error())
	}
	var list []int64
	for f := range strings.SplitSeq(ids, ";") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return wire.NewResponse(r.Cmd, wire.ControllerInvalidCleanBrokerMetadata, "bad brokerId "+f)
		}
		list = append(list, v)
	}
	if len(list) == 0 {
		list = []int64{NoMaster}
	}
	slices.Sort(list)
	for _, id := range list {
		if _, err := c.propose(command{Op: opCleanBrokerData, Name: name, ID: id}); err != nil {
			return c.errResponse(r.Cmd, err)
		}
	}
	return wire.NewResponse(r.Cmd, wire.Success, "")
}

// ReplicaIdentity is Java's BrokerReplicasInfo.ReplicaIdentity.
type ReplicaIdentity struct {
	// BrokerName is the broker set.
	BrokerName string `json:"brokerName"`
	// BrokerID is the replica's brokerId.
	BrokerID int64 `json:"brokerId"`
	// BrokerAddress is its address.
	BrokerAddress string `json:"brokerAddress"`
	// Alive says whether it heartbeats.
	Alive bool `json:"alive"`
}

// ReplicasInfo is Java's BrokerReplicasInfo.ReplicasInfo.
type ReplicasInfo struct {
	// MasterBrokerID is the master's brokerId (absent without a master).
	MasterBrokerID *int64 `json:"masterBrokerId,omitempty"`
	// MasterAddress is the master's address.
	MasterAddress string `json:"masterAddress,omitempty"`
	// MasterEpoch is the master epoch.
	MasterEpoch int32 `json:"masterEpoch"`
	// SyncStateSetEpoch is the SyncStateSet's epoch.
	SyncStateSetEpoch int32 `json:"syncStateSetEpoch"`
	// InSyncReplicas are the members of the SyncStateSet.
	InSyncReplicas []ReplicaIdentity `json:"inSyncReplicas"`
	// NotInSyncReplicas are the other replicas.
	NotInSyncReplicas []ReplicaIdentity `json:"notInSyncReplicas"`
}

func (c *Controller) getSyncStateData(r *transport.Request) *wire.Command {
	var names []string
	if len(r.Cmd.Body) > 0 {
		if err := json.Unmarshal(r.Cmd.Body, &names); err != nil {
			return wire.NewResponse(r.Cmd, wire.ControllerInvalidRequest, "body is not a list of brokerNames: "+err.Error())
		}
	}
	now := time.Now()
	table := map[string]ReplicasInfo{}
	for _, name := range names {
		s := c.fsm.get(name)
		if s == nil {
			continue
		}
		info := ReplicasInfo{MasterAddress: s.MasterAddr(), MasterEpoch: s.MasterEpoch, SyncStateSetEpoch: s.SyncStateSetEpoch,
			InSyncReplicas: []ReplicaIdentity{}, NotInSyncReplicas: []ReplicaIdentity{}}
		if s.MasterID != NoMaster {
			id := s.MasterID
			info.MasterBrokerID = &id
		}
		ids := make([]int64, 0, len(s.Replicas))
		for id := range s.Replicas {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			ri := ReplicaIdentity{BrokerName: name, BrokerID: id, BrokerAddress: s.Replicas[id],
				Alive: c.live.alive(replicaKey{cluster: s.Cluster, name: name, id: id}, now)}
			if slices.Contains(s.SyncStateSet, id) {
				info.InSyncReplicas = append(info.InSyncReplicas, ri)
			} else {
				info.NotInSyncReplicas = append(info.NotInSyncReplicas, ri)
			}
		}
		table[name] = info
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = jsonBody(struct {
		ReplicasInfoTable map[string]ReplicasInfo `json:"replicasInfoTable"`
	}{table})
	return resp
}
