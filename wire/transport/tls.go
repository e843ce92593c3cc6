package transport

// TLS on the event loop. gnet has no TLS, so a TLS connection runs
// crypto/tls over an in-memory net.Conn (pipeConn): OnTraffic copies the
// ciphertext gnet read into it, and one goroutine per TLS connection runs
// the handshake, reads the decrypted stream, splits and decodes frames and
// dispatches them exactly as OnTraffic does for plaintext (Inline handlers
// run on that goroutine, not on the loop). Ciphertext leaves through
// gnet's AsyncWrite, counted by the same write-side back-pressure as
// plaintext responses. Responses to a TLS connection, vectored pull
// responses included, are copied into the TLS writer.
//
// The mode is decided by the connection's first byte, as Apache's
// TlsModeHandler does: 0x16 (a TLS handshake record) can never start a
// remoting frame, whose length would then exceed 16 MiB.

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/panjf2000/gnet/v2"
	"github.com/valyala/bytebufferpool"

	"github.com/booster-mq/booster/wire"
)

// Connection protocols, decided on the first byte.
const (
	protoUndecided uint8 = iota
	protoPlain
	protoTLS
)

// tlsHandshakeByte starts every TLS ClientHello record.
const tlsHandshakeByte = 0x16

// tlsSession is the TLS side of one connection.
type tlsSession struct {
	raw *pipeConn
	tc  *tls.Conn
	// wmu serializes frame writes so that a frame's bytes are never
	// interleaved with another's (crypto/tls locks per record only).
	wmu sync.Mutex
}

// decide looks at a new connection's first byte; it returns false when
// the connection is to be closed.
func (s *Server) decide(c *Conn, gc gnet.Conn) bool {
	first, err := gc.Peek(1)
	if err != nil || len(first) == 0 {
		return true // nothing yet
	}
	isTLS := first[0] == tlsHandshakeByte
	switch {
	case isTLS && s.cfg.TLSMode == TLSDisabled:
		s.log.Warn("closing connection: the client starts a TLS handshake and tls.server.mode is disabled", "remote", c.remote)
		return false
	case isTLS && s.cfg.TLS == nil:
		s.log.Error("closing connection: the client starts a TLS handshake and no certificate is configured (tls.server.certPath, or tls.test.mode.enable=true)", "remote", c.remote)
		return false
	case !isTLS && s.cfg.TLSMode == TLSEnforcing:
		s.log.Warn("closing connection: plaintext connection and tls.server.mode is enforcing", "remote", c.remote)
		return false
	case !isTLS:
		c.proto = protoPlain
		return true
	}
	raw := &pipeConn{c: c}
	raw.cond.L = &raw.mu
	t := &tlsSession{raw: raw, tc: tls.Server(raw, s.cfg.TLS)}
	c.tls = t
	c.proto = protoTLS
	s.tlsWG.Add(1)
	go s.serveTLS(c, t)
	return true
}

// trafficTLS hands the ciphertext gnet read to the connection's session.
func (s *Server) trafficTLS(c *Conn, gc gnet.Conn) gnet.Action {
	buf, _ := gc.Next(-1)
	if len(buf) > 0 && !c.tls.raw.feed(buf) {
		return gnet.Close
	}
	return gnet.None
}

// tlsReadBuffer is the initial size of a TLS connection's plaintext
// buffer; it grows for large frames and goes back to this size once they
// are dispatched, so idle TLS connections hold little memory.
const tlsReadBuffer = 4 << 10

// serveTLS runs the handshake and then reads, splits and dispatches the
// decrypted frames until the connection ends.
func (s *Server) serveTLS(c *Conn, t *tlsSession) {
	defer s.tlsWG.Done()
	if err := t.tc.Handshake(); err != nil {
		if !c.closed.Load() {
			s.log.Warn("closing connection: TLS handshake failed", "remote", c.remote, "err", err)
			_ = c.gc.Close()
		}
		return
	}
	buf := make([]byte, 0, tlsReadBuffer)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := t.tc.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		used, want, ferr := splitFrames(buf, func(frame []byte) error {
			cmd := new(wire.Command)
			if derr := wire.Decode(frame, cmd, false); derr != nil {
				s.log.Warn("closing connection: undecodable frame", "remote", c.remote, "tls", true, "err", derr)
				return derr
			}
			c.touch()
			s.dispatch(c, cmd)
			return nil
		})
		if ferr != nil {
			if !errors.Is(ferr, errDecode) {
				s.log.Warn("closing connection: bad frame", "remote", c.remote, "tls", true, "err", ferr)
			}
			_ = c.gc.Close()
			return
		}
		if used > 0 {
			buf = buf[:copy(buf, buf[used:])]
		}
		if len(buf) == 0 && cap(buf) > 16*tlsReadBuffer {
			buf = make([]byte, 0, tlsReadBuffer)
		}
		if want > cap(buf) {
			grown := make([]byte, len(buf), want)
			copy(grown, buf)
			buf = grown
		}
		if err != nil {
			if err != io.EOF && !c.closed.Load() {
				s.log.Warn("closing connection: TLS read failed", "remote", c.remote, "err", err)
			}
			_ = c.gc.Close()
			return
		}
	}
}

