package conformance

// Pop consumption over the raw remoting protocol (the Go client has no pop
// consumer): POP_MESSAGE, ACK_MESSAGE, BATCH_ACK_MESSAGE,
// CHANGE_MESSAGE_INVISIBLETIME, PEEK_MESSAGE, NOTIFICATION, POLLING_INFO,
// SET/GET_ALL_MESSAGE_REQUEST_MODE and QUERY_ASSIGNMENT, driven the way the
// Java 5.x client drives them: handles are built from the POP response's
// startOffsetInfo / msgOffsetInfo exactly as MQClientAPIImpl.processPopResponse
// does, and acks name the real topic as DefaultMQPushConsumerImpl.ackAsync does.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// popTarget is the broker a pop test talks to.
type popTarget struct {
	c          *testcluster.Cluster
	addr       string
	brokerName string
}

// newPopTarget starts a cluster and finds its broker (from the NameServer
// when the cluster is external).
func newPopTarget(t *testing.T) *popTarget {
	t.Helper()
	c := testcluster.Start(t)
	pt := &popTarget{c: c, addr: c.BrokerAddr, brokerName: "broker-a"}
	if c.External {
		ns := popDial(t, c.NamesrvAddr)
		resp := popInvoke(t, ns, wire.NewRequest(wire.GetRouteinfoByTopic, wire.Field{Key: "topic", Value: "TBW102"}))
		var route codec.TopicRouteData
		if err := json.Unmarshal(codec.QuoteNumericKeys(resp.Body), &route); err != nil || len(route.BrokerDatas) == 0 {
			t.Fatalf("route of TBW102: %v %s", err, resp.Body)
		}
		pt.addr, pt.brokerName = route.BrokerDatas[0].MasterAddr(), route.BrokerDatas[0].BrokerName
	}
	return pt
}

func popDial(t testing.TB, addr string) *transport.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, err := transport.Dial(ctx, addr)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

func popInvoke(t testing.TB, cl *transport.Client, req *wire.Command) *wire.Command {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	resp, err := cl.Invoke(ctx, req)
	if err != nil {
		t.Fatalf("%v: %v", wire.RequestCode(req.Code), err)
	}
	return resp
}

func popReq(code wire.RequestCode, kv ...string) *wire.Command {
	req := wire.NewRequest(code)
	for i := 0; i+1 < len(kv); i += 2 {
		req.SetExt(kv[i], kv[i+1])
	}
	return req
}

func popCreateTopic(t *testing.T, cl *transport.Client, topic string, queues int) {
	t.Helper()
	q := strconv.Itoa(queues)
	resp := popInvoke(t, cl, popReq(wire.UpdateAndCreateTopic, "topic", topic, "defaultTopic", "TBW102",
		"readQueueNums", q, "writeQueueNums", q, "perm", "6", "topicFilterType", "SINGLE_TAG", "topicSysFlag", "0", "order", "false"))
	if resp.ResponseCode() != wire.Success {
		t.Fatalf("create topic %s: %v %s", topic, resp.ResponseCode(), resp.Remark)
	}
}

// popSend stores one message with tag and body in queueID.
func popSend(t *testing.T, cl *transport.Client, topic string, queueID int, tag, body string) {
	t.Helper()
	props := string(codec.AppendProperty(codec.AppendProperty(nil, codec.PropertyTags, tag), codec.PropertyWaitStoreMsgOK, "true"))
	req := popReq(wire.SendMessageV2, "a", "pop_producer", "b", topic, "c", "TBW102", "d", "4", "e", strconv.Itoa(queueID),
		"f", "0", "g", strconv.FormatInt(time.Now().UnixMilli(), 10), "h", "0", "i", props, "j", "0", "k", "false")
	req.Body = []byte(body)
	if resp := popInvoke(t, cl, req); resp.ResponseCode() != wire.Success {
		t.Fatalf("send %s: %v %s", body, resp.ResponseCode(), resp.Remark)
	}
}

// popRequest is a PopMessageRequestHeader as the Java client fills it.
func popRequest(group, topic string, queueID, maxNums int, invisible, poll time.Duration, exp string) *wire.Command {
	return popReq(wire.PopMessage, "consumerGroup", group, "topic", topic, "queueId", strconv.Itoa(queueID),
		"maxMsgNums", strconv.Itoa(maxNums), "invisibleTime", strconv.FormatInt(invisible.Milliseconds(), 10),
		"pollTime", strconv.FormatInt(poll.Milliseconds(), 10), "bornTime", strconv.FormatInt(time.Now().UnixMilli(), 10),
		"initMode", "0", "expType", "TAG", "exp", exp, "order", "false", "bname", "broker-a")
}

// popped is one message of a POP answer with the handle the client builds.
type popped struct {
	m      codec.Message
	props  map[string]string
	handle string
}

func (p popped) body() string { return string(p.m.Body) }

