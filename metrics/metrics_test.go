package metrics

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// fakeState is a BrokerState with fixed answers.
type fakeState struct{}

func (fakeState) IsSystemTopic(topic string) bool { return topic == "TBW102" }
func (fakeState) IsSystemGroup(group string) bool { return strings.HasPrefix(group, "CID_RMQ_SYS_") }
func (fakeState) Permission() int                 { return 6 }
func (fakeState) TopicCount() int                 { return 3 }
func (fakeState) GroupCount() int                 { return 2 }
func (fakeState) ConsumerQueues(fn func(*QueueState)) {
	fn(&QueueState{Topic: "t", Group: "g", QueueID: 0, BrokerOffset: 10, ConsumerOffset: 4, PullOffset: 6, ConsumeTime: 1, PullTime: 2})
	fn(&QueueState{Topic: "t", Group: "g", QueueID: 1, BrokerOffset: 5, ConsumerOffset: 5, PullOffset: 5})
}
func (fakeState) Connections(fn func(*Connection)) {
	fn(&Connection{Producer: true, Language: "go", Version: "v5_3_3"})
	fn(&Connection{Producer: true, Language: "go", Version: "v5_3_3"})
	fn(&Connection{Group: "g", Language: "java", Version: "v4_9_8", ConsumeMode: "push"})
}
func (fakeState) GroupClients(group string) (int, string) { return 1, "CLUSTERING" }
func (fakeState) Storage() Storage {
	return Storage{UsedBytes: 100, CommitLogMin: 0, CommitLogMax: 1000, Flushed: 900, Dispatched: 1000,
		ConsumeQueueBytes: 300, Slaves: []SlaveState{{Addr: "s1", AckOffset: 800}},
		TopicOffsets: map[string]int64{"t": 15, "%RETRY%g": 3}}
}
func (fakeState) Processors(fn func(string, int)) { fn("send", 2) }

func newTestBroker() *Broker {
	c := DefaultExporterConfig()
	c.ExporterType, c.Label = ExporterProm, "env:test,bad"
	return NewBroker(Node{Cluster: "DefaultCluster", Type: NodeBroker, ID: "broker-a"}, &c, CodeNames{}, fakeState{})
}

func TestConfig(t *testing.T) {
	c := DefaultExporterConfig()
	if c.Prometheus() || c.PromPort != 5557 {
		t.Fatalf("default %+v", c)
	}
	for _, v := range []string{"PROM", "prom", "2"} {
		c.ExporterType = v
		if !c.Prometheus() || c.Validate() != nil {
			t.Errorf("%q: not PROM", v)
		}
	}
	c.ExporterType = "GRAPHITE"
	if c.Validate() == nil {
		t.Error("GRAPHITE accepted")
	}
}

func TestBrokerCounters(t *testing.T) {
	m := newTestBroker()
	m.Put("t", Normal, 2, 400)
	m.Put("t", Normal, 1, 100)
	m.Put("t", Delay, 1, 50)
	m.Put("%RETRY%g", Normal, 1, 50)
	m.Get("t", "g", 3, 500)
	m.Get("%DLQ%g", "g", 1, 500)
	m.RPC().Observe(10, 0, false, false, 2*time.Millisecond)

	want := `
# HELP rocketmq_messages_in_total Messages stored by sends, per topic (retry and DLQ topics excluded).
# TYPE rocketmq_messages_in_total counter
rocketmq_messages_in_total{cluster="DefaultCluster",env="test",is_system="false",message_type="delay",node_id="broker-a",node_type="broker",topic="t"} 1
rocketmq_messages_in_total{cluster="DefaultCluster",env="test",is_system="false",message_type="normal",node_id="broker-a",node_type="broker",topic="t"} 3
# HELP rocketmq_throughput_out_total Bytes of commit-log records handed to consumers by pulls, per topic and group.
# TYPE rocketmq_throughput_out_total counter
rocketmq_throughput_out_total{cluster="DefaultCluster",consumer_group="g",env="test",is_system="false",node_id="broker-a",node_type="broker",topic="t"} 500
`
	if err := testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(want), "rocketmq_messages_in_total", "rocketmq_throughput_out_total"); err != nil {
		t.Fatal(err)
	}
	if n := testutil.CollectAndCount(m.size); n != 2 {
		t.Errorf("rocketmq_message_size series = %d, want 2", n)
	}
	if n := testutil.CollectAndCount(m.rpc.hist); n != 1 {
		t.Errorf("rocketmq_rpc_latency series = %d, want 1", n)
	}
	var nilBroker *Broker
	nilBroker.Put("t", Normal, 1, 1)
	nilBroker.Get("t", "g", 1, 1)
	nilBroker.RPC().Observe(10, 0, false, false, time.Millisecond)
}

