package command

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// result is one mqadmin run.
type result struct {
	out, err string
	code     int
}

// mqadmin runs args (the subcommand first) against the cluster's
// NameServer with captured output.
func mqadmin(t *testing.T, c *testcluster.Cluster, args ...string) result {
	t.Helper()
	if len(args) > 0 && c != nil {
		args = append([]string{args[0], "-n", c.NamesrvAddr}, args[1:]...)
	}
	var out, errOut bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errOut, Timeout: 5 * time.Second, BodyDir: t.TempDir(), WorkDir: t.TempDir()}
	code := Run(args, env)
	return result{out: out.String(), err: errOut.String(), code: code}
}

// ok runs args and insists on success.
func ok(t *testing.T, c *testcluster.Cluster, args ...string) string {
	t.Helper()
	r := mqadmin(t, c, args...)
	if r.code != 0 {
		t.Fatalf("mqadmin %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r.out
}

// fails runs args, insists on exit 1 with one error line containing want.
func fails(t *testing.T, c *testcluster.Cluster, want string, args ...string) result {
	t.Helper()
	r := mqadmin(t, c, args...)
	if r.code != 1 || strings.Count(r.err, "\n") != 1 || !strings.Contains(r.err, want) {
		t.Fatalf("mqadmin %s: exit %d, stderr %q, want one line with %q", strings.Join(args, " "), r.code, r.err, want)
	}
	return r
}

// matchLines checks that out's lines match the patterns one by one.
func matchLines(t *testing.T, out string, patterns ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != len(patterns) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(patterns), out)
	}
	for i, p := range patterns {
		if !regexp.MustCompile("^" + p + "$").MatchString(lines[i]) {
			t.Errorf("line %d:\n%q\ndoes not match\n%q", i+1, lines[i], p)
		}
	}
}

// q quotes a literal for matchLines.
func q(s string) string { return regexp.QuoteMeta(s) }

func dial(t *testing.T, addr string) *transport.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	cl, err := transport.Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

func invoke(t *testing.T, cl *transport.Client, req *wire.Command) *wire.Command {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cl.Invoke(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.ResponseCode() != wire.Success {
		t.Fatalf("%v: %v %s", wire.RequestCode(req.Code), resp.ResponseCode(), resp.Remark)
	}
	return resp
}

// send stores a message with tag and keys in one queue and returns its
// offset message id.
func send(t *testing.T, c *testcluster.Cluster, topic string, queueID int, body, tag, keys string) string {
	t.Helper()
	var props []byte
	for _, kv := range [][2]string{{"TAGS", tag}, {"KEYS", keys}, {"UNIQ_KEY", "U" + strconv.FormatInt(time.Now().UnixNano(), 16)}} {
		if kv[1] != "" {
			props = append(props, kv[0]...)
			props = append(props, 1)
			props = append(props, kv[1]...)
			props = append(props, 2)
		}
	}
	req := admin.Request(wire.SendMessageV2, "a", "pg", "b", topic, "c", "TBW102", "d", "4", "e", strconv.Itoa(queueID),
		"f", "0", "g", strconv.FormatInt(time.Now().UnixMilli(), 10), "h", "0", "i", string(props))
	req.Body = []byte(body)
	return invoke(t, dial(t, c.BrokerAddr), req).ExtValue("msgId")
}

// consumer pretends to be an online push consumer of group on topic (a
// heartbeat on a connection kept open) and commits offsets for it.
type consumer struct {
	t     *testing.T
	c     *testcluster.Cluster
	conn  *transport.Client
	group string
}

func onlineConsumer(t *testing.T, c *testcluster.Cluster, group, topic string) *consumer {
	t.Helper()
	conn := dial(t, c.BrokerAddr)
	hb := wire.NewRequest(wire.HeartBeat)
	hb.Language = 9 // GO
	hb.Version = 317
	hb.Body = []byte(`{"clientID":"10.1.2.3@77","producerDataSet":[{"groupName":"` + group + `_P"}],"consumerDataSet":[{"groupName":"` + group +
		`","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING","consumeFromWhere":"CONSUME_FROM_FIRST_OFFSET",` +
		`"subscriptionDataSet":[{"expressionType":"TAG","subString":"*","subVersion":1,"topic":"` + topic + `"}],"unitMode":false}]}`)
	invoke(t, conn, hb)
	return &consumer{t: t, c: c, conn: conn, group: group}
}

func (cs *consumer) commit(topic string, queueID int, offset int64) {
	cs.t.Helper()
	invoke(cs.t, cs.conn, admin.Request(wire.UpdateConsumerOffset, "consumerGroup", cs.group, "topic", topic,
		"queueId", strconv.Itoa(queueID), "commitOffset", strconv.FormatInt(offset, 10)))
}

// waitRoute waits until the NameServer serves a topic's route.
func waitRoute(t *testing.T, c *testcluster.Cluster, topic string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for mqadmin(t, c, "topicRoute", "-t", topic).code != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no route for %s", topic)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// createTopic creates a topic with n queues on the cluster and waits for its route.
func createTopic(t *testing.T, c *testcluster.Cluster, topic string, n int) {
	t.Helper()
	ok(t, c, "updateTopic", "-c", "DefaultCluster", "-t", topic, "-r", strconv.Itoa(n), "-w", strconv.Itoa(n))
	waitRoute(t, c, topic)
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func sleepABit() { time.Sleep(50 * time.Millisecond) }
