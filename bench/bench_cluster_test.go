package bench

import (
	"fmt"
	"testing"
	"time"

	"github.com/booster-mq/booster/internal/testcluster"
)

// TestProducerAndConsumerAgree runs the wire producer and consumer against
// an in-process cluster: every message the producer reports sent is
// received, once by the e2e consumer that runs beside it and once more by
// a consumer that drains the topic from the first offset. Nothing about
// speed is asserted.
func TestProducerAndConsumerAgree(t *testing.T) {
	c := testcluster.Start(t)
	topic := fmt.Sprintf("BenchAgree%d", time.Now().UnixNano())

	pc := DefaultProducerConfig()
	pc.Namesrv, pc.Topic, pc.Queues = c.NamesrvAddr, topic, 4
	pc.Threads, pc.Size, pc.Duration, pc.Rate = 4, 256, 2*time.Second, 2000
	e2e, err := RunE2E(t.Context(), pc, "bench_agree_e2e", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if e2e.Sent == 0 || e2e.Errors != 0 {
		t.Fatalf("e2e sent %d with %d errors", e2e.Sent, e2e.Errors)
	}
	equal(t, e2e.Total, e2e.Sent)
	equal(t, e2e.Latency.Count, e2e.Sent)

	// a batch producer with a count, after the timed one
	bc := pc
	bc.Duration, bc.Rate, bc.Queues, bc.Batch, bc.Count = 0, 0, 0, 8, 100
	batch, err := RunProducer(t.Context(), bc)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, batch.Total, uint64(100))
	equal(t, batch.Errors, uint64(0))

	cc := DefaultConsumerConfig()
	cc.Namesrv, cc.Topic, cc.Group, cc.From = c.NamesrvAddr, topic, "bench_agree_drain", FromFirst
	cc.Count, cc.Duration = int64(e2e.Sent)+100, time.Minute
	drained, err := RunConsumer(t.Context(), cc)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, drained.Total, e2e.Sent+100)
}

// TestAsyncAndOnewayModes sends a fixed count in the other two modes and
// checks the consumer sees them all.
func TestAsyncAndOnewayModes(t *testing.T) {
	c := testcluster.Start(t)
	topic := fmt.Sprintf("BenchModes%d", time.Now().UnixNano())
	pc := DefaultProducerConfig()
	pc.Namesrv, pc.Topic, pc.Queues, pc.Size = c.NamesrvAddr, topic, 2, 64
	pc.Mode, pc.Inflight, pc.Count = Async, 16, 500
	s, err := RunProducer(t.Context(), pc)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, s.Total, uint64(500))
	pc.Mode, pc.Threads, pc.Queues = Oneway, 2, 0
	s, err = RunProducer(t.Context(), pc)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, s.Total, uint64(500))
	equal(t, s.Latency.Count, uint64(0)) // oneway sends have no response to time

	cc := DefaultConsumerConfig()
	cc.Namesrv, cc.Topic, cc.Group, cc.From = c.NamesrvAddr, topic, "bench_modes", FromFirst
	cc.Count, cc.Duration = 1000, time.Minute
	got, err := RunConsumer(t.Context(), cc)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, got.Total, uint64(1000))
}

// TestGoClientProducer drives the official Go client for a fixed count.
func TestGoClientProducer(t *testing.T) {
	c := testcluster.Start(t)
	pc := DefaultProducerConfig()
	pc.Namesrv, pc.Topic, pc.Queues = c.NamesrvAddr, fmt.Sprintf("BenchGo%d", time.Now().UnixNano()), 2
	pc.Client, pc.Threads, pc.Count, pc.Size = ClientGo, 4, 200, 64
	s, err := RunProducer(t.Context(), pc)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, s.Total, uint64(200))
	equal(t, s.Errors, uint64(0))

	cc := DefaultConsumerConfig()
	cc.Namesrv, cc.Topic, cc.Group, cc.From = c.NamesrvAddr, pc.Topic, "bench_go", FromFirst
	cc.Count, cc.Duration = 200, time.Minute
	got, err := RunConsumer(t.Context(), cc)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, got.Total, uint64(200))
}

// TestFirstSend measures the time to a first send on a running cluster.
func TestFirstSend(t *testing.T) {
	c := testcluster.Start(t)
	r, err := FirstSend(t.Context(), StartupConfig{Namesrv: c.NamesrvAddr, Topic: fmt.Sprintf("BenchStart%d", time.Now().UnixNano()), Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	equal(t, r.AutoCreate, true)
	equal(t, r.Origin, "call")
}
