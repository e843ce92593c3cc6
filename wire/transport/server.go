package transport

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/panjf2000/gnet/v2"
	"github.com/valyala/bytebufferpool"

	"github.com/booster-mq/booster/wire"
)

// PoolConfig sizes one executor class.
type PoolConfig struct {
	Workers int
	Queue   int
}

// ServerConfig configures a Server.
type ServerConfig struct {
	// Name labels log lines ("namesrv", "broker").
	Name string
	// Pools sizes each executor class except Inline.
	Pools [numClasses]PoolConfig
	// MaxWait is how long a request may wait in a queue before it is
	// answered SYSTEM_BUSY instead of run.
	MaxWait time.Duration
	// Invariants re-panics handler panics (tests built with -tags invariants).
	Invariants bool
}

// DefaultServerConfig returns pool sizes in line with Java's defaults.
func DefaultServerConfig(name string) ServerConfig {
	c := ServerConfig{Name: name, MaxWait: 200 * time.Millisecond}
	c.Pools[Send] = PoolConfig{Workers: 16, Queue: 10000}
	c.Pools[Pull] = PoolConfig{Workers: 16, Queue: 100000}
	c.Pools[Heartbeat] = PoolConfig{Workers: 4, Queue: 50000}
	c.Pools[Admin] = PoolConfig{Workers: 8, Queue: 10000}
	c.Pools[Txn] = PoolConfig{Workers: 4, Queue: 100000}
	return c
}

type task struct {
	r *Request
	h Handler
}

// Server is a remoting server on one gnet engine, possibly listening on
// several addresses (a broker's listenPort and listenPort-2).
type Server struct {
	gnet.BuiltinEventEngine

	cfg    ServerConfig
	router *Router
	log    *slog.Logger

	engine  gnet.Engine
	booted  chan struct{}
	done    chan error
	queues  [numClasses]chan task
	wg      sync.WaitGroup
	nextID  atomic.Uint64
	mu      sync.Mutex
	conns   map[uint64]*Conn
	onClose []func(*Conn)
	stopped atomic.Bool
}

// NewServer returns a server that dispatches through router.
func NewServer(cfg ServerConfig, router *Router, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	return &Server{
		cfg:    cfg,
		router: router,
		log:    log.With("server", cfg.Name),
		booted: make(chan struct{}),
		done:   make(chan error, 1),
		conns:  map[uint64]*Conn{},
	}
}

// OnConnClose registers fn to run (on a worker goroutine) when a connection
// closes. Register before Start.
func (s *Server) OnConnClose(fn func(*Conn)) { s.onClose = append(s.onClose, fn) }

// Start listens on each "host:port" address and returns once the engine
// has booted.
func (s *Server) Start(addrs ...string) error {
	for i := Class(1); i < numClasses; i++ {
		pc := s.cfg.Pools[i]
		if pc.Workers <= 0 {
			pc.Workers = 1
		}
		if pc.Queue <= 0 {
			pc.Queue = 1024
		}
		q := make(chan task, pc.Queue)
		s.queues[i] = q
		for w := 0; w < pc.Workers; w++ {
			s.wg.Add(1)
			go s.work(q)
		}
	}
	urls := make([]string, len(addrs))
	for i, a := range addrs {
		urls[i] = "tcp://" + a
	}
	go func() {
		err := gnet.Rotate(s, urls,
			gnet.WithMulticore(true),
			gnet.WithReuseAddr(true),
			gnet.WithTCPNoDelay(gnet.TCPNoDelay),
			gnet.WithTCPKeepAlive(60*time.Second),
			gnet.WithLogger(gnetLogger{s.log}),
		)
		s.done <- err
	}()
	select {
	case <-s.booted:
		return nil
	case err := <-s.done:
		s.closeQueues()
		if err == nil {
			err = errors.New("transport: engine stopped during start")
		}
		return fmt.Errorf("listen %v: %w", addrs, err)
	}
}

// Stop closes every connection and waits for the workers.
func (s *Server) Stop() {
	if s.stopped.Swap(true) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.engine.Stop(ctx); err != nil {
		s.log.Warn("engine stop", "err", err)
	}
	<-s.done
	s.closeQueues()
	s.wg.Wait()
}

func (s *Server) closeQueues() {
	for i := Class(1); i < numClasses; i++ {
		if s.queues[i] != nil {
			close(s.queues[i])
		}
	}
}

// Conns returns a snapshot of the open connections.
func (s *Server) Conns() []*Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Conn, 0, len(s.conns))
	for _, c := range s.conns {
		out = append(out, c)
	}
	return out
}

// OnBoot implements gnet.EventHandler.
func (s *Server) OnBoot(e gnet.Engine) gnet.Action {
	s.engine = e
	close(s.booted)
	return gnet.None
}

// OnOpen implements gnet.EventHandler.
func (s *Server) OnOpen(gc gnet.Conn) ([]byte, gnet.Action) {
	c := &Conn{gc: gc, srv: s, id: s.nextID.Add(1), remote: addrPort(gc.RemoteAddr()), local: addrPort(gc.LocalAddr())}
	gc.SetContext(c)
	s.mu.Lock()
	s.conns[c.id] = c
	s.mu.Unlock()
	return nil, gnet.None
}

