package broker

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func mq(q int32) codec.MessageQueue {
	return codec.MessageQueue{Topic: "T", BrokerName: "broker-a", QueueID: q}
}

func lockReq(code wire.RequestCode, client string, qs ...int32) *wire.Command {
	body := codec.LockBatchRequestBody{ConsumerGroup: "g", ClientID: client}
	for _, q := range qs {
		body.MQSet = append(body.MQSet, mq(q))
	}
	req := wire.NewRequest(code)
	req.Body = codec.Encode(body)
	return req
}

func lock(t *testing.T, c *transport.Client, client string, qs ...int32) []int32 {
	t.Helper()
	resp := call(t, c, lockReq(wire.LockBatchMq, client, qs...))
	if resp.ResponseCode() != wire.Success {
		t.Fatalf("lock: %v %s", resp.ResponseCode(), resp.Remark)
	}
	var body struct {
		LockOKMQSet []codec.MessageQueue `json:"lockOKMQSet"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil || body.LockOKMQSet == nil {
		t.Fatalf("lock response body %s: %v", resp.Body, err)
	}
	var out []int32
	for _, m := range body.LockOKMQSet {
		out = append(out, m.QueueID)
	}
	return out
}

func unlock(t *testing.T, c *transport.Client, client string, qs ...int32) {
	t.Helper()
	if resp := call(t, c, lockReq(wire.UnlockBatchMq, client, qs...)); resp.ResponseCode() != wire.Success || len(resp.Body) != 0 {
		t.Fatalf("unlock: %v %s %s", resp.ResponseCode(), resp.Remark, resp.Body)
	}
}

func TestLockBatchMQ(t *testing.T) {
	tb := startTestBroker(t, t.TempDir(), "rocketmq.broker.rebalance.lockMaxLiveTime", "500")
	c := tb.client()
	check := func(what string, got []int32, want string) {
		t.Helper()
		if fmt.Sprint(got) != want {
			t.Errorf("%s: locked %v, want %s", what, got, want)
		}
	}
	check("c1 locks 0,1", lock(t, c, "c1", 0, 1, 1), "[0 1]")
	check("c2 locks 1,2", lock(t, c, "c2", 1, 2), "[2]")
	check("c1 renews", lock(t, c, "c1", 0, 1), "[0 1]")
	unlock(t, c, "c2", 1) // not its lock: no effect
	check("c2 after its own unlock of a foreign lock", lock(t, c, "c2", 1), "[]")
	unlock(t, c, "c1", 1)
	check("c2 after c1 unlocked", lock(t, c, "c2", 1), "[1]")

	if tb.b.locks.allExpired("g", time.Now()) {
		t.Error("group with fresh locks reported all expired")
	}
	time.Sleep(700 * time.Millisecond)
	if !tb.b.locks.allExpired("g", time.Now()) {
		t.Error("locks did not expire after lockMaxLiveTime")
	}
	check("c3 takes expired locks", lock(t, c, "c3", 0, 1, 2), "[0 1 2]")

	bad := wire.NewRequest(wire.LockBatchMq)
	bad.Body = []byte("{")
	if resp := call(t, c, bad); resp.ResponseCode() != wire.SystemError {
		t.Errorf("bad body: %v", resp.ResponseCode())
	}
}
