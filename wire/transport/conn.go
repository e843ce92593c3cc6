package transport

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/panjf2000/gnet/v2"
	"github.com/valyala/bytebufferpool"

	"github.com/booster-mq/booster/wire"
)

// ErrClosed is returned for writes and calls on a closed connection.
var ErrClosed = errors.New("transport: connection closed")

// Conn is the server side of one client connection.
//
// Write, Reply and Invoke are safe for concurrent use from any goroutine.
type Conn struct {
	gc     gnet.Conn
	srv    *Server
	id     uint64
	remote netip.AddrPort
	local  netip.AddrPort
	closed atomic.Bool
	// sock is set for connections with a socket (not local ones); only
	// those have an outbound buffer to watch.
	sock bool
	// lastActive is the unix nanos of the last read or write (idle timeout).
	lastActive atomic.Int64
	// overflowed is set once the peer left more than MaxPendingWrite bytes
	// unread; the connection is closing.
	overflowed atomic.Bool

	opaque  atomic.Int32
	mu      sync.Mutex // guards pending
	pending map[int32]chan *wire.Command

	// Language is the LanguageCode of the last request seen.
	language atomic.Uint32
	version  atomic.Int32
}

// ID is a process-unique connection number.
func (c *Conn) ID() uint64 { return c.id }

// RemoteAddr is the peer's address (IPv4-mapped addresses unmapped).
func (c *Conn) RemoteAddr() netip.AddrPort { return c.remote }

// LocalAddr is the address the peer connected to.
func (c *Conn) LocalAddr() netip.AddrPort { return c.local }

// Language returns the LanguageCode of the peer's last request.
func (c *Conn) Language() byte { return byte(c.language.Load()) }

// Version returns the version the peer's last request carried.
func (c *Conn) Version() int32 { return c.version.Load() }

// Closed reports whether the connection has closed.
func (c *Conn) Closed() bool { return c.closed.Load() }

// Write sends cmd on the connection from any goroutine.
func (c *Conn) Write(cmd *wire.Command) error {
	if c.closed.Load() {
		return ErrClosed
	}
	c.touch()
	bb := bytebufferpool.Get()
	bb.B = cmd.AppendFrame(bb.B[:0])
	err := c.gc.AsyncWrite(bb.B, func(gc gnet.Conn, _ error) error {
		bytebufferpool.Put(bb)
		c.checkPending(gc)
		return nil
	})
	if err != nil {
		bytebufferpool.Put(bb)
	}
	return err
}

// WriteVec sends cmd with a body made of parts (which may alias store
// memory) without concatenating them; done runs once the bytes have been
// written or the write failed, so the caller can release the parts.
func (c *Conn) WriteVec(cmd *wire.Command, parts [][]byte, done func()) error {
	if c.closed.Load() {
		if done != nil {
			done()
		}
		return ErrClosed
	}
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	bb := bytebufferpool.Get()
	bb.B = cmd.AppendHeader(bb.B[:0], n)
	vec := make([][]byte, 0, len(parts)+1)
	vec = append(vec, bb.B)
	vec = append(vec, parts...)
	var once sync.Once
	finish := func() {
		once.Do(func() {
			bytebufferpool.Put(bb)
			if done != nil {
				done()
			}
		})
	}
	c.touch()
	err := c.gc.AsyncWritev(vec, func(gc gnet.Conn, _ error) error {
		finish()
		c.checkPending(gc)
		return nil
	})
	if err != nil {
		finish()
	}
	return err
}

// Reply writes the deferred response to req, if req expects one.
func (c *Conn) Reply(req *wire.Command, resp *wire.Command) error {
	if req.IsOneway() || resp == nil {
		return nil
	}
	resp.Opaque = req.Opaque
	resp.Flag |= wire.FlagResponse
	resp.Serialize = req.Serialize
	return c.Write(resp)
}

// Oneway sends a server-initiated oneway request (JSON, as Java brokers do).
func (c *Conn) Oneway(cmd *wire.Command) error {
	cmd.Opaque = c.opaque.Add(1)
	cmd.Flag |= wire.FlagOneway
	cmd.Serialize = wire.JSON
	return c.Write(cmd)
}

// Invoke sends a server-initiated request and waits for the client's answer.
func (c *Conn) Invoke(ctx context.Context, cmd *wire.Command) (*wire.Command, error) {
	cmd.Opaque = c.opaque.Add(1)
	cmd.Serialize = wire.JSON
	ch := make(chan *wire.Command, 1)
	c.mu.Lock()
	if c.pending == nil {
		c.pending = map[int32]chan *wire.Command{}
	}
	c.pending[cmd.Opaque] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, cmd.Opaque)
		c.mu.Unlock()
	}()
	if err := c.Write(cmd); err != nil {
		return nil, err
	}
	select {
	case resp, ok := <-ch:
		if !ok {
			return nil, ErrClosed
		}
		return resp, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// complete hands a response to the Invoke waiting for it.
func (c *Conn) complete(resp *wire.Command) bool {
	c.mu.Lock()
	ch, ok := c.pending[resp.Opaque]
	if ok {
		delete(c.pending, resp.Opaque)
	}
	c.mu.Unlock()
	if ok {
		ch <- resp
	}
	return ok
}

func (c *Conn) markClosed() {
	c.closed.Store(true)
	c.mu.Lock()
	for k, ch := range c.pending {
		close(ch)
		delete(c.pending, k)
	}
	c.mu.Unlock()
}

// Close closes the connection.
func (c *Conn) Close() error { return c.gc.Close() }

// touch records activity for the idle timeout, on the sweeper's coarse
// clock (no clock read per read or write).
func (c *Conn) touch() {
	if c.sock {
		c.lastActive.Store(c.srv.now.Load())
	}
}

// checkPending closes the connection when its peer has left more than
// MaxPendingWrite bytes unread. It runs on the event loop (after a write
// there or in an async write's callback), where gc's outbound buffer may
// be read.
func (c *Conn) checkPending(gc gnet.Conn) {
	if !c.sock || gc == nil || c.overflowed.Load() {
		return
	}
	limit := c.srv.cfg.MaxPendingWrite
	if limit <= 0 {
		return
	}
	if n := gc.OutboundBuffered(); n > limit {
		c.overflowed.Store(true)
		c.srv.log.Warn("closing connection: peer does not read its responses", "remote", c.remote, "pending", n, "max", limit)
		_ = gc.Close()
	}
}

func addrPort(a net.Addr) netip.AddrPort {
	if ta, ok := a.(*net.TCPAddr); ok {
		ap := ta.AddrPort()
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return netip.AddrPort{}
}
