package console_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// Names the fixture creates.
const (
	fixTopic  = "ConsoleTopic"
	fixGroup  = "ConsoleGroup"
	fixClient = "10.1.2.3@77"
	fixDLQ    = "%DLQ%" + fixGroup
	fixQueues = 4
	fixSent   = 5
)

// fixture is a cluster holding a topic with messages, a group with an
// online client and lag, and a dead-lettered message.
type fixture struct {
	c       *testcluster.Cluster
	conn    *transport.Client // kept open: the group's client stays online
	ids     []string          // offset message ids, in send order
	uniq    []string          // unique keys (what clients call the msgId)
	console string            // the console's base URL
}

// send stores a message (tag TagA, one key) in a queue of topic and
// returns its offset id and unique key.
func (f *fixture) send(t *testing.T, topic string, queue int, key, body string) (id, uniq string) {
	t.Helper()
	uniq = fmt.Sprintf("C0A80001%024X", time.Now().UnixNano())
	props := codec.EncodeProperties(map[string]string{codec.PropertyTags: "TagA", codec.PropertyKeys: key, codec.PropertyUniqKey: uniq})
	req := request(wire.SendMessageV2, "a", "pg", "b", topic, "c", "TBW102", "d", strconv.Itoa(fixQueues), "e", strconv.Itoa(queue),
		"f", "0", "g", strconv.FormatInt(time.Now().UnixMilli(), 10), "h", "0", "i", props)
	req.Body = []byte(body)
	return call(t, f.conn, req).ExtValue("msgId"), uniq
}

func call(t *testing.T, cl *transport.Client, req *wire.Command) *wire.Command {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cl.Invoke(ctx, req)
	if err != nil {
		t.Fatalf("%v: %v", wire.RequestCode(req.Code), err)
	}
	if resp.ResponseCode() != wire.Success {
		t.Fatalf("%v: code %d %s", wire.RequestCode(req.Code), resp.Code, resp.Remark)
	}
	return resp
}

func request(code wire.RequestCode, kv ...string) *wire.Command {
	req := wire.NewRequest(code)
	for i := 0; i+1 < len(kv); i += 2 {
		req.SetExt(kv[i], kv[i+1])
	}
	return req
}

// hasRoute reports whether the NameServer serves a topic's route.
func hasRoute(cl *transport.Client, topic string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	resp, err := cl.Invoke(ctx, request(wire.GetRouteinfoByTopic, "topic", topic))
	return err == nil && resp.ResponseCode() == wire.Success
}

// startFixture starts a cluster (with the console on consolePort when
// withConsole) and fills it.
func startFixture(t *testing.T, withConsole bool) *fixture {
	t.Helper()
	var opts []testcluster.Option
	port := 0
	if withConsole {
		port = testutil.FreePort(t, 0)
		opts = append(opts, testcluster.WithConf("consolePort", strconv.Itoa(port)))
	}
	c := testcluster.Start(t, opts...)
	if c.External {
		t.Skip("the console fixture needs a Booster broker address")
	}
	f := &fixture{c: c, console: fmt.Sprintf("http://127.0.0.1:%d/", port)}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var err error
	if f.conn, err = transport.Dial(ctx, c.BrokerAddr); err != nil {
		t.Fatal(err)
	}
	// The client says it holds queues 0 and 1 (ConsumerRunningInfo's
	// mqTable, keyed by MessageQueue objects as fastjson writes them).
	f.conn.OnRequest = func(req *wire.Command) *wire.Command {
		if wire.RequestCode(req.Code) != wire.GetConsumerRunningInfo {
			return nil
		}
		resp := wire.NewResponse(req, wire.Success, "")
		resp.Body = []byte(`{"jstack":"","mqTable":{{"brokerName":"broker-a","queueId":0,"topic":"` + fixTopic + `"}:{"locked":false},` +
			`{"brokerName":"broker-a","queueId":1,"topic":"` + fixTopic + `"}:{"locked":false}},"properties":{},"statusTable":{},"subscriptionSet":[]}`)
		return resp
	}
	t.Cleanup(func() { f.conn.Close() })
	ns, err := transport.Dial(ctx, c.NamesrvAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()

	n := strconv.Itoa(fixQueues)
	call(t, f.conn, request(wire.UpdateAndCreateTopic, "topic", fixTopic, "defaultTopic", "TBW102", "readQueueNums", n,
		"writeQueueNums", n, "perm", "6", "topicFilterType", "SINGLE_TAG", "topicSysFlag", "0", "order", "false"))
	testutil.Eventually(t, 10*time.Second, "route of "+fixTopic, func() bool { return hasRoute(ns, fixTopic) })

	for i := range fixSent {
		id, uniq := f.send(t, fixTopic, i%2, fmt.Sprintf("order-%d", i+1), fmt.Sprintf("hello console %d", i+1))
		f.ids = append(f.ids, id)
		f.uniq = append(f.uniq, uniq)
	}

	hb := wire.NewRequest(wire.HeartBeat)
	hb.Language = 9 // GO
	hb.Version = 317
	hb.Body = []byte(`{"clientID":"` + fixClient + `","producerDataSet":[],"consumerDataSet":[{"groupName":"` + fixGroup +
		`","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING","consumeFromWhere":"CONSUME_FROM_FIRST_OFFSET",` +
		`"subscriptionDataSet":[{"expressionType":"TAG","subString":"*","subVersion":1,"topic":"` + fixTopic + `"}],"unitMode":false}]}`)
	call(t, f.conn, hb)
	for q := range fixQueues {
		call(t, f.conn, request(wire.UpdateConsumerOffset, "consumerGroup", fixGroup, "topic", fixTopic,
			"queueId", strconv.Itoa(q), "commitOffset", "1"))
	}

	// Dead-letter the first message for the group.
	_, off, err := codec.DecodeOffsetMsgID(f.ids[0])
	if err != nil {
		t.Fatal(err)
	}
	call(t, f.conn, request(wire.ConsumerSendMsgBack, "offset", strconv.FormatInt(off, 10), "group", fixGroup,
		"delayLevel", "-1", "originMsgId", f.uniq[0], "originTopic", fixTopic, "unitMode", "false", "maxReconsumeTimes", "16"))
	testutil.Eventually(t, 10*time.Second, "route of "+fixDLQ, func() bool { return hasRoute(ns, fixDLQ) })
	return f
}

func equal[T comparable](t *testing.T, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

func noError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
