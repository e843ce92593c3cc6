package namesrv

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func clusterInfo(t *testing.T, cl *transport.Client) codec.ClusterInfo {
	t.Helper()
	resp := call(t, cl, wire.GetBrokerClusterInfo, nil)
	expectCode(t, resp, wire.Success, "")
	var ci codec.ClusterInfo
	if err := json.Unmarshal(resp.Body, &ci); err != nil {
		t.Fatalf("cluster info %s: %v", resp.Body, err)
	}
	return ci
}

// twoClusters registers broker-a (ClusterA, unit-flagged topics) and
// broker-b (ClusterB).
func twoClusters(t *testing.T, cl *transport.Client) {
	t.Helper()
	a := brokerA()
	a.cluster = "ClusterA"
	unit := func(name string, flag int) *codec.TopicConfig {
		tc := topicConfig(name, 1, 6)
		tc.TopicSysFlag = flag
		return tc
	}
	a.topics = append(a.topics, unit("UnitT", 1), unit("UnitSub", 2), unit("Both", 3))
	a.register(t, cl)
	b := brokerA()
	b.cluster, b.name, b.addr = "ClusterB", "broker-b", "127.0.0.1:20911"
	b.topics = []*codec.TopicConfig{topicConfig("TopicA", 4, 6), topicConfig("TopicB", 4, 6)}
	b.register(t, cl)
}

func expectTopics(t *testing.T, got codec.TopicList, want ...string) {
	t.Helper()
	if !slices.Equal(got.TopicList, want) {
		t.Fatalf("topics %q, want %q", got.TopicList, want)
	}
}

func TestTopicLists(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	resp := call(t, cl, wire.GetAllTopicListFromNameserver, nil)
	if string(resp.Body) != `{"topicList":[]}` {
		t.Fatalf("empty list %s", resp.Body)
	}
	twoClusters(t, cl)
	expectTopics(t, topicList(t, cl, wire.GetAllTopicListFromNameserver), "Both", "TBW102", "TopicA", "TopicB", "UnitSub", "UnitT")
	expectTopics(t, topicList(t, cl, wire.GetTopicsByCluster, f("cluster", "ClusterB")), "TopicA", "TopicB")
	expectTopics(t, topicList(t, cl, wire.GetTopicsByCluster, f("cluster", "Nope")))
	expectTopics(t, topicList(t, cl, wire.GetUnitTopicList), "Both", "UnitT")
	expectTopics(t, topicList(t, cl, wire.GetHasUnitSubTopicList), "Both", "UnitSub")
	expectTopics(t, topicList(t, cl, wire.GetHasUnitSubUnunitTopicList), "UnitSub")
	sys := topicList(t, cl, wire.GetSystemTopicListFromNs)
	expectTopics(t, sys, "ClusterA", "ClusterB", "broker-a", "broker-b")
	if sys.BrokerAddr != "127.0.0.1:10911" {
		t.Fatalf("system topic list brokerAddr %q", sys.BrokerAddr)
	}
}

func TestTopicListsDisabled(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.EnableAllTopicList, c.EnableTopicList = false, false })
	cl := dial(t, s.Addr(), wire.JSON)
	for _, code := range []wire.RequestCode{wire.GetAllTopicListFromNameserver, wire.GetTopicsByCluster,
		wire.GetUnitTopicList, wire.GetHasUnitSubTopicList, wire.GetHasUnitSubUnunitTopicList} {
		expectCode(t, call(t, cl, code, nil, f("cluster", "c")), wire.SystemError, "disable")
	}
	expectCode(t, call(t, cl, wire.GetSystemTopicListFromNs, nil), wire.Success, "")
}

func TestClusterInfo(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	resp := call(t, cl, wire.GetBrokerClusterInfo, nil)
	if string(resp.Body) != `{"brokerAddrTable":{},"clusterAddrTable":{}}` {
		t.Fatalf("empty cluster info %s", resp.Body)
	}
	brokerA().register(t, cl)
	resp = call(t, cl, wire.GetBrokerClusterInfo, nil)
	want := `{"brokerAddrTable":{"broker-a":{"brokerAddrs":{"0":"127.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster","enableActingMaster":false}},` +
		`"clusterAddrTable":{"DefaultCluster":["broker-a"]}}`
	if string(resp.Body) != want {
		t.Fatalf("cluster info\n got %s\nwant %s", resp.Body, want)
	}
	twoClusters(t, cl)
	ci := clusterInfo(t, cl)
	if !slices.Equal(ci.ClusterAddrTable["ClusterA"], []string{"broker-a"}) || !slices.Equal(ci.ClusterAddrTable["ClusterB"], []string{"broker-b"}) {
		t.Fatalf("clusters %v", ci.ClusterAddrTable)
	}
}

