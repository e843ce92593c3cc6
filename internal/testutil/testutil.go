// Package testutil holds small test helpers: free ports and polling.
package testutil

import (
	"fmt"
	"math/rand/v2"
	"net"
	"testing"
	"time"
)

// Test ports come from below Linux's ephemeral range (ip_local_port_range
// starts at 32768), so an outgoing connection of a test running in parallel
// can never take a port between the check here and the server's bind.
const (
	portLow  = 20000
	portHigh = 32000
)

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago; with
// gap > 0 the port minus gap and the port plus one are free too (a
// broker's listenPort - 2 and its default haListenPort, listenPort + 1).
func FreePort(t testing.TB, gap int) int {
	t.Helper()
	for i := 0; i < 1000; i++ {
		p := portLow + gap + rand.IntN(portHigh-portLow-gap)
		ports := []int{p}
		if gap > 0 {
			ports = append(ports, p-gap, p+1)
		}
		if allFree(ports) {
			return p
		}
	}
	t.Fatal("no free port")
	return 0
}

// allFree reports whether every port can be bound on 127.0.0.1 right now.
func allFree(ports []int) bool {
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for _, p := range ports {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			return false
		}
		held = append(held, l)
	}
	return true
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
