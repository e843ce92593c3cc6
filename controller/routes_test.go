package controller

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func invoke(t *testing.T, cl *transport.Client, code wire.RequestCode, body []byte, kv ...string) *wire.Command {
	t.Helper()
	var fields []wire.Field
	for i := 0; i+1 < len(kv); i += 2 {
		fields = append(fields, wire.Field{Key: kv[i], Value: kv[i+1]})
	}
	req := wire.NewRequest(code, fields...)
	req.Body = body
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cl.Invoke(ctx, req)
	if err != nil {
		t.Fatalf("%v: %v", code, err)
	}
	return resp
}

func wantCode(t *testing.T, resp *wire.Command, code wire.ResponseCode) {
	t.Helper()
	if resp.ResponseCode() != code {
		t.Fatalf("code %v (%s), want %v", resp.ResponseCode(), resp.Remark, code)
	}
}

// TestControllerOverRemoting drives a one-node controller built by New
// (bbolt log, file snapshots, TCP raft transport) through its request
// codes, then restarts it from disk.
func TestControllerOverRemoting(t *testing.T) {
	port := testutil.FreePort(t, 2)
	cfg := DefaultConfig()
	cfg.Peers = fmt.Sprintf("n0-127.0.0.1:%d", port)
	cfg.SelfID = "n0"
	cfg.StorePath = t.TempDir()
	cfg.ScanNotActiveBrokerInterval = 100 * time.Millisecond
	log := slog.New(slog.DiscardHandler)
	start := func() (*Controller, *transport.Client) {
		c, err := New(cfg, log)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		testutil.Eventually(t, 10*time.Second, "leader", func() bool { return c.IsLeader() && c.leader.Load() })
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		cl, err := transport.Dial(ctx, c.Addr())
		if err != nil {
			t.Fatal(err)
		}
		return c, cl
	}
	c, cl := start()

	resp := invoke(t, cl, wire.ControllerGetMetadataInfo, nil)
	wantCode(t, resp, wire.Success)
	equal(t, resp.ExtValue("isLeader"), "true")
	equal(t, resp.ExtValue("controllerLeaderAddress"), c.Addr())

	set := []string{"clusterName", "c", "brokerName", "bs"}
	addrs := map[int64]string{}
	for range 2 {
		resp = invoke(t, cl, wire.ControllerGetNextBrokerId, nil, set...)
		wantCode(t, resp, wire.Success)
		id, _ := strconv.ParseInt(resp.ExtValue("nextBrokerId"), 10, 64)
		addr := fmt.Sprintf("127.0.0.1:%d", 10911+id)
		addrs[id] = addr
		wantCode(t, invoke(t, cl, wire.ControllerApplyBrokerId, nil, append(set, "appliedBrokerId", strconv.FormatInt(id, 10),
			"registerCheckCode", addr+";1")...), wire.Success)
		beat := append(set, "brokerAddr", addr, "brokerId", strconv.FormatInt(id, 10), "heartbeatTimeoutMills", "10000")
		wantCode(t, invoke(t, cl, wire.BrokerHeartbeat, nil, beat...), wire.Success)
		resp = invoke(t, cl, wire.ControllerRegisterBroker, nil, append(set, "brokerId", strconv.FormatInt(id, 10), "brokerAddress", addr)...)
		wantCode(t, resp, wire.Success)
		if !strings.Contains(string(resp.Body), `"syncStateSet":[]`) { // Java's SyncStateSet refuses null
			t.Fatalf("register body before any master: %s", resp.Body)
		}
	}
	if len(addrs) != 2 || addrs[1] == "" || addrs[2] == "" {
		t.Fatalf("brokerIds %v", addrs)
	}
	wantCode(t, invoke(t, cl, wire.ControllerApplyBrokerId, nil, append(set, "appliedBrokerId", "1", "registerCheckCode", "10.9.9.9:1;2")...),
		wire.ControllerBrokerIdInvalid)
	wantCode(t, invoke(t, cl, wire.ControllerRegisterBroker, nil, append(set, "brokerId", "9", "brokerAddress", "x:1")...),
		wire.ControllerBrokerNeedToBeRegistered)

	// The first election takes the requester; a second one keeps it.
	resp = invoke(t, cl, wire.ControllerElectMaster, nil, append(set, "brokerId", "1", "designateElect", "true")...)
	wantCode(t, resp, wire.Success)
	equal(t, resp.ExtValue("masterBrokerId"), "1")
	equal(t, resp.ExtValue("masterEpoch"), "1")
	resp = invoke(t, cl, wire.ControllerElectMaster, nil, append(set, "brokerId", "2")...)
	wantCode(t, resp, wire.ControllerMasterStillExist)
	equal(t, resp.ExtValue("masterAddress"), addrs[1])

	body, _ := json.Marshal(SyncStateSetBody{SyncStateSet: []int64{1, 2}, SyncStateSetEpoch: 1})
	resp = invoke(t, cl, wire.ControllerAlterSyncStateSet, body, "brokerName", "bs", "masterBrokerId", "1", "masterEpoch", "1")
	wantCode(t, resp, wire.Success)
	equal(t, resp.ExtValue("newSyncStateSetEpoch"), "2")
	resp = invoke(t, cl, wire.ControllerAlterSyncStateSet, body, "brokerName", "bs", "masterBrokerId", "1", "masterEpoch", "1")
	wantCode(t, resp, wire.ControllerFencedSyncStateSetEpoch)

	resp = invoke(t, cl, wire.ControllerGetReplicaInfo, nil, "brokerName", "bs")
	wantCode(t, resp, wire.Success)
	var ss SyncStateSetBody
	if err := json.Unmarshal(resp.Body, &ss); err != nil || len(ss.SyncStateSet) != 2 || ss.SyncStateSetEpoch != 2 {
		t.Fatalf("replica info body %s: %v", resp.Body, err)
	}
	wantCode(t, invoke(t, cl, wire.ControllerGetReplicaInfo, nil, "brokerName", "nope"), wire.ControllerBrokerMetadataNotExist)

	resp = invoke(t, cl, wire.ControllerGetSyncStateData, []byte(`["bs","nope"]`))
	wantCode(t, resp, wire.Success)
	var ssd struct {
		ReplicasInfoTable map[string]ReplicasInfo `json:"replicasInfoTable"`
	}
	if err := json.Unmarshal(resp.Body, &ssd); err != nil {
		t.Fatal(err)
	}
	bs, ok := ssd.ReplicasInfoTable["bs"]
	if !ok || len(ssd.ReplicasInfoTable) != 1 || bs.MasterBrokerID == nil || *bs.MasterBrokerID != 1 ||
		len(bs.InSyncReplicas) != 2 || !bs.InSyncReplicas[0].Alive || bs.InSyncReplicas[1].BrokerAddress != addrs[2] {
		t.Fatalf("sync state data %s", resp.Body)
	}

	// Master 1 closes its connection: replica 2 (heartbeating on another
	// connection) is elected at once.
	cl2, err := transport.Dial(context.Background(), c.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer cl2.Close()
	stopBeat := make(chan struct{})
	beatDone := make(chan struct{})
	go func() {
		defer close(beatDone)
		for {
			select {
			case <-stopBeat:
				return
			case <-time.After(100 * time.Millisecond):
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			_, _ = cl2.Invoke(ctx, wire.NewRequest(wire.BrokerHeartbeat, wire.Field{Key: "clusterName", Value: "c"},
				wire.Field{Key: "brokerName", Value: "bs"}, wire.Field{Key: "brokerAddr", Value: addrs[2]},
				wire.Field{Key: "brokerId", Value: "2"}, wire.Field{Key: "heartbeatTimeoutMills", Value: "1000"}))
			cancel()
		}
	}()
	testutil.Eventually(t, 5*time.Second, "replica 2 heartbeats on its own connection", func() bool {
		info, ok := c.live.info(replicaKey{"c", "bs", 2})
		return ok && info.conn != 0 && time.Since(info.LastSeen) < 50*time.Millisecond
	})
	time.Sleep(150 * time.Millisecond)
	cl.Close()
	testutil.Eventually(t, 5*time.Second, "replica 2 elected", func() bool {
		s := c.BrokerSet("bs")
		return s.MasterID == 2 && s.MasterEpoch == 2
	})
	close(stopBeat)
	<-beatDone

	// The state survives a restart (raft log and snapshot on disk).
	if err := c.raft.Snapshot().Error(); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c, cl = start()
	defer c.Close()
	defer cl.Close()
	s := c.BrokerSet("bs")
	if s == nil || s.MasterID != 2 || s.MasterEpoch != 2 || len(s.Replicas) != 2 {
		t.Fatalf("after restart: %+v", s)
	}
}
