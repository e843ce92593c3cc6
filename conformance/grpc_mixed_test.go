package conformance

// Mixed-protocol delivery: a message sent over RocketMQ 5's gRPC API is
// consumed by the official remoting Go client, and a message the Go client
// sends is received over gRPC, with the same message id, tag, keys and user
// properties. The gRPC side speaks the raw v2 protocol (proxy/v2pb), as the
// 5.x clients do; conformance/grpc-java drives the official Java 5.x client.

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/proxy/v2pb"
)

// grpcTarget is a harness with the broker's gRPC endpoint and a raw client.
type grpcTarget struct {
	*harness
	cl       v2pb.MessagingServiceClient
	clientID string
}

func newGRPCTarget(t *testing.T) *grpcTarget {
	t.Helper()
	port := testutil.FreePort(t, 0)
	h := newHarness(t, testcluster.WithConf("grpcServerPort", strconv.Itoa(port)))
	if h.c.External {
		t.Skip("the gRPC scenarios need a Booster target (BOOSTER_TEST_NAMESRV names an external one)")
	}
	conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return &grpcTarget{harness: h, cl: v2pb.NewMessagingServiceClient(conn), clientID: h.name("grpc-client")}
}

func (g *grpcTarget) ctx(d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	return metadata.AppendToOutgoingContext(ctx, "x-mq-client-id", g.clientID, "x-mq-language", "GOLANG", "x-mq-protocol", "v2"), cancel
}

// ensureTopic creates topic by sending one remoting message (auto-create)
// and returns that message's body.
func (g *grpcTarget) ensureTopic(topic string) string {
	p := g.newProducer()
	body := "seed-" + topic
	sendSync(g.t, p, message(topic, body, "seed", nil, nil))
	return body
}

func TestGRPCSendConsumedByRemotingClient(t *testing.T) {
	g := newGRPCTarget(t)
	topic := g.name("t")
	seed := g.ensureTopic(topic)

	ctx, cancel := g.ctx(10 * time.Second)
	defer cancel()
	route, err := g.cl.QueryRoute(ctx, &v2pb.QueryRouteRequest{Topic: &v2pb.Resource{Name: topic}})
	if err != nil || route.GetStatus().GetCode() != v2pb.Code_OK || len(route.GetMessageQueues()) == 0 {
		t.Fatalf("QueryRoute: %v %v", err, route.GetStatus())
	}
	tag := "TagG"
	msgID := "0A0B0C0D" + fmt.Sprintf("%024X", time.Now().UnixNano())
	resp, err := g.cl.SendMessage(ctx, &v2pb.SendMessageRequest{Messages: []*v2pb.Message{{
		Topic:          &v2pb.Resource{Name: topic},
		UserProperties: map[string]string{"color": "blue"},
		SystemProperties: &v2pb.SystemProperties{Tag: &tag, Keys: []string{"k1", "k2"}, MessageId: msgID,
			MessageType: v2pb.MessageType_NORMAL, BodyEncoding: v2pb.Encoding_IDENTITY},
		Body: []byte("from-grpc"),
	}}})
	if err != nil || resp.GetStatus().GetCode() != v2pb.Code_OK {
		t.Fatalf("SendMessage: %v %v", err, resp.GetStatus())
	}
	if got := resp.GetEntries()[0].GetMessageId(); got != msgID {
		t.Fatalf("send result message id %q, want %q", got, msgID)
	}

	col := &collector{}
	g.startPush(g.name("cg"), topic, consumer.MessageSelector{}, col)
	col.waitAll(t, "the gRPC-sent message", []string{seed, "from-grpc"})
	got, _ := col.byBody()
	m := got["from-grpc"]
	checkMsg(t, m, topic, "from-grpc", tag, []string{"k1", "k2"}, map[string]string{"color": "blue"})
	if m.MsgId != msgID {
		t.Errorf("remoting msgId %q, want the gRPC message id %q", m.MsgId, msgID)
	}
}

