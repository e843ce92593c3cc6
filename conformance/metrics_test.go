package conformance

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/internal/testutil"
)

// scrape reads a Prometheus endpoint.
func scrape(t *testing.T, addr string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("scrape %s: %v", addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape %s: %s", addr, resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse scrape of %s: %v", addr, err)
	}
	return fams
}

// series returns the metrics of family name whose labels include want.
func series(fams map[string]*dto.MetricFamily, name string, want map[string]string) []*dto.Metric {
	var out []*dto.Metric
	f := fams[name]
	if f == nil {
		return nil
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		out = append(out, m)
	}
	return out
}

// value sums the counter or gauge values of the matching series.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	var v float64
	for _, m := range series(fams, name, want) {
		v += m.GetCounter().GetValue() + m.GetGauge().GetValue() + float64(m.GetHistogram().GetSampleCount())
	}
	return v
}

// TestMetricsPrometheus starts a broker with metricsExporterType=PROM,
// produces and consumes with the Go client, and checks what /metrics
// reports: messages and bytes in and out, lag per group and per queue,
// RPC latency, connections and storage, under Apache's names and labels.
func TestMetricsPrometheus(t *testing.T) {
	port := testutil.FreePort(t, 0)
	h := newHarness(t,
		testcluster.WithConf("metricsExporterType", "PROM"),
		testcluster.WithConf("metricsPromExporterHost", "127.0.0.1"),
		testcluster.WithConf("metricsPromExporterPort", strconv.Itoa(port)),
		testcluster.WithConf("metricsLabel", "env:conformance"),
	)
	if h.c.External {
		t.Skip("the metrics endpoint of an external cluster is not known")
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	node := map[string]string{"cluster": "DefaultCluster", "node_type": "broker", "node_id": "broker-a", "env": "conformance"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range node {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}

	topic, group := h.name("metrics"), h.name("cg")
	p := h.newProducer()
	const first, second = 20, 12
	var bodies []string
	for i := 0; i < first; i++ {
		b := fmt.Sprintf("metrics-%d", i)
		bodies = append(bodies, b)
		sendSync(t, p, message(topic, b, "", nil, nil))
	}

	fams := scrape(t, addr)
	in := with("topic", topic, "message_type", "normal", "is_system", "false")
	if got := value(fams, "rocketmq_messages_in_total", in); got != first {
		t.Errorf("rocketmq_messages_in_total%v = %v, want %d", in, got, first)
	}
	if got := value(fams, "rocketmq_throughput_in_total", in); got <= float64(first*len("metrics-0")) {
		t.Errorf("rocketmq_throughput_in_total%v = %v, want more than the bodies' bytes", in, got)
	}
	if got := value(fams, "rocketmq_message_size", in); got != first {
		t.Errorf("rocketmq_message_size%v observations = %v, want %d", in, got, first)
	}
	if len(series(fams, "rocketmq_rpc_latency", with("request_code", "send_message", "response_code", "success"))) == 0 &&
		len(series(fams, "rocketmq_rpc_latency", with("request_code", "send_message_v2", "response_code", "success"))) == 0 {
		t.Errorf("no rocketmq_rpc_latency series for sends")
	}
	for _, name := range []string{"rocketmq_topic_number", "rocketmq_consumer_group_number", "rocketmq_broker_permission",
		"rocketmq_storage_size", "rocketmq_storage_flush_behind_bytes", "rocketmq_storage_dispatch_behind_bytes",
		"booster_storage_commitlog_bytes", "booster_storage_consumequeue_bytes", "rocketmq_processor_watermark", "go_goroutines"} {
		if len(series(fams, name, nil)) == 0 {
			t.Errorf("no %s series", name)
		}
	}
	if got := value(fams, "booster_storage_commitlog_bytes", node); got <= 0 {
		t.Errorf("booster_storage_commitlog_bytes = %v, want > 0", got)
	}

	// Consume everything and commit: messages out match, lag is 0. (The
	// Go producer's first heartbeat comes 30 s after its start, so
	// rocketmq_producer_connections is checked on the consumer side.)
	col := &collector{}
	pc := h.startPush(group, topic, consumer.MessageSelector{}, col)
	col.waitAll(t, "consumer to receive the first batch", bodies)
	fams = scrape(t, addr)
	conn := with("consumer_group", group, "language", "go", "consume_mode", "push", "protocol_type", "remoting", "is_system", "false")
	if got := value(fams, "rocketmq_consumer_connections", conn); got != 1 {
		t.Errorf("rocketmq_consumer_connections%v = %v, want 1", conn, got)
	}
	eventually(t, commitWait, "client offsets to cover the first batch", func() (bool, string) {
		n := pc.committedSum()
		return n == first, fmt.Sprintf("client offsets sum to %d, want %d", n, first)
	})
	if err := pc.Shutdown(); err != nil {
		t.Fatalf("shutdown consumer: %v", err)
	}
	lag := with("consumer_group", group, "topic", topic, "is_retry", "false", "is_system", "false")
	eventually(t, commitWait, "lag 0 and messages out after consuming", func() (bool, string) {
		fams = scrape(t, addr)
		out := value(fams, "rocketmq_messages_out_total", with("topic", topic, "consumer_group", group))
		l := series(fams, "rocketmq_consumer_lag_messages", lag)
		return out >= first && len(l) == 1 && l[0].GetGauge().GetValue() == 0,
			fmt.Sprintf("messages out %v, lag series %v", out, l)
	})
	if got := value(fams, "rocketmq_throughput_out_total", with("topic", topic, "consumer_group", group)); got <= 0 {
		t.Errorf("rocketmq_throughput_out_total = %v, want > 0", got)
	}
	if len(series(fams, "rocketmq_rpc_latency", with("request_code", "pull_message", "response_code", "success"))) == 0 {
		t.Errorf("no rocketmq_rpc_latency series for pulls that found messages")
	}

	// Produce more with nobody consuming: lag per queue is what each queue got.
	perQueue := map[int]int{}
	for i := 0; i < second; i++ {
		res := sendSync(t, p, message(topic, fmt.Sprintf("metrics-late-%d", i), "", nil, nil))
		perQueue[res.MessageQueue.QueueId]++
	}
	fams = scrape(t, addr)
	if got := value(fams, "rocketmq_consumer_lag_messages", lag); got != second {
		t.Errorf("rocketmq_consumer_lag_messages%v = %v, want %d", lag, got, second)
	}
	if got := value(fams, "rocketmq_consumer_ready_messages", lag); got != second {
		t.Errorf("rocketmq_consumer_ready_messages%v = %v, want %d", lag, got, second)
	}
	queues := series(fams, "booster_consumer_queue_lag_messages", with("consumer_group", group, "topic", topic))
	if len(queues) == 0 {
		t.Fatal("no booster_consumer_queue_lag_messages series")
	}
	for _, m := range queues {
		var q int
		for _, l := range m.GetLabel() {
			if l.GetName() == "queue_id" {
				q, _ = strconv.Atoi(l.GetValue())
			}
		}
		if got := m.GetGauge().GetValue(); got != float64(perQueue[q]) {
			t.Errorf("queue %d lag = %v, want %d (sent per queue %v)", q, got, perQueue[q], perQueue)
		}
	}
	if got := value(fams, "rocketmq_messages_in_total", in); got != first+second {
		t.Errorf("rocketmq_messages_in_total = %v, want %d", got, first+second)
	}
	// rocketmq-exporter's names for the same figures.
	if got := value(fams, "rocketmq_group_diff", with("group", group, "topic", topic)); got != second {
		t.Errorf("rocketmq_group_diff = %v, want %d", got, second)
	}
	if got := value(fams, "rocketmq_producer_offset", with("broker", "broker-a", "topic", topic)); got != first+second {
		t.Errorf("rocketmq_producer_offset = %v, want %d", got, first+second)
	}
	if got := value(fams, "rocketmq_consumer_offset", with("broker", "broker-a", "topic", topic, "group", group)); got != first {
		t.Errorf("rocketmq_consumer_offset = %v, want %d", got, first)
	}
	if got := value(fams, "rocketmq_consumer_lag_latency", lag); got < 0 || got > float64(time.Hour.Milliseconds()) {
		t.Errorf("rocketmq_consumer_lag_latency = %v ms", got)
	}
}

// TestMetricsDisabledByDefault checks that no endpoint listens on the
// port a PROM broker would use when metricsExporterType is left alone.
func TestMetricsDisabledByDefault(t *testing.T) {
	port := testutil.FreePort(t, 0)
	h := newHarness(t, testcluster.WithConf("metricsPromExporterPort", strconv.Itoa(port)))
	if h.c.External {
		t.Skip("external cluster")
	}
	if _, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port)); err == nil {
		t.Fatal("a metrics endpoint answers although metricsExporterType defaults to DISABLE")
	}
}
