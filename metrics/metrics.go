package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Exporter types of Apache's MetricsExporterType (metricsExporterType).
const (
	ExporterDisable  = "DISABLE"
	ExporterOTLPGRPC = "OTLP_GRPC"
	ExporterProm     = "PROM"
	ExporterLog      = "LOG"
)

// DefaultPromPort is Apache's metricsPromExporterPort default.
const DefaultPromPort = 5557

// Node types of the node_type label.
const (
	NodeBroker  = "broker"
	NodeNamesrv = "namesrv"
)

// ExporterConfig holds the exporter keys of broker.conf (and, as a Booster
// extension, namesrv.conf) under Apache's names.
type ExporterConfig struct {
	// ExporterType is metricsExporterType: DISABLE (the default), PROM, or
	// OTLP_GRPC and LOG, which Booster accepts and treats as DISABLE.
	// Apache's ordinals 0-3 are accepted too.
	ExporterType string `conf:"metricsExporterType"`
	// PromHost is the listen host; empty means brokerIP1 (Apache's rule;
	// the NameServer uses its bindAddress).
	PromHost string `conf:"metricsPromExporterHost"`
	// PromPort is the listen port (5557).
	PromPort int `conf:"metricsPromExporterPort"`
	// Label adds constant labels to every series: "k1:v1,k2:v2".
	Label string `conf:"metricsLabel"`
	// InDelta adds aggregation="delta", as Apache does; Booster's
	// counters stay cumulative (Prometheus has no delta temporality).
	InDelta bool `conf:"metricsInDelta"`
}

// DefaultExporterConfig returns Apache's defaults: disabled, port 5557.
func DefaultExporterConfig() ExporterConfig {
	return ExporterConfig{ExporterType: ExporterDisable, PromPort: DefaultPromPort}
}

// Prometheus reports whether the config asks for the Prometheus endpoint.
func (c *ExporterConfig) Prometheus() bool {
	t := strings.TrimSpace(c.ExporterType)
	return strings.EqualFold(t, ExporterProm) || t == "2"
}

// Validate returns every problem with the config, joined.
func (c *ExporterConfig) Validate() error {
	var errs []error
	switch strings.ToUpper(strings.TrimSpace(c.ExporterType)) {
	case ExporterDisable, ExporterOTLPGRPC, ExporterProm, ExporterLog, "", "0", "1", "2", "3":
	default:
		errs = append(errs, fmt.Errorf("metricsExporterType %q is not DISABLE, OTLP_GRPC, PROM or LOG", c.ExporterType))
	}
	if c.Prometheus() && (c.PromPort < 0 || c.PromPort > 65535) {
		errs = append(errs, fmt.Errorf("metricsPromExporterPort %d out of range", c.PromPort))
	}
	return errors.Join(errs...)
}

// Node names the process the series come from.
type Node struct {
	// Cluster is the cluster label (brokerClusterName; empty for a
	// NameServer, which belongs to none).
	Cluster string
	// Type is NodeBroker or NodeNamesrv.
	Type string
	// ID is the node_id label: the broker name, the NameServer address.
	ID string
}

// constLabels are the labels every series of a node carries.
func constLabels(n Node, c *ExporterConfig) prometheus.Labels {
	l := prometheus.Labels{}
	for _, kv := range strings.Split(c.Label, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), ":")
		if ok && k != "" && !strings.Contains(v, ":") {
			l[k] = v
		}
	}
	if c.InDelta {
		l["aggregation"] = "delta"
	}
	l["node_type"] = n.Type
	if n.Cluster != "" || n.Type == NodeBroker {
		l["cluster"] = n.Cluster
	}
	l["node_id"] = n.ID
	return l
}

// newRegistry returns a registry with the Go runtime and process
// collectors, which Apache's JVM has no equivalent of under these names
// but every Prometheus user expects.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// Server serves one registry on /metrics.
type Server struct {
	ln   net.Listener
	srv  *http.Server
	done chan struct{}
}

