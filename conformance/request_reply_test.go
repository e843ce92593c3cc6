package conformance

// Request-reply with the official Go client (messages-and-store.md §10):
// producer.Request / RequestAsync send a message carrying CORRELATION_ID
// and REPLY_TO_CLIENT, a push consumer answers with
// consumer.CreateReplyMessage through a producer (SEND_REPLY_MESSAGE), and
// the broker pushes the reply to the requester (PUSH_REPLY_MESSAGE_TO_CLIENT).

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"

	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func TestRequestReply(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	topic, group := h.name("t"), h.name("g")
	requester, replier := h.newProducer(), h.newProducer()
	replyErrs := make(chan error, 16)
	// The replying listener, as the Go client's rpc example writes it (the
	// interceptor runs it after the collector has seen the messages).
	reply := func(ctx context.Context, req, res any, next primitive.Invoker) error {
		err := next(ctx, req, res)
		msgs, _ := req.([]*primitive.MessageExt)
		for _, m := range msgs {
			if m.GetProperty(primitive.PropertyCorrelationID) == "" {
				continue
			}
			r, cerr := consumer.CreateReplyMessage(m, nil)
			if cerr != nil {
				replyErrs <- cerr
				continue
			}
			// CreateReplyMessage parses the body it is given as properties
			// and never sets it: the body is set here.
			r.Body = []byte("pong:" + string(m.Body))
			sctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
			if _, serr := replier.SendSync(sctx, r); serr != nil {
				replyErrs <- serr
			}
			cancel()
		}
		return err
	}

	// The first request goes to a topic that does not exist yet: the Go
	// client heartbeats before it (which registers the requester for the
	// push) and the send creates the topic, so the consumer can start.
	type answer struct {
		msg *primitive.Message
		err error
	}
	async := make(chan answer, 2) // the Go client may call back twice
	err := requester.RequestAsync(context.Background(), consumeWait, func(_ context.Context, m *primitive.Message, err error) {
		select {
		case async <- answer{m, err}:
		default:
		}
	}, primitive.NewMessage(topic, []byte("ping-async")))
	if err != nil {
		t.Fatalf("RequestAsync: %v", err)
	}
	col := &collector{}
	h.startPush(group, topic, subAll, col, consumer.WithInterceptor(reply))
	select {
	case a := <-async:
		if a.err != nil || a.msg == nil || string(a.msg.Body) != "pong:ping-async" {
			t.Fatalf("RequestAsync answered %+v, %v", a.msg, a.err)
		}
		if a.msg.GetProperty(primitive.PropertyMsgType) != "reply" || a.msg.GetProperty("PUSH_REPLY_TIME") == "" {
			t.Errorf("reply properties %v", a.msg.GetProperties())
		}
	case err := <-replyErrs:
		t.Fatalf("replying: %v", err)
	case <-time.After(consumeWait):
		t.Fatalf("no reply to RequestAsync within %v", consumeWait)
	}

	for i := 0; i < 3; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 2*sendTimeout)
		body := fmt.Sprintf("ping-%d", i)
		m, err := requester.Request(ctx, sendTimeout, primitive.NewMessage(topic, []byte(body)))
		cancel()
		if err != nil || m == nil || string(m.Body) != "pong:"+body {
			t.Fatalf("Request %s: %+v, %v", body, m, err)
		}
	}
	select {
	case err := <-replyErrs:
		t.Fatalf("replying: %v", err)
	default:
	}

	// storeReplyMessageEnable (default true): the replies are stored too.
	if !h.c.External {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		cl, err := transport.Dial(ctx, h.c.BrokerAddr)
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		resp, err := cl.Invoke(ctx, wire.NewRequest(wire.GetMaxOffset,
			wire.Field{Key: "topic", Value: "DefaultCluster_REPLY_TOPIC"}, wire.Field{Key: "queueId", Value: "0"}))
		if err != nil || resp.ExtValue("offset") != "4" {
			t.Errorf("DefaultCluster_REPLY_TOPIC max offset %+v, %v: want the 4 replies stored", resp, err)
		}
	}
}
