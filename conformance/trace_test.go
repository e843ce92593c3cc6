package conformance

// Message trace with the official Go client (producer.WithTrace,
// consumer.WithTrace): the client sends its trace records as ordinary
// messages (SEND_MESSAGE, producer group _INNER_TRACE_PRODUCER) to
// RMQ_SYS_TRACE_TOPIC, which the broker creates when traceTopicEnable is
// set, or to a custom trace topic; each record is keyed by the traced
// message's id (and its keys), so QUERY_MESSAGE finds it.
//
// The Go client looks the trace topic up in the NameServer and drops the
// trace when it has no route (it never falls back to TBW102, unlike the
// Java client), so the topic must exist. Its trace client is one instance
// per process (INNER_TRACE_CLIENT_DEFAULT) bound to the first NameServer
// list it was given: every traced client of this test binary must use the
// same cluster, hence one test.

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func TestMessageTrace(t *testing.T) {
	t.Parallel()
	h := newHarness(t, testcluster.WithConf("traceTopicEnable", "true"))
	custom := h.name("trace")
	raw := h.rawBroker(t)
	resp, err := raw.Invoke(context.Background(), wire.NewRequest(wire.UpdateAndCreateTopic,
		wire.Field{Key: "topic", Value: custom}, wire.Field{Key: "defaultTopic", Value: "TBW102"},
		wire.Field{Key: "readQueueNums", Value: "1"}, wire.Field{Key: "writeQueueNums", Value: "1"},
		wire.Field{Key: "perm", Value: "6"}, wire.Field{Key: "topicFilterType", Value: "SINGLE_TAG"}, wire.Field{Key: "order", Value: "false"}))
	if err != nil || resp.ResponseCode() != wire.Success {
		t.Fatalf("create %s: %+v %v", custom, resp, err)
	}
	h.waitRoute(custom)
	h.waitRoute("RMQ_SYS_TRACE_TOPIC")

	for _, tc := range []struct{ name, traceTopic string }{{"system", ""}, {"custom", custom}} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &primitive.TraceConfig{NamesrvAddrs: []string{h.c.NamesrvAddr}, GroupName: h.name("tg"), TraceTopic: tc.traceTopic, Access: primitive.Local}
			traceTopic := tc.traceTopic
			if traceTopic == "" {
				traceTopic = "RMQ_SYS_TRACE_TOPIC"
			}
			topic, group, key := h.name("t"), h.name("g"), h.name("k")
			p := h.newProducer(producer.WithTrace(cfg))
			res := sendSync(t, p, message(topic, "traced", "TagT", []string{key}, nil))
			col := &collector{}
			h.startPush(group, topic, subAll, col, consumer.WithTrace(cfg))
			col.waitAll(t, "the traced message to be consumed", []string{"traced"})

			// Pub from the producer; SubBefore and SubAfter from the consumer.
			eventually(t, consumeWait, "trace records of "+res.MsgID+" in "+traceTopic, func() (bool, string) {
				recs := queryKey(t, raw, traceTopic, res.MsgID)
				var kinds []string
				for _, r := range recs {
					for _, rec := range strings.Split(r, "\x02") {
						if kind, _, ok := strings.Cut(rec, "\x01"); ok && strings.Contains(rec, res.MsgID) {
							kinds = append(kinds, kind)
						}
					}
				}
				all := strings.Join(kinds, ",")
				return strings.Contains(all, "Pub") && strings.Contains(all, "SubBefore") && strings.Contains(all, "SubAfter"), all
			})
			pub := queryKey(t, raw, traceTopic, key)
			if len(pub) == 0 || !strings.Contains(strings.Join(pub, ""), "Pub\x01") || !strings.Contains(strings.Join(pub, ""), topic) {
				t.Errorf("trace records by the message key %s: %q", key, pub)
			}
		})
	}
}

// rawBroker dials the cluster's broker (the first broker of TBW102's route
// when the cluster is external).
func (h *harness) rawBroker(t *testing.T) *transport.Client {
	t.Helper()
	addr := h.c.BrokerAddr
	if h.c.External {
		addr = h.routeBroker("TBW102")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, err := transport.Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

// routeBroker returns the master address of the first broker in a topic's
// route, or "" when the NameServer has no route.
func (h *harness) routeBroker(topic string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, err := transport.Dial(ctx, h.c.NamesrvAddr)
	if err != nil {
		return ""
	}
	defer cl.Close()
	resp, err := cl.Invoke(ctx, wire.NewRequest(wire.GetRouteinfoByTopic, wire.Field{Key: "topic", Value: topic}))
	if err != nil || resp.ResponseCode() != wire.Success {
		return ""
	}
	var rd struct {
		BrokerDatas []struct {
			BrokerAddrs map[string]string `json:"brokerAddrs"`
		} `json:"brokerDatas"`
	}
	if json.Unmarshal(codec.QuoteNumericKeys(resp.Body), &rd) != nil || len(rd.BrokerDatas) == 0 {
		return ""
	}
	return rd.BrokerDatas[0].BrokerAddrs["0"]
}

// waitRoute waits until the NameServer serves a topic's route.
func (h *harness) waitRoute(topic string) {
	h.t.Helper()
	eventually(h.t, routeWait, "the route of "+topic, func() (bool, string) {
		return h.routeBroker(topic) != "", "no route"
	})
}

// queryKey returns the bodies of topic's messages indexed under key
// (QUERY_MESSAGE).
func queryKey(t *testing.T, cl *transport.Client, topic, key string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cl.Invoke(ctx, wire.NewRequest(wire.QueryMessage,
		wire.Field{Key: "topic", Value: topic}, wire.Field{Key: "key", Value: key}, wire.Field{Key: "maxNum", Value: "64"},
		wire.Field{Key: "beginTimestamp", Value: "0"}, wire.Field{Key: "endTimestamp", Value: strconv.FormatInt(time.Now().Add(time.Hour).UnixMilli(), 10)}))
	if err != nil {
		t.Fatalf("QUERY_MESSAGE %s %s: %v", topic, key, err)
	}
	var out []string
	for _, m := range primitive.DecodeMessage(resp.Body) {
		if m.Topic == topic && strings.Contains(" "+m.GetKeys()+" ", " "+key+" ") {
			out = append(out, string(m.Body))
		}
	}
	return out
}
