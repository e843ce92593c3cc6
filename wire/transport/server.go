package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/panjf2000/gnet/v2"
	"github.com/valyala/bytebufferpool"

	"github.com/booster-mq/booster/wire"
)

// PoolConfig sizes one executor class.
type PoolConfig struct {
	Workers int
	Queue   int
	// MaxWait is how long a request may wait in the queue: the sweeper
	// answers older ones SYSTEM_BUSY [TIMEOUT_CLEAN_QUEUE] instead of
	// running them (Java's waitTimeMillsIn*Queue). 0 waits forever.
	MaxWait time.Duration
}

// ServerConfig configures a Server.
type ServerConfig struct {
	// Name labels log lines ("namesrv", "broker").
	Name string
	// Rejects, when set, logs the requests the server itself refuses (an
	// unknown code, flow control), as LogRejections does for handlers.
	Rejects *RejectLog
	// Pools sizes each executor class except Inline.
	Pools [numClasses]PoolConfig
	// IdleTimeout closes a connection that neither read nor wrote for
	// this long (Java's serverChannelMaxIdleTimeSeconds, 120 s); 0 never.
	IdleTimeout time.Duration
	// KeepAlive is the TCP keepalive idle time of accepted sockets (probes
	// follow every KeepAlive/5, five of them), so a peer that vanished
	// without a FIN is found even while requests are parked; 0 disables.
	KeepAlive time.Duration
	// MaxConns caps the open connections; one more is closed on accept
	// with a log line. It keeps file descriptors for the store: an accept
	// that fails with EMFILE would stop gnet's engine altogether.
	MaxConns int
	// MaxPendingWrite caps the response bytes queued for one connection
	// whose peer does not read them; past it the connection is closed with
	// a log line, so a slow consumer never holds the broker's memory.
	MaxPendingWrite int
	// Busy, when set, reports whether the store is congested (Java's
	// isOSPageCacheBusy): Send requests are then refused before they queue
	// ([REJECTREQUEST]) and queued ones answered ([PCBUSY_CLEAN_QUEUE]),
	// all SYSTEM_BUSY, which clients retry.
	Busy func() bool
	// Invariants re-panics handler panics (tests built with -tags invariants).
	Invariants bool
	// TLSMode is Apache's tls.server.mode; TLS is the server's certificate
	// and client-auth settings (TLSConfig.ServerTLS), nil when TLS
	// handshakes are to be closed. Zero values: permissive without a
	// certificate, so every connection is plaintext.
	TLSMode TLSMode
	TLS     *tls.Config
}

// DefaultServerConfig returns pool sizes and limits in line with Java's
// defaults (BrokerConfig's thread pools and waitTimeMillsIn*Queue,
// NettyServerConfig's idle time).
func DefaultServerConfig(name string) ServerConfig {
	c := ServerConfig{
		Name:            name,
		IdleTimeout:     120 * time.Second,
		KeepAlive:       60 * time.Second,
		MaxConns:        defaultMaxConns(),
		MaxPendingWrite: 64 << 20,
	}
	c.Pools[Send] = PoolConfig{Workers: 16, Queue: 10000, MaxWait: 200 * time.Millisecond}
	c.Pools[Pull] = PoolConfig{Workers: 16, Queue: 100000, MaxWait: 5 * time.Second}
	c.Pools[Heartbeat] = PoolConfig{Workers: 4, Queue: 50000, MaxWait: 31 * time.Second}
	c.Pools[Admin] = PoolConfig{Workers: 8, Queue: 10000, MaxWait: 5 * time.Second}
	c.Pools[Txn] = PoolConfig{Workers: 4, Queue: 100000, MaxWait: 3 * time.Second}
	return c
}