// popHandleFields splits a handle (ExtraInfoUtil.split).
func popHandleFields(t testing.TB, h string) []string {
	f := strings.Split(h, " ")
	if len(f) != 8 {
		t.Fatalf("handle %q has %d fields, want 8", h, len(f))
	}
	return f
}

// popRetryMark is ExtraInfoUtil.getRetry(topic).
func popRetryMark(topic string) string {
	switch {
	case strings.HasPrefix(topic, "%RETRY%") && strings.Contains(topic, "+"):
		return "2"
	case strings.HasPrefix(topic, "%RETRY%"):
		return "1"
	}
	return "0"
}

// popParseInfo parses startOffsetInfo or msgOffsetInfo into key → values.
func popParseInfo(t testing.TB, s string) map[string][]int64 {
	t.Helper()
	out := map[string][]int64{}
	if s == "" {
		return out
	}
	for _, one := range strings.Split(s, ";") {
		f := strings.Split(one, " ")
		if len(f) != 3 {
			t.Fatalf("offset info %q: entry %q has %d fields", s, one, len(f))
		}
		key := f[0] + "@" + f[1]
		if _, dup := out[key]; dup {
			t.Fatalf("offset info %q: duplicate %s", s, key)
		}
		for _, o := range strings.Split(f[2], ",") {
			n, err := strconv.ParseInt(o, 10, 64)
			if err != nil {
				t.Fatalf("offset info %q: %v", s, err)
			}
			out[key] = append(out[key], n)
		}
	}
	return out
}

// popDecode decodes a FOUND answer and builds every message's handle as
// MQClientAPIImpl.processPopResponse does.
func popDecode(t testing.TB, resp *wire.Command, brokerName string) []popped {
	t.Helper()
	for _, k := range []string{"popTime", "invisibleTime", "reviveQid", "restNum", "startOffsetInfo", "msgOffsetInfo"} {
		if _, ok := resp.Ext.Get(k); !ok {
			t.Fatalf("pop answer lacks %s: %+v", k, resp.Ext)
		}
	}
	start := popParseInfo(t, resp.ExtValue("startOffsetInfo"))
	msgOffs := popParseInfo(t, resp.ExtValue("msgOffsetInfo"))
	var out []popped
	sorted := map[string][]int64{}
	for pos := 0; pos < len(resp.Body); {
		m, n, err := codec.DecodeRecord(resp.Body[pos:])
		if err != nil {
			t.Fatalf("pop body at %d: %v", pos, err)
		}
		if codec.BodyCRC(m.Body) != m.BodyCRC {
			t.Fatalf("pop body at %d: bad body CRC", pos)
		}
		m.Body = append([]byte(nil), m.Body...)
		p := popped{m: m, props: codec.ParseProperties(m.Properties)}
		out = append(out, p)
		mark := popRetryMark(m.Topic)
		if ck, ok := p.props["POP_CK"]; ok {
			mark = popHandleFields(t, ck)[4]
		}
		key := mark + "@" + strconv.Itoa(int(m.QueueID))
		sorted[key] = append(sorted[key], m.QueueOffset)
		pos += n
	}
	for _, l := range sorted {
		slices.Sort(l)
	}
	for i := range out {
		p := &out[i]
		if ck, ok := p.props["POP_CK"]; ok {
			p.handle = ck
			continue
		}
		key := popRetryMark(p.m.Topic) + "@" + strconv.Itoa(int(p.m.QueueID))
		st, ok := start[key]
		if !ok {
			t.Fatalf("startOffsetInfo %q has no %s", resp.ExtValue("startOffsetInfo"), key)
		}
		idx := slices.Index(sorted[key], p.m.QueueOffset)
		if idx < 0 || idx >= len(msgOffs[key]) || msgOffs[key][idx] != p.m.QueueOffset {
			t.Fatalf("msgOffsetInfo %q does not list %s offset %d", resp.ExtValue("msgOffsetInfo"), key, p.m.QueueOffset)
		}
		p.handle = fmt.Sprintf("%d %s %s %s %s %s %d %d", st[0], resp.ExtValue("popTime"), resp.ExtValue("invisibleTime"),
			resp.ExtValue("reviveQid"), popRetryMark(p.m.Topic), brokerName, p.m.QueueID, p.m.QueueOffset)
	}
	return out
}

// popRealTopic is ExtraInfoUtil.getRealTopic for a handle.
func popRealTopic(t testing.TB, handle, topic, group string) string {
	switch popHandleFields(t, handle)[4] {
	case "1":
		return "%RETRY%" + group + "_" + topic
	case "2":
		return "%RETRY%" + group + "+" + topic
	}
	return topic
}

// popAckRequest is an AckMessageRequestHeader as ackAsync fills it.
func popAckRequest(t testing.TB, group, topic string, p popped) *wire.Command {
	f := popHandleFields(t, p.handle)
	return popReq(wire.AckMessage, "consumerGroup", group, "topic", popRealTopic(t, p.handle, topic, group),
		"queueId", f[6], "offset", f[7], "extraInfo", p.handle, "bname", f[5])
}