func TestBrokerGauges(t *testing.T) {
	m := newTestBroker()
	want := `
# HELP booster_consumer_queue_lag_messages Per-queue lag: queue max offset minus the group's committed offset (Booster).
# TYPE booster_consumer_queue_lag_messages gauge
booster_consumer_queue_lag_messages{cluster="DefaultCluster",consumer_group="g",env="test",node_id="broker-a",node_type="broker",queue_id="0",topic="t"} 6
booster_consumer_queue_lag_messages{cluster="DefaultCluster",consumer_group="g",env="test",node_id="broker-a",node_type="broker",queue_id="1",topic="t"} 0
# HELP rocketmq_consumer_inflight_messages Messages pulled but not yet committed by the group.
# TYPE rocketmq_consumer_inflight_messages gauge
rocketmq_consumer_inflight_messages{cluster="DefaultCluster",consumer_group="g",env="test",is_retry="false",is_system="false",node_id="broker-a",node_type="broker",topic="t"} 2
# HELP rocketmq_consumer_lag_messages Messages stored but not yet committed by the group.
# TYPE rocketmq_consumer_lag_messages gauge
rocketmq_consumer_lag_messages{cluster="DefaultCluster",consumer_group="g",env="test",is_retry="false",is_system="false",node_id="broker-a",node_type="broker",topic="t"} 6
# HELP rocketmq_consumer_ready_messages Messages stored but not yet pulled by the group.
# TYPE rocketmq_consumer_ready_messages gauge
rocketmq_consumer_ready_messages{cluster="DefaultCluster",consumer_group="g",env="test",is_retry="false",is_system="false",node_id="broker-a",node_type="broker",topic="t"} 4
# HELP rocketmq_producer_connections Producer connections.
# TYPE rocketmq_producer_connections gauge
rocketmq_producer_connections{cluster="DefaultCluster",env="test",language="go",node_id="broker-a",node_type="broker",protocol_type="remoting",version="v5_3_3"} 2
# HELP rocketmq_storage_flush_behind_bytes Commit-log bytes written but not yet flushed.
# TYPE rocketmq_storage_flush_behind_bytes gauge
rocketmq_storage_flush_behind_bytes{cluster="DefaultCluster",env="test",node_id="broker-a",node_type="broker",storage_medium="disk",storage_type="local"} 100
# HELP booster_ha_slave_behind_bytes Commit-log bytes a slave has not acknowledged (Booster).
# TYPE booster_ha_slave_behind_bytes gauge
booster_ha_slave_behind_bytes{cluster="DefaultCluster",env="test",node_id="broker-a",node_type="broker",slave="s1"} 200
# HELP rocketmq_group_diff GroupDiff (rocketmq-exporter): the group's lag on this broker.
# TYPE rocketmq_group_diff gauge
rocketmq_group_diff{cluster="DefaultCluster",countOfOnlineConsumers="1",env="test",group="g",msgModel="CLUSTERING",node_id="broker-a",node_type="broker",topic="t"} 6
# HELP rocketmq_producer_offset TopicOffset (rocketmq-exporter): the sum of the topic's queue max offsets.
# TYPE rocketmq_producer_offset gauge
rocketmq_producer_offset{broker="broker-a",cluster="DefaultCluster",env="test",node_id="broker-a",node_type="broker",topic="t"} 15
# HELP rocketmq_consumer_offset GroupConsumeTotalOffset (rocketmq-exporter): the sum of the group's committed offsets.
# TYPE rocketmq_consumer_offset gauge
rocketmq_consumer_offset{broker="broker-a",cluster="DefaultCluster",env="test",group="g",node_id="broker-a",node_type="broker",topic="t"} 9
# HELP rocketmq_topic_number Topics in the broker's topic config table.
# TYPE rocketmq_topic_number gauge
rocketmq_topic_number{cluster="DefaultCluster",env="test",node_id="broker-a",node_type="broker"} 3
`
	names := []string{"booster_consumer_queue_lag_messages", "rocketmq_consumer_inflight_messages", "rocketmq_consumer_lag_messages",
		"rocketmq_consumer_ready_messages", "rocketmq_producer_connections", "rocketmq_storage_flush_behind_bytes",
		"booster_ha_slave_behind_bytes", "rocketmq_topic_number", "rocketmq_group_diff", "rocketmq_producer_offset", "rocketmq_consumer_offset"}
	if err := testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(want), names...); err != nil {
		t.Fatal(err)
	}
	if problems, err := testutil.GatherAndLint(m.Gatherer()); err != nil || len(problems) > 0 {
		t.Log(problems, err) // informational: Apache's names predate some lint rules
	}
}

