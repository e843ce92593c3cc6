package conformance

// Resetting a running group's offsets by time with mqadmin
// resetOffsetByTime: the broker answers INVOKE_BROKER_TO_RESET_OFFSET and
// pushes RESET_CONSUMER_CLIENT_OFFSET to the official Go client, which
// re-consumes from the reset point. (Apache 5.x resets on the broker
// instead and moves the client with PULL_OFFSET_MOVED; the client sees the
// same.)

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/primitive"
)

func TestResetOffsetByTimeWhileConsuming(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mq := newMQAdmin(h)
	topic, group := h.name("t"), h.name("g")
	p := h.newProducer()
	const n = 8
	var before, after []string
	for i := 0; i < n; i++ {
		body := fmt.Sprintf("before-%02d", i)
		before = append(before, body)
		sendSync(t, p, primitive.NewMessage(topic, []byte(body)))
	}
	// Store times are in milliseconds: keep the reset point apart from both batches.
	time.Sleep(20 * time.Millisecond)
	resetTo := time.Now().UnixMilli()
	time.Sleep(20 * time.Millisecond)
	for i := 0; i < n; i++ {
		body := fmt.Sprintf("after-%02d", i)
		after = append(after, body)
		sendSync(t, p, primitive.NewMessage(topic, []byte(body)))
	}
	col := &collector{}
	pc := h.startPush(group, topic, subAll, col)
	col.waitAll(t, "the consumer to receive both batches", append(append([]string(nil), before...), after...))
	eventually(t, commitWait, "client offsets to cover both batches", func() (bool, string) {
		return pc.committedSum() == 2*n, fmt.Sprintf("client offsets %v", pc.offsets())
	})

	out := mq.run("resetOffsetByTime", "-g", group, "-t", topic, "-s", strconv.FormatInt(resetTo, 10))
	rows := regexp.MustCompile(`(?m)^\S+ +(\d+) +(\d+) *$`).FindAllStringSubmatch(out, -1)
	var sum int64
	for _, r := range rows {
		off, _ := strconv.ParseInt(r[2], 10, 64)
		sum += off
	}
	if len(rows) == 0 || sum != n {
		t.Fatalf("resetOffsetByTime printed offsets summing to %d, want %d (the first batch):\n%s", sum, n, out)
	}

	// The Go client waits 10 s before it applies a reset, and takes the
	// queues up again at its next rebalance.
	eventually(t, consumeWait, "the second batch to be consumed again", func() (bool, string) {
		_, count := col.byBody()
		var again []string
		for _, b := range after {
			if count[b] < 2 {
				again = append(again, b)
			}
		}
		return len(again) == 0, fmt.Sprintf("%d of %d not consumed again, e.g. %v", len(again), n, head(again, 3))
	})
	_, count := col.byBody()
	for _, b := range before {
		if count[b] != 1 {
			t.Errorf("%s (stored before the reset point) consumed %d times, want once", b, count[b])
		}
	}
}
