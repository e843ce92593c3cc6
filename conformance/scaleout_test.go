package conformance

// Scale-out with real processes: several broker groups (masters) behind
// two NameServers, driven by the official Go client. Groups come and go
// while a producer and a consumer group keep running; nothing restarts.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// clusterBrokers returns brokerName -> master address as the NameServer at
// ns lists them for cluster (nil when it cannot be asked).
func clusterBrokers(ns, cluster string) map[string]string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, err := transport.Dial(ctx, ns)
	if err != nil {
		return nil
	}
	defer cl.Close()
	resp, err := cl.Invoke(ctx, wire.NewRequest(wire.GetBrokerClusterInfo))
	if err != nil || resp.ResponseCode() != wire.Success {
		return nil
	}
	var ci codec.ClusterInfo
	if json.Unmarshal(codec.QuoteNumericKeys(resp.Body), &ci) != nil {
		return nil
	}
	out := map[string]string{}
	for _, name := range ci.ClusterAddrTable[cluster] {
		if bd := ci.BrokerAddrTable[name]; bd != nil && bd.BrokerAddrs[0] != "" {
			out[name] = bd.BrokerAddrs[0]
		}
	}
	return out
}

// waitClusterBrokers waits until the NameServer at ns lists exactly want
// (brokerName -> address) in cluster.
func waitClusterBrokers(t *testing.T, ns, cluster string, want map[string]string) {
	t.Helper()
	eventually(t, 30*time.Second, fmt.Sprintf("%s lists %v", ns, want), func() (bool, string) {
		got := clusterBrokers(ns, cluster)
		if len(got) != len(want) {
			return false, fmt.Sprintf("lists %v", got)
		}
		for k, v := range want {
			if got[k] != v {
				return false, fmt.Sprintf("lists %v", got)
			}
		}
		return true, ""
	})
}

// createTopicOn creates topic with queues read and write queues on the
// broker at addr (what `mqadmin updateTopic -c` does for each broker).
func createTopicOn(t *testing.T, addr, topic string, queues int) {
	t.Helper()
	n := strconv.Itoa(queues)
	resp := haInvoke(t, addr, wire.NewRequest(wire.UpdateAndCreateTopic,
		wire.Field{Key: "topic", Value: topic}, wire.Field{Key: "defaultTopic", Value: "TBW102"},
		wire.Field{Key: "readQueueNums", Value: n}, wire.Field{Key: "writeQueueNums", Value: n},
		wire.Field{Key: "perm", Value: "6"}, wire.Field{Key: "topicFilterType", Value: "SINGLE_TAG"}))
	if resp.ResponseCode() != wire.Success {
		t.Fatalf("create %s on %s: %v %s", topic, addr, resp.ResponseCode(), resp.Remark)
	}
}

// scaleLoad sends bodies prefix-0..n-1 one by one and insists that every
// send is acknowledged (SEND_OK) within the client's own retries. It
// returns how many went to each broker group.
func scaleLoad(t *testing.T, send func(*primitive.Message) (*primitive.SendResult, error), topic, prefix string, n int, acked *[]string) map[string]int {
	t.Helper()
	per := map[string]int{}
	for i := range n {
		body := fmt.Sprintf("%s-%04d", prefix, i)
		res, err := send(primitive.NewMessage(topic, []byte(body)))
		if err != nil {
			t.Fatalf("send %s: %v", body, err)
		}
		if res.Status != primitive.SendOK {
			t.Fatalf("send %s: status %v", body, res.Status)
		}
		per[res.MessageQueue.BrokerName]++
		*acked = append(*acked, body)
	}
	return per
}

