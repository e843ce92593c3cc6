package namesrv

import (
	"strconv"
	"testing"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

func TestSlaveRegistrationGetsMaster(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	master := brokerA()
	if resp := master.register(t, cl); resp.ExtValue("masterAddr") != "" || resp.ExtValue("haServerAddr") != "" {
		t.Fatalf("master got %+v", resp.Ext)
	}
	slave := brokerA()
	slave.id, slave.addr, slave.ha = 1, "127.0.0.1:10921", "127.0.0.1:10922"
	slave.topics = append(slave.topics, topicConfig("SlaveOnly", 4, 6))
	resp := slave.register(t, cl)
	if resp.ExtValue("masterAddr") != "127.0.0.1:10911" || resp.ExtValue("haServerAddr") != "127.0.0.1:10912" {
		t.Fatalf("slave got %+v", resp.Ext)
	}
	rd, _ := route(t, cl, "TopicA")
	if got := rd.BrokerDatas[0].BrokerAddrs; len(got) != 2 || got[0] != "127.0.0.1:10911" || got[1] != "127.0.0.1:10921" {
		t.Fatalf("brokerAddrs %v", got)
	}
	// A slave's topic table does not define queues.
	if routed(t, cl, "SlaveOnly") {
		t.Fatal("slave's topic got a route")
	}
}

func TestPrimeSlaveOfNewBrokerDefinesQueues(t *testing.T) {
	t.Parallel()
	// 5.x brokers send enableActingMaster; the lowest-id slave of a group
	// without master then defines the queues, read-only in acting-master mode.
	for _, acting := range []bool{false, true} {
		t.Run(strconv.FormatBool(acting), func(t *testing.T) {
			s := startServer(t, nil)
			cl := dial(t, s.Addr(), wire.JSON)
			slave := brokerA()
			slave.id = 1
			slave.ext = []wire.Field{f("enableActingMaster", strconv.FormatBool(acting))}
			slave.register(t, cl)
			rd, ok := route(t, cl, "TopicA")
			want := 6
			if acting {
				want = 4
			}
			if !ok || rd.QueueDatas[0].Perm != want || rd.BrokerDatas[0].EnableActingMaster != acting {
				t.Fatalf("route %+v", rd)
			}
		})
	}
}

func TestAddressMovesToNewID(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	b := brokerA()
	b.id = 1
	b.register(t, cl)
	b.id = 0
	b.register(t, cl)
	rd, _ := route(t, cl, "TopicA")
	if got := rd.BrokerDatas[0].BrokerAddrs; len(got) != 1 || got[0] != b.addr {
		t.Fatalf("brokerAddrs %v", got)
	}
}

func TestTopicTableAppliedOnlyWhenDataVersionChanges(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	b := brokerA()
	b.register(t, cl)
	b.topics[0].WriteQueueNums = 8
	b.register(t, cl) // same DataVersion: ignored
	if rd, _ := route(t, cl, "TopicA"); rd.QueueDatas[0].WriteQueueNums != 4 {
		t.Fatalf("queue data changed without a new DataVersion: %+v", rd.QueueDatas)
	}
	b.dv.Counter++
	b.register(t, cl)
	if rd, _ := route(t, cl, "TopicA"); rd.QueueDatas[0].WriteQueueNums != 8 {
		t.Fatalf("queue data not updated: %+v", rd.QueueDatas)
	}
	// A topic that lost this group's queues (deleted in the NameServer)
	// comes back with an unchanged DataVersion, as in Java.
	expectCode(t, call(t, cl, wire.DeleteTopicInNamesrv, nil, f("topic", "TopicA")), wire.Success, "")
	b.register(t, cl)
	if !routed(t, cl, "TopicA") {
		t.Fatal("topic not re-added")
	}
}

func TestDeleteTopicWithBrokerRegistration(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.DeleteTopicWithBrokerRegistration = true })
	cl := dial(t, s.Addr(), wire.JSON)
	b := brokerA()
	b.register(t, cl)
	b.topics = []*codec.TopicConfig{topicConfig("TBW102", 8, 7), topicConfig("TopicB", 4, 6)}
	b.dv.Counter++
	b.register(t, cl)
	if routed(t, cl, "TopicA") || !routed(t, cl, "TopicB") {
		t.Fatal("omitted topic kept or new topic missing")
	}
}