// errDecode marks an emit error in splitFrames (already logged).
var errDecode = errors.New("transport: undecodable frame")

// splitFrames hands each whole frame at the start of buf to emit and
// returns how many bytes they took, and the length of the next frame when
// its prefix is there but not all of it (0 otherwise). A bad prefix, or an
// emit error (wrapped in errDecode), ends it.
func splitFrames(buf []byte, emit func(frame []byte) error) (used, want int, err error) {
	for len(buf)-used >= 4 {
		n, err := wire.FrameLength(buf[used:min(len(buf), used+8)])
		if err != nil {
			return used, 0, err
		}
		if n == 0 {
			return used, 0, nil
		}
		if len(buf)-used < n {
			return used, n, nil
		}
		if err := emit(buf[used : used+n]); err != nil {
			return used, 0, fmt.Errorf("%w: %w", errDecode, err)
		}
		used += n
	}
	return used, 0, nil
}

// write encrypts one encoded frame.
func (t *tlsSession) write(frame []byte) error {
	t.wmu.Lock()
	defer t.wmu.Unlock()
	_, err := t.tc.Write(frame)
	return err
}

// writeVec encrypts a header and body parts as one frame, copying the
// parts through one pooled buffer.
func (t *tlsSession) writeVec(vec [][]byte) error {
	bb := bytebufferpool.Get()
	for _, p := range vec {
		bb.B = append(bb.B, p...)
	}
	err := t.write(bb.B)
	bytebufferpool.Put(bb)
	return err
}

// pipeConn is the net.Conn crypto/tls runs over: reads take the
// ciphertext OnTraffic fed, writes go to gnet's AsyncWrite.
type pipeConn struct {
	c      *Conn
	mu     sync.Mutex
	cond   sync.Cond // signalled on feed and close; L is &mu
	in     []byte    // ciphertext fed; in[off:] is not read yet
	off    int
	closed bool
}

// maxTLSInbound caps ciphertext waiting for the session goroutine: a
// peer that outruns the decryption is closed rather than buffered forever.
const maxTLSInbound = 64 << 20

// feed appends ciphertext (copied); false means the connection should
// close.
func (p *pipeConn) feed(b []byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	if len(p.in)-p.off+len(b) > maxTLSInbound {
		p.c.srv.log.Warn("closing connection: too much unread TLS input", "remote", p.c.remote)
		return false
	}
	if p.off > 0 && len(p.in)+len(b) > cap(p.in) {
		// Move the unread bytes to the front before growing, once per
		// growth rather than once per read.
		p.in = p.in[:copy(p.in, p.in[p.off:])]
		p.off = 0
	}
	p.in = append(p.in, b...)
	p.cond.Signal()
	return true
}

// close ends reads with io.EOF once the fed bytes are consumed.
func (p *pipeConn) close() {
	p.mu.Lock()
	p.closed = true
	p.in, p.off = nil, 0
	p.cond.Broadcast()
	p.mu.Unlock()
}

// Read implements net.Conn.
func (p *pipeConn) Read(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.in) == p.off && !p.closed {
		p.cond.Wait()
	}
	if len(p.in) == p.off {
		return 0, io.EOF
	}
	// Reads advance off instead of moving what is left: a peer far ahead
	// of the decryption (megabytes fed) must not cost a copy of all of it
	// per TLS record read.
	n := copy(b, p.in[p.off:])
	p.off += n
	if p.off == len(p.in) {
		p.in, p.off = p.in[:0], 0
		if cap(p.in) > 1<<20 { // drained after a burst: let the memory go
			p.in = nil
		}
	}
	return n, nil
}

// Write implements net.Conn: the ciphertext is copied and queued on the
// event loop.
func (p *pipeConn) Write(b []byte) (int, error) {
	c := p.c
	if c.closed.Load() {
		return 0, ErrClosed
	}
	n := len(b)
	if !c.reserve(n) {
		return 0, ErrClosed
	}
	bb := bytebufferpool.Get()
	bb.B = append(bb.B[:0], b...)
	err := c.gc.AsyncWrite(bb.B, func(gc gnet.Conn, _ error) error {
		bytebufferpool.Put(bb)
		c.written(gc, n)
		return nil
	})
	if err != nil {
		bytebufferpool.Put(bb)
		c.unreserve(n)
		return 0, err
	}
	return n, nil
}

// Close implements net.Conn.
func (p *pipeConn) Close() error { return p.c.gc.Close() }

// LocalAddr implements net.Conn.
func (p *pipeConn) LocalAddr() net.Addr { return net.TCPAddrFromAddrPort(p.c.local) }

// RemoteAddr implements net.Conn.
func (p *pipeConn) RemoteAddr() net.Addr { return net.TCPAddrFromAddrPort(p.c.remote) }

// SetDeadline implements net.Conn; deadlines are the idle sweeper's.
func (p *pipeConn) SetDeadline(time.Time) error { return nil }

// SetReadDeadline implements net.Conn.
func (p *pipeConn) SetReadDeadline(time.Time) error { return nil }

// SetWriteDeadline implements net.Conn.
func (p *pipeConn) SetWriteDeadline(time.Time) error { return nil }