func TestRemotingSendReceivedOverGRPC(t *testing.T) {
	g := newGRPCTarget(t)
	topic := g.name("t")
	p := g.newProducer()
	res := sendSync(t, p, message(topic, "from-remoting", "TagR", []string{"rk"}, map[string]string{"size": "L"}))
	group := g.name("cg")

	ctx, cancel := g.ctx(30 * time.Second)
	defer cancel()
	var got *v2pb.Message
	testutil.Eventually(t, 20*time.Second, "receive over gRPC", func() bool {
		msgs := g.receive(t, ctx, group, topic, 5*time.Second)
		for _, m := range msgs {
			if string(m.GetBody()) == "from-remoting" {
				got = m
			}
		}
		return got != nil
	})
	sp := got.GetSystemProperties()
	if sp.GetMessageId() != res.MsgID {
		t.Errorf("message id %q, want the remoting msgId %q", sp.GetMessageId(), res.MsgID)
	}
	if sp.GetTag() != "TagR" || len(sp.GetKeys()) != 1 || sp.GetKeys()[0] != "rk" || got.GetUserProperties()["size"] != "L" {
		t.Errorf("tag %q keys %v props %v", sp.GetTag(), sp.GetKeys(), got.GetUserProperties())
	}
	if sp.GetDeliveryAttempt() != 1 || sp.GetReceiptHandle() == "" {
		t.Errorf("delivery attempt %d, receipt handle %q", sp.GetDeliveryAttempt(), sp.GetReceiptHandle())
	}
	// A longer invisibility, then the ack with the new handle.
	ch, err := g.cl.ChangeInvisibleDuration(ctx, &v2pb.ChangeInvisibleDurationRequest{Group: &v2pb.Resource{Name: group},
		Topic: &v2pb.Resource{Name: topic}, ReceiptHandle: sp.GetReceiptHandle(), InvisibleDuration: durationpb.New(time.Minute), MessageId: sp.GetMessageId()})
	if err != nil || ch.GetStatus().GetCode() != v2pb.Code_OK || ch.GetReceiptHandle() == "" {
		t.Fatalf("ChangeInvisibleDuration: %v %v", err, ch.GetStatus())
	}
	ack, err := g.cl.AckMessage(ctx, &v2pb.AckMessageRequest{Group: &v2pb.Resource{Name: group}, Topic: &v2pb.Resource{Name: topic},
		Entries: []*v2pb.AckMessageEntry{{MessageId: sp.GetMessageId(), ReceiptHandle: ch.GetReceiptHandle()}}})
	if err != nil || ack.GetStatus().GetCode() != v2pb.Code_OK {
		t.Fatalf("AckMessage: %v %v", err, ack.GetStatus())
	}
	_ = primitive.SendOK
}

// receive runs one ReceiveMessage and returns its messages.
func (g *grpcTarget) receive(t *testing.T, ctx context.Context, group, topic string, poll time.Duration) []*v2pb.Message {
	t.Helper()
	stream, err := g.cl.ReceiveMessage(ctx, &v2pb.ReceiveMessageRequest{
		Group:              &v2pb.Resource{Name: group},
		MessageQueue:       &v2pb.MessageQueue{Topic: &v2pb.Resource{Name: topic}, Id: -1},
		FilterExpression:   &v2pb.FilterExpression{Type: v2pb.FilterType_TAG, Expression: "*"},
		BatchSize:          16,
		InvisibleDuration:  durationpb.New(30 * time.Second),
		LongPollingTimeout: durationpb.New(poll),
	})
	if err != nil {
		t.Fatalf("ReceiveMessage: %v", err)
	}
	var msgs []*v2pb.Message
	var sawStatus, sawTime bool
	for {
		r, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("ReceiveMessage stream: %v", err)
		}
		switch c := r.GetContent().(type) {
		case *v2pb.ReceiveMessageResponse_Status:
			sawStatus = true
			if code := c.Status.GetCode(); code != v2pb.Code_OK && code != v2pb.Code_MESSAGE_NOT_FOUND {
				t.Fatalf("ReceiveMessage status %v", c.Status)
			}
		case *v2pb.ReceiveMessageResponse_Message:
			msgs = append(msgs, c.Message)
		case *v2pb.ReceiveMessageResponse_DeliveryTimestamp:
			sawTime = true
		}
	}
	if !sawStatus || !sawTime {
		t.Fatalf("ReceiveMessage stream: status %v, delivery timestamp %v", sawStatus, sawTime)
	}
	return msgs
}

func TestGRPCOffsets(t *testing.T) {
	g := newGRPCTarget(t)
	topic := g.name("t")
	g.ensureTopic(topic)
	group := g.name("cg")
	ctx, cancel := g.ctx(10 * time.Second)
	defer cancel()
	mq := &v2pb.MessageQueue{Topic: &v2pb.Resource{Name: topic}, Id: 0}
	if r, err := g.cl.GetOffset(ctx, &v2pb.GetOffsetRequest{Group: &v2pb.Resource{Name: group}, MessageQueue: mq}); err != nil || r.GetStatus().GetCode() != v2pb.Code_OFFSET_NOT_FOUND {
		t.Fatalf("GetOffset before any commit: %v %v", err, r.GetStatus())
	}
	end, err := g.cl.QueryOffset(ctx, &v2pb.QueryOffsetRequest{MessageQueue: mq, QueryOffsetPolicy: v2pb.QueryOffsetPolicy_END})
	if err != nil || end.GetStatus().GetCode() != v2pb.Code_OK {
		t.Fatalf("QueryOffset END: %v %v", err, end.GetStatus())
	}
	if r, err := g.cl.UpdateOffset(ctx, &v2pb.UpdateOffsetRequest{Group: &v2pb.Resource{Name: group}, MessageQueue: mq, Offset: end.GetOffset()}); err != nil || r.GetStatus().GetCode() != v2pb.Code_OK {
		t.Fatalf("UpdateOffset: %v %v", err, r.GetStatus())
	}
	r, err := g.cl.GetOffset(ctx, &v2pb.GetOffsetRequest{Group: &v2pb.Resource{Name: group}, MessageQueue: mq})
	if err != nil || r.GetStatus().GetCode() != v2pb.Code_OK || r.GetOffset() != end.GetOffset() {
		t.Fatalf("GetOffset after commit: %v %v offset %d, want %d", err, r.GetStatus(), r.GetOffset(), end.GetOffset())
	}
}
