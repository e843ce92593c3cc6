package conformance

// Retention seen by the official Go client: once the broker deletes old
// commit-log segments, a pull below the queue's new min offset answers
// PULL_OFFSET_MOVED with the min offset as the next begin offset
// (PullOffsetIllegal in the client), the client moves there and reads
// every message that is left, content intact; a new push consumer starting
// from the first offset receives exactly those.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestRetentionOffsetMoved(t *testing.T) {
	t.Parallel()
	every := make([]string, 24)
	for h := range every {
		every[h] = fmt.Sprintf("%02d", h)
	}
	// 64 KiB segments that expire at once, checked every 100 ms at any hour.
	h := newHarness(t,
		testcluster.WithConf("mappedFileSizeCommitLog", "65536"),
		testcluster.WithConf("fileReservedTime", "0"),
		testcluster.WithConf("deleteWhen", strings.Join(every, ";")),
		testcluster.WithConf("cleanResourceInterval", "100"),
	)
	if h.c.External {
		t.Skip("needs a broker configured for fast retention")
	}
	topic := h.name("t")
	p := h.newProducer(producer.WithQueueSelector(queueSelectorFunc(
		func(_ *primitive.Message, mqs []*primitive.MessageQueue, _ string) *primitive.MessageQueue {
			for _, mq := range mqs {
				if mq.QueueId == 0 {
					return mq
				}
			}
			return mqs[0]
		})))

	// About six segments of 1 KiB messages, all on queue 0.
	const n = 360
	pad := strings.Repeat("x", 1000)
	body := func(i int64) string { return fmt.Sprintf("ret-%03d-%s", i, pad) }
	for i := int64(0); i < n; i++ {
		if res := sendSync(t, p, message(topic, body(i), "TagR", nil, nil)); res.MessageQueue.QueueId != 0 || res.QueueOffset != i {
			t.Fatalf("send %d went to queue %d offset %d", i, res.MessageQueue.QueueId, res.QueueOffset)
		}
	}

	pc := h.startPull(h.name("g"), topic)
	mqs, err := pc.GetTopicRouteInfo(topic)
	if err != nil {
		t.Fatalf("GetTopicRouteInfo: %v", err)
	}
	var mq *primitive.MessageQueue
	for _, q := range mqs {
		if q.QueueId == 0 {
			mq = q
		}
	}
	pull := func(offset int64) *primitive.PullResult {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		res, err := pc.PullFrom(ctx, mq, offset, 32)
		if err != nil {
			t.Fatalf("PullFrom(%d): %v", offset, err)
		}
		return res
	}

	// Every segment but the one being written goes; the queue's min
	// offset follows.
	var moved *primitive.PullResult
	eventually(t, 30*time.Second, "old segments deleted", func() (bool, string) {
		moved = pull(0)
		return moved.Status == primitive.PullOffsetIllegal, fmt.Sprintf("pull at 0: status %v, next %d, min %d", moved.Status, moved.NextBeginOffset, moved.MinOffset)
	})
	minOff := moved.NextBeginOffset
	if minOff <= 0 || minOff >= n || moved.MinOffset != minOff || moved.MaxOffset != n {
		t.Fatalf("PULL_OFFSET_MOVED: next %d, min %d, max %d; want next = min in (0, %d), max %d",
			moved.NextBeginOffset, moved.MinOffset, moved.MaxOffset, n, n)
	}
	if res := pull(minOff - 1); res.Status != primitive.PullOffsetIllegal || res.NextBeginOffset != minOff {
		t.Errorf("pull just below the min offset: status %v, next %d; want OFFSET_MOVED to %d", res.Status, res.NextBeginOffset, minOff)
	}

	// From the min offset on, every remaining message reads back intact.
	for off := minOff; off < n; {
		res := pull(off)
		if res.Status != primitive.PullFound {
			t.Fatalf("pull at %d: status %v (next %d, min %d, max %d)", off, res.Status, res.NextBeginOffset, res.MinOffset, res.MaxOffset)
		}
		for _, m := range res.GetMessageExts() {
			if m.QueueOffset != off || string(m.Body) != body(off) {
				t.Fatalf("offset %d: got offset %d body %.12q", off, m.QueueOffset, m.Body)
			}
			off++
		}
	}

	// A new group starting from the first offset gets exactly what is left.
	var want []string
	for i := minOff; i < n; i++ {
		want = append(want, body(i))
	}
	col := &collector{}
	h.startPush(h.name("g"), topic, consumer.MessageSelector{}, col, consumer.WithConsumeFromWhere(consumer.ConsumeFromFirstOffset))
	col.waitAll(t, "remaining messages", want)
	if got := len(col.all()); got < len(want) {
		t.Errorf("push consumer got %d messages, want %d", got, len(want))
	}
	for _, m := range col.all() {
		if m.QueueOffset < minOff {
			t.Errorf("push consumer got deleted offset %d", m.QueueOffset)
		}
	}
}
