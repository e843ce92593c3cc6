package admin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/booster-mq/booster/acl"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// ErrNoNamesrv is returned by NameServer calls when the Client has no
// NameServer address.
var ErrNoNamesrv = errors.New("no NameServer address configured")

// CodeError is an answer with a code other than SUCCESS, or a failure
// Java's admin reports with a response code. Its text is Java's
// MQBrokerException / MQClientException text.
type CodeError struct {
	Addr   string // the address that answered; "" when none did
	Code   wire.ResponseCode
	Remark string
}

func (e *CodeError) Error() string {
	if e.Addr == "" {
		return fmt.Sprintf("CODE: %d DESC: %s", int32(e.Code), OneLine(e.Remark))
	}
	return fmt.Sprintf("CODE: %d DESC: %s (%s)", int32(e.Code), OneLine(e.Remark), e.Addr)
}

// ResponseCode returns the code of a *CodeError in err's chain, or -1.
func ResponseCode(err error) wire.ResponseCode {
	var ce *CodeError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return -1
}

// OneLine folds an error text onto one line.
func OneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// Config is what a Client needs.
type Config struct {
	// Namesrv lists the NameServer addresses, asked in order.
	Namesrv []string
	// Timeout bounds a dial and a call.
	Timeout time.Duration
	// TLS, when set, is used for every connection; nil means plaintext.
	TLS *tls.Config
	// AccessKey and SecretKey, when AccessKey is set, sign every request.
	AccessKey, SecretKey string
}

// Client holds one connection per address. Safe for concurrent use: mu
// guards conns; a transport.Client serves concurrent calls itself.
type Client struct {
	cfg Config

	mu    sync.Mutex
	conns map[string]*transport.Client
}

// New returns a Client; it dials nothing until the first call.
func New(cfg Config) *Client {
	return &Client{cfg: cfg, conns: map[string]*transport.Client{}}
}

// Namesrv returns the NameServer addresses.
func (c *Client) Namesrv() []string { return c.cfg.Namesrv }

// Timeout returns the timeout of a call.
func (c *Client) Timeout() time.Duration { return c.cfg.Timeout }

// Close closes every connection.
func (c *Client) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for addr, cl := range c.conns {
		cl.Close()
		delete(c.conns, addr)
	}
}

// Conn returns the open connection to addr, dialing when there is none.
func (c *Client) Conn(ctx context.Context, addr string) (*transport.Client, error) {
	c.mu.Lock()
	cl := c.conns[addr]
	c.mu.Unlock()
	if cl != nil && cl.Err() == nil {
		return cl, nil
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	cl, err := transport.DialTLS(ctx, addr, c.cfg.TLS)
	if err != nil {
		return nil, fmt.Errorf("connect to %s failed: %w", addr, err)
	}
	c.mu.Lock()
	if old := c.conns[addr]; old != nil && old.Err() == nil {
		c.mu.Unlock()
		cl.Close()
		return old, nil
	}
	c.conns[addr] = cl
	c.mu.Unlock()
	return cl, nil
}

// Invoke signs req, sends it to addr and waits up to timeout for the
// answer, whatever its code.
func (c *Client) Invoke(ctx context.Context, addr string, req *wire.Command, timeout time.Duration) (*wire.Command, error) {
	cl, err := c.Conn(ctx, addr)
	if err != nil {
		return nil, err
	}
	c.sign(req)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := cl.Invoke(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("%v to %s: %w", wire.RequestCode(req.Code), addr, err)
	}
	return resp, nil
}

// sign adds AccessKey and Signature to req (AclClientRPCHook); req's ext
// fields and body must be final.
func (c *Client) sign(req *wire.Command) {
	if c.cfg.AccessKey == "" {
		return
	}
	req.SetExt(acl.AccessKeyField, c.cfg.AccessKey)
	req.SetExt(acl.SignatureField, acl.Signature(req, c.cfg.SecretKey))
}

// Call sends req to addr; an answer with a code other than SUCCESS is
// returned together with a *CodeError.
func (c *Client) Call(ctx context.Context, addr string, req *wire.Command) (*wire.Command, error) {
	return c.CallTimeout(ctx, addr, req, c.cfg.Timeout)
}

// CallTimeout is Call waiting up to timeout for the answer.
func (c *Client) CallTimeout(ctx context.Context, addr string, req *wire.Command, timeout time.Duration) (*wire.Command, error) {
	resp, err := c.Invoke(ctx, addr, req, timeout)
	if err != nil {
		return nil, err
	}
	if resp.ResponseCode() != wire.Success {
		return resp, &CodeError{Addr: addr, Code: resp.ResponseCode(), Remark: resp.Remark}
	}
	return resp, nil
}

// NsCall sends req to the NameServers in order until one answers (Java
// keeps to one NameServer while it is reachable).
func (c *Client) NsCall(ctx context.Context, req *wire.Command) (*wire.Command, error) {
	if len(c.cfg.Namesrv) == 0 {
		return nil, ErrNoNamesrv
	}
	var lastErr error
	for _, addr := range c.cfg.Namesrv {
		resp, err := c.Call(ctx, addr, Clone(req))
		if err == nil || ResponseCode(err) >= 0 {
			return resp, err
		}
		lastErr = err
	}
	return nil, lastErr
}

// NsEach sends req to every NameServer (Java's putKVConfigValue); it
// returns the first failure after trying them all.
func (c *Client) NsEach(ctx context.Context, req *wire.Command) error {
	if len(c.cfg.Namesrv) == 0 {
		return ErrNoNamesrv
	}
	var first error
	for _, addr := range c.cfg.Namesrv {
		if _, err := c.Call(ctx, addr, Clone(req)); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Clone copies a request so it can be sent again.
func Clone(req *wire.Command) *wire.Command {
	c := *req
	c.Ext = append(wire.Fields(nil), req.Ext...)
	return &c
}

// Request builds a request from alternating ext keys and values.
func Request(code wire.RequestCode, kv ...string) *wire.Command {
	req := wire.NewRequest(code)
	for i := 0; i+1 < len(kv); i += 2 {
		req.SetExt(kv[i], kv[i+1])
	}
	return req
}
