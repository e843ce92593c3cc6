package namesrv

import (
	"testing"

	"github.com/booster-mq/booster/wire"
)

// routeGolden is remoting.md §5.2's route for one master with one topic of
// 4 queues: compact, keys alphabetical, brokerAddrs keys quoted,
// filterServerTable {}, no orderTopicConf, no zoneName.
const routeGolden = `{"brokerDatas":[{"brokerAddrs":{"0":"127.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster","enableActingMaster":false}],"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}`

func TestRouteBodyIsExactJSON(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	for _, st := range []wire.SerializeType{wire.JSON, wire.RocketMQ} {
		t.Run(st.String(), func(t *testing.T) {
			cl := dial(t, s.Addr(), st)
			brokerA().register(t, cl)
			resp := call(t, cl, wire.GetRouteinfoByTopic, nil, f("topic", "TopicA"))
			expectCode(t, resp, wire.Success, "")
			if string(resp.Body) != routeGolden {
				t.Fatalf("route body\n got %s\nwant %s", resp.Body, routeGolden)
			}
		})
	}
}

func TestRouteOfUnknownTopicIs17(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	resp := call(t, cl, wire.GetRouteinfoByTopic, nil, f("topic", "Nope"))
	expectCode(t, resp, wire.TopicNotExist,
		"No topic route info in name server for the topic: Nope\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.")
	if len(resp.Body) != 0 {
		t.Fatalf("body %q", resp.Body)
	}
	expectCode(t, call(t, cl, wire.GetRouteinfoByTopic, nil), wire.SystemError, "")
}

func TestRouteZoneNameAndSortedBrokers(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	b := brokerA()
	b.name, b.addr = "broker-b", "127.0.0.1:20911"
	b.ext = []wire.Field{f("__ZONE_NAME", "zone-1"), f("enableActingMaster", "false")}
	b.register(t, cl)
	brokerA().register(t, cl)
	resp := call(t, cl, wire.GetRouteinfoByTopic, nil, f("topic", "TopicA"))
	want := `{"brokerDatas":[` +
		`{"brokerAddrs":{"0":"127.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster","enableActingMaster":false},` +
		`{"brokerAddrs":{"0":"127.0.0.1:20911"},"brokerName":"broker-b","cluster":"DefaultCluster","enableActingMaster":false,"zoneName":"zone-1"}],` +
		`"filterServerTable":{},"queueDatas":[` +
		`{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4},` +
		`{"brokerName":"broker-b","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}`
	if string(resp.Body) != want {
		t.Fatalf("route body\n got %s\nwant %s", resp.Body, want)
	}
}

func TestOrderTopicConf(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	expectCode(t, call(t, cl, wire.PutKvConfig, nil,
		f("namespace", "ORDER_TOPIC_CONFIG"), f("key", "TopicA"), f("value", "broker-a:4")), wire.Success, "")

	// returnOrderTopicConfigToBroker (default): the namespace comes back.
	resp := brokerA().register(t, cl)
	if got := string(resp.Body); got != `{"table":{"TopicA":"broker-a:4"}}` {
		t.Fatalf("register body %s", got)
	}
	if rd, _ := route(t, cl, "TopicA"); rd.OrderTopicConf != "" {
		t.Fatalf("orderTopicConf %q without orderMessageEnable", rd.OrderTopicConf)
	}
	expectCode(t, call(t, cl, wire.UpdateNamesrvConfig, []byte("orderMessageEnable=true\nreturnOrderTopicConfigToBroker=false\n")), wire.Success, "")
	if rd, _ := route(t, cl, "TopicA"); rd.OrderTopicConf != "broker-a:4" {
		t.Fatalf("orderTopicConf %q", rd.OrderTopicConf)
	}
	if resp := brokerA().register(t, cl); len(resp.Body) != 0 {
		t.Fatalf("register body %s with returnOrderTopicConfigToBroker=false", resp.Body)
	}
}
