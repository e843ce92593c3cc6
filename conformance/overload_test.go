package conformance

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/primitive"

	"github.com/booster-mq/booster/wire/transport"
)

// While the send executor is saturated (held on purpose here), a send
// that waits past waitTimeMillsInSendQueue (200 ms) is answered
// SYSTEM_BUSY [TIMEOUT_CLEAN_QUEUE] instead of being stored, and the Go
// client reports it ("CODE: 2"); the client does not retry code 2 itself
// (its needRetryCode covers 1, 14, 16 and 17; Java's producer does retry
// SYSTEM_BUSY), so the application retries, and once the executor drains
// the retry is stored exactly once.
func TestSendBusyThenRetrySucceeds(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.c.Broker()
	if b == nil {
		t.Skip("holds the executor of an in-process broker")
	}
	topic := h.name("t")
	p := h.newProducer()
	sendSync(t, p, primitive.NewMessage(topic, []byte("before")))

	release := b.Server().Hold(transport.Send)
	var busy []string
	var mu sync.Mutex
	done := make(chan error, 1)
	go func() {
		// The application's retry loop.
		for attempt := 0; attempt < 50; attempt++ {
			ctx, cancel := context.WithTimeout(context.Background(), 2*sendTimeout)
			res, err := p.SendSync(ctx, primitive.NewMessage(topic, []byte("during")))
			cancel()
			if err == nil && res.Status == primitive.SendOK {
				done <- nil
				return
			}
			mu.Lock()
			busy = append(busy, fmt.Sprint(err))
			mu.Unlock()
		}
		done <- fmt.Errorf("never stored")
	}()
	eventually(t, consumeWait, "a send answered SYSTEM_BUSY", func() (bool, string) {
		mu.Lock()
		defer mu.Unlock()
		return len(busy) > 0, "no answer yet"
	})
	release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	for _, e := range busy {
		if !strings.Contains(e, "CODE: 2") || !strings.Contains(e, "[TIMEOUT_CLEAN_QUEUE]broker busy, start flow control for a while") {
			t.Errorf("busy send failed with %q, want CODE: 2 [TIMEOUT_CLEAN_QUEUE]", e)
		}
	}
	t.Logf("%d attempts answered SYSTEM_BUSY before the executor drained; first: %s", len(busy), busy[0])
	mu.Unlock()

	col := &collector{}
	h.startPush(h.name("cg"), topic, subAll, col)
	col.waitAll(t, "both messages", []string{"before", "during"})
	sendSync(t, p, primitive.NewMessage(topic, []byte("after")))
	col.waitAll(t, "the message after", []string{"after"})
	if _, count := col.byBody(); count["during"] != 1 {
		t.Errorf("the retried message was stored %d times, want once (busy answers must not store)", count["during"])
	}
}

// A broker shut down gracefully (Close in process, SIGTERM for the binary)
// while producers send loses none of the messages it acknowledged: after
// the restart every acknowledged message is consumed.
func TestGracefulShutdownLosesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if !h.c.CanRestart() {
		t.Skip("cannot restart an external broker")
	}
	topic := h.name("t")
	p := h.newProducer()
	sendSync(t, p, primitive.NewMessage(topic, []byte("first")))
	var (
		mu     sync.Mutex
		acked  = []string{"first"}
		failed int
		stop   = make(chan struct{})
		wg     sync.WaitGroup
	)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body := fmt.Sprintf("w%d-%d", w, i)
				ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
				res, err := p.SendSync(ctx, primitive.NewMessage(topic, []byte(body)))
				cancel()
				mu.Lock()
				if err == nil && res.Status == primitive.SendOK {
					acked = append(acked, body)
				} else {
					failed++
				}
				mu.Unlock()
				if err != nil {
					time.Sleep(20 * time.Millisecond) // back off while the broker restarts
				}
			}
		}(w)
	}
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(acked)
	}
	eventually(t, consumeWait, "sends acknowledged before the shutdown", func() (bool, string) {
		return count() >= 200, fmt.Sprint(count())
	})
	h.c.RestartBroker()
	n := count()
	eventually(t, consumeWait, "sends acknowledged after the restart", func() (bool, string) {
		return count() >= n+200, fmt.Sprint(count() - n)
	})
	close(stop)
	wg.Wait()
	mu.Lock()
	want := append([]string(nil), acked...)
	t.Logf("%d messages acknowledged, %d sends failed around the restart", len(want), failed)
	mu.Unlock()
	col := &collector{}
	h.startPush(h.name("cg"), topic, subAll, col)
	col.waitAll(t, "every acknowledged message after the restart", want)
}