func TestWritePerm(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	brokerA().register(t, cl)
	resp := call(t, cl, wire.WipeWritePermOfBroker, nil, f("brokerName", "broker-a"))
	expectCode(t, resp, wire.Success, "")
	if resp.ExtValue("wipeTopicCount") != "2" {
		t.Fatalf("wipe ext %+v", resp.Ext)
	}
	if a, _ := route(t, cl, "TopicA"); a.QueueDatas[0].Perm != 4 {
		t.Fatalf("TopicA perm %d after wipe", a.QueueDatas[0].Perm)
	}
	if d, _ := route(t, cl, "TBW102"); d.QueueDatas[0].Perm != 5 {
		t.Fatalf("TBW102 perm %d after wipe", d.QueueDatas[0].Perm)
	}
	resp = call(t, cl, wire.AddWritePermOfBroker, nil, f("brokerName", "broker-a"))
	if resp.ExtValue("addTopicCount") != "2" {
		t.Fatalf("add ext %+v", resp.Ext)
	}
	if d, _ := route(t, cl, "TBW102"); d.QueueDatas[0].Perm != 6 {
		t.Fatalf("TBW102 perm %d after add (Java sets read|write)", d.QueueDatas[0].Perm)
	}
	resp = call(t, cl, wire.WipeWritePermOfBroker, nil, f("brokerName", "nope"))
	if resp.ExtValue("wipeTopicCount") != "0" {
		t.Fatalf("unknown broker ext %+v", resp.Ext)
	}
}

func TestDeleteTopicInNamesrv(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	twoClusters(t, cl)
	expectCode(t, call(t, cl, wire.DeleteTopicInNamesrv, nil, f("topic", "TopicA"), f("clusterName", "ClusterB")), wire.Success, "")
	if rd, _ := route(t, cl, "TopicA"); len(rd.QueueDatas) != 1 || rd.QueueDatas[0].BrokerName != "broker-a" {
		t.Fatalf("after cluster delete: %+v", rd.QueueDatas)
	}
	expectCode(t, call(t, cl, wire.DeleteTopicInNamesrv, nil, f("topic", "TopicB"), f("clusterName", "ClusterB")), wire.Success, "")
	expectCode(t, call(t, cl, wire.DeleteTopicInNamesrv, nil, f("topic", "TopicA")), wire.Success, "")
	if routed(t, cl, "TopicA") || routed(t, cl, "TopicB") {
		t.Fatal("deleted topic still routed")
	}
}

func TestRegisterTopicInNamesrv(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	brokerA().register(t, cl)
	body := `{"brokerDatas":[],"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":2,"topicSysFlag":0,"writeQueueNums":2}]}`
	expectCode(t, call(t, cl, wire.RegisterTopicInNamesrv, []byte(body), f("topic", "NewT")), wire.Success, "")
	if rd, ok := route(t, cl, "NewT"); !ok || rd.QueueDatas[0].WriteQueueNums != 2 {
		t.Fatalf("route %+v", rd)
	}
	unknown := `{"queueDatas":[{"brokerName":"broker-x","perm":6,"readQueueNums":2,"writeQueueNums":2}]}`
	expectCode(t, call(t, cl, wire.RegisterTopicInNamesrv, []byte(unknown), f("topic", "Other")), wire.Success, "")
	if routed(t, cl, "Other") {
		t.Fatal("topic registered on an unknown broker")
	}
}

func TestBrokerMemberGroup(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	brokerA().register(t, cl)
	resp := call(t, cl, wire.GetBrokerMemberGroup, nil, f("clusterName", "DefaultCluster"), f("brokerName", "broker-a"))
	want := `{"brokerMemberGroup":{"brokerAddrs":{"0":"127.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}}`
	if string(resp.Body) != want {
		t.Fatalf("member group %s", resp.Body)
	}
	resp = call(t, cl, wire.GetBrokerMemberGroup, nil, f("clusterName", "c"), f("brokerName", "nope"))
	if string(resp.Body) != `{"brokerMemberGroup":{"brokerAddrs":{},"brokerName":"nope","cluster":"c"}}` {
		t.Fatalf("unknown member group %s", resp.Body)
	}
}
