package proxy_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/proxy/v2pb"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// pullTarget is an in-process broker with its gRPC endpoint and a raw
// v2 client (the 5.x pull consumer's calls).
type pullTarget struct {
	t  *testing.T
	cl v2pb.MessagingServiceClient
}

func newPullTarget(t *testing.T, topic string) *pullTarget {
	t.Helper()
	port := testutil.FreePort(t, 0)
	c := testcluster.Start(t, testcluster.WithConf("grpcServerPort", strconv.Itoa(port)))
	if c.External || c.Broker() == nil {
		t.Skip("needs an in-process Booster")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rc, err := transport.Dial(ctx, c.BrokerAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	req := wire.NewRequest(wire.UpdateAndCreateTopic,
		wire.Field{Key: "topic", Value: topic}, wire.Field{Key: "defaultTopic", Value: "TBW102"},
		wire.Field{Key: "readQueueNums", Value: "2"}, wire.Field{Key: "writeQueueNums", Value: "2"},
		wire.Field{Key: "perm", Value: "6"}, wire.Field{Key: "topicFilterType", Value: "SINGLE_TAG"})
	if resp, err := rc.Invoke(ctx, req); err != nil || resp.ResponseCode() != wire.Success {
		t.Fatalf("create topic: %v %v", err, resp)
	}
	conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return &pullTarget{t: t, cl: v2pb.NewMessagingServiceClient(conn)}
}

func (p *pullTarget) ctx(d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	return metadata.AppendToOutgoingContext(ctx, "x-mq-client-id", "pull-test-client", "x-mq-protocol", "v2"), cancel
}

// send sends a normal message (the broker picks its queue) and returns its id.
func (p *pullTarget) send(topic, tag, body string) string {
	p.t.Helper()
	ctx, cancel := p.ctx(10 * time.Second)
	defer cancel()
	id := fmt.Sprintf("0A0B0C0D%024X", time.Now().UnixNano())
	resp, err := p.cl.SendMessage(ctx, &v2pb.SendMessageRequest{Messages: []*v2pb.Message{{
		Topic: &v2pb.Resource{Name: topic},
		SystemProperties: &v2pb.SystemProperties{Tag: &tag, MessageId: id, MessageType: v2pb.MessageType_NORMAL,
			BodyEncoding: v2pb.Encoding_IDENTITY},
		Body: []byte(body),
	}}})
	if err != nil || resp.GetStatus().GetCode() != v2pb.Code_OK {
		p.t.Fatalf("SendMessage: %v %v", err, resp.GetStatus())
	}
	return id
}

// pullResult is what one PullMessage stream carried.
type pullResult struct {
	status  *v2pb.Status
	msgs    []*v2pb.Message
	next    int64
	hasNext bool
}

func (p *pullTarget) pull(topic string, queue int32, group string, offset int64, batch int32, filter *v2pb.FilterExpression, poll time.Duration) pullResult {
	p.t.Helper()
	ctx, cancel := p.ctx(poll + 10*time.Second)
	defer cancel()
	req := &v2pb.PullMessageRequest{
		Group:            &v2pb.Resource{Name: group},
		MessageQueue:     &v2pb.MessageQueue{Topic: &v2pb.Resource{Name: topic}, Id: queue},
		Offset:           offset,
		BatchSize:        batch,
		FilterExpression: filter,
	}
	if poll > 0 {
		req.LongPollingTimeout = durationpb.New(poll)
	}
	stream, err := p.cl.PullMessage(ctx, req)
	if err != nil {
		p.t.Fatalf("PullMessage: %v", err)
	}
	var r pullResult
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return r
		}
		if err != nil {
			p.t.Fatalf("PullMessage stream: %v", err)
		}
		switch c := resp.GetContent().(type) {
		case *v2pb.PullMessageResponse_Status:
			r.status = c.Status
		case *v2pb.PullMessageResponse_Message:
			r.msgs = append(r.msgs, c.Message)
		case *v2pb.PullMessageResponse_NextOffset:
			r.next, r.hasNext = c.NextOffset, true
		}
	}
}