func TestServe(t *testing.T) {
	m := newTestBroker()
	m.Put("t", Normal, 1, 10)
	srv, err := Serve("127.0.0.1", 0, m.Gatherer(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get("http://" + srv.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `rocketmq_messages_in_total{`) || !strings.Contains(string(body), "go_goroutines") {
		t.Fatalf("scrape lacks series:\n%.2000s", body)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestNamesrv(t *testing.T) {
	c := DefaultExporterConfig()
	c.ExporterType = ExporterProm
	m := NewNamesrv(Node{Type: NodeNamesrv, ID: "127.0.0.1:9876"}, &c, CodeNames{}, nil)
	m.RPC().Observe(105, 0, false, false, time.Millisecond)
	want := `
# HELP rocketmq_rpc_latency Time from a request's arrival to its response, in milliseconds.
# TYPE rocketmq_rpc_latency histogram
rocketmq_rpc_latency_bucket{is_long_polling="false",node_id="127.0.0.1:9876",node_type="namesrv",protocol_type="remoting",request_code="105",response_code="0",result="success",le="1"} 1
rocketmq_rpc_latency_bucket{is_long_polling="false",node_id="127.0.0.1:9876",node_type="namesrv",protocol_type="remoting",request_code="105",response_code="0",result="success",le="3"} 1
rocketmq_rpc_latency_bucket{is_long_polling="false",node_id="127.0.0.1:9876",node_type="namesrv",protocol_type="remoting",request_code="105",response_code="0",result="success",le="5"} 1
rocketmq_rpc_latency_bucket{is_long_polling="false",node_id="127.0.0.1:9876",node_type="namesrv",protocol_type="remoting",request_code="105",response_code="0",result="success",le="7"} 1
rocketmq_rpc_latency_bucket{is_long_polling="false",node_id="127.0.0.1:9876",node_type="namesrv",protocol_type="remoting",request_code="105",response_code="0",result="success",le="10"} 1
rocketmq_rpc_latency_bucket{is_long_polling="false",node_id="127.0.0.1:9876",node_type="namesrv",protocol_type="remoting",request_code="105",response_code="0",result="success",le="100"} 1
rocketmq_rpc_latency_bucket{is_long_polling="false",node_id="127.0.0.1:9876",node_type="namesrv",protocol_type="remoting",request_code="105",response_code="0",result="success",le="1000"} 1
rocketmq_rpc_latency_bucket{is_long_polling="false",node_id="127.0.0.1:9876",node_type="namesrv",protocol_type="remoting",request_code="105",response_code="0",result="success",le="2000"} 1
rocketmq_rpc_latency_bucket{is_long_polling="false",node_id="127.0.0.1:9876",node_type="namesrv",protocol_type="remoting",request_code="105",response_code="0",result="success",le="3000"} 1
rocketmq_rpc_latency_bucket{is_long_polling="false",node_id="127.0.0.1:9876",node_type="namesrv",protocol_type="remoting",request_code="105",response_code="0",result="success",le="+Inf"} 1
rocketmq_rpc_latency_sum{is_long_polling="false",node_id="127.0.0.1:9876",node_type="namesrv",protocol_type="remoting",request_code="105",response_code="0",result="success"} 1
rocketmq_rpc_latency_count{is_long_polling="false",node_id="127.0.0.1:9876",node_type="namesrv",protocol_type="remoting",request_code="105",response_code="0",result="success"} 1
`
	if err := testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(want), "rocketmq_rpc_latency"); err != nil {
		t.Fatal(err)
	}
}

// TestCountersDoNotAllocate pins the request-path cost: once a label set
// has its children, counting allocates nothing.
func TestCountersDoNotAllocate(t *testing.T) {
	m := newTestBroker()
	m.Put("t", Normal, 1, 100)
	m.Get("t", "g", 1, 100)
	m.RPC().Observe(10, 0, false, false, time.Millisecond)
	if n := testing.AllocsPerRun(1000, func() {
		m.Put("t", Normal, 1, 100)
		m.Get("t", "g", 1, 100)
		m.RPC().Observe(10, 0, false, false, time.Millisecond)
	}); n != 0 {
		t.Fatalf("%v allocations per send+pull+rpc", n)
	}
}
