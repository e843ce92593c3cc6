package conformance

// Broadcast consumption and compressed bodies through the official Go
// client.
//
// (CONSUME_FROM_TIMESTAMP is not tested here: like Apache's, Booster's
// QUERY_CONSUMER_OFFSET answers 0 for a new group while the queue's first
// message is still held, so the Go client never searches by time then.
// SEARCH_OFFSET_BY_TIMESTAMP is covered by the Java matrix and by
// resetOffsetByTime in reset_offset_test.go.)

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
)

// In BROADCASTING mode every instance of a group receives every message
// exactly once, each keeping its own offsets.
func TestBroadcastEveryInstanceGetsEverything(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic, group := h.name("t"), h.name("g")
	p := h.newProducer()
	sendSync(t, p, primitive.NewMessage(topic, []byte("warm-up"))) // creates the topic
	var cols [2]*collector
	for i := range cols {
		cols[i] = &collector{}
		h.startPush(group, topic, consumer.MessageSelector{}, cols[i],
			consumer.WithConsumerModel(consumer.BroadCasting),
			consumer.WithConsumeFromWhere(consumer.ConsumeFromFirstOffset))
	}
	want := []string{"warm-up"}
	for i := range 40 {
		body := fmt.Sprintf("bc-%02d", i)
		sendSync(t, p, primitive.NewMessage(topic, []byte(body)))
		want = append(want, body)
	}
	for i, c := range cols {
		c.waitAll(t, fmt.Sprintf("consumer %d", i), want)
	}
	time.Sleep(time.Second) // room for a duplicate to show up
	for i, c := range cols {
		if _, count := c.byBody(); len(c.all()) != len(want) {
			t.Errorf("consumer %d got %d deliveries of %d messages: %v", i, len(c.all()), len(want), count)
		}
	}
}

// Bodies over the producer's threshold (4 KiB) are sent zlib-compressed
// with the compressed system flag; the broker stores and serves them as
// they are and the consumer gets the original bytes back.
func TestCompressedBodiesDeliveredIntact(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.name("t")
	p := h.newProducer()
	bodies := map[string]bool{}
	for i := range 5 {
		body := fmt.Sprintf("big-%d:", i) + strings.Repeat(fmt.Sprintf("payload %d of a compressible body; ", i), 600)
		bodies[body] = true
		msg := primitive.NewMessage(topic, []byte(body))
		msg.WithKeys([]string{fmt.Sprintf("big-%d", i)})
		sendSync(t, p, msg)
	}
	small := "small body, sent as is"
	sendSync(t, p, primitive.NewMessage(topic, []byte(small)))
	col := &collector{}
	h.startPush(h.name("g"), topic, consumer.MessageSelector{}, col)
	want := []string{small}
	for b := range bodies {
		want = append(want, b)
	}
	col.waitAll(t, "compressed and plain messages", want)
	for _, m := range col.all() {
		compressed := m.SysFlag&1 == 1
		if bodies[string(m.Body)] != compressed {
			t.Errorf("%.10q (%d bytes): system flag %#x, compressed %v", m.Body, len(m.Body), m.SysFlag, compressed)
		}
	}
}