// defaultMaxConns leaves 1024 descriptors of the soft RLIMIT_NOFILE (Go
// raises it to the hard limit at start) for the store and outgoing
// connections.
func defaultMaxConns() int {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil || rl.Cur > 1<<30 {
		return 1 << 20
	}
	return max(int(rl.Cur)-1024, int(rl.Cur)/2, 16)
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

	engine   gnet.Engine
	booted   chan struct{} // closed by the first boot
	bootOnce sync.Once
	done     chan error
	queues   [numClasses]*workQueue
	wg       sync.WaitGroup
	sweeping chan struct{} // closed to stop the sweeper
	sweepWG  sync.WaitGroup
	nextID   atomic.Uint64
	mu       sync.Mutex // guards engine and conns
	conns    map[uint64]*Conn
	onClose  []func(*Conn)
	stopped  atomic.Bool
	draining atomic.Bool
	warned   atomic.Int64   // unix nanos of the last rate-limited warning
	now      atomic.Int64   // unix nanos, refreshed by the sweeper every sweepEvery
	tlsWG    sync.WaitGroup // TLS session goroutines (tls.go)
}

// NewServer returns a server that dispatches through router.
func NewServer(cfg ServerConfig, router *Router, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	return &Server{
		cfg:      cfg,
		router:   router,
		log:      log.With("server", cfg.Name),
		booted:   make(chan struct{}),
		done:     make(chan error, 1),
		sweeping: make(chan struct{}),
		conns:    map[uint64]*Conn{},
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
		q := newWorkQueue(pc.Queue)
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
	s.now.Store(time.Now().UnixNano())
	go s.serve(urls)
	select {
	case <-s.booted:
		s.sweepWG.Add(1)
		go s.sweep()
		return nil
	case err := <-s.done:
		s.closeQueues()
		s.wg.Wait()
		if err == nil {
			err = errors.New("transport: engine stopped during start")
		}
		if errors.Is(err, syscall.EBADF) {
			err = bindCause(addrs, err)
		}
		return fmt.Errorf("listen %v: %w", addrs, err)
	}
}

// bindCause finds why an engine failed to listen when gnet reports only
// EBADF: gnet (v2.9) closes a socket whose bind failed and then sets
// keep-alive on it, so the bind error ("address already in use") is
// replaced by that setsockopt's. Binding each address again tells.
func bindCause(addrs []string, gnetErr error) error {
	for _, a := range addrs {
		l, err := net.Listen("tcp", a)
		if err != nil {
			return err
		}
		_ = l.Close()
	}
	return gnetErr
}

// restartDelay is how long serve waits before it restarts an engine that
// stopped on its own.
const restartDelay = time.Second

// serve runs the gnet engine until Stop. gnet stops the whole engine when
// accept fails (EMFILE once descriptors run out): serve logs that and starts
// a new engine on the same addresses, so the listener comes back once
// descriptors are free again. An engine that never booted ends serve with
// its error on done.
func (s *Server) serve(urls []string) {
	for {
		err := gnet.Rotate(s, urls,
			gnet.WithMulticore(true),
			gnet.WithReuseAddr(true),
			gnet.WithTCPNoDelay(gnet.TCPNoDelay),
			gnet.WithTCPKeepAlive(s.cfg.KeepAlive),
			gnet.WithLogger(gnetLogger{s.log}),
		)
		select {
		case <-s.booted:
		default:
			s.done <- err
			return
		}
		if s.stopped.Load() {
			s.done <- err
			return
		}
		s.log.Error("remoting engine stopped; restarting it", "err", err, "in", restartDelay)
		select {
		case <-s.sweeping:
			s.done <- err
			return
		case <-time.After(restartDelay):
		}
		if s.stopped.Load() {
			s.done <- err
			return
		}
	}
}

// Stop shuts the server down gracefully: requests that arrive from now on
// are refused with SYSTEM_BUSY (clients retry elsewhere), the queued ones
// still run and their responses are written, and only then is every
// connection closed (gnet writes what is still buffered first).
func (s *Server) Stop() {
	if s.stopped.Swap(true) {
		return
	}
	s.draining.Store(true)
	s.closeQueues()
	s.wg.Wait()
	close(s.sweeping)
	s.sweepWG.Wait()
	// serve may be restarting an engine; stop whichever one runs until
	// serve returns.
	for {
		s.mu.Lock()
		e := s.engine
		s.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := e.Stop(ctx); err != nil {
			s.log.Warn("engine stop", "err", err)
		}
		cancel()
		select {
		case <-s.done:
			s.tlsWG.Wait()
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (s *Server) closeQueues() {
	for i := Class(1); i < numClasses; i++ {
		if s.queues[i] != nil {
			s.queues[i].close()
		}
	}
}

// Hold stops the workers of class from taking requests until release is
// called; queued requests still expire. It lets tests (and operators)
// saturate an executor on purpose.
func (s *Server) Hold(class Class) (release func()) {
	if class <= Inline || class >= numClasses || s.queues[class] == nil {
		return func() {}
	}
	return s.queues[class].hold()
}

// QueueSize returns how many requests wait in class's queue.
func (s *Server) QueueSize(class Class) int {
	if class <= Inline || class >= numClasses || s.queues[class] == nil {
		return 0
	}
	return s.queues[class].size()
}

// QueueHeadWait returns how long the oldest request in class's queue has
// waited at now, 0 when the queue is empty (Java's
// headSlowTimeMills4*ThreadPoolQueue, which GET_BROKER_RUNTIME_INFO
// reports).
func (s *Server) QueueHeadWait(class Class, now time.Time) time.Duration {
	if class <= Inline || class >= numClasses || s.queues[class] == nil {
		return 0
	}
	return s.queues[class].headWait(now)
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
	s.mu.Lock()
	s.engine = e
	s.mu.Unlock()
	s.bootOnce.Do(func() { close(s.booted) })
	return gnet.None
}

// OnOpen implements gnet.EventHandler.
func (s *Server) OnOpen(gc gnet.Conn) ([]byte, gnet.Action) {
	s.mu.Lock()
	if s.cfg.MaxConns > 0 && len(s.conns) >= s.cfg.MaxConns {
		s.mu.Unlock()
		s.warnRateLimited("closing new connection: too many connections", "remote", gc.RemoteAddr(), "max", s.cfg.MaxConns)
		return nil, gnet.Close
	}
	c := &Conn{gc: gc, srv: s, id: s.nextID.Add(1), remote: addrPort(gc.RemoteAddr()), local: addrPort(gc.LocalAddr()), sock: true}
	c.flush = c.flushOut
	c.touch()
	gc.SetContext(c)
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
	if c.tls != nil {
		c.tls.raw.close()
	}
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
	c.touch()
	if c.proto != protoPlain {
		if c.proto == protoUndecided && !s.decide(c, gc) {
			return gnet.Close
		}
		switch c.proto {
		case protoTLS:
			return s.trafficTLS(c, gc)
		case protoUndecided:
			return gnet.None
		}
	}
	for {
		if c.overflowed.Load() {
			return gnet.Close
		}
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
		s.refuse(c, cmd, NotSupported(cmd))
		return
	}
	r := &Request{Cmd: cmd, Conn: c, Arrived: time.Now()}
	if e.class == Inline {
		s.respondInLoop(c, cmd, s.run(e.h, r))
		return
	}
	switch {
	case s.draining.Load():
		s.refuse(c, cmd, wire.NewResponse(cmd, wire.SystemBusy,
			"[REJECTREQUEST]system busy, start flow control for a while, the server is shutting down"))
	case e.class == Send && s.cfg.Busy != nil && s.cfg.Busy():
		s.refuse(c, cmd, wire.NewResponse(cmd, wire.SystemBusy, "[REJECTREQUEST]system busy, start flow control for a while"))
	case !s.queues[e.class].push(task{r, e.h}):
		s.warnRateLimited("executor queue full", "class", e.class, "remote", c.remote, "code", cmd.Code)
		s.refuse(c, cmd, wire.NewResponse(cmd, wire.SystemBusy,
			fmt.Sprintf("[OVERLOAD]system busy, start flow control for a while, %s queue is full", e.class)))
	}
}

// refuse answers a request the server turns away before any handler,
// logging it through cfg.Rejects.
func (s *Server) refuse(c *Conn, req, resp *wire.Command) {
	if s.cfg.Rejects != nil {
		s.cfg.Rejects.Note(c.remote, req.RequestCode(), resp)
	}
	s.respondInLoop(c, req, resp)
}

// respondInLoop writes a response from the event loop.
func (s *Server) respondInLoop(c *Conn, req, resp *wire.Command) {
	if resp == nil || req.IsOneway() {
		return
	}
	resp.Opaque = req.Opaque
	resp.Flag |= wire.FlagResponse
	resp.Serialize = req.Serialize
	if c.overflowed.Load() {
		return
	}
	if c.tls != nil { // on the TLS session's goroutine, not the loop
		_ = c.Write(resp)
		return
	}
	bb := bytebufferpool.Get()
	bb.B = resp.AppendFrame(bb.B[:0])
	_, _ = c.gc.Write(bb.B)
	bytebufferpool.Put(bb)
	c.checkPending(c.gc)
}

func (s *Server) work(q *workQueue) {
	defer s.wg.Done()
	for {
		t, ok := q.pop()
		if !ok {
			return
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

// sweepEvery is how often queues are checked for requests that waited too
// long (Java's BrokerFastFailure runs every 10 ms).
const sweepEvery = 10 * time.Millisecond

// sweep answers queued requests that waited past their class's MaxWait,
// or every queued send while the store is congested, and closes idle
// connections.
func (s *Server) sweep() {
	defer s.sweepWG.Done()
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	idleEvery := min(max(s.cfg.IdleTimeout/4, sweepEvery), time.Second)
	lastIdle := time.Now()
	var expired []task
	for {
		select {
		case <-s.sweeping:
			return
		case now := <-t.C:
			s.now.Store(now.UnixNano())
			if q := s.queues[Send]; s.cfg.Busy != nil && q.size() > 0 && s.cfg.Busy() {
				expired = q.drain(expired[:0])
				s.rejectQueued(expired, q, now, "[PCBUSY_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: %dms, size of queue: %d")
			}
			for class := Send; class < numClasses; class++ {
				q, wait := s.queues[class], s.cfg.Pools[class].MaxWait
				if wait <= 0 {
					continue
				}
				expired = q.expire(now.Add(-wait), expired[:0])
				s.rejectQueued(expired, q, now, "[TIMEOUT_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: %dms, size of queue: %d")
			}
			if s.cfg.IdleTimeout > 0 && now.Sub(lastIdle) >= idleEvery {
				lastIdle = now
				s.closeIdle(now)
			}
		}
	}
}

// rejectQueued answers requests taken off a queue with SYSTEM_BUSY.
func (s *Server) rejectQueued(ts []task, q *workQueue, now time.Time, format string) {
	if len(ts) == 0 {
		return
	}
	size := q.size()
	for _, t := range ts {
		resp := wire.NewResponse(t.r.Cmd, wire.SystemBusy, fmt.Sprintf(format, now.Sub(t.r.Arrived).Milliseconds(), size))
		if s.cfg.Rejects != nil {
			s.cfg.Rejects.Note(t.r.Conn.remote, t.r.Cmd.RequestCode(), resp)
		}
		_ = t.r.Conn.Reply(t.r.Cmd, resp)
	}
	s.warnRateLimited("flow control: queued requests answered SYSTEM_BUSY", "count", len(ts), "code", ts[0].r.Cmd.Code, "remark", format[:strings.IndexByte(format, ']')+1])
}

// closeIdle closes connections silent for IdleTimeout (Netty's
// IdleStateHandler ALL_IDLE in Java's NettyRemotingServer).
func (s *Server) closeIdle(now time.Time) {
	limit := now.Add(-s.cfg.IdleTimeout).UnixNano()
	for _, c := range s.Conns() {
		if c.lastActive.Load() < limit && !c.closed.Load() {
			s.log.Info("closing idle connection", "remote", c.remote, "idle", s.cfg.IdleTimeout)
			_ = c.Close()
		}
	}
}

// warnRateLimited logs a warning at most once a second per server.
func (s *Server) warnRateLimited(msg string, args ...any) {
	now := time.Now().UnixNano()
	last := s.warned.Load()
	if now-last < int64(time.Second) || !s.warned.CompareAndSwap(last, now) {
		return
	}
	s.log.Warn(msg, args...)
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