// findQueues returns each queue's end offset (QueryOffset END).
func (p *pullTarget) findQueues(topic string) map[int32]int64 {
	p.t.Helper()
	ctx, cancel := p.ctx(10 * time.Second)
	defer cancel()
	out := map[int32]int64{}
	for q := int32(0); q < 2; q++ {
		r, err := p.cl.QueryOffset(ctx, &v2pb.QueryOffsetRequest{
			MessageQueue:      &v2pb.MessageQueue{Topic: &v2pb.Resource{Name: topic}, Id: q},
			QueryOffsetPolicy: v2pb.QueryOffsetPolicy_END,
		})
		if err != nil || r.GetStatus().GetCode() != v2pb.Code_OK {
			p.t.Fatalf("QueryOffset: %v %v", err, r.GetStatus())
		}
		out[q] = r.GetOffset()
	}
	return out
}

func TestPullMessageReadsFromOffset(t *testing.T) {
	const topic, group = "PullT", "pull_cg"
	p := newPullTarget(t, topic)
	var ids []string
	for i := range 6 {
		tag := "A"
		if i%2 == 1 {
			tag = "B"
		}
		id := p.send(topic, tag, "m"+strconv.Itoa(i))
		ids = append(ids, id)
	}
	ends := p.findQueues(topic)
	if ends[0]+ends[1] != 6 {
		t.Fatalf("queue ends %v, want 6 messages in all", ends)
	}
	// Every message, queue by queue, in batches of 2, following next_offset.
	got := map[string]*v2pb.Message{}
	for q := int32(0); q < 2; q++ {
		off := int64(0)
		for off < ends[q] {
			r := p.pull(topic, q, group, off, 2, nil, 0)
			if r.status.GetCode() != v2pb.Code_OK || !r.hasNext || len(r.msgs) == 0 || len(r.msgs) > 2 {
				t.Fatalf("pull q%d@%d: status %v, %d messages, next %d (%v)", q, off, r.status, len(r.msgs), r.next, r.hasNext)
			}
			for i, m := range r.msgs {
				sp := m.GetSystemProperties()
				if sp.GetQueueId() != q || sp.GetQueueOffset() != off+int64(i) {
					t.Errorf("message at q%d@%d says q%d@%d", q, off+int64(i), sp.GetQueueId(), sp.GetQueueOffset())
				}
				if sp.ReceiptHandle != nil {
					t.Errorf("pulled message has a receipt handle %q", sp.GetReceiptHandle())
				}
				got[sp.GetMessageId()] = m
			}
			if r.next != off+int64(len(r.msgs)) {
				t.Fatalf("next_offset %d after %d messages from %d", r.next, len(r.msgs), off)
			}
			off = r.next
		}
		// At the end: MESSAGE_NOT_FOUND, next_offset unchanged.
		r := p.pull(topic, q, group, off, 2, nil, 0)
		if r.status.GetCode() != v2pb.Code_MESSAGE_NOT_FOUND || r.next != off {
			t.Errorf("pull at the end of q%d: %v next %d, want MESSAGE_NOT_FOUND next %d", q, r.status, r.next, off)
		}
	}
	for i, id := range ids {
		m := got[id]
		if m == nil {
			t.Errorf("message %d (%s) never pulled", i, id)
			continue
		}
		if string(m.GetBody()) != "m"+strconv.Itoa(i) || m.GetTopic().GetName() != topic {
			t.Errorf("message %s: body %q topic %q", id, m.GetBody(), m.GetTopic().GetName())
		}
	}

	// A TAG filter: only B messages.
	var tagged []string
	for q := int32(0); q < 2; q++ {
		r := p.pull(topic, q, group, 0, 32, &v2pb.FilterExpression{Type: v2pb.FilterType_TAG, Expression: "B"}, 0)
		for _, m := range r.msgs {
			if m.GetSystemProperties().GetTag() != "B" {
				t.Errorf("TAG B filter let %q through", m.GetSystemProperties().GetTag())
			}
			tagged = append(tagged, string(m.GetBody()))
		}
	}
	if len(tagged) != 3 {
		t.Errorf("TAG B pulled %v, want the 3 B messages", tagged)
	}

	// An offset beyond the queue: ILLEGAL_OFFSET with the corrected next offset.
	r := p.pull(topic, 0, group, ends[0]+100, 2, nil, 0)
	if r.status.GetCode() != v2pb.Code_ILLEGAL_OFFSET || !r.hasNext || r.next != ends[0] {
		t.Errorf("pull beyond the end: %v next %d, want ILLEGAL_OFFSET next %d", r.status, r.next, ends[0])
	}
	// Bad requests.
	if r := p.pull(topic, 0, group, -1, 2, nil, 0); r.status.GetCode() != v2pb.Code_ILLEGAL_OFFSET {
		t.Errorf("negative offset: %v", r.status)
	}
	if r := p.pull(topic, 0, group, 0, 0, nil, 0); r.status.GetCode() != v2pb.Code_BAD_REQUEST {
		t.Errorf("batch size 0: %v", r.status)
	}
	if r := p.pull(topic, 0, "", 0, 2, nil, 0); r.status.GetCode() != v2pb.Code_ILLEGAL_CONSUMER_GROUP {
		t.Errorf("no group: %v", r.status)
	}
	if r := p.pull("NoSuchTopic", 0, group, 0, 2, nil, 0); r.status.GetCode() != v2pb.Code_TOPIC_NOT_FOUND {
		t.Errorf("unknown topic: %v", r.status)
	}

	// Nothing is committed by a pull; UpdateOffset commits, GetOffset reads it.
	ctx, cancel := p.ctx(10 * time.Second)
	defer cancel()
	mq := &v2pb.MessageQueue{Topic: &v2pb.Resource{Name: topic}, Id: 0}
	if r, err := p.cl.GetOffset(ctx, &v2pb.GetOffsetRequest{Group: &v2pb.Resource{Name: group}, MessageQueue: mq}); err != nil || r.GetStatus().GetCode() != v2pb.Code_OFFSET_NOT_FOUND {
		t.Errorf("GetOffset after pulls: %v %v, want OFFSET_NOT_FOUND", err, r.GetStatus())
	}
	if r, err := p.cl.UpdateOffset(ctx, &v2pb.UpdateOffsetRequest{Group: &v2pb.Resource{Name: group}, MessageQueue: mq, Offset: ends[0]}); err != nil || r.GetStatus().GetCode() != v2pb.Code_OK {
		t.Fatalf("UpdateOffset: %v %v", err, r.GetStatus())
	}
	if r, err := p.cl.GetOffset(ctx, &v2pb.GetOffsetRequest{Group: &v2pb.Resource{Name: group}, MessageQueue: mq}); err != nil || r.GetOffset() != ends[0] {
		t.Errorf("GetOffset after UpdateOffset: %v %v offset %d, want %d", err, r.GetStatus(), r.GetOffset(), ends[0])
	}
}

