package transport

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
)

// waitClosed reads from c until the server closes it; it fails the test
// when the connection is still open after a minute.
func waitClosed(t *testing.T, c net.Conn, what string) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(time.Minute))
	if _, err := io.Copy(io.Discard, c); err != nil && strings.Contains(err.Error(), "timeout") {
		t.Fatalf("%s: connection still open", what)
	}
}

func invokeOK(t *testing.T, cl *Client, code wire.RequestCode) *wire.Command {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := cl.Invoke(ctx, wire.NewRequest(code))
	if err != nil {
		t.Fatalf("%v: %v", code, err)
	}
	return resp
}

func dial(t *testing.T, addr string) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, err := Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

// A connection that stops talking, including one that stalls in the
// middle of a frame, is closed after IdleTimeout; a busy one is not.
func TestIdleConnectionsAreClosed(t *testing.T) {
	addr, srv := startEchoWith(t, func(c *ServerConfig) { c.IdleTimeout = 300 * time.Millisecond })
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	half, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer half.Close()
	frame := wire.NewRequest(wire.GetRouteinfoByTopic).AppendFrame(nil)
	if _, err := half.Write(frame[:len(frame)/2]); err != nil {
		t.Fatal(err)
	}
	busy := dial(t, addr)
	stop := make(chan struct{})
	var calls atomic.Int64
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if _, err := busy.Invoke(ctx, wire.NewRequest(wire.GetRouteinfoByTopic)); err == nil {
				calls.Add(1)
			}
			cancel()
			time.Sleep(20 * time.Millisecond)
		}
	}()
	waitClosed(t, idle, "idle connection")
	waitClosed(t, half, "half-frame connection")
	close(stop)
	if busy.Err() != nil || calls.Load() == 0 {
		t.Fatalf("busy connection: %v after %d calls", busy.Err(), calls.Load())
	}
	testutil.Eventually(t, 10*time.Second, "closed connections forgotten", func() bool { return len(srv.Conns()) == 1 })
}

// Accepted sockets carry TCP keepalive, so a peer that vanished without a
// FIN is found even when nothing is being written to it.
func TestAcceptedSocketsKeepAlive(t *testing.T) {
	addr, srv := startEcho(t)
	cl := dial(t, addr)
	invokeOK(t, cl, wire.GetRouteinfoByTopic)
	conns := srv.Conns()
	if len(conns) != 1 {
		t.Fatalf("%d conns", len(conns))
	}
	on, err := syscall.GetsockoptInt(conns[0].gc.Fd(), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE)
	if err != nil || on != 1 {
		t.Fatalf("SO_KEEPALIVE = %d, %v", on, err)
	}
	idle, err := syscall.GetsockoptInt(conns[0].gc.Fd(), syscall.IPPROTO_TCP, syscall.TCP_KEEPIDLE)
	if err != nil || idle != 60 {
		t.Fatalf("TCP_KEEPIDLE = %d, %v", idle, err)
	}
}

// Past MaxConns a new connection is closed at once; the others keep working.
func TestMaxConnections(t *testing.T) {
	addr, _ := startEchoWith(t, func(c *ServerConfig) { c.MaxConns = 3 })
	var cls []*Client
	for i := 0; i < 3; i++ {
		cl := dial(t, addr)
		invokeOK(t, cl, wire.GetRouteinfoByTopic)
		cls = append(cls, cl)
	}
	extra, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer extra.Close()
	waitClosed(t, extra, "connection over the cap")
	for _, cl := range cls {
		invokeOK(t, cl, wire.GetRouteinfoByTopic)
	}
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A client that pipelines requests and never reads the responses is
// closed once MaxPendingWrite bytes wait for it, with a log line; another
// client is served throughout.
func TestSlowReaderIsClosed(t *testing.T) {
	var logs syncBuffer
	addr, _ := startEchoWith(t, func(c *ServerConfig) { c.MaxPendingWrite = 1 << 20 },
		slog.New(slog.NewTextHandler(&logs, nil)))
	good := dial(t, addr)
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	req := wire.NewRequest(wire.SendMessage)
	req.Body = bytes.Repeat([]byte("x"), 64<<10)
	frame := req.AppendFrame(nil)
	// 64 MiB of responses: far more than the socket buffers hold.
	go func() {
		for i := 0; i < 1024; i++ {
			if _, err := slow.Write(frame); err != nil {
				return
			}
		}
	}()
	testutil.Eventually(t, time.Minute, "the slow reader closed with a log line", func() bool {
		invokeOK(t, good, wire.GetRouteinfoByTopic)
		return strings.Contains(logs.String(), "peer does not read its responses")
	})
	waitClosed(t, slow, "slow reader")
	invokeOK(t, good, wire.GetRouteinfoByTopic)
}

// A request that waits in its queue past MaxWait is answered
// SYSTEM_BUSY [TIMEOUT_CLEAN_QUEUE] while the workers are still busy.
func TestQueueTimeoutAnswersSystemBusy(t *testing.T) {
	addr, srv := startEchoWith(t, func(c *ServerConfig) { c.Pools[Send].MaxWait = 100 * time.Millisecond })
	cl := dial(t, addr)
	release := srv.Hold(Send)
	resp := invokeOK(t, cl, wire.SendMessage)
	if resp.ResponseCode() != wire.SystemBusy || !strings.HasPrefix(resp.Remark, "[TIMEOUT_CLEAN_QUEUE]broker busy, start flow control for a while, period in queue: ") {
		t.Fatalf("held send: %v %q", resp.ResponseCode(), resp.Remark)
	}
	release()
	if resp := invokeOK(t, cl, wire.SendMessage); resp.ResponseCode() != wire.Success {
		t.Fatalf("after release: %v %q", resp.ResponseCode(), resp.Remark)
	}
}

// While the store is congested sends are refused before they queue
// ([REJECTREQUEST]) and queued ones are answered ([PCBUSY_CLEAN_QUEUE]);
// other classes are not affected.
func TestStoreBusyRejectsSends(t *testing.T) {
	var busy atomic.Bool
	addr, srv := startEchoWith(t, func(c *ServerConfig) {
		c.Busy = busy.Load
		c.Pools[Send].MaxWait = 0
	})
	cl := dial(t, addr)
	busy.Store(true)
	if resp := invokeOK(t, cl, wire.SendMessage); resp.ResponseCode() != wire.SystemBusy || resp.Remark != "[REJECTREQUEST]system busy, start flow control for a while" {
		t.Fatalf("send while busy: %v %q", resp.ResponseCode(), resp.Remark)
	}
	if resp := invokeOK(t, cl, wire.GetRouteinfoByTopic); resp.ResponseCode() != wire.Success {
		t.Fatalf("inline request while busy: %v", resp.ResponseCode())
	}
	busy.Store(false)
	release := srv.Hold(Send)
	defer release()
	done := make(chan *wire.Command, 1)
	go func() { done <- invokeOK(t, cl, wire.SendMessage) }()
	testutil.Eventually(t, 10*time.Second, "the send queued", func() bool { return srv.QueueSize(Send) == 1 })
	busy.Store(true)
	if resp := <-done; resp.ResponseCode() != wire.SystemBusy || !strings.HasPrefix(resp.Remark, "[PCBUSY_CLEAN_QUEUE]broker busy") {
		t.Fatalf("queued send while busy: %v %q", resp.ResponseCode(), resp.Remark)
	}
}

// Stop answers every queued request before it closes the connections.
func TestStopDrainsQueuedRequests(t *testing.T) {
	addr, srv := startEchoWith(t, func(c *ServerConfig) { c.Pools[Send].MaxWait = 0 })
	cl := dial(t, addr)
	release := srv.Hold(Send)
	defer release()
	const n = 20
	results := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			resp, err := cl.Invoke(ctx, wire.NewRequest(wire.SendMessage))
			if err == nil && resp.ResponseCode() != wire.Success {
				err = io.ErrUnexpectedEOF
			}
			results <- err
		}()
	}
	testutil.Eventually(t, 10*time.Second, "all sends queued", func() bool { return srv.QueueSize(Send) == n })
	srv.Stop()
	for i := 0; i < n; i++ {
		if err := <-results; err != nil {
			t.Fatalf("queued send lost at Stop: %v", err)
		}
	}
}

// A frame header declaring more than the maximum, or a negative length,
// closes the connection before anything is buffered.
func TestHugeFrameLengthClosesAtOnce(t *testing.T) {
	addr, _ := startEcho(t)
	for _, n := range []uint32{16<<20 + 1, 0x80000000, 0, 3} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		var hdr [8]byte
		binary.BigEndian.PutUint32(hdr[:], n)
		_, _ = c.Write(hdr[:])
		waitClosed(t, c, fmt.Sprint("frame length ", n))
		c.Close()
	}
}
