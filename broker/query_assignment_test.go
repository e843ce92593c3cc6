package broker

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/booster-mq/booster/codec"
)

func mqs(n int) []codec.MessageQueue {
	out := make([]codec.MessageQueue, n)
	for i := range out {
		out[i] = codec.MessageQueue{Topic: "T", BrokerName: "b", QueueID: int32(i)}
	}
	return out
}

func queueIDs(l []codec.MessageQueue) []int32 {
	out := make([]int32, len(l))
	for i, mq := range l {
		out[i] = mq.QueueID
	}
	return out
}

// The allocations of AllocateMessageQueueAveragely and ...ByCircle.
func TestAllocateStrategies(t *testing.T) {
	cids := []string{"c0", "c1", "c2"}
	for _, tc := range []struct {
		name  string
		n     int
		cid   string
		want  []int32
		cidsN int
	}{
		{"AVG", 8, "c0", []int32{0, 1, 2}, 3},
		{"AVG", 8, "c1", []int32{3, 4, 5}, 3},
		{"AVG", 8, "c2", []int32{6, 7}, 3},
		{"AVG", 2, "c2", []int32{}, 3},
		{"AVG", 2, "c1", []int32{1}, 3},
		{"AVG", 4, "cX", []int32{}, 3},
		{"AVG_BY_CIRCLE", 8, "c1", []int32{1, 4, 7}, 3},
		{"AVG_BY_CIRCLE", 2, "c2", []int32{}, 3},
	} {
		got := queueIDs(allocateStrategy(tc.name)(tc.cid, mqs(tc.n), cids[:tc.cidsN]))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s %d queues, %s: %v, want %v", tc.name, tc.n, tc.cid, got, tc.want)
		}
	}
	if allocateStrategy("CONSISTENT_HASH") != nil {
		t.Fatal("unsupported strategy found")
	}
}

// allocate4Pop: everything as queue -1 by default; shares otherwise.
func TestAllocate4Pop(t *testing.T) {
	cids := []string{"c0", "c1", "c2", "c3"}
	if got := allocate4Pop(allocateAveragely, "c1", mqs(8), cids, 0); len(got) != 1 || got[0].QueueID != -1 {
		t.Fatalf("share 0: %v", got)
	}
	if got := queueIDs(allocate4Pop(allocateAveragely, "c1", mqs(8), cids, 1)); !slices.Equal(got, []int32{2, 3, 4, 5}) {
		t.Fatalf("share 1: %v", got)
	}
	// More clients than queues: one queue each, round robin.
	if got := queueIDs(allocate4Pop(allocateAveragely, "c3", mqs(2), cids, 1)); !slices.Equal(got, []int32{1}) {
		t.Fatalf("few queues: %v", got)
	}
}

// The response body has Java's field order and names (QueryAssignmentResponseBody.encode).
func TestQueryAssignmentResponseJSON(t *testing.T) {
	out := queryAssignmentResponse{MessageQueueAssignments: []messageQueueAssignment{
		{MessageQueue: codec.MessageQueue{Topic: "T", BrokerName: "broker-a", QueueID: -1}, Mode: requestModePop}}}
	const java = `{"messageQueueAssignments":[{"messageQueue":{"brokerName":"broker-a","queueId":-1,"topic":"T"},"mode":"POP"}]}`
	if got := string(codec.Encode(out)); got != java {
		t.Fatalf("%s\nwant %s", got, java)
	}
	if got := string(codec.Encode(queryAssignmentResponse{})); got != "{}" {
		t.Fatalf("no result: %s", got)
	}
	var body requestModeBody
	if err := json.Unmarshal([]byte(`{"consumerGroup":"G","mode":"POP","popShareQueueNum":0,"topic":"T"}`), &body); err != nil || body.Mode != requestModePop {
		t.Fatalf("%+v %v", body, err)
	}
	if err := json.Unmarshal([]byte(`{"mode":0}`), &body); err != nil || body.Mode != requestModePull {
		t.Fatalf("ordinal: %+v %v", body, err)
	}
	if err := json.Unmarshal([]byte(`{"mode":"PUSH"}`), &body); err == nil {
		t.Fatal("unknown mode accepted")
	}
}
