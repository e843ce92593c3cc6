package broker_test

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// fakeClient is a raw client connection that heartbeats as one consumer
// and/or producer and records the requests the broker sends it.
type fakeClient struct {
	*transport.Client
	id string

	mu   sync.Mutex
	reqs []*wire.Command
	got  chan struct{}
}

// newFakeClient connects, installs answer (nil answers nothing) and
// heartbeats with the given language (0 JAVA, 1 CPP, 9 GO). Empty group
// names leave that side out.
func newFakeClient(t *testing.T, addr string, lang byte, id, consumerGroup, topic, producerGroup string, answer func(*wire.Command) *wire.Command) *fakeClient {
	t.Helper()
	fc := &fakeClient{Client: dial(t, addr, wire.JSON), id: id, got: make(chan struct{}, 64)}
	fc.OnRequest = func(cmd *wire.Command) *wire.Command {
		fc.mu.Lock()
		fc.reqs = append(fc.reqs, cmd)
		fc.mu.Unlock()
		fc.got <- struct{}{}
		if answer == nil {
			return nil
		}
		return answer(cmd)
	}
	body := `{"clientID":"` + id + `"`
	if producerGroup != "" {
		body += `,"producerDataSet":[{"groupName":"` + producerGroup + `"}]`
	}
	if consumerGroup != "" {
		body += `,"consumerDataSet":[{"groupName":"` + consumerGroup + `","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING",` +
			`"consumeFromWhere":"CONSUME_FROM_FIRST_OFFSET","subscriptionDataSet":[{"expressionType":"TAG","subString":"*","subVersion":1,"topic":"` +
			topic + `"}],"unitMode":false}]`
	}
	hb := wire.NewRequest(wire.HeartBeat)
	hb.Language, hb.Version = lang, 317
	hb.Body = []byte(body + "}")
	call(t, fc.Client, hb, wire.Success)
	return fc
}

// next waits for the next request of code the broker sends.
func (fc *fakeClient) next(t *testing.T, code wire.RequestCode) *wire.Command {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		fc.mu.Lock()
		for i, r := range fc.reqs {
			if r.RequestCode() == code {
				fc.reqs = append(fc.reqs[:i], fc.reqs[i+1:]...)
				fc.mu.Unlock()
				return r
			}
		}
		fc.mu.Unlock()
		select {
		case <-fc.got:
		case <-deadline:
			t.Fatalf("%s: no %v from the broker", fc.id, code)
		}
	}
}

// sendN stores n messages in queue q of topic.
func sendN(t *testing.T, c *transport.Client, topic string, q, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		call(t, c, sendV2(topic, q, "", []byte("m")), wire.Success)
	}
}

func commitOffset(t *testing.T, c *transport.Client, group, topic string, q int, off int64) {
	t.Helper()
	createGroup(t, c, group)
	call(t, c, adminReq(wire.UpdateConsumerOffset, "consumerGroup", group, "topic", topic, "queueId", strconv.Itoa(q),
		"commitOffset", strconv.FormatInt(off, 10)), wire.Success)
}

func storedOffset(t *testing.T, c *transport.Client, group, topic string, q int) string {
	t.Helper()
	return call(t, c, adminReq(wire.QueryConsumerOffset, "consumerGroup", group, "topic", topic, "queueId", strconv.Itoa(q)),
		wire.Success).ExtValue("offset")
}

