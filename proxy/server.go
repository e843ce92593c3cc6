package proxy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"

	"github.com/booster-mq/booster/broker"
	"github.com/booster-mq/booster/proxy/v2pb"
	"github.com/booster-mq/booster/wire"
)

// Server is the gRPC endpoint of one broker.
type Server struct {
	v2pb.UnimplementedMessagingServiceServer

	b     *broker.Broker
	local *broker.Local
	log   *slog.Logger
	gs    *grpc.Server
	lis   net.Listener

	mu      sync.Mutex // guards clients
	clients map[string]*client
}

// New returns a gRPC endpoint for b; Start serves it.
func New(b *broker.Broker, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	s := &Server{b: b, local: b.Local(), log: log.With("component", "grpc"), clients: map[string]*client{}}
	s.gs = grpc.NewServer()
	v2pb.RegisterMessagingServiceServer(s.gs, s)
	return s
}

// Start listens on addr (host:port) and serves in the background.
func (s *Server) Start(addr string) error {
	tlsCfg, err := selfSignedTLS()
	if err != nil {
		return err
	}
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.lis = lis
	lis = &permissiveListener{Listener: lis, tls: tlsCfg}
	go func() {
		if err := s.gs.Serve(lis); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			s.log.Error("grpc server stopped", "err", err)
		}
	}()
	s.log.Info("grpc endpoint started", "listen", lis.Addr().String())
	return nil
}

// Addr is the address the endpoint listens on.
func (s *Server) Addr() string {
	if s.lis == nil {
		return ""
	}
	return s.lis.Addr().String()
}

// port is the port the endpoint listens on.
func (s *Server) port() int32 {
	if ap, err := netip.ParseAddrPort(s.Addr()); err == nil {
		return int32(ap.Port())
	}
	return int32(s.b.Config().GrpcServerPort)
}

// Close stops serving and closes every client's session.
func (s *Server) Close() {
	s.gs.Stop()
	s.mu.Lock()
	cs := s.clients
	s.clients = map[string]*client{}
	s.mu.Unlock()
	for _, c := range cs {
		c.close()
	}
}

// client is one gRPC client (one x-mq-client-id).
type client struct {
	id   string
	sess *broker.Session
	s    *Server

	mu       sync.Mutex // guards settings, outbox
	settings *v2pb.Settings
	outbox   chan *v2pb.TelemetryCommand // the open Telemetry stream's, or nil
}

func (c *client) close() { c.sess.Close() }

// clientID returns the client id a request carries.
func clientID(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	if v := md.Get("x-mq-client-id"); len(v) > 0 {
		return v[0]
	}
	return ""
}

// remoteAddr is the peer's address.
func remoteAddr(ctx context.Context) netip.AddrPort {
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		if ap, err := netip.ParseAddrPort(p.Addr.String()); err == nil {
			return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
		}
	}
	return netip.AddrPort{}
}

// clientFor returns the request's client, opening its session on first
// use or after the broker expired it.
func (s *Server) clientFor(ctx context.Context) (*client, error) {
	id := clientID(ctx)
	if id == "" {
		return nil, status.Error(codes.InvalidArgument, "x-mq-client-id is missing from the request metadata")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[id]
	if c != nil && !c.sess.Closed() {
		return c, nil
	}
	nc := &client{id: id, s: s}
	if c != nil {
		nc.settings, nc.outbox = c.settings, c.outbox
	}
	nc.sess = s.local.NewSession(remoteAddr(ctx), nc.brokerRequest)
	s.clients[id] = nc
	return nc, nil
}

// forget drops a client that said goodbye.
func (s *Server) forget(c *client) {
	s.mu.Lock()
	if s.clients[c.id] == c {
		delete(s.clients, c.id)
	}
	s.mu.Unlock()
	c.close()
}

// st builds a Status.
func st(code v2pb.Code, msg string) *v2pb.Status {
	return &v2pb.Status{Code: code, Message: msg}
}

var okStatus = st(v2pb.Code_OK, v2pb.Code_OK.String())

// errStatus maps an error from the broker to a Status (Apache's
// ResponseBuilder.buildStatus with the remoting code mapping).
func errStatus(err error) *v2pb.Status {
	var re *broker.ResponseError
	if errors.As(err, &re) {
		return st(remotingCode(re.Code), re.Remark)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return st(v2pb.Code_PROXY_TIMEOUT, err.Error())
	case errors.Is(err, context.Canceled):
		return st(v2pb.Code_REQUEST_TIMEOUT, err.Error())
	}
	return st(v2pb.Code_INTERNAL_SERVER_ERROR, err.Error())
}

// remotingCode maps a remoting response code to a gRPC API code.
func remotingCode(c wire.ResponseCode) v2pb.Code {
	switch c {
	case wire.Success:
		return v2pb.Code_OK
	case wire.SystemBusy, wire.PollingFull:
		return v2pb.Code_TOO_MANY_REQUESTS
	case wire.RequestCodeNotSupported:
		return v2pb.Code_NOT_IMPLEMENTED
	case wire.SubscriptionGroupNotExist:
		return v2pb.Code_CONSUMER_GROUP_NOT_FOUND
	case wire.TopicNotExist:
		return v2pb.Code_TOPIC_NOT_FOUND
	case wire.NoPermission:
		return v2pb.Code_FORBIDDEN
	case wire.FlushDiskTimeout:
		return v2pb.Code_MASTER_PERSISTENCE_TIMEOUT
	case wire.FlushSlaveTimeout:
		return v2pb.Code_SLAVE_PERSISTENCE_TIMEOUT
	case wire.SlaveNotAvailable:
		return v2pb.Code_HA_NOT_AVAILABLE
	case wire.MessageIllegal:
		return v2pb.Code_BAD_REQUEST
	}
	return v2pb.Code_INTERNAL_SERVER_ERROR
}

// brokerAddr formats a host:port as Apache's NetworkUtil does.
func brokerAddr(ap netip.AddrPort) string {
	return ap.Addr().String() + ":" + strconv.Itoa(int(ap.Port()))
}

// StartFor starts the gRPC endpoint of b on its grpcServerPort (on
// bindAddress); it returns nil when the port is 0 (disabled).
func StartFor(b *broker.Broker, log *slog.Logger) (*Server, error) {
	cfg := b.Config()
	if cfg.GrpcServerPort == 0 {
		return nil, nil
	}
	host := cfg.ListenHost
	if host == "" {
		host = "0.0.0.0"
	}
	s := New(b, log)
	if err := s.Start(net.JoinHostPort(host, strconv.Itoa(cfg.GrpcServerPort))); err != nil {
		return nil, fmt.Errorf("grpc endpoint (grpcServerPort %d): %w", cfg.GrpcServerPort, err)
	}
	return s, nil
}
