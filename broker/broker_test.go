package broker_test

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func dial(t *testing.T, addr string, st wire.SerializeType) *transport.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c, err := transport.Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	c.Serialize = st
	t.Cleanup(func() { c.Close() })
	return c
}

func invoke(t *testing.T, c *transport.Client, req *wire.Command) *wire.Command {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	resp, err := c.Invoke(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Version != 479 {
		t.Fatalf("response version %d, want 479", resp.Version)
	}
	return resp
}

func sendV2(topic string, queueID int, props string, body []byte) *wire.Command {
	req := wire.NewRequest(wire.SendMessageV2,
		wire.Field{Key: "a", Value: "pg"}, wire.Field{Key: "b", Value: topic}, wire.Field{Key: "c", Value: "TBW102"},
		wire.Field{Key: "d", Value: "4"}, wire.Field{Key: "e", Value: strconv.Itoa(queueID)}, wire.Field{Key: "f", Value: "0"},
		wire.Field{Key: "g", Value: strconv.FormatInt(time.Now().UnixMilli(), 10)}, wire.Field{Key: "h", Value: "0"},
		wire.Field{Key: "i", Value: props})
	req.Body = body
	return req
}

// A Java-style SEND_MESSAGE_V2 in both serializations, on both ports, then
// a pull of the stored records.
func TestSendAndPullRaw(t *testing.T) {
	c := testcluster.Start(t)
	port, _ := strconv.Atoi(c.BrokerAddr[len("127.0.0.1:"):])
	for i, st := range []wire.SerializeType{wire.JSON, wire.RocketMQ} {
		addr := c.BrokerAddr
		if i == 1 {
			addr = fmt.Sprintf("127.0.0.1:%d", port-2) // the VIP channel
		}
		cl := dial(t, addr, st)
		topic := fmt.Sprintf("RawTopic%d", i)
		props := string(codec.AppendProperty(codec.AppendProperty(nil, codec.PropertyTags, "TagA"), codec.PropertyKeys, "k1"))
		resp := invoke(t, cl, sendV2(topic, 1, props, []byte("hello")))
		if resp.ResponseCode() != wire.Success || resp.Serialize != st {
			t.Fatalf("send: %+v", resp)
		}
		for _, k := range []string{"msgId", "queueId", "queueOffset", "MSG_REGION", "TRACE_ON", "transactionId"} {
			if _, ok := resp.Ext.Get(k); !ok {
				t.Fatalf("send response lacks %s: %+v", k, resp.Ext)
			}
		}
		host, off, err := codec.DecodeOffsetMsgID(resp.ExtValue("msgId"))
		if err != nil || host != netip.MustParseAddrPort(c.BrokerAddr) || off < 0 {
			t.Fatalf("msgId %s: %v %v %v", resp.ExtValue("msgId"), host, off, err)
		}
		pull := wire.NewRequest(wire.PullMessage,
			wire.Field{Key: "consumerGroup", Value: "g"}, wire.Field{Key: "topic", Value: topic},
			wire.Field{Key: "queueId", Value: "1"}, wire.Field{Key: "queueOffset", Value: "0"},
			wire.Field{Key: "maxMsgNums", Value: "32"}, wire.Field{Key: "sysFlag", Value: "4"},
			wire.Field{Key: "commitOffset", Value: "0"}, wire.Field{Key: "suspendTimeoutMillis", Value: "1000"},
			wire.Field{Key: "subscription", Value: "TagA"}, wire.Field{Key: "subVersion", Value: "0"})
		presp := invoke(t, cl, pull)
		if presp.ResponseCode() != wire.Success || presp.ExtValue("nextBeginOffset") != "1" {
			t.Fatalf("pull: %+v", presp)
		}
		m, n, err := codec.DecodeRecord(presp.Body)
		if err != nil || n != len(presp.Body) || string(m.Body) != "hello" || m.Topic != topic || m.QueueOffset != 0 || m.CommitLogOffset != off {
			t.Fatalf("record: %+v %d %v", m, n, err)
		}
		props2 := codec.ParseProperties(m.Properties)
		if props2["TAGS"] != "TagA" || props2["KEYS"] != "k1" || props2["CLUSTER"] != "DefaultCluster" || props2["UNIQ_KEY"] == "" {
			t.Fatalf("properties %v", props2)
		}
	}
}

// A suspended pull is answered as soon as a message arrives.
func TestLongPollingWakesOnArrival(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	if r := invoke(t, cl, sendV2("LP", 0, "", []byte("first"))); r.ResponseCode() != wire.Success {
		t.Fatal(r.Remark)
	}
	pull := wire.NewRequest(wire.PullMessage,
		wire.Field{Key: "consumerGroup", Value: "g"}, wire.Field{Key: "topic", Value: "LP"},
		wire.Field{Key: "queueId", Value: "0"}, wire.Field{Key: "queueOffset", Value: "1"},
		wire.Field{Key: "maxMsgNums", Value: "32"}, wire.Field{Key: "sysFlag", Value: "6"},
		wire.Field{Key: "commitOffset", Value: "0"}, wire.Field{Key: "suspendTimeoutMillis", Value: "20000"},
		wire.Field{Key: "subscription", Value: "*"}, wire.Field{Key: "subVersion", Value: "0"})
	done := make(chan *wire.Command, 1)
	start := time.Now()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
		defer cancel()
		resp, _ := cl.Invoke(ctx, pull)
		done <- resp
	}()
	time.Sleep(300 * time.Millisecond)
	if r := invoke(t, dial(t, c.BrokerAddr, wire.JSON), sendV2("LP", 0, "", []byte("second"))); r.ResponseCode() != wire.Success {
		t.Fatal(r.Remark)
	}
	resp := <-done
	if resp == nil || resp.ResponseCode() != wire.Success {
		t.Fatalf("pull: %+v", resp)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("long poll answered after %v", time.Since(start))
	}
}

// Requests the broker does not implement are answered, never dropped.
func TestUnsupportedCode(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	resp := invoke(t, cl, wire.NewRequest(wire.RequestCode(1999)))
	if resp.ResponseCode() != wire.RequestCodeNotSupported {
		t.Fatalf("%+v", resp)
	}
}

// The broker registers the topics Apache's broker registers by itself,
// and an auto-created topic reaches the NameServer at once.
func TestSelfRegisteredTopics(t *testing.T) {
	c := testcluster.Start(t)
	ns := dial(t, c.NamesrvAddr, wire.JSON)
	for _, topic := range []string{"DefaultCluster", "broker-a", "TBW102", "SELF_TEST_TOPIC", "OFFSET_MOVED_EVENT", "SCHEDULE_TOPIC_XXXX"} {
		if r := invoke(t, ns, wire.NewRequest(wire.GetRouteinfoByTopic, wire.Field{Key: "topic", Value: topic})); r.ResponseCode() != wire.Success {
			t.Errorf("route of %s: %v %s", topic, r.ResponseCode(), r.Remark)
		}
	}
	cl := dial(t, c.BrokerAddr, wire.JSON)
	if r := invoke(t, cl, sendV2("AutoCreated", 0, "", []byte("x"))); r.ResponseCode() != wire.Success {
		t.Fatal(r.Remark)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		r := invoke(t, ns, wire.NewRequest(wire.GetRouteinfoByTopic, wire.Field{Key: "topic", Value: "AutoCreated"}))
		if r.ResponseCode() == wire.Success {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("auto-created topic not registered within 3 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
