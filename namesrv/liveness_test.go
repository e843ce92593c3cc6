package namesrv

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
)

func TestBrokerRemovedWhenConnectionCloses(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	brokerConn := dial(t, s.Addr(), wire.JSON)
	admin := dial(t, s.Addr(), wire.JSON)
	brokerA().register(t, brokerConn)
	if !routed(t, admin, "TopicA") {
		t.Fatal("no route after registration")
	}
	brokerConn.Close()
	testutil.Eventually(t, 5*time.Second, "route to disappear", func() bool { return !routed(t, admin, "TopicA") })
	if ci := clusterInfo(t, admin); len(ci.BrokerAddrTable) != 0 || len(ci.ClusterAddrTable) != 0 {
		t.Fatalf("cluster info after close: %+v", ci)
	}
}

func TestBrokerExpires(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.ScanNotActiveBrokerInterval = 20 * time.Millisecond })
	brokerConn := dial(t, s.Addr(), wire.JSON)
	admin := dial(t, s.Addr(), wire.JSON)
	b := brokerA()
	b.ext = []wire.Field{f("heartbeatTimeoutMillis", "600")}
	b.register(t, brokerConn)

	// Heartbeats keep it alive past its timeout.
	deadline := time.Now().Add(1200 * time.Millisecond)
	for time.Now().Before(deadline) {
		expectCode(t, call(t, brokerConn, wire.BrokerHeartbeat, nil,
			f("clusterName", b.cluster), f("brokerAddr", b.addr), f("brokerName", b.name), f("brokerId", "0")), wire.Success, "")
		time.Sleep(50 * time.Millisecond)
	}
	if !routed(t, admin, "TopicA") {
		t.Fatal("broker expired despite heartbeats")
	}
	// Silence: expired, and the NameServer closes its connection.
	testutil.Eventually(t, 5*time.Second, "broker to expire", func() bool { return !routed(t, admin, "TopicA") })
	select {
	case <-brokerConn.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("expired broker's connection left open")
	}
}

func TestUnregisterBroker(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	master := brokerA()
	master.register(t, cl)
	slave := brokerA()
	slave.id, slave.addr = 1, "127.0.0.1:10921"
	slave.register(t, cl)
	unregister := func(b fakeBroker) {
		t.Helper()
		expectCode(t, call(t, cl, wire.UnregisterBroker, nil,
			f("brokerName", b.name), f("brokerAddr", b.addr), f("clusterName", b.cluster), f("brokerId", "1")), wire.Success, "")
	}
	unregister(slave)
	rd, _ := route(t, cl, "TopicA")
	if got := rd.BrokerDatas[0].BrokerAddrs; len(got) != 1 || got[0] != master.addr {
		t.Fatalf("brokerAddrs %v", got)
	}
	unregister(master)
	if routed(t, cl, "TopicA") || routed(t, cl, "TBW102") {
		t.Fatal("route left after the last address went")
	}
	if ci := clusterInfo(t, cl); len(ci.BrokerAddrTable) != 0 || len(ci.ClusterAddrTable) != 0 {
		t.Fatalf("cluster info %+v", ci)
	}
	expectCode(t, call(t, cl, wire.UnregisterBroker, nil, f("brokerName", "x")), wire.SystemError, "")
}

func TestUnregisterKeepsTopicsOfOtherGroups(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	a := brokerA()
	a.register(t, cl)
	b := brokerA()
	b.name, b.addr = "broker-b", "127.0.0.1:20911"
	b.topics = append(b.topics, topicConfig("OnlyB", 2, 6))
	b.register(t, cl)
	expectCode(t, call(t, cl, wire.UnregisterBroker, nil,
		f("brokerName", b.name), f("brokerAddr", b.addr), f("clusterName", b.cluster), f("brokerId", "0")), wire.Success, "")
	rd, ok := route(t, cl, "TopicA")
	if !ok || len(rd.QueueDatas) != 1 || rd.QueueDatas[0].BrokerName != "broker-a" || routed(t, cl, "OnlyB") {
		t.Fatalf("route %+v", rd)
	}
}

func TestQueryDataVersion(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	b := brokerA()
	query := func(dv codec.DataVersion) *wire.Command {
		t.Helper()
		resp := call(t, cl, wire.QueryDataVersion, codec.Encode(dv),
			f("brokerName", b.name), f("brokerAddr", b.addr), f("clusterName", b.cluster), f("brokerId", "0"))
		expectCode(t, resp, wire.Success, "")
		return resp
	}
	if resp := query(b.dv); resp.ExtValue("changed") != "true" || len(resp.Body) != 0 {
		t.Fatalf("unregistered: %+v %s", resp.Ext, resp.Body)
	}
	b.register(t, cl)
	resp := query(b.dv)
	var got codec.DataVersion
	if err := json.Unmarshal(resp.Body, &got); err != nil || got != b.dv || resp.ExtValue("changed") != "false" {
		t.Fatalf("same version: %+v %s", resp.Ext, resp.Body)
	}
	next := b.dv
	next.Counter++
	if resp := query(next); resp.ExtValue("changed") != "true" {
		t.Fatalf("new version: %+v", resp.Ext)
	}
}
