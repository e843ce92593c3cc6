package transport

import (
	"errors"
	"net"
	"net/netip"
	"sync"

	"github.com/panjf2000/gnet/v2"

	"github.com/booster-mq/booster/wire"
)

// NewLocalConn returns a connection of s that carries no socket, for
// in-process clients (the gRPC proxy, as Apache's proxy runs in local
// mode): the caller runs handlers itself with Router.Handler, and whatever
// is written to the connection afterwards (deferred responses, requests the
// server initiates) is encoded as one frame and handed to deliver, on the
// writer's goroutine. deliver must not block for long and must not retain
// the frame. Closing the connection runs s's OnConnClose hooks, like a
// socket's close. The connection shares s's id space but is not listed by
// Conns.
func (s *Server) NewLocalConn(remote, local netip.AddrPort, deliver func(frame []byte)) *Conn {
	lc := &localConn{deliver: deliver}
	c := &Conn{gc: lc, srv: s, id: s.nextID.Add(1), remote: remote, local: local}
	lc.c = c
	return c
}

// Handler returns the handler routed for code, or nil.
func (r *Router) Handler(code wire.RequestCode) Handler {
	e, _ := r.lookup(code)
	return e.h
}

// errLocalUnsupported is returned by the gnet.Conn methods a local
// connection has no use for.
var errLocalUnsupported = errors.New("transport: not supported on a local connection")

// localConn is the gnet.Conn behind a local Conn. Only the methods Conn
// uses are implemented; the embedded nil interface panics on any other,
// which would be a BUG.
type localConn struct {
	gnet.Conn
	c       *Conn
	deliver func([]byte)
	once    sync.Once
}

func (l *localConn) AsyncWrite(buf []byte, cb gnet.AsyncCallback) error {
	if l.c.closed.Load() {
		return ErrClosed
	}
	l.deliver(buf)
	if cb != nil {
		_ = cb(l, nil)
	}
	return nil
}

func (l *localConn) AsyncWritev(bs [][]byte, cb gnet.AsyncCallback) error {
	n := 0
	for _, b := range bs {
		n += len(b)
	}
	frame := make([]byte, 0, n)
	for _, b := range bs {
		frame = append(frame, b...)
	}
	return l.AsyncWrite(frame, cb)
}

func (l *localConn) Write(buf []byte) (int, error) {
	return len(buf), l.AsyncWrite(buf, nil)
}

func (l *localConn) Close() error {
	l.once.Do(func() {
		l.c.markClosed()
		s := l.c.srv
		if s != nil && len(s.onClose) > 0 && !s.stopped.Load() {
			go func() {
				for _, fn := range s.onClose {
					fn(l.c)
				}
			}()
		}
	})
	return nil
}

func (l *localConn) RemoteAddr() net.Addr { return net.TCPAddrFromAddrPort(l.c.remote) }

func (l *localConn) LocalAddr() net.Addr { return net.TCPAddrFromAddrPort(l.c.local) }

func (l *localConn) Wake(gnet.AsyncCallback) error { return errLocalUnsupported }