// OnClose implements gnet.EventHandler.
func (s *Server) OnClose(gc gnet.Conn, err error) gnet.Action {
	c, ok := gc.Context().(*Conn)
	if !ok {
		return gnet.None
	}
	c.markClosed()
	s.mu.Lock()
	delete(s.conns, c.id)
	s.mu.Unlock()
	if err != nil && s.log.Enabled(context.Background(), slog.LevelDebug) {
		s.log.Debug("connection closed", "remote", c.remote, "err", err)
	}
	if len(s.onClose) > 0 && !s.stopped.Load() {
		go func() {
			for _, fn := range s.onClose {
				fn(c)
			}
		}()
	}
	return gnet.None
}

// OnTraffic splits frames, decodes envelopes and dispatches them.
func (s *Server) OnTraffic(gc gnet.Conn) gnet.Action {
	c, _ := gc.Context().(*Conn)
	for {
		avail := gc.InboundBuffered()
		if avail < 4 {
			return gnet.None
		}
		head, _ := gc.Peek(min(avail, 8))
		n, err := wire.FrameLength(head)
		if err != nil {
			s.log.Warn("closing connection: bad frame", "remote", c.remote, "err", err)
			return gnet.Close
		}
		if n == 0 || avail < n {
			return gnet.None
		}
		frame, err := gc.Peek(n)
		if err != nil {
			return gnet.None
		}
		cmd := new(wire.Command)
		err = wire.Decode(frame, cmd, false)
		_, _ = gc.Discard(n)
		if err != nil {
			s.log.Warn("closing connection: undecodable frame", "remote", c.remote, "err", err)
			return gnet.Close
		}
		s.dispatch(c, cmd)
	}
}

func (s *Server) dispatch(c *Conn, cmd *wire.Command) {
	if cmd.IsResponse() {
		if !c.complete(cmd) && s.log.Enabled(context.Background(), slog.LevelDebug) {
			s.log.Debug("response without request", "remote", c.remote, "opaque", cmd.Opaque)
		}
		return
	}
	c.language.Store(uint32(cmd.Language))
	c.version.Store(cmd.Version)
	e, ok := s.router.lookup(cmd.RequestCode())
	if !ok {
		s.log.Debug("request code not supported", "remote", c.remote, "code", cmd.Code)
		s.respondInLoop(c, cmd, NotSupported(cmd))
		return
	}
	r := &Request{Cmd: cmd, Conn: c, Arrived: time.Now()}
	if e.class == Inline {
		s.respondInLoop(c, cmd, s.run(e.h, r))
		return
	}
	select {
	case s.queues[e.class] <- task{r, e.h}:
	default:
		s.respondInLoop(c, cmd, wire.NewResponse(cmd, wire.SystemBusy,
			fmt.Sprintf("[OVERLOAD]system busy, start flow control for a while, %s queue is full", e.class)))
	}
}

// respondInLoop writes a response from the event loop.
func (s *Server) respondInLoop(c *Conn, req, resp *wire.Command) {
	if resp == nil || req.IsOneway() {
		return
	}
	resp.Opaque = req.Opaque
	resp.Flag |= wire.FlagResponse
	resp.Serialize = req.Serialize
	bb := bytebufferpool.Get()
	bb.B = resp.AppendFrame(bb.B[:0])
	_, _ = c.gc.Write(bb.B)
	bytebufferpool.Put(bb)
}

func (s *Server) work(q chan task) {
	defer s.wg.Done()
	for t := range q {
		if s.cfg.MaxWait > 0 && time.Since(t.r.Arrived) > s.cfg.MaxWait*25 {
			_ = t.r.Conn.Reply(t.r.Cmd, wire.NewResponse(t.r.Cmd, wire.SystemBusy,
				fmt.Sprintf("[TIMEOUT_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: %dms", time.Since(t.r.Arrived).Milliseconds())))
			continue
		}
		// A request runs even if its connection has closed since it
		// arrived (a oneway offset commit followed by a close); only the
		// reply is lost.
		resp := s.run(t.h, t.r)
		if resp != nil {
			_ = t.r.Conn.Reply(t.r.Cmd, resp)
		}
	}
}

// run calls a handler, turning a panic into SYSTEM_ERROR.
func (s *Server) run(h Handler, r *Request) (resp *wire.Command) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("handler panic", "code", r.Cmd.Code, "remote", r.Conn.remote, "opaque", r.Cmd.Opaque, "panic", p, "stack", string(debug.Stack()))
			if s.cfg.Invariants {
				panic(p)
			}
			resp = wire.NewResponse(r.Cmd, wire.SystemError, fmt.Sprintf("process request exception: %v", p))
		}
	}()
	return h(r)
}

type gnetLogger struct{ l *slog.Logger }

func (g gnetLogger) Debugf(f string, a ...any) { g.l.Debug(fmt.Sprintf(f, a...)) }
func (g gnetLogger) Infof(f string, a ...any)  { g.l.Debug(fmt.Sprintf(f, a...)) }
func (g gnetLogger) Warnf(f string, a ...any)  { g.l.Warn(fmt.Sprintf(f, a...)) }
func (g gnetLogger) Errorf(f string, a ...any) { g.l.Error(fmt.Sprintf(f, a...)) }
func (g gnetLogger) Fatalf(f string, a ...any) { g.l.Error(fmt.Sprintf(f, a...)) }