// A one-topic table is an incremental registration (a topic a send just
// created): it adds that topic and deletes none of the others even with
// deleteTopicWithBrokerRegistration.
func TestIncrementalRegistrationDeletesNothing(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(c *Config) { c.DeleteTopicWithBrokerRegistration = true })
	cl := dial(t, s.Addr(), wire.JSON)
	b := brokerA()
	b.register(t, cl)
	b.topics = []*codec.TopicConfig{topicConfig("Created", 4, 6)}
	b.dv = codec.DataVersion{Counter: b.dv.Counter + 1}
	b.register(t, cl)
	if !routed(t, cl, "TopicA") || !routed(t, cl, "TBW102") || !routed(t, cl, "Created") {
		t.Fatal("an incremental registration dropped topics or did not add its own")
	}
}

func TestRegisterChecksCRC(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	b := brokerA()
	req := b.request(b.body())
	req.SetExt("bodyCrc32", "12345")
	expectCode(t, send(t, cl, req), wire.SystemError, "crc32 not match")
	req = b.request(b.body())
	req.SetExt("bodyCrc32", "0") // 0 skips the check
	req.Body = append(req.Body, ' ')
	expectCode(t, send(t, cl, req), wire.Success, "")
}

func TestRegisterCompressedBody(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.RocketMQ)
	b := brokerA()
	b.topics[0].TopicSysFlag = 0
	body := codec.EncodeCompressedRegisterBrokerBody(&codec.RegisterBrokerBody{
		TopicConfigSerializeWrapper: codec.TopicConfigSerializeWrapper{
			DataVersion:      b.dv,
			TopicConfigTable: map[string]*codec.TopicConfig{"TopicA": b.topics[0], "TBW102": b.topics[1]},
		},
	}, 479)
	req := b.request(body)
	req.SetExt("compressed", "true")
	expectCode(t, send(t, cl, req), wire.Success, "")
	resp := call(t, cl, wire.GetRouteinfoByTopic, nil, f("topic", "TopicA"))
	if string(resp.Body) != routeGolden {
		t.Fatalf("route body %s", resp.Body)
	}
	req = b.request([]byte("not zlib"))
	req.SetExt("compressed", "true")
	if resp := send(t, cl, req); resp.ResponseCode() != wire.SystemError {
		t.Fatalf("garbage compressed body: %d %q", resp.Code, resp.Remark)
	}
}

func TestRegisterFastjsonBody(t *testing.T) {
	t.Parallel()
	// A Java broker with static topics writes Integer-keyed maps unquoted.
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	body := []byte(`{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{"counter":1,"stateVersion":0,"timestamp":1},` +
		`"topicConfigTable":{"TopicA":{"attributes":{},"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG","topicName":"TopicA","topicSysFlag":0,"writeQueueNums":4},` +
		`"TBW102":{"perm":7,"readQueueNums":8,"topicName":"TBW102","writeQueueNums":8}},` +
		`"topicQueueMappingInfoMap":{"S":{"bname":"broker-a","currIdMap":{0:0,1:1},"epoch":0,"topic":"S","totalQueues":2}}}}`)
	expectCode(t, send(t, cl, brokerA().request(body)), wire.Success, "")
	if !routed(t, cl, "TopicA") {
		t.Fatal("no route")
	}
}

func TestFirstRegistrationWithOneTopicFails(t *testing.T) {
	t.Parallel()
	// Java takes a one-topic table from an unknown broker id for an
	// incremental registration that must not create the broker.
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	b := brokerA()
	b.topics = b.topics[:1]
	expectCode(t, send(t, cl, b.request(b.body())), wire.SystemError, "register broker failed")
	if ci := clusterInfo(t, cl); len(ci.BrokerAddrTable) != 0 || len(ci.ClusterAddrTable) != 0 {
		t.Fatalf("refused registration left %+v", ci)
	}
	b.topics = nil
	b.register(t, cl)
	b.topics = []*codec.TopicConfig{topicConfig("TopicA", 4, 6)}
	b.dv.Counter++
	b.register(t, cl)
	if !routed(t, cl, "TopicA") {
		t.Fatal("incremental registration of a known broker ignored")
	}
}

func TestRegisterMissingHeader(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	req := wire.NewRequest(wire.RegisterBroker, f("brokerName", "b"), f("clusterName", "c"), f("brokerId", "0"))
	resp := send(t, cl, req)
	expectCode(t, resp, wire.SystemError, "")
	if resp.Remark == "" {
		t.Fatal("no remark")
	}
}

func TestStaleStateVersionIgnored(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	a := brokerA()
	a.dv.StateVersion = 5
	a.register(t, cl)
	other := brokerA()
	other.addr = "127.0.0.1:30911"
	other.dv.StateVersion = 4
	other.register(t, cl)
	rd, _ := route(t, cl, "TopicA")
	if got := rd.BrokerDatas[0].BrokerAddrs[0]; got != a.addr {
		t.Fatalf("master %s replaced by an older state version", got)
	}
}
