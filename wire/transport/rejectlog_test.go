package transport

import (
	"bytes"
	"context"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/booster-mq/booster/wire"
)

func TestRejectLogOncePerKindAndWindow(t *testing.T) {
	var buf bytes.Buffer
	rl := NewRejectLog(slog.New(slog.NewTextHandler(&buf, nil)))
	peer := netip.MustParseAddrPort("10.0.0.7:51000")
	send := wire.NewRequest(wire.SendMessage)
	busy := wire.NewResponse(send, wire.SystemBusy, "[OVERLOAD]system busy")
	for range 3 {
		rl.Note(peer, wire.SendMessage, busy)
	}
	if n := strings.Count(buf.String(), "request refused"); n != 1 {
		t.Fatalf("logged %d times, want once:\n%s", n, buf.String())
	}
	// The same kind from another port of the same host is the same kind.
	rl.Note(netip.MustParseAddrPort("10.0.0.7:51001"), wire.SendMessage, busy)
	// Once the window has passed, the next one is logged with the count.
	for _, s := range rl.seen {
		s.next = time.Now().Add(-time.Second)
	}
	rl.Note(peer, wire.SendMessage, busy)
	out := buf.String()
	if n := strings.Count(out, "request refused"); n != 2 {
		t.Fatalf("logged %d times, want twice:\n%s", n, out)
	}
	for _, want := range []string{"suppressedSinceLast=3", "reason=\"[OVERLOAD]system busy\"", "remote=10.0.0.7:51000"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
}

func TestRejectLogIgnoresAnswers(t *testing.T) {
	var buf bytes.Buffer
	rl := NewRejectLog(slog.New(slog.NewTextHandler(&buf, nil)))
	peer := netip.MustParseAddrPort("127.0.0.1:1")
	pull := wire.NewRequest(wire.PullMessage)
	route := wire.NewRequest(wire.GetRouteinfoByTopic)
	rl.Note(peer, wire.PullMessage, wire.NewResponse(pull, wire.PullNotFound, ""))
	rl.Note(peer, wire.PullMessage, wire.NewResponse(pull, wire.Success, ""))
	rl.Note(peer, wire.GetRouteinfoByTopic, wire.NewResponse(route, wire.TopicNotExist, "No topic route info"))
	rl.Note(peer, wire.PullMessage, nil)
	if buf.Len() != 0 {
		t.Fatalf("logged an answer as a rejection:\n%s", buf.String())
	}
	rl.Note(peer, wire.SendMessage, wire.NewResponse(wire.NewRequest(wire.SendMessage), wire.TopicNotExist, "topic not exist"))
	if !strings.Contains(buf.String(), "request refused") {
		t.Fatal("a send to a missing topic was not logged")
	}
}

func TestRejectLogBoundsItsMemory(t *testing.T) {
	rl := NewRejectLog(slog.New(slog.DiscardHandler))
	busy := wire.NewResponse(wire.NewRequest(wire.SendMessage), wire.SystemBusy, "")
	for i := range rejectKeysMax + 10 {
		a := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		rl.Note(netip.AddrPortFrom(a, 1), wire.SendMessage, busy)
	}
	if len(rl.seen) > rejectKeysMax {
		t.Fatalf("%d kinds remembered, bound is %d", len(rl.seen), rejectKeysMax)
	}
}

// A code without a route is refused by the server itself, and logged.
func TestServerLogsWhatItRefuses(t *testing.T) {
	var logs syncBuffer
	addr, _ := startEchoWith(t, func(c *ServerConfig) {
		c.Rejects = NewRejectLog(slog.New(slog.NewTextHandler(&logs, nil)))
	})
	cl, err := Dial(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for range 3 {
		resp, err := cl.Invoke(ctx, wire.NewRequest(wire.RequestCode(9999)))
		if err != nil || resp.ResponseCode() != wire.RequestCodeNotSupported {
			t.Fatalf("unknown code: %v %v", resp, err)
		}
	}
	out := logs.String()
	if strings.Count(out, "request refused") != 1 || !strings.Contains(out, "request type 9999 not supported") {
		t.Fatalf("log:\n%s", out)
	}
}