// TestScaleOutGroupsAndNameServers runs broker groups broker-a and broker-b
// behind two NameServers, then: a producer spreads over both groups and a
// consumer group of two reads every message from both; broker-c joins
// (registered with one NameServer, then given both by UPDATE_BROKER_CONFIG
// namesrvAddr, without restart) and the running producer and consumers
// take it up; one NameServer dies and nothing notices; broker-b dies and
// every send still succeeds within the client's retries. broker-b
// advertises brokerIP1 127.0.0.2 and brokerIP2 127.0.0.3, and clients
// reach it by the address it advertises.
func TestScaleOutGroupsAndNameServers(t *testing.T) {
	c := newHACluster(t)
	ns1 := c.nsAddr
	ns2Port := testutil.FreePort(t, 0)
	ns2 := fmt.Sprintf("127.0.0.1:%d", ns2Port)
	ns2p := c.start("namesrv2", "namesrv", map[string]string{
		"listenPort": strconv.Itoa(ns2Port), "bindAddress": "127.0.0.1",
		"kvConfigPath": c.dir + "/kvConfig2.json",
	})
	ns2p.addr = ns2
	ns2p.waitUp()
	ns1p := c.procs[0]

	const cluster = "ScaleCluster"
	group := func(name string, extra ...string) *haProc {
		kv := append([]string{"brokerName", name, "brokerClusterName", cluster,
			"namesrvAddr", ns1 + ";" + ns2, "registerNameServerPeriod", "2000"}, extra...)
		return c.broker(name, "ASYNC_MASTER", 0, kv...)
	}
	a := group("broker-a")
	b := group("broker-b", "bindAddress", "0.0.0.0", "brokerIP1", "127.0.0.2", "brokerIP2", "127.0.0.3")
	bAddr := strings.Replace(b.addr, "127.0.0.1", "127.0.0.2", 1)
	for _, ns := range []string{ns1, ns2} {
		waitClusterBrokers(t, ns, cluster, map[string]string{"broker-a": a.addr, "broker-b": bAddr})
	}
	// brokerIP2 is what the NameServer hands a slave of broker-b as its
	// master's HA address.
	reg := wire.NewRequest(wire.RegisterBroker,
		wire.Field{Key: "brokerName", Value: "broker-b"}, wire.Field{Key: "brokerAddr", Value: "127.0.0.9:1"},
		wire.Field{Key: "clusterName", Value: cluster}, wire.Field{Key: "haServerAddr", Value: "127.0.0.9:2"},
		wire.Field{Key: "brokerId", Value: "1"}, wire.Field{Key: "compressed", Value: "false"})
	reg.Body = []byte(`{"topicConfigTable":{},"dataVersion":{"counter":1,"timestamp":1}}`)
	if resp := haInvoke(t, ns2, reg); resp.ResponseCode() != wire.Success ||
		!strings.HasPrefix(resp.ExtValue("haServerAddr"), "127.0.0.3:") || resp.ExtValue("masterAddr") != bAddr {
		t.Fatalf("slave registration answer: %v %s haServerAddr=%q masterAddr=%q, want 127.0.0.3:<haPort> and %s",
			resp.ResponseCode(), resp.Remark, resp.ExtValue("haServerAddr"), resp.ExtValue("masterAddr"), bAddr)
	}

	h := &harness{t: t, ns: primitive.NamesrvAddr{ns1, ns2}, suffix: fmt.Sprintf("%d_%d", time.Now().UnixNano(), clientSeq.Add(1))}
	topic, cg := h.name("scale"), h.name("scale_cg")
	createTopicOn(t, a.addr, topic, 4)
	createTopicOn(t, bAddr, topic, 4)
	eventually(t, 30*time.Second, "route of "+topic+" on both groups", func() (bool, string) {
		ids := c.routeIDs(topic)
		return len(ids) == 2, fmt.Sprintf("route lists ids %v", ids)
	})

	var mu sync.Mutex
	got := map[string]string{} // body -> broker group it was read from
	consume := func(_ context.Context, msgs ...*primitive.MessageExt) (consumer.ConsumeResult, error) {
		mu.Lock()
		defer mu.Unlock()
		for _, m := range msgs {
			got[string(m.Body)] = m.Queue.BrokerName
		}
		return consumer.ConsumeSuccess, nil
	}
	haStartPush(t, h, cg, topic, consume)
	haStartPush(t, h, cg, topic, consume)
	missing := func(want []string) []string {
		mu.Lock()
		defer mu.Unlock()
		var out []string
		for _, w := range want {
			if _, ok := got[w]; !ok {
				out = append(out, w)
			}
		}
		return out
	}
	waitConsumed := func(what string, want []string) {
		t.Helper()
		eventually(t, 60*time.Second, what, func() (bool, string) {
			m := missing(want)
			return len(m) == 0, fmt.Sprintf("%d of %d not consumed, e.g. %v", len(m), len(want), head(m, 3))
		})
	}

	p := h.newProducer()
	send := func(m *primitive.Message) (*primitive.SendResult, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*sendTimeout)
		defer cancel()
		return p.SendSync(ctx, m)
	}
	var acked []string
	per := scaleLoad(t, send, topic, "two", 200, &acked)
	t.Logf("two groups: sends per group %v", per)
	if per["broker-a"] == 0 || per["broker-b"] == 0 {
		t.Fatalf("the producer did not spread over both groups: %v", per)
	}
	waitConsumed("the consumer group reads both groups", acked)

	// broker-c joins, registered with ns2 only; UPDATE_BROKER_CONFIG gives
	// it both NameServers while it runs.
	cb := c.broker("broker-c", "ASYNC_MASTER", 0, "brokerName", "broker-c", "brokerClusterName", cluster,
		"namesrvAddr", ns2, "registerNameServerPeriod", "2000")
	waitClusterBrokers(t, ns2, cluster, map[string]string{"broker-a": a.addr, "broker-b": bAddr, "broker-c": cb.addr})
	if l := clusterBrokers(ns1, cluster); l["broker-c"] != "" {
		t.Fatalf("ns1 lists broker-c before it was told about ns1: %v", l)
	}
	upd := wire.NewRequest(wire.UpdateBrokerConfig)
	upd.Body = []byte("namesrvAddr=" + ns1 + ";" + ns2 + "\n")
	if resp := haInvoke(t, cb.addr, upd); resp.ResponseCode() != wire.Success {
		t.Fatalf("updateBrokerConfig namesrvAddr: %v %s", resp.ResponseCode(), resp.Remark)
	}
	waitClusterBrokers(t, ns1, cluster, map[string]string{"broker-a": a.addr, "broker-b": bAddr, "broker-c": cb.addr})
	createTopicOn(t, cb.addr, topic, 4)
	// The running clients refresh routes every 30 s and rebalance every 20 s.
	start := time.Now()
	var joined []string
	eventuallyEvery(t, 90*time.Second, 100*time.Millisecond, "the running producer sends to broker-c", func() (bool, string) {
		per := scaleLoad(t, send, topic, fmt.Sprintf("join%d", len(joined)), 1, &joined)
		return per["broker-c"] > 0, fmt.Sprintf("%d sends so far", len(joined))
	})
	t.Logf("broker-c took its first send %v after it joined", time.Since(start).Round(time.Second))
	acked = append(acked, joined...)
	per = scaleLoad(t, send, topic, "three", 300, &acked)
	t.Logf("three groups: sends per group %v", per)
	waitConsumed("the consumer group reads broker-c too", acked)
	mu.Lock()
	fromC := 0
	for _, g := range got {
		if g == "broker-c" {
			fromC++
		}
	}
	mu.Unlock()
	if fromC == 0 {
		t.Fatal("no message was read from broker-c")
	}

	// A NameServer dies: clients and brokers go on with the other.
	ns1p.stop(true)
	per = scaleLoad(t, send, topic, "onens", 100, &acked)
	t.Logf("one NameServer: sends per group %v", per)
	waitConsumed("consumption goes on with one NameServer", acked)

	// A group dies: every send still succeeds within the client's retries.
	b.stop(true)
	start = time.Now()
	per = scaleLoad(t, send, topic, "nob", 300, &acked)
	t.Logf("broker-b killed: 300 sends in %v, per group %v", time.Since(start).Round(time.Millisecond), per)
	if per["broker-b"] != 0 {
		t.Fatalf("sends acknowledged by a dead group: %v", per)
	}
	waitClusterBrokers(t, ns2, cluster, map[string]string{"broker-a": a.addr, "broker-c": cb.addr})
	waitConsumed("consumption goes on without broker-b", acked)
	groups := map[string]bool{}
	mu.Lock()
	for _, g := range got {
		groups[g] = true
	}
	mu.Unlock()
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	slices.Sort(names)
	t.Logf("%d acknowledged messages consumed, read from groups %v", len(acked), names)
}
