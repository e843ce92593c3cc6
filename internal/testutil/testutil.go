// Package testutil holds small test helpers: free ports and polling.
package testutil

import (
	"fmt"
	"net"
	"testing"
	"time"
)

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago; with
// gap > 0 the port minus gap and the port plus one are free too (a
// broker's listenPort - 2 and its default haListenPort, listenPort + 1).
func FreePort(t testing.TB, gap int) int {
	t.Helper()
	for i := 0; i < 100; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		if gap == 0 {
			l.Close()
			return p
		}
		l2, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p-gap))
		if err != nil {
			l.Close()
			continue
		}
		l3, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p+1))
		l.Close()
		l2.Close()
		if err == nil {
			l3.Close()
			return p
		}
	}
	t.Fatal("no free port")
	return 0
}

// Eventually polls cond every 20 ms until it holds or timeout passes.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
