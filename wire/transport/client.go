package transport

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/wire"
)

// Client is a small blocking remoting client: one TCP connection, requests
// matched to responses by opaque. It serves the broker's calls to the
// NameServer, tools and tests. Safe for concurrent use.
type Client struct {
	conn   net.Conn
	opaque atomic.Int32
	wmu    sync.Mutex // serializes frame writes
	mu     sync.Mutex // guards pending and err
	pend   map[int32]chan *wire.Command
	err    error
	done   chan struct{}

	// OnRequest, when set before the first call, answers requests the
	// server sends (nil reply = no answer).
	OnRequest func(*wire.Command) *wire.Command
	// Serialize is the header serialization requests are sent in.
	Serialize wire.SerializeType
}

// Dial connects to a remoting server.
func Dial(ctx context.Context, addr string) (*Client, error) {
	return DialTLS(ctx, addr, nil)
}

// DialTLS connects to a remoting server over TLS with cfg (see
// TLSConfig.ClientTLS), or in plaintext when cfg is nil.
func DialTLS(ctx context.Context, addr string, cfg *tls.Config) (*Client, error) {
	var conn net.Conn
	var err error
	if cfg != nil {
		d := tls.Dialer{Config: cfg}
		conn, err = d.DialContext(ctx, "tcp", addr)
	} else {
		var d net.Dialer
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return nil, err
	}
	c := &Client{conn: conn, pend: map[int32]chan *wire.Command{}, done: make(chan struct{})}
	go c.readLoop()
	return c, nil
}

// Addr is the remote address.
func (c *Client) Addr() string { return c.conn.RemoteAddr().String() }

// LocalAddr is the local address of the connection.
func (c *Client) LocalAddr() net.Addr { return c.conn.LocalAddr() }

// Done is closed when the connection ends.
func (c *Client) Done() <-chan struct{} { return c.done }

// Close closes the connection; pending calls fail.
func (c *Client) Close() error { return c.conn.Close() }

// Err returns why the connection ended, or nil while it is open.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *Client) readLoop() {
	r := bufio.NewReaderSize(c.conn, 64*1024)
	var err error
	for {
		var cmd *wire.Command
		cmd, err = readFrame(r)
		if err != nil {
			break
		}
		if cmd.IsResponse() {
			c.mu.Lock()
			ch := c.pend[cmd.Opaque]
			delete(c.pend, cmd.Opaque)
			c.mu.Unlock()
			if ch != nil {
				ch <- cmd
			}
			continue
		}
		if c.OnRequest != nil {
			if resp := c.OnRequest(cmd); resp != nil && !cmd.IsOneway() {
				resp.Opaque = cmd.Opaque
				resp.Flag |= wire.FlagResponse
				resp.Serialize = cmd.Serialize
				_ = c.write(resp)
			}
		}
	}
	c.mu.Lock()
	c.err = err
	for k, ch := range c.pend {
		close(ch)
		delete(c.pend, k)
	}
	c.mu.Unlock()
	c.conn.Close()
	close(c.done)
}

// ReadFrame reads and decodes one frame from r.
func readFrame(r io.Reader) (*wire.Command, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	if _, err := wire.FrameLength(hdr[:]); err != nil {
		return nil, err
	}
	total := int(binary.BigEndian.Uint32(hdr[:]))
	frame := make([]byte, 4+total)
	copy(frame, hdr[:])
	if _, err := io.ReadFull(r, frame[4:]); err != nil {
		return nil, err
	}
	cmd := new(wire.Command)
	if err := wire.Decode(frame, cmd, true); err != nil {
		return nil, err
	}
	return cmd, nil
}

func (c *Client) write(cmd *wire.Command) error {
	buf := cmd.AppendFrame(nil)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err := c.conn.Write(buf)
	return err
}

// Invoke sends a request and waits for its response or ctx.
func (c *Client) Invoke(ctx context.Context, cmd *wire.Command) (*wire.Command, error) {
	cmd.Opaque = c.opaque.Add(1)
	cmd.Serialize = c.Serialize
	ch := make(chan *wire.Command, 1)
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return nil, fmt.Errorf("%w: %v", ErrClosed, err)
	}
	c.pend[cmd.Opaque] = ch
	c.mu.Unlock()
	if err := c.write(cmd); err != nil {
		c.mu.Lock()
		delete(c.pend, cmd.Opaque)
		c.mu.Unlock()
		return nil, err
	}
	select {
	case resp, ok := <-ch:
		if !ok {
			return nil, ErrClosed
		}
		return resp, nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pend, cmd.Opaque)
		c.mu.Unlock()
		return nil, fmt.Errorf("%v to %s: %w", wire.RequestCode(cmd.Code), c.Addr(), ctx.Err())
	}
}

// Oneway sends a request flagged oneway and returns once it is written.
func (c *Client) Oneway(cmd *wire.Command) error {
	cmd.Opaque = c.opaque.Add(1)
	cmd.Flag |= wire.FlagOneway
	cmd.Serialize = c.Serialize
	return c.write(cmd)
}
