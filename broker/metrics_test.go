package broker

import (
	"testing"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/metrics"
	"github.com/booster-mq/booster/store"
)

func TestMessageType(t *testing.T) {
	for _, tc := range []struct {
		props string
		want  metrics.MessageType
	}{
		{"", metrics.Normal},
		{"TAGS\x01a\x02", metrics.Normal},
		{"TRAN_MSG\x01true\x02", metrics.Transaction},
		{"DELAY\x013\x02", metrics.Delay},
		{"TIMER_DELAY_SEC\x0110\x02", metrics.Delay},
		{"__SHARDINGKEY\x01k\x02", metrics.FIFO},
	} {
		h := codec.SendMessageRequestHeader{Properties: tc.props}
		if got := messageType(&h); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.props, got, tc.want)
		}
	}
}

// TestCountPutDoesNotAllocate pins the send hook's cost once the topic's
// series exist.
func TestCountPutDoesNotAllocate(t *testing.T) {
	c := metrics.DefaultExporterConfig()
	b := &Broker{}
	b.obs.m = metrics.NewBroker(metrics.Node{Cluster: "c", Type: metrics.NodeBroker, ID: "b"}, &c, codeNames, nil)
	h := codec.SendMessageRequestHeader{Topic: "T", Properties: "TAGS\x01a\x02KEYS\x01k\x02"}
	res := store.PutResult{Status: store.PutOK, Offsets: []store.PutOffset{{Size: 200}}}
	b.countPut(&h, &res)
	if n := testing.AllocsPerRun(1000, func() { b.countPut(&h, &res) }); n != 0 {
		t.Fatalf("countPut allocates %v times", n)
	}
	var off Broker
	off.countPut(&h, &res) // metrics off: a no-op
}
