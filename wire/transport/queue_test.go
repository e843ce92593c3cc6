package transport

import (
	"context"
	"testing"
	"time"

	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
)

// QueueSize and QueueHeadWait describe a class's queue: empty, then one
// held request whose wait grows with the clock passed in.
func TestQueueHeadWait(t *testing.T) {
	addr, srv := startEchoWith(t, func(c *ServerConfig) { c.Pools[Send].MaxWait = 0 })
	cl := dial(t, addr)
	if n, w := srv.QueueSize(Send), srv.QueueHeadWait(Send, time.Now()); n != 0 || w != 0 {
		t.Fatalf("empty queue: size %d, head wait %v", n, w)
	}
	release := srv.Hold(Send)
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := cl.Invoke(ctx, wire.NewRequest(wire.SendMessage))
		done <- err
	}()
	testutil.Eventually(t, 10*time.Second, "the send queued", func() bool { return srv.QueueSize(Send) == 1 })
	if w := srv.QueueHeadWait(Send, time.Now().Add(time.Hour)); w < time.Hour {
		t.Errorf("head wait an hour from now: %v", w)
	}
	if w := srv.QueueHeadWait(Pull, time.Now().Add(time.Hour)); w != 0 {
		t.Errorf("empty pull queue's head wait: %v", w)
	}
	if w := srv.QueueHeadWait(Inline, time.Now()); w != 0 {
		t.Errorf("inline head wait: %v", w)
	}
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if w := srv.QueueHeadWait(Send, time.Now().Add(time.Hour)); w != 0 {
		t.Errorf("head wait after the queue drained: %v", w)
	}
}
