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
	// unread; the connection is closing and takes no more writes.
	overflowed atomic.Bool
	// queued counts response bytes handed to the event loop and not yet
	// written; buffered is the outbound buffer's size after the last write.
	queued, buffered atomic.Int64

	opaque  atomic.Int32
	mu      sync.Mutex // guards pending
	pending map[int32]chan *wire.Command

	// proto is protoUndecided until the first byte arrives, then
	// protoPlain or protoTLS (tls.go); read and written on the event loop.
	proto uint8
	// tls is set, before any request is dispatched, on TLS connections.
	tls *tlsSession

	// Language is the LanguageCode of the last request seen.
	language atomic.Uint32
	version  atomic.Int32

	// out gathers the frames of a socket connection for the event loop;
	// flush is c.flushOut, made once.
	out   outBatch
	flush gnet.AsyncCallback
}

// outBatch holds the frames written to a socket connection since the
// event loop last wrote them. Workers append whole frames; the first
// frame into an empty batch queues one flush task, and every frame
// appended before the task runs goes out in the same write(2), so a burst
// of responses (a group commit waking its producers, many pulls answered
// at once) costs one system call instead of one each.
type outBatch struct {
	mu     sync.Mutex
	buf    []byte // frames not yet handed to the event loop
	spare  []byte // the previous buf, written and ready for reuse
	queued bool   // a flush task is queued on the event loop
}

// maxSpareBatch is the largest batch buffer kept for reuse.
const maxSpareBatch = 1 << 20

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
	if c.sock && c.tls == nil {
		return c.writeBatched(cmd)
	}
	bb := bytebufferpool.Get()
	bb.B = cmd.AppendFrame(bb.B[:0])
	if c.tls != nil {
		err := c.tls.write(bb.B)
		bytebufferpool.Put(bb)
		return err
	}
	n := len(bb.B)
	if !c.reserve(n) {
		bytebufferpool.Put(bb)
		return ErrClosed
	}
	err := c.gc.AsyncWrite(bb.B, func(gc gnet.Conn, _ error) error {
		bytebufferpool.Put(bb)
		c.written(gc, n)
		return nil
	})
	if err != nil {
		bytebufferpool.Put(bb)
		c.unreserve(n)
	}
	return err
}

// writeBatched appends cmd's frame to the batch and queues a flush if
// none is queued.
func (c *Conn) writeBatched(cmd *wire.Command) error {
	b := &c.out
	b.mu.Lock()
	start := len(b.buf)
	b.buf = cmd.AppendFrame(b.buf)
	n := len(b.buf) - start
	if !c.reserve(n) {
		b.buf = b.buf[:start]
		b.mu.Unlock()
		return ErrClosed
	}
	queue := !b.queued
	b.queued = true
	b.mu.Unlock()
	if !queue {
		return nil
	}
	// An empty writev runs no system call: the task only calls flush.
	err := c.gc.AsyncWritev(nil, c.flush)
	if err != nil {
		b.mu.Lock()
		dropped := len(b.buf)
		b.buf, b.queued = b.buf[:0], false
		b.mu.Unlock()
		c.unreserve(dropped)
	}
	return err
}

// flushOut runs on the event loop: it takes the batch and writes it (what
// the socket does not take goes to gnet's outbound buffer).
func (c *Conn) flushOut(gc gnet.Conn, err error) error {
	b := &c.out
	b.mu.Lock()
	buf := b.buf
	b.buf, b.spare, b.queued = b.spare[:0], nil, false
	b.mu.Unlock()
	if err == nil && len(buf) > 0 {
		_, _ = gc.Write(buf) // a failed write closes the connection
	}
	if err == nil {
		c.written(gc, len(buf))
	} else {
		c.unreserve(len(buf))
	}
	if cap(buf) <= maxSpareBatch {
		b.mu.Lock()
		b.spare = buf[:0]
		b.mu.Unlock()
	}
	return nil
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
	if c.tls != nil {
		err := c.tls.writeVec(vec)
		finish()
		return err
	}
	total := len(bb.B) + n
	if !c.reserve(total) {
		finish()
		return ErrClosed
	}
	err := c.gc.AsyncWritev(vec, func(gc gnet.Conn, _ error) error {
		finish()
		c.written(gc, total)
		return nil
	})
	if err != nil {
		finish()
		c.unreserve(total)
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

// Write-side back-pressure. Responses from workers reach the event loop
// as queued write tasks, which gnet runs ahead of a close; so the bytes
// are counted before they are queued (queued) and the outbound buffer is
// sampled after each write (buffered), and a write that would take the
// two past MaxPendingWrite is refused and closes the connection. A single
// response larger than the cap still goes out when nothing else waits.

// reserve counts n bytes about to be queued for the event loop; it
// reports false, closing the connection, when the peer already leaves too
// much unread.
func (c *Conn) reserve(n int) bool {
	if !c.sock {
		return true
	}
	if c.overflowed.Load() {
		return false
	}
	limit := int64(c.srv.cfg.MaxPendingWrite)
	if limit <= 0 {
		return true
	}
	q := c.queued.Add(int64(n))
	b := c.buffered.Load()
	if q+b > limit && (q != int64(n) || b != 0) {
		c.queued.Add(-int64(n))
		c.overflow(q + b)
		return false
	}
	return true
}

// unreserve takes back a reservation whose write was not queued.
func (c *Conn) unreserve(n int) {
	if c.sock && c.srv.cfg.MaxPendingWrite > 0 {
		c.queued.Add(-int64(n))
	}
}

// written runs on the event loop after a queued write of n bytes: the
// bytes now sit in the socket or in gc's outbound buffer, which may be
// read here.
func (c *Conn) written(gc gnet.Conn, n int) {
	c.unreserve(n)
	c.checkPending(gc)
}

// checkPending samples gc's outbound buffer (on the event loop) and closes
// the connection when it holds more than MaxPendingWrite bytes.
func (c *Conn) checkPending(gc gnet.Conn) {
	if !c.sock || gc == nil {
		return
	}
	limit := c.srv.cfg.MaxPendingWrite
	if limit <= 0 {
		return
	}
	n := gc.OutboundBuffered()
	c.buffered.Store(int64(n))
	if n > limit {
		c.overflow(int64(n))
	}
}

// overflow closes a connection whose peer does not read, once.
func (c *Conn) overflow(pending int64) {
	if c.overflowed.CompareAndSwap(false, true) {
		c.srv.log.Warn("closing connection: peer does not read its responses", "remote", c.remote, "pending", pending, "max", c.srv.cfg.MaxPendingWrite)
		_ = c.gc.Close()
	}
}

func addrPort(a net.Addr) netip.AddrPort {
	if ta, ok := a.(*net.TCPAddr); ok {
		ap := ta.AddrPort()
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return netip.AddrPort{}
}
