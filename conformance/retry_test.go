package conformance

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
)

// delivery is one call of the consume callback for one message.
type delivery struct {
	at   time.Time
	msg  *primitive.MessageExt
	body string
}

// failing is a consumer interceptor that records every delivery and turns
// the result of the deliveries its policy names into ConsumeRetryLater.
type failing struct {
	mu   sync.Mutex
	seen []delivery
	// policy returns whether to fail a delivery and, if so, the delay
	// level to ask for (0 lets the broker decide).
	policy func(m *primitive.MessageExt) (fail bool, level int)
}

func (f *failing) intercept(ctx context.Context, req, reply any, next primitive.Invoker) error {
	now := time.Now()
	err := next(ctx, req, reply)
	msgs, _ := req.([]*primitive.MessageExt)
	for _, m := range msgs {
		f.mu.Lock()
		f.seen = append(f.seen, delivery{at: now, msg: m, body: string(m.Body)})
		f.mu.Unlock()
		if fail, level := f.policy(m); fail {
			if holder, ok := reply.(*consumer.ConsumeResultHolder); ok {
				holder.ConsumeResult = consumer.ConsumeRetryLater
			}
			if cc, ok := primitive.GetConcurrentlyCtx(ctx); ok {
				cc.DelayLevelWhenNextConsume = level
			}
		}
	}
	return err
}

// of returns the deliveries of one body, in order.
func (f *failing) of(body string) []delivery {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []delivery
	for _, d := range f.seen {
		if d.body == body {
			out = append(out, d)
		}
	}
	return out
}