// Resetting a topic by time tells every online client in the body form
// its language reads, and commits the offsets on the broker.
func TestResetOffsetPushesPerLanguage(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	adm := dial(t, c.BrokerAddr, wire.JSON)
	createTopic(t, adm, "RsT", 2)
	sendN(t, adm, "RsT", 0, 3)
	time.Sleep(5 * time.Millisecond) // store times are in ms: keep mid apart from both batches
	mid := time.Now().UnixMilli()
	time.Sleep(5 * time.Millisecond)
	sendN(t, adm, "RsT", 0, 2)
	sendN(t, adm, "RsT", 1, 4)
	commitOffset(t, adm, "RsG", "RsT", 0, 5)
	commitOffset(t, adm, "RsG", "RsT", 1, 1)

	goCl := newFakeClient(t, c.BrokerAddr, 9, "10.0.0.1@go", "RsG", "RsT", "", nil)
	cppCl := newFakeClient(t, c.BrokerAddr, 1, "10.0.0.2@cpp", "RsG", "RsT", "", nil)

	// Not forced: queue 0 moves back to 3, queue 1 (time offset 0 < 1) too.
	resp := call(t, adm, adminReq(wire.InvokeBrokerToResetOffset, "topic", "RsT", "group", "RsG",
		"timestamp", strconv.FormatInt(mid, 10), "isForce", "false", "queueId", "-1", "offset", "-1"), wire.Success)
	want := `{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"RsT"}:3,{"brokerName":"broker-a","queueId":1,"topic":"RsT"}:0}}`
	if string(resp.Body) != want {
		t.Fatalf("response body\n%s\nwant\n%s", resp.Body, want)
	}
	p := goCl.next(t, wire.ResetConsumerClientOffset)
	if !p.IsOneway() || string(p.Body) != want || p.ExtValue("topic") != "RsT" || p.ExtValue("group") != "RsG" ||
		p.ExtValue("timestamp") != strconv.FormatInt(mid, 10) || p.ExtValue("isForce") != "false" || p.ExtValue("queueId") != "-1" {
		t.Errorf("push to the Go client: flag %d ext %v body %s", p.Flag, p.Ext, p.Body)
	}
	wantC := `{"offsetTable":[{"brokerName":"broker-a","offset":3,"queueId":0,"topic":"RsT"},{"brokerName":"broker-a","offset":0,"queueId":1,"topic":"RsT"}]}`
	if p := cppCl.next(t, wire.ResetConsumerClientOffset); string(p.Body) != wantC {
		t.Errorf("push to the C++ client: %s, want %s", p.Body, wantC)
	}
	if a, b := storedOffset(t, adm, "RsG", "RsT", 0), storedOffset(t, adm, "RsG", "RsT", 1); a != "3" || b != "0" {
		t.Errorf("stored offsets %s %s, want 3 0", a, b)
	}

	// Not forced, to the end: nothing moves forward.
	resp = call(t, adm, adminReq(wire.InvokeBrokerToResetOffset, "topic", "RsT", "group", "RsG", "timestamp", "-1", "isForce", "false"), wire.Success)
	if want := `{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"RsT"}:3,{"brokerName":"broker-a","queueId":1,"topic":"RsT"}:0}}`; string(resp.Body) != want {
		t.Errorf("unforced reset to the end: %s", resp.Body)
	}
	// Forced, to the end.
	resp = call(t, adm, adminReq(wire.InvokeBrokerToResetOffset, "topic", "RsT", "group", "RsG", "timestamp", "-1", "isForce", "true"), wire.Success)
	if want := `{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"RsT"}:5,{"brokerName":"broker-a","queueId":1,"topic":"RsT"}:4}}`; string(resp.Body) != want {
		t.Errorf("forced reset to the end: %s", resp.Body)
	}
	if a := storedOffset(t, adm, "RsG", "RsT", 1); a != "4" {
		t.Errorf("stored offset of queue 1 %s, want 4", a)
	}
}

// The error cases, and one queue set to an explicit offset (what mqadmin
// -b -q -o sends), which applies whether anyone is online or not.
func TestResetOffsetOfflineAndOneQueue(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	adm := dial(t, c.BrokerAddr, wire.JSON)
	createTopic(t, adm, "RoT", 1)
	sendN(t, adm, "RoT", 0, 4)
	commitOffset(t, adm, "RoG", "RoT", 0, 4)

	call(t, adm, adminReq(wire.InvokeBrokerToResetOffset, "topic", "NoSuchTopic", "group", "RoG", "timestamp", "0", "isForce", "true"), wire.TopicNotExist)
	resp := call(t, adm, adminReq(wire.InvokeBrokerToResetOffset, "topic", "RoT", "group", "RoG", "timestamp", "0", "isForce", "true"), wire.ConsumerNotOnline)
	if want := "Consumer not online, so can not reset offset, Group: RoG Topic: RoT Timestamp: 0"; resp.Remark != want {
		t.Errorf("remark %q", resp.Remark)
	}
	if off := storedOffset(t, adm, "RoG", "RoT", 0); off != "4" {
		t.Errorf("an offline reset changed the stored offset to %s", off)
	}
	resp = call(t, adm, adminReq(wire.InvokeBrokerToResetOffset, "topic", "RoT", "group", "RoG", "timestamp", "0", "queueId", "0", "offset", "2"), wire.Success)
	if want := `{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"RoT"}:2}}`; string(resp.Body) != want {
		t.Errorf("one-queue reset answered %s", resp.Body)
	}
	if off := storedOffset(t, adm, "RoG", "RoT", 0); off != "2" {
		t.Errorf("stored offset %s after the one-queue reset, want 2", off)
	}
	resp = call(t, adm, adminReq(wire.InvokeBrokerToResetOffset, "topic", "RoT", "group", "RoG", "timestamp", "0", "queueId", "0", "offset", "9"), wire.SystemError)
	if want := "Target offset 9 not in consume queue range [0-4]"; resp.Remark != want {
		t.Errorf("remark %q, want %q", resp.Remark, want)
	}
	// Online: the one-queue reset reaches the client too.
	cl := newFakeClient(t, c.BrokerAddr, 0, "10.0.0.3@java", "RoG", "RoT", "", nil)
	call(t, adm, adminReq(wire.InvokeBrokerToResetOffset, "topic", "RoT", "group", "RoG", "timestamp", "0", "queueId", "0", "offset", "1"), wire.Success)
	if p := cl.next(t, wire.ResetConsumerClientOffset); string(p.Body) != `{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"RoT"}:1}}` {
		t.Errorf("push %s", p.Body)
	}
}