func TestPullMessageLongPolling(t *testing.T) {
	const topic, group = "PullLP", "pull_lp_cg"
	p := newPullTarget(t, topic)
	ends := p.findQueues(topic)
	type result struct {
		q int32
		r pullResult
	}
	done := make(chan result, 2)
	start := time.Now()
	for q := int32(0); q < 2; q++ {
		go func() { done <- result{q, p.pull(topic, q, group, ends[q], 4, nil, 5*time.Second)} }()
	}
	time.Sleep(300 * time.Millisecond) // let both pulls park
	p.send(topic, "A", "late")
	var found bool
	for range 2 {
		res := <-done
		if res.r.status.GetCode() == v2pb.Code_OK {
			if len(res.r.msgs) != 1 || string(res.r.msgs[0].GetBody()) != "late" {
				t.Errorf("long poll of q%d woke with %d messages", res.q, len(res.r.msgs))
			}
			if d := time.Since(start); d > 4*time.Second {
				t.Errorf("long poll answered after %v, want on arrival", d)
			}
			found = true
		} else if res.r.status.GetCode() != v2pb.Code_MESSAGE_NOT_FOUND {
			t.Errorf("long poll of q%d: %v", res.q, res.r.status)
		}
	}
	if !found {
		t.Error("no long poll saw the message sent while it waited")
	}
}