// Serve listens on host:port (host empty: every interface) and serves
// g on /metrics until Close.
func Serve(host string, port int, g prometheus.Gatherer, log *slog.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("metrics listen: %w", err)
	}
	if log == nil {
		log = slog.Default()
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
	}))
	s := &Server{ln: ln, done: make(chan struct{}), srv: &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("metrics endpoint stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
	log.Info("metrics endpoint started", "addr", ln.Addr().String(), "path", "/metrics")
	return s, nil
}

// Addr is the address the endpoint listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Close stops the endpoint, letting scrapes in progress finish for up to
// five seconds.
func (s *Server) Close() error {
	if s == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	<-s.done
	return err
}

// rpcBuckets are Apache's rocketmq_rpc_latency buckets, in milliseconds.
var rpcBuckets = []float64{1, 3, 5, 7, 10, 100, 1000, 2000, 3000}

// CodeNames turns request and response codes into the request_code and
// response_code labels: Apache uses the lower-cased Java constant name,
// or the number when the code has none.
type CodeNames struct {
	Request  func(code int32) string
	Response func(code int32) string
}

// RPC is rocketmq_rpc_latency: the time from a request's arrival to its
// response, per request code, response code, long polling and result.
// A nil *RPC ignores Observe.
type RPC struct {
	hist  *prometheus.HistogramVec
	names CodeNames

	mu  sync.RWMutex
	obs map[rpcKey]prometheus.Observer
}

type rpcKey struct {
	req, resp   int32
	longPolling bool
	oneway      bool
}

func newRPC(cl prometheus.Labels, names CodeNames) *RPC {
	if names.Request == nil {
		names.Request = func(c int32) string { return strconv.Itoa(int(c)) }
	}
	if names.Response == nil {
		names.Response = names.Request
	}
	return &RPC{
		hist: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:        "rocketmq_rpc_latency",
			Help:        "Time from a request's arrival to its response, in milliseconds.",
			Buckets:     rpcBuckets,
			ConstLabels: cl,
		}, []string{"protocol_type", "request_code", "response_code", "is_long_polling", "result"}),
		names: names,
		obs:   map[rpcKey]prometheus.Observer{},
	}
}

// Observe records one request's latency. oneway requests get
// result="oneway", the others result="success".
func (r *RPC) Observe(req, resp int32, longPolling, oneway bool, d time.Duration) {
	if r == nil {
		return
	}
	k := rpcKey{req: req, resp: resp, longPolling: longPolling, oneway: oneway}
	r.mu.RLock()
	o := r.obs[k]
	r.mu.RUnlock()
	if o == nil {
		o = r.child(k)
	}
	o.Observe(float64(d) / float64(time.Millisecond))
}

func (r *RPC) child(k rpcKey) prometheus.Observer {
	r.mu.Lock()
	defer r.mu.Unlock()
	if o := r.obs[k]; o != nil {
		return o
	}
	result := "success"
	if k.oneway {
		result = "oneway"
	}
	o := r.hist.WithLabelValues("remoting", r.names.Request(k.req), r.names.Response(k.resp), strconv.FormatBool(k.longPolling), result)
	r.obs[k] = o
	return o
}

// Namesrv is a NameServer's metrics: its RPC latency and the Go runtime.
// Apache 5.3's NameServer exports no metrics; Booster's follows the
// broker's conventions with node_type="namesrv".
type Namesrv struct {
	reg *prometheus.Registry
	rpc *RPC
}

// NewNamesrv returns a NameServer's metrics.
func NewNamesrv(n Node, c *ExporterConfig, names CodeNames, state NamesrvState) *Namesrv {
	cl := constLabels(n, c)
	m := &Namesrv{reg: newRegistry(), rpc: newRPC(cl, names)}
	m.reg.MustRegister(m.rpc.hist)
	if state != nil {
		m.reg.MustRegister(&namesrvCollector{state: state,
			brokers: prometheus.NewDesc("rocketmq_namesrv_broker_number", "Brokers registered with the NameServer (Booster).", nil, cl),
			topics:  prometheus.NewDesc("rocketmq_topic_number", "Topics in the NameServer's route table.", nil, cl),
		})
	}
	return m
}

// RPC returns the NameServer's rocketmq_rpc_latency (nil on a nil *Namesrv).
func (m *Namesrv) RPC() *RPC {
	if m == nil {
		return nil
	}
	return m.rpc
}

// Gatherer is what the endpoint serves.
func (m *Namesrv) Gatherer() prometheus.Gatherer { return m.reg }

// NamesrvState is what a NameServer's scrape reads.
type NamesrvState interface {
	// BrokerCount is the number of live brokers.
	BrokerCount() int
	// TopicCount is the number of topics with routes.
	TopicCount() int
}

type namesrvCollector struct {
	state           NamesrvState
	brokers, topics *prometheus.Desc
}

func (c *namesrvCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.brokers; ch <- c.topics }

func (c *namesrvCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(c.brokers, prometheus.GaugeValue, float64(c.state.BrokerCount()))
	ch <- prometheus.MustNewConstMetric(c.topics, prometheus.GaugeValue, float64(c.state.TopicCount()))
}
