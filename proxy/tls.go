package proxy

// The gRPC port speaks TLS and plaintext alike (Apache's proxy's default
// TlsMode.PERMISSIVE): a connection whose first byte is a TLS handshake
// record (0x16) is served over TLS with a self-signed certificate made at
// start (Apache's tlsTestModeEnable, the default; the 5.x clients enable
// TLS by default and do not verify the certificate), anything else as
// plaintext HTTP/2.

import (
	"bufio"
	"crypto/tls"
	"net"
	"sync"

	"github.com/booster-mq/booster/wire/transport"
)

// selfSignedTLS returns a server TLS config with a fresh self-signed
// certificate, offering HTTP/2 by ALPN.
func selfSignedTLS() (*tls.Config, error) {
	cert, err := transport.SelfSignedCertificate()
	if err != nil {
		return nil, err
	}
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		NextProtos:   []string{"h2"},
		MinVersion:   tls.VersionTLS12,
	}, nil
}

// permissiveListener hands out TLS connections for clients that start a
// TLS handshake and plain ones otherwise.
type permissiveListener struct {
	net.Listener
	tls *tls.Config
}

// Accept implements net.Listener. The first byte is read by the
// connection's first Read (on the gRPC server's goroutine), not here.
func (l *permissiveListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &sniffConn{Conn: c, tls: l.tls}, nil
}

// sniffConn decides on its first Read whether it is TLS.
type sniffConn struct {
	net.Conn
	tls *tls.Config

	mu    sync.Mutex // guards inner, err
	inner net.Conn   // the connection reads and writes go to, once decided
	err   error
}

func (c *sniffConn) decide() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inner != nil || c.err != nil {
		return c.err
	}
	c.err = c.sniff()
	return c.err
}

func (c *sniffConn) sniff() error {
	br := bufio.NewReader(c.Conn)
	first, err := br.Peek(1)
	if err != nil {
		return err
	}
	pc := &peekedConn{Conn: c.Conn, r: br}
	if first[0] == 0x16 {
		tc := tls.Server(pc, c.tls)
		if err := tc.Handshake(); err != nil {
			return err
		}
		c.inner = tc
	} else {
		c.inner = pc
	}
	return nil
}

func (c *sniffConn) Read(p []byte) (int, error) {
	if err := c.decide(); err != nil {
		return 0, err
	}
	return c.inner.Read(p)
}

func (c *sniffConn) Write(p []byte) (int, error) {
	if err := c.decide(); err != nil {
		return 0, err
	}
	return c.inner.Write(p)
}

func (c *sniffConn) Close() error { return c.Conn.Close() }

// peekedConn reads through the buffered reader that peeked.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }
