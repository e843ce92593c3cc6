package transport

import (
	"context"
	"log/slog"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
)

// gnet stops its whole engine when accept fails, as it does with EMFILE
// once the process runs out of descriptors; the server must come back on
// its own once descriptors are free again. (The descriptor limit is the
// process's, so this test changes it briefly; the cap is off so accept
// itself hits the limit.)
func TestServerSurvivesEMFILEOnAccept(t *testing.T) {
	var logs syncBuffer
	addr, srv := startEchoWith(t, func(c *ServerConfig) { c.MaxConns = 0 }, slog.New(slog.NewTextHandler(&logs, nil)))
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Skip(err)
	}
	low := old
	low.Cur = uint64(countOpenFDs(t) + 16)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Skip(err)
	}
	var conns []net.Conn
	for i := 0; i < 64; i++ {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		conns = append(conns, c)
	}
	// Let the server's accepts fail on the exhausted table.
	time.Sleep(200 * time.Millisecond)
	for _, c := range conns {
		c.Close()
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, 30*time.Second, "the server accepting again", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		cl, err := Dial(ctx, addr)
		if err != nil {
			return false
		}
		defer cl.Close()
		resp, err := cl.Invoke(ctx, wire.NewRequest(wire.GetRouteinfoByTopic))
		return err == nil && resp.ResponseCode() == wire.Success
	})
	if !strings.Contains(logs.String(), "remoting engine stopped; restarting it") {
		t.Fatalf("accept never failed (the test exhausted no descriptors?); logs:\n%s", logs.String())
	}
	srv.Stop()
}

func countOpenFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip(err)
	}
	return len(ents)
}