// A failing message is redelivered through %RETRY%group with growing
// ReconsumeTimes and the delay level the consumer asks for (or 3 +
// reconsumeTimes), and after maxReconsumeTimes retries it lands in
// %DLQ%group, which a pull consumer can read.
func TestRetryThenDLQ(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic := h.name("t")
	group := h.name("g")
	p := h.newProducer()

	const maxRetries = 2
	f := &failing{policy: func(m *primitive.MessageExt) (bool, int) {
		switch string(m.Body) {
		case "poison":
			return true, 1 // 1 s, always
		case "slow":
			return m.ReconsumeTimes == 0, 0 // the broker's choice: level 3, 10 s
		}
		return false, 0
	}}
	// The group exists before the test messages are sent, as in a real
	// deployment: a first consumer's heartbeat creates %RETRY%group and the
	// broker registers it, so the consumer under test finds its route at
	// start and pulls retries from the beginning, instead of from its next
	// 20 s rebalance.
	sendSync(t, p, primitive.NewMessage(topic, []byte("warmup")))
	first := &collector{}
	pre := h.startPush(group, topic, subAll, first)
	first.waitAll(t, "the group's first consumer to receive the warm-up message", []string{"warmup"})
	if err := pre.Shutdown(); err != nil {
		t.Fatalf("shutdown the first consumer: %v", err)
	}
	h.topicQueueIDs("%RETRY%" + group) // waits for the route

	poison := sendSync(t, p, message(topic, "poison", "TagP", []string{"kp"}, map[string]string{"color": "red"}))
	sendSync(t, p, primitive.NewMessage(topic, []byte("fine")))
	slow := sendSync(t, p, primitive.NewMessage(topic, []byte("slow")))

	h.startPush(group, topic, subAll, &collector{}, consumer.WithMaxReconsumeTimes(maxRetries), consumer.WithInterceptor(f.intercept))

	eventually(t, consumeWait, "the poison message to be delivered 1 + maxReconsumeTimes times", func() (bool, string) {
		n := len(f.of("poison"))
		return n >= 1+maxRetries, fmt.Sprintf("%d deliveries", n)
	})
	ds := f.of("poison")
	for i, d := range ds[:1+maxRetries] {
		m := d.msg
		if m.ReconsumeTimes != int32(i) {
			t.Errorf("delivery %d of poison: ReconsumeTimes %d, want %d", i, m.ReconsumeTimes, i)
		}
		if m.Topic != topic || m.MsgId != poison.MsgID || m.GetTags() != "TagP" || m.GetKeys() != "kp" || m.GetProperty("color") != "red" {
			t.Errorf("delivery %d of poison: topic %q msgId %s tags %q keys %q color %q, want %q %s TagP kp red",
				i, m.Topic, m.MsgId, m.GetTags(), m.GetKeys(), m.GetProperty("color"), topic, poison.MsgID)
		}
		if i > 0 {
			if gap := d.at.Sub(ds[i-1].at); gap < time.Second-5*time.Millisecond {
				t.Errorf("retry %d of poison came %v after the previous delivery, before its 1 s delay level", i, gap)
			}
			if m.GetProperty(primitive.PropertyOriginMessageId) == "" {
				t.Errorf("retry %d of poison has no ORIGIN_MESSAGE_ID", i)
			}
		}
	}

	var gaps []string
	for i := 1; i < len(ds); i++ {
		gaps = append(gaps, ds[i].at.Sub(ds[i-1].at).Round(time.Millisecond).String())
	}
	t.Logf("poison redelivered after %v (delay level 1 = 1 s)", gaps)

	// The dead-letter topic is routed at once and holds the message.
	var dlqMsg *primitive.MessageExt
	dlq := "%DLQ%" + group
	eventually(t, consumeWait, "the poison message in "+dlq, func() (bool, string) {
		pull := h.startPull(h.name("dlqreader"), dlq)
		defer func() { _ = pull.Shutdown() }()
		mqs, err := pull.GetTopicRouteInfo(dlq)
		if err != nil || len(mqs) == 0 {
			return false, fmt.Sprintf("route of %s: %v", dlq, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res, err := pull.PullFrom(ctx, mqs[0], 0, 8)
		if err != nil || res.Status != primitive.PullFound {
			return false, fmt.Sprintf("pull %s: %v %v", dlq, err, res)
		}
		dlqMsg = res.GetMessageExts()[0]
		return true, ""
	})
	if string(dlqMsg.Body) != "poison" || dlqMsg.MsgId != poison.MsgID || dlqMsg.ReconsumeTimes != maxRetries+1 ||
		dlqMsg.GetProperty(primitive.PropertyRetryTopic) != topic || dlqMsg.GetTags() != "TagP" {
		t.Errorf("DLQ message body %q msgId %s ReconsumeTimes %d RETRY_TOPIC %q tags %q, want poison %s %d %q TagP",
			dlqMsg.Body, dlqMsg.MsgId, dlqMsg.ReconsumeTimes, dlqMsg.GetProperty(primitive.PropertyRetryTopic), dlqMsg.GetTags(),
			poison.MsgID, maxRetries+1, topic)
	}
	if dlqMsg.GetProperty(primitive.PropertyOriginMessageId) == "" {
		t.Errorf("DLQ message has no ORIGIN_MESSAGE_ID")
	}

	// The slow message: retried once after the broker's default level 3
	// (10 s), then consumed.
	eventually(t, consumeWait, "the slow message's retry", func() (bool, string) {
		n := len(f.of("slow"))
		return n >= 2, fmt.Sprintf("%d deliveries", n)
	})
	sd := f.of("slow")
	if gap := sd[1].at.Sub(sd[0].at); gap < 10*time.Second-5*time.Millisecond || gap > 10*time.Second+maxLateness+3*time.Second {
		t.Errorf("slow message retried %v after its first delivery, want 10 s (delay level 3)", gap)
	}
	t.Logf("slow message redelivered after %v (delay level 3 = 10 s)", sd[1].at.Sub(sd[0].at).Round(time.Millisecond))
	if sd[1].msg.ReconsumeTimes != 1 || sd[1].msg.MsgId != slow.MsgID {
		t.Errorf("slow retry ReconsumeTimes %d msgId %s", sd[1].msg.ReconsumeTimes, sd[1].msg.MsgId)
	}

	time.Sleep(1500 * time.Millisecond)
	if n := len(f.of("poison")); n != 1+maxRetries {
		t.Errorf("poison delivered %d times, want %d (then the DLQ)", n, 1+maxRetries)
	}
	if n := len(f.of("fine")); n != 1 {
		t.Errorf("a consumed message was delivered %d times", n)
	}
}