// popChangeRequest is a ChangeInvisibleTimeRequestHeader as
// changePopInvisibleTimeAsync fills it.
func popChangeRequest(t testing.TB, group, topic string, p popped, invisible time.Duration) *wire.Command {
	f := popHandleFields(t, p.handle)
	return popReq(wire.ChangeMessageInvisibletime, "consumerGroup", group, "topic", popRealTopic(t, p.handle, topic, group),
		"queueId", f[6], "offset", f[7], "extraInfo", p.handle, "invisibleTime", strconv.FormatInt(invisible.Milliseconds(), 10), "bname", f[5])
}

// popBatchAckBody is BatchAckMessageRequestBody as batchAckMessageAsync
// builds it (fastjson short names, the BitSet as base64 bytes).
func popBatchAckBody(t testing.TB, brokerName, group, topic string, ps ...popped) []byte {
	type ack struct {
		C  string `json:"c"`
		T  string `json:"t"`
		R  string `json:"r"`
		So int64  `json:"so"`
		Q  int    `json:"q"`
		Rq int    `json:"rq"`
		Pt int64  `json:"pt"`
		It int64  `json:"it"`
		B  string `json:"b"`
	}
	merged := map[string]*ack{}
	bits := map[string][]byte{}
	var order []string
	for _, p := range ps {
		f := popHandleFields(t, p.handle)
		key := f[4] + "@" + f[6] + "@" + f[0] + "@" + f[1]
		a := merged[key]
		if a == nil {
			so, _ := strconv.ParseInt(f[0], 10, 64)
			pt, _ := strconv.ParseInt(f[1], 10, 64)
			it, _ := strconv.ParseInt(f[2], 10, 64)
			rq, _ := strconv.Atoi(f[3])
			q, _ := strconv.Atoi(f[6])
			a = &ack{C: group, T: topic, R: f[4], So: so, Q: q, Rq: rq, Pt: pt, It: it}
			merged[key] = a
			order = append(order, key)
		}
		off, _ := strconv.ParseInt(f[7], 10, 64)
		i := int(off - a.So)
		for len(bits[key]) <= i/8 {
			bits[key] = append(bits[key], 0)
		}
		bits[key][i/8] |= 1 << (i % 8)
	}
	body := struct {
		Acks       []*ack `json:"acks"`
		BrokerName string `json:"brokerName"`
	}{BrokerName: brokerName}
	for _, k := range order {
		merged[k].B = base64.StdEncoding.EncodeToString(bits[k])
		body.Acks = append(body.Acks, merged[k])
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// popUntil pops (polling pollFor each time) until want bodies were seen or
// the deadline passes; it returns everything popped, by body.
func popUntil(t *testing.T, cl *transport.Client, pt *popTarget, group, topic string, invisible time.Duration, want []string, within time.Duration) map[string]popped {
	t.Helper()
	got := map[string]popped{}
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		resp := popInvoke(t, cl, popRequest(group, topic, -1, 32, invisible, 2*time.Second, "*"))
		switch resp.ResponseCode() {
		case wire.Success:
			for _, p := range popDecode(t, resp, pt.brokerName) {
				got[p.body()] = p
			}
		case wire.PollingTimeout, wire.PullNotFound:
		default:
			t.Fatalf("pop: %v %s", resp.ResponseCode(), resp.Remark)
		}
		done := true
		for _, w := range want {
			if _, ok := got[w]; !ok {
				done = false
			}
		}
		if done {
			return got
		}
	}
	keys := make([]string, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Fatalf("popped %v within %v, want %v", keys, within, want)
	return nil
}

// Pop, ack (single and batch), change the invisible time, and let the
// rest come back through the pop retry topic with reconsume times + 1;
// in-flight state survives a broker restart; acked messages never return.
func TestPopAckReviveRestart(t *testing.T) {
	pt := newPopTarget(t)
	cl := popDial(t, pt.addr)
	topic, group := fmt.Sprintf("PopT_%d", time.Now().UnixNano()), fmt.Sprintf("PopG_%d", time.Now().UnixNano())
	popCreateTopic(t, cl, topic, 2)
	bodies := []string{"m0", "m1", "m2", "m3", "m4", "m5"}
	for i, b := range bodies {
		popSend(t, cl, topic, i%2, "TagA", b)
	}

	// An empty group pops from the first offset (initMode MIN) all six.
	const invisible = 4 * time.Second
	first := popUntil(t, cl, pt, group, topic, invisible, bodies, 20*time.Second)
	if len(first) != 6 {
		t.Fatalf("first pop: %d messages", len(first))
	}
	for _, p := range first {
		if p.m.Topic != topic || p.m.ReconsumeTimes != 0 || popHandleFields(t, p.handle)[4] != "0" {
			t.Fatalf("first pop %s: topic %s reconsume %d handle %q", p.body(), p.m.Topic, p.m.ReconsumeTimes, p.handle)
		}
	}

	// Nothing is visible now: a short poll times out.
	resp := popInvoke(t, cl, popRequest(group, topic, -1, 32, invisible, 300*time.Millisecond, "*"))
	if resp.ResponseCode() != wire.PollingTimeout {
		t.Fatalf("pop while all in flight: %v %s (%d bytes)", resp.ResponseCode(), resp.Remark, len(resp.Body))
	}
	for _, k := range []string{"popTime", "invisibleTime", "reviveQid", "restNum"} {
		if _, ok := resp.Ext.Get(k); !ok {
			t.Fatalf("POLLING_TIMEOUT lacks %s: %+v", k, resp.Ext)
		}
	}

	// m0, m1 acked one by one; m2 by a batch ack.
	for _, b := range []string{"m0", "m1"} {
		if r := popInvoke(t, cl, popAckRequest(t, group, topic, first[b])); r.ResponseCode() != wire.Success {
			t.Fatalf("ack %s: %v %s", b, r.ResponseCode(), r.Remark)
		}
	}
	batch := popReq(wire.BatchAckMessage)
	batch.Body = popBatchAckBody(t, pt.brokerName, group, topic, first["m2"])
	if r := popInvoke(t, cl, batch); r.ResponseCode() != wire.Success {
		t.Fatalf("batch ack: %v %s", r.ResponseCode(), r.Remark)
	}
	// m3 stays invisible much longer; m4 comes back sooner.
	changeStart := time.Now()
	r := popInvoke(t, cl, popChangeRequest(t, group, topic, first["m3"], 30*time.Second))
	if r.ResponseCode() != wire.Success || r.ExtValue("invisibleTime") != "30000" || r.ExtValue("reviveQid") != popHandleFields(t, first["m3"].handle)[3] {
		t.Fatalf("change m3: %v %s %+v", r.ResponseCode(), r.Remark, r.Ext)
	}
	if pt0, _ := strconv.ParseInt(r.ExtValue("popTime"), 10, 64); pt0 < changeStart.UnixMilli()-1000 || pt0 > time.Now().UnixMilli()+1000 {
		t.Fatalf("change m3: popTime %d is not now", pt0)
	}
	if r := popInvoke(t, cl, popChangeRequest(t, group, topic, first["m4"], time.Second)); r.ResponseCode() != wire.Success {
		t.Fatalf("change m4: %v %s", r.ResponseCode(), r.Remark)
	}

	// m4 (after 1 s) and m5 (after 4 s) come back from the retry topic with
	// reconsume times 1 and a handle marked retry; m3 and the acked ones do not.
	back := popUntil(t, cl, pt, group, topic, invisible, []string{"m4", "m5"}, 30*time.Second)
	for b, p := range back {
		switch b {
		case "m4", "m5":
		default:
			t.Fatalf("%s came back (handle %q)", b, p.handle)
		}
		if p.m.Topic != topic || p.m.ReconsumeTimes != 1 || popHandleFields(t, p.handle)[4] != "1" || p.props["1ST_POP_TIME"] == "" {
			t.Fatalf("redelivered %s: topic %s reconsume %d handle %q props %v", b, p.m.Topic, p.m.ReconsumeTimes, p.handle, p.props)
		}
	}
	if time.Since(changeStart) >= 30*time.Second {
		t.Fatal("the test ran past m3's new invisible time")
	}
	// The redelivered m4 is acked on the retry topic.
	if r := popInvoke(t, cl, popAckRequest(t, group, topic, back["m4"])); r.ResponseCode() != wire.Success {
		t.Fatalf("ack redelivered m4: %v %s", r.ResponseCode(), r.Remark)
	}

	if !pt.c.CanRestart() {
		return
	}
	// m3 (from its change) and the redelivered m5 are still in flight across a restart.
	pt.c.RestartBroker()
	cl = popDial(t, pt.addr)
	left := time.Until(changeStart.Add(30 * time.Second))
	final := popUntil(t, cl, pt, group, topic, time.Minute, []string{"m3", "m5"}, left+25*time.Second)
	if time.Since(changeStart) < 30*time.Second {
		t.Fatalf("m3 came back %v after its invisible time was set to 30 s", time.Since(changeStart))
	}
	for b, p := range final {
		want := map[string]int32{"m3": 1, "m5": 2}[b]
		if want == 0 {
			t.Fatalf("%s came back after the restart", b)
		}
		if p.m.ReconsumeTimes != want {
			t.Fatalf("%s after restart: reconsume times %d, want %d", b, p.m.ReconsumeTimes, want)
		}
	}
	// Once acked, nothing is left.
	for _, b := range []string{"m3", "m5"} {
		if r := popInvoke(t, cl, popAckRequest(t, group, topic, final[b])); r.ResponseCode() != wire.Success {
			t.Fatalf("ack %s: %v %s", b, r.ResponseCode(), r.Remark)
		}
	}
	resp = popInvoke(t, cl, popRequest(group, topic, -1, 32, invisible, time.Second, "*"))
	if resp.ResponseCode() != wire.PollingTimeout {
		t.Fatalf("pop after everything was acked: %v %s", resp.ResponseCode(), resp.Remark)
	}
}

// A parked pop is answered as soon as a message arrives; a tag filter
// keeps other tags out; PEEK, NOTIFICATION and POLLING_INFO see the same queues.
func TestPopLongPollingAndHelpers(t *testing.T) {
	pt := newPopTarget(t)
	cl := popDial(t, pt.addr)
	topic, group := fmt.Sprintf("PopLP_%d", time.Now().UnixNano()), fmt.Sprintf("PopLPG_%d", time.Now().UnixNano())
	popCreateTopic(t, cl, topic, 1)

	// Nothing there yet: NOTIFICATION with no poll time says so.
	n := popInvoke(t, cl, popReq(wire.Notification, "consumerGroup", group, "topic", topic, "queueId", "-1",
		"pollTime", "0", "bornTime", strconv.FormatInt(time.Now().UnixMilli(), 10)))
	if n.ResponseCode() != wire.Success || n.ExtValue("hasMsg") != "false" {
		t.Fatalf("notification on an empty topic: %v %s %+v", n.ResponseCode(), n.Remark, n.Ext)
	}

	done := make(chan *wire.Command, 1)
	start := time.Now()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		resp, _ := cl.Invoke(ctx, popRequest(group, topic, -1, 32, 10*time.Second, 15*time.Second, "TagB"))
		done <- resp
	}()
	sender := popDial(t, pt.addr)
	testutil.Eventually(t, 10*time.Second, "pop parked", func() bool {
		r := popInvoke(t, sender, popReq(wire.PollingInfo, "consumerGroup", group, "topic", topic, "queueId", "-1"))
		return r.ResponseCode() == wire.Success && r.ExtValue("pollingNum") == "1"
	})
	popSend(t, sender, topic, 0, "TagA", "not-for-me")
	popSend(t, sender, topic, 0, "TagB", "for-me")
	resp := <-done
	if resp == nil || resp.ResponseCode() != wire.Success {
		t.Fatalf("parked pop: %+v", resp)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatalf("parked pop answered after %v", time.Since(start))
	}
	got := popDecode(t, resp, pt.brokerName)
	if len(got) != 1 || got[0].body() != "for-me" {
		t.Fatalf("parked pop got %d messages, first %q", len(got), got[0].body())
	}

	// PEEK shows what is left without taking it; a fresh group peeks from the start.
	peek := popInvoke(t, cl, popReq(wire.PeekMessage, "consumerGroup", group+"_peek", "topic", topic, "queueId", "0", "maxMsgNums", "32"))
	if peek.ResponseCode() != wire.Success {
		t.Fatalf("peek: %v %s", peek.ResponseCode(), peek.Remark)
	}
	if _, ok := peek.Ext.Get("restNum"); !ok {
		t.Fatalf("peek lacks restNum: %+v", peek.Ext)
	}
	n2 := popInvoke(t, cl, popReq(wire.Notification, "consumerGroup", group+"_peek", "topic", topic, "queueId", "-1",
		"pollTime", "1000", "bornTime", strconv.FormatInt(time.Now().UnixMilli(), 10)))
	if n2.ResponseCode() != wire.Success || n2.ExtValue("hasMsg") != "true" {
		t.Fatalf("notification with messages: %v %s %+v", n2.ResponseCode(), n2.Remark, n2.Ext)
	}
}

// SET_MESSAGE_REQUEST_MODE to POP makes QUERY_ASSIGNMENT give the client
// every queue as (topic, broker, -1); PULL shares the queues averagely.
func TestQueryAssignmentPopMode(t *testing.T) {
	pt := newPopTarget(t)
	cl := popDial(t, pt.addr)
	topic, group := fmt.Sprintf("PopQA_%d", time.Now().UnixNano()), fmt.Sprintf("PopQAG_%d", time.Now().UnixNano())
	popCreateTopic(t, cl, topic, 4)

	// Two consumers of the group heartbeat (Java dialect).
	heartbeat := func(c *transport.Client, clientID string) {
		hb := fmt.Sprintf(`{"clientID":%q,"consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY","groupName":%q,"messageModel":"CLUSTERING","subscriptionDataSet":[{"classFilterMode":false,"codeSet":[],"expressionType":"TAG","subString":"*","subVersion":%d,"tagsSet":[],"topic":%q}],"unitMode":false}],"heartbeatFingerprint":0,"producerDataSet":[],"withoutSub":false}`,
			clientID, group, time.Now().UnixMilli(), topic)
		req := wire.NewRequest(wire.HeartBeat)
		req.Body = []byte(hb)
		if r := popInvoke(t, c, req); r.ResponseCode() != wire.Success {
			t.Fatalf("heartbeat: %v %s", r.ResponseCode(), r.Remark)
		}
	}
	c2 := popDial(t, pt.addr)
	heartbeat(cl, "10.0.0.1@1#1")
	heartbeat(c2, "10.0.0.2@2#2")

	query := func(clientID string) []codec.MessageQueue {
		req := wire.NewRequest(wire.QueryAssignment)
		req.Body = []byte(fmt.Sprintf(`{"clientId":%q,"consumerGroup":%q,"messageModel":"CLUSTERING","strategyName":"AVG","topic":%q}`, clientID, group, topic))
		r := popInvoke(t, cl, req)
		if r.ResponseCode() != wire.Success {
			t.Fatalf("query assignment: %v %s", r.ResponseCode(), r.Remark)
		}
		var body struct {
			MessageQueueAssignments []struct {
				MessageQueue codec.MessageQueue `json:"messageQueue"`
				Mode         string             `json:"mode"`
			} `json:"messageQueueAssignments"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("query assignment body %s: %v", r.Body, err)
		}
		var mqs []codec.MessageQueue
		for _, a := range body.MessageQueueAssignments {
			mqs = append(mqs, a.MessageQueue)
			if a.MessageQueue.Topic != topic || a.MessageQueue.BrokerName != pt.brokerName {
				t.Fatalf("assignment %+v", a)
			}
			if want := map[bool]string{true: "POP", false: "PULL"}[a.MessageQueue.QueueID < 0]; a.Mode != want {
				t.Fatalf("assignment %+v: mode %s, want %s", a, a.Mode, want)
			}
		}
		sort.Slice(mqs, func(i, j int) bool { return mqs[i].QueueID < mqs[j].QueueID })
		return mqs
	}
	// Default PULL: AVG gives queues 0,1 and 2,3.
	a1, a2 := query("10.0.0.1@1#1"), query("10.0.0.2@2#2")
	if len(a1) != 2 || len(a2) != 2 || a1[0].QueueID != 0 || a1[1].QueueID != 1 || a2[0].QueueID != 2 || a2[1].QueueID != 3 {
		t.Fatalf("PULL assignment: %+v / %+v", a1, a2)
	}

	set := wire.NewRequest(wire.SetMessageRequestMode)
	set.Body = []byte(fmt.Sprintf(`{"consumerGroup":%q,"mode":"POP","popShareQueueNum":0,"topic":%q}`, group, topic))
	if r := popInvoke(t, cl, set); r.ResponseCode() != wire.Success {
		t.Fatalf("set mode: %v %s", r.ResponseCode(), r.Remark)
	}
	for _, id := range []string{"10.0.0.1@1#1", "10.0.0.2@2#2"} {
		if a := query(id); len(a) != 1 || a[0].QueueID != -1 {
			t.Fatalf("POP assignment of %s: %+v", id, a)
		}
	}
	// A retry topic cannot be switched.
	bad := wire.NewRequest(wire.SetMessageRequestMode)
	bad.Body = []byte(fmt.Sprintf(`{"consumerGroup":%q,"mode":"POP","popShareQueueNum":0,"topic":"%%RETRY%%%s"}`, group, group))
	if r := popInvoke(t, cl, bad); r.ResponseCode() != wire.NoPermission {
		t.Fatalf("set mode of a retry topic: %v %s", r.ResponseCode(), r.Remark)
	}
	all := popInvoke(t, cl, wire.NewRequest(wire.GetAllMessageRequestMode))
	var modes struct {
		MessageRequestModeMap map[string]map[string]struct {
			Mode             string `json:"mode"`
			PopShareQueueNum int    `json:"popShareQueueNum"`
		} `json:"messageRequestModeMap"`
	}
	if err := json.Unmarshal(all.Body, &modes); err != nil || modes.MessageRequestModeMap[topic][group].Mode != "POP" {
		t.Fatalf("GET_ALL_MESSAGE_REQUEST_MODE: %v %s", err, all.Body)
	}
}

// popOrderRequest is an orderly pop of one queue.
func popOrderRequest(group, topic string, invisible, poll time.Duration) *wire.Command {
	req := popRequest(group, topic, 0, 32, invisible, poll, "*")
	req.SetExt("order", "true")
	req.SetExt("attemptId", fmt.Sprintf("attempt-%d", time.Now().UnixNano()))
	return req
}

// popOrderCounts parses orderCountInfo into key → count.
func popOrderCounts(t testing.TB, s string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, one := range strings.Split(s, ";") {
		if one == "" {
			continue
		}
		f := strings.Split(one, " ")
		if len(f) != 3 {
			t.Fatalf("orderCountInfo %q: entry %q", s, one)
		}
		n, err := strconv.Atoi(f[2])
		if err != nil {
			t.Fatalf("orderCountInfo %q: %v", s, err)
		}
		out[f[0]+"@"+f[1]] = n
	}
	return out
}

// Orderly pops block the queue while a batch is invisible, redeliver the
// unacked rest of the batch from the same queue with its delivery count in
// orderCountInfo, and move on once everything is acked.
func TestPopOrderly(t *testing.T) {
	pt := newPopTarget(t)
	cl := popDial(t, pt.addr)
	topic, group := fmt.Sprintf("PopO_%d", time.Now().UnixNano()), fmt.Sprintf("PopOG_%d", time.Now().UnixNano())
	popCreateTopic(t, cl, topic, 1)
	for _, b := range []string{"o0", "o1", "o2"} {
		popSend(t, cl, topic, 0, "TagA", b)
	}
	const invisible = 3 * time.Second
	resp := popInvoke(t, cl, popOrderRequest(group, topic, invisible, time.Second))
	if resp.ResponseCode() != wire.Success || resp.ExtValue("reviveQid") != "999" {
		t.Fatalf("orderly pop: %v %s %+v", resp.ResponseCode(), resp.Remark, resp.Ext)
	}
	first := popDecode(t, resp, pt.brokerName)
	if len(first) != 3 || first[0].body() != "o0" || first[2].body() != "o2" {
		t.Fatalf("orderly pop got %d messages", len(first))
	}
	if c := popOrderCounts(t, resp.ExtValue("orderCountInfo")); c["0@0"] != 0 {
		t.Fatalf("first orderCountInfo %q", resp.ExtValue("orderCountInfo"))
	}
	// Blocked while invisible.
	if r := popInvoke(t, cl, popOrderRequest(group, topic, invisible, 300*time.Millisecond)); r.ResponseCode() != wire.PollingTimeout {
		t.Fatalf("orderly pop of a blocked queue: %v %s", r.ResponseCode(), r.Remark)
	}
	// Ack o0 only; after the invisible time o1 and o2 come again, counted.
	if r := popInvoke(t, cl, popAckRequest(t, group, topic, first[0])); r.ResponseCode() != wire.Success {
		t.Fatalf("ack o0: %v %s", r.ResponseCode(), r.Remark)
	}
	var again []popped
	var counts map[string]int
	testutil.Eventually(t, 20*time.Second, "orderly redelivery", func() bool {
		r := popInvoke(t, cl, popOrderRequest(group, topic, invisible, time.Second))
		if r.ResponseCode() != wire.Success {
			return false
		}
		again = popDecode(t, r, pt.brokerName)
		counts = popOrderCounts(t, r.ExtValue("orderCountInfo"))
		return true
	})
	if len(again) != 2 || again[0].body() != "o1" || again[1].body() != "o2" {
		t.Fatalf("orderly redelivery: %d messages, first %q", len(again), again[0].body())
	}
	if counts["0@qo0%1"] != 1 || counts["0@qo0%2"] != 1 || counts["0@0"] != 1 {
		t.Fatalf("orderCountInfo after one redelivery: %v", counts)
	}
	for _, p := range again {
		if r := popInvoke(t, cl, popAckRequest(t, group, topic, p)); r.ResponseCode() != wire.Success {
			t.Fatalf("ack %s: %v %s", p.body(), r.ResponseCode(), r.Remark)
		}
	}
	// All acked: the queue is free and empty; a new message is next.
	if r := popInvoke(t, cl, popOrderRequest(group, topic, invisible, 300*time.Millisecond)); r.ResponseCode() != wire.PollingTimeout {
		t.Fatalf("orderly pop after all acked: %v %s", r.ResponseCode(), r.Remark)
	}
	popSend(t, cl, topic, 0, "TagA", "o3")
	r := popInvoke(t, cl, popOrderRequest(group, topic, invisible, 5*time.Second))
	if r.ResponseCode() != wire.Success {
		t.Fatalf("orderly pop of o3: %v %s", r.ResponseCode(), r.Remark)
	}
	if got := popDecode(t, r, pt.brokerName); len(got) != 1 || got[0].body() != "o3" || got[0].m.ReconsumeTimes != 0 {
		t.Fatalf("orderly pop of o3: %d messages", len(got))
	}
}

// A broker killed with SIGKILL (subprocess target only) comes back with
// its popped messages still in flight: they are redelivered after their
// invisible time, and a message acked a second before the kill is not.
func TestPopInflightSurvivesKill(t *testing.T) {
	if os.Getenv("BOOSTER_TEST_BINARY") == "" {
		t.Skip("needs a booster subprocess (BOOSTER_TEST_BINARY) to kill")
	}
	pt := newPopTarget(t)
	cl := popDial(t, pt.addr)
	topic, group := fmt.Sprintf("PopK_%d", time.Now().UnixNano()), fmt.Sprintf("PopKG_%d", time.Now().UnixNano())
	popCreateTopic(t, cl, topic, 1)
	for _, b := range []string{"k0", "k1", "k2"} {
		popSend(t, cl, topic, 0, "TagA", b)
	}
	const invisible = 6 * time.Second
	start := time.Now()
	first := popUntil(t, cl, pt, group, topic, invisible, []string{"k0", "k1", "k2"}, 10*time.Second)
	if r := popInvoke(t, cl, popAckRequest(t, group, topic, first["k0"])); r.ResponseCode() != wire.Success {
		t.Fatalf("ack k0: %v %s", r.ResponseCode(), r.Remark)
	}
	time.Sleep(1500 * time.Millisecond) // one popState.json write
	pt.c.StopBroker(true)
	pt.c.RestartBroker()
	cl = popDial(t, pt.addr)
	back := popUntil(t, cl, pt, group, topic, time.Minute, []string{"k1", "k2"}, invisible+20*time.Second)
	if time.Since(start) < invisible {
		t.Fatalf("k1, k2 came back %v after the pop, before their invisible time", time.Since(start))
	}
	for b, p := range back {
		if b == "k0" {
			t.Fatal("the acked k0 came back after the kill")
		}
		if p.m.ReconsumeTimes != 1 {
			t.Fatalf("%s: reconsume times %d, want 1", b, p.m.ReconsumeTimes)
		}
	}
}

// A SQL92 expression in the pop filters on message properties.
func TestPopSQL92Filter(t *testing.T) {
	pt := newPopTarget(t)
	cl := popDial(t, pt.addr)
	topic, group := fmt.Sprintf("PopSQL_%d", time.Now().UnixNano()), fmt.Sprintf("PopSQLG_%d", time.Now().UnixNano())
	popCreateTopic(t, cl, topic, 1)
	for i := 1; i <= 4; i++ {
		props := string(codec.AppendProperty(codec.AppendProperty(nil, codec.PropertyTags, "TagA"), "a", strconv.Itoa(i)))
		req := popReq(wire.SendMessageV2, "a", "pop_producer", "b", topic, "c", "TBW102", "d", "4", "e", "0",
			"f", "0", "g", strconv.FormatInt(time.Now().UnixMilli(), 10), "h", "0", "i", props, "j", "0", "k", "false")
		req.Body = []byte(fmt.Sprintf("a=%d", i))
		if r := popInvoke(t, cl, req); r.ResponseCode() != wire.Success {
			t.Fatalf("send: %v %s", r.ResponseCode(), r.Remark)
		}
	}
	req := popRequest(group, topic, -1, 32, 30*time.Second, 2*time.Second, "a > 2")
	req.SetExt("expType", "SQL92")
	resp := popInvoke(t, cl, req)
	if resp.ResponseCode() != wire.Success {
		t.Fatalf("SQL92 pop: %v %s", resp.ResponseCode(), resp.Remark)
	}
	var got []string
	for _, p := range popDecode(t, resp, pt.brokerName) {
		got = append(got, p.body())
	}
	if !slices.Equal(got, []string{"a=3", "a=4"}) {
		t.Fatalf("SQL92 pop got %v, want [a=3 a=4]", got)
	}
	bad := popRequest(group, topic, -1, 32, 30*time.Second, 0, "a >")
	bad.SetExt("expType", "SQL92")
	if r := popInvoke(t, cl, bad); r.ResponseCode() != wire.SubscriptionParseFailed {
		t.Fatalf("bad SQL92: %v %s", r.ResponseCode(), r.Remark)
	}
}

// Java writes the request code of a ROCKETMQ-serialized header as a short,
// so POP_MESSAGE (200050) arrives as 3442. Apache answers those 3
// (REQUEST_CODE_NOT_SUPPORTED); Booster serves them. Booster only.
func TestPopRocketMQHeaders(t *testing.T) {
	pt := newPopTarget(t)
	if pt.c.External {
		t.Skip("Apache does not serve pop codes in ROCKETMQ headers")
	}
	cl := popDial(t, pt.addr)
	topic, group := fmt.Sprintf("PopRMQ_%d", time.Now().UnixNano()), fmt.Sprintf("PopRMQG_%d", time.Now().UnixNano())
	popCreateTopic(t, cl, topic, 1)
	popSend(t, cl, topic, 0, "TagA", "binary")
	bin := popDial(t, pt.addr)
	bin.Serialize = wire.RocketMQ
	resp := popInvoke(t, bin, popRequest(group, topic, -1, 32, 30*time.Second, time.Second, "*"))
	if resp.ResponseCode() != wire.Success || resp.Serialize != wire.RocketMQ {
		t.Fatalf("pop in ROCKETMQ headers: %v %s (serialize %v)", resp.ResponseCode(), resp.Remark, resp.Serialize)
	}
	got := popDecode(t, resp, pt.brokerName)
	if len(got) != 1 || got[0].body() != "binary" {
		t.Fatalf("pop in ROCKETMQ headers: %d messages", len(got))
	}
	if r := popInvoke(t, bin, popAckRequest(t, group, topic, got[0])); r.ResponseCode() != wire.Success {
		t.Fatalf("ack in ROCKETMQ headers: %v %s", r.ResponseCode(), r.Remark)
	}
}
