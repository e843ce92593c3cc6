package namesrv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// Server is one NameServer.
//
// Concurrency: handlers run on the transport's admin workers. The route
// tables have their own lock (routeTable), the KV table its own (kvStore);
// no handler holds both. The configuration is an immutable snapshot
// swapped atomically by UPDATE_NAMESRV_CONFIG (cfgMu serializes updaters).
type Server struct {
	log *slog.Logger
	// transportLog is log without the server label, which the transport
	// adds itself.
	transportLog *slog.Logger
	cfg          atomic.Pointer[Config]
	cfgMu        sync.Mutex
	routes       *routeTable
	kv           *kvStore
	srv          *transport.Server
	addr         string
	obs          namesrvMetrics // Prometheus metrics and endpoint (metrics.go)

	stop      chan struct{}
	wg        sync.WaitGroup
	startOnce sync.Once
	closeOnce sync.Once
}

// New returns a NameServer; Start makes it listen.
func New(cfg Config, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	s := &Server{
		log:          log.With("server", "namesrv"),
		transportLog: log,
		routes:       newRouteTable(),
		kv:           newKVStore(cfg.KvConfigPath),
		stop:         make(chan struct{}),
	}
	s.cfg.Store(&cfg)
	return s
}

// config returns the current configuration snapshot.
func (s *Server) config() *Config { return s.cfg.Load() }

// Start validates the configuration, loads the KV table, listens on
// bindAddress:listenPort and starts the expiry scan.
func (s *Server) Start() error {
	err := errors.New("namesrv: already started")
	s.startOnce.Do(func() { err = s.start() })
	return err
}

func (s *Server) start() error {
	cfg := s.config()
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("namesrv config: %w", err)
	}
	if err := s.kv.load(); err != nil {
		return err
	}
	sc := transport.DefaultServerConfig("namesrv")
	// Java's defaultThreadPoolNums and its two queues together.
	sc.Pools[transport.Admin] = transport.PoolConfig{Workers: 16, Queue: 60000}
	if err := cfg.TLSConfig.Apply(&sc); err != nil {
		return err
	}
	addr := net.JoinHostPort(cfg.BindAddress, strconv.Itoa(cfg.ListenPort))
	s.initMetrics(cfg, addr)
	sc.Rejects = transport.NewRejectLog(s.log)
	srv := transport.NewServer(sc, transport.NewRouter(s.timedRoutes(transport.LogRejections(s.handlers(), sc.Rejects))), s.transportLog)
	srv.OnConnClose(s.connClosed)
	if err := srv.Start(addr); err != nil {
		return err
	}
	if err := s.startMetrics(cfg); err != nil {
		srv.Stop()
		return err
	}
	s.srv, s.addr = srv, addr
	s.wg.Add(1)
	go s.scanLoop(cfg.ScanNotActiveBrokerInterval)
	s.log.Info("name server started", "addr", s.addr)
	return nil
}

// Addr is the "host:port" the server listens on (bindAddress as configured).
func (s *Server) Addr() string { return s.addr }

// Close stops listening, closes every connection and stops the scan.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.stop)
		if s.srv != nil {
			s.srv.Stop()
		}
		if err := s.obs.srv.Close(); err != nil {
			s.log.Warn("metrics endpoint close", "err", err)
		}
		s.wg.Wait()
	})
}

// scanLoop expires silent brokers every interval (Java's scanNotActiveBroker).
func (s *Server) scanLoop(interval time.Duration) {
	defer s.wg.Done()
	tk := time.NewTicker(interval)
	defer tk.Stop()
	for {
		select {
		case <-s.stop:
			return
		case now := <-tk.C:
			s.expireBrokers(now)
		}
	}
}

func (s *Server) expireBrokers(now time.Time) {
	gone, conns := s.routes.expire(now)
	for _, c := range conns {
		_ = c.Close()
	}
	for _, u := range gone {
		s.log.Warn("broker expired", "cluster", u.cluster, "broker", u.name, "id", u.id, "addr", u.addr)
	}
}

// connClosed drops the brokers that registered on a closed connection
// (Java's BrokerHousekeepingService).
func (s *Server) connClosed(c *transport.Conn) {
	for _, u := range s.routes.connClosed(c) {
		s.log.Info("broker connection closed, unregistered", "cluster", u.cluster, "broker", u.name, "id", u.id, "addr", u.addr, "remote", c.RemoteAddr())
	}
}

// encodeJSON marshals a body compactly without HTML escaping, as fastjson
// writes it.
func encodeJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte("{}") // bodies are plain data; see codec.Encode
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})
}

// success returns an empty SUCCESS response to req.
func success(req *wire.Command) *wire.Command { return wire.NewResponse(req, wire.Success, "") }

// failure returns a response with code and remark.
func failure(req *wire.Command, code wire.ResponseCode, remark string) *wire.Command {
	return wire.NewResponse(req, code, remark)
}

// badHeader answers a request whose header lacks a required field or has a
// malformed one. Java logs the missing field and then fails on the null,
// which its remoting layer answers with SYSTEM_ERROR.
func badHeader(req *wire.Command, err error) *wire.Command {
	return failure(req, wire.SystemError, err.Error())
}
