package namesrv

// The NameServer's Prometheus endpoint, a Booster extension: Apache 5.3's
// NameServer exports no metrics. The keys are the broker's
// (metricsExporterType=PROM, metricsPromExporterHost defaulting to
// bindAddress, metricsPromExporterPort); the series are
// rocketmq_rpc_latency per request and response code, the live broker
// and topic counts, and the Go runtime, with node_type="namesrv" and
// node_id the listen address.

import (
	"net"
	"strings"
	"time"

	"github.com/booster-mq/booster/metrics"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// namesrvMetrics is the NameServer's metrics and endpoint (nil when off).
type namesrvMetrics struct {
	m   *metrics.Namesrv
	srv *metrics.Server
}

// initMetrics creates the metrics when the config asks for them.
func (s *Server) initMetrics(cfg *Config, addr string) {
	if !cfg.Prometheus() {
		return
	}
	names := metrics.CodeNames{
		Request:  func(c int32) string { return strings.ToLower(wire.RequestCode(c).String()) },
		Response: func(c int32) string { return strings.ToLower(wire.ResponseCode(c).String()) },
	}
	s.obs.m = metrics.NewNamesrv(metrics.Node{Type: metrics.NodeNamesrv, ID: addr}, &cfg.ExporterConfig, names, metricsState{s.routes})
}

// startMetrics starts the endpoint.
func (s *Server) startMetrics(cfg *Config) error {
	if s.obs.m == nil {
		return nil
	}
	host := cfg.PromHost
	if host == "" {
		host = cfg.BindAddress
	}
	srv, err := metrics.Serve(host, cfg.PromPort, s.obs.m.Gatherer(), s.log)
	if err != nil {
		return err
	}
	s.obs.srv = srv
	return nil
}

// MetricsAddr is the Prometheus endpoint's address, or nil when it is off.
func (s *Server) MetricsAddr() net.Addr {
	if s.obs.srv == nil {
		return nil
	}
	return s.obs.srv.Addr()
}

// timedRoutes wraps each handler to record rocketmq_rpc_latency.
func (s *Server) timedRoutes(routes []transport.Route) []transport.Route {
	rpc := s.obs.m.RPC()
	if rpc == nil {
		return routes
	}
	return transport.ObserveRoutes(routes, func(req, resp int32, oneway bool, d time.Duration) {
		rpc.Observe(req, resp, false, oneway, d)
	})
}

// metricsState is the route table as metrics.NamesrvState.
type metricsState struct{ t *routeTable }

func (m metricsState) BrokerCount() int {
	m.t.mu.RLock()
	defer m.t.mu.RUnlock()
	return len(m.t.live)
}

func (m metricsState) TopicCount() int {
	m.t.mu.RLock()
	defer m.t.mu.RUnlock()
	return len(m.t.topics)
}
