package conformance

// Both mqadmins, Booster's (cmd/mqadmin) and Apache's own (rocketmq-tools'
// MQAdminStartup, see mqadmin_java_runner_test.go), against one running
// Booster: every subcommand the mqadmin issue lists runs in both with the
// same arguments, both must succeed, and the facts they print (names,
// queue counts, offsets, bodies, keys, config values; never timestamps or
// rates) must agree. A command with a side effect is checked through the
// other CLI: what Apache's mqadmin creates Booster's sees, and the other
// way round.
//
// A subcommand Booster's mqadmin does not have yet runs on the Java side
// only (logged); the case compares both as soon as it lands.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"

	"github.com/booster-mq/booster/codec"
)

// xcheck is the state shared by the cross-check's steps.
type xcheck struct {
	h      *harness
	bz     *mqadminCLI
	jv     *javaMQAdmin
	broker string // broker-a's address as the NameServer reports it
	dir    string // Booster's mqadmin's working directory
}

// java runs Apache's mqadmin and insists that it succeeded: it prints
// failures as stack traces (and exits 0), so any exception text fails.
func (x *xcheck) java(t *testing.T, args ...string) string {
	t.Helper()
	return x.javaUntil(t, 0, args...)
}

func (x *xcheck) javaUntil(t *testing.T, stopAfterLines int, args ...string) string {
	t.Helper()
	out, errOut, err := x.jv.try(stopAfterLines, args...)
	if err != nil {
		t.Fatalf("Apache's mqadmin %s: %v", strings.Join(args, " "), err)
	}
	t.Logf("Apache's mqadmin %s:\n%s%s", strings.Join(args, " "), out, errOut)
	if stopAfterLines > 0 {
		// Interrupted on purpose: the interruption's trace is expected.
		errOut = ""
	}
	if strings.TrimSpace(errOut) != "" || javaFailure.MatchString(out) {
		t.Fatalf("Apache's mqadmin %s failed:\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), out, errOut)
	}
	return out
}

// javaFailure matches what Apache's mqadmin prints when a command fails.
var javaFailure = regexp.MustCompile(`Exception|\n\tat |command failed|CODE: \d+`)

// booster runs Booster's mqadmin and insists on exit status 0 and an empty
// stderr. ok is false (and the test logs it) when the subcommand does not
// exist in Booster's mqadmin yet.
func (x *xcheck) booster(t *testing.T, args ...string) (out string, ok bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, x.bz.bin, append([]string{args[0], "-n", x.h.c.NamesrvAddr}, args[1:]...)...)
	cmd.Env = append(os.Environ(), "NAMESRV_ADDR=")
	cmd.Dir = x.dir
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	out, errOut := stdout.String(), stderr.String()
	t.Logf("Booster's mqadmin %s:\n%s%s", strings.Join(args, " "), out, errOut)
	if err != nil && strings.Contains(errOut, "The sub command "+args[0]+" not exist") {
		t.Logf("Booster's mqadmin has no %s yet: Apache's side only", args[0])
		return "", false
	}
	if err != nil || errOut != "" {
		t.Fatalf("Booster's mqadmin %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
	return out, true
}

// boosterUntil runs Booster's mqadmin until its stdout holds lines lines
// (for commands that repeat until stopped) and then stops it.
func (x *xcheck) boosterUntil(t *testing.T, lines int, args ...string) (out string, ok bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, x.bz.bin, append([]string{args[0], "-n", x.h.c.NamesrvAddr}, args[1:]...)...)
	cmd.Env = append(os.Environ(), "NAMESRV_ADDR=")
	cmd.Dir = x.dir
	var errOut strings.Builder
	cmd.Stderr = &errOut
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	sc := bufio.NewScanner(pipe)
	for n := 0; n < lines && sc.Scan(); n++ {
		sb.WriteString(sc.Text() + "\n")
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if strings.Contains(errOut.String(), "The sub command "+args[0]+" not exist") {
		t.Logf("Booster's mqadmin has no %s yet: Apache's side only", args[0])
		return "", false
	}
	if strings.Count(sb.String(), "\n") < lines {
		t.Fatalf("Booster's mqadmin %s ended after\n%s\nstderr:\n%s", strings.Join(args, " "), sb.String(), errOut.String())
	}
	return sb.String(), true
}

// both runs the same command in both CLIs. bz is "" when Booster's
// mqadmin lacks the subcommand.
func (x *xcheck) both(t *testing.T, args ...string) (jv, bz string) {
	t.Helper()
	jv = x.java(t, args...)
	bz, _ = x.booster(t, args...)
	return jv, bz
}

// same fails the test when what the two CLIs reported differs.
func same[T any](t *testing.T, what string, jv, bz T) {
	t.Helper()
	j, _ := json.MarshalIndent(jv, "", " ")
	b, _ := json.MarshalIndent(bz, "", " ")
	if string(j) != string(b) {
		t.Errorf("%s differ:\nApache's mqadmin:  %s\nBooster's mqadmin: %s", what, j, b)
	}
}

// rows splits table output into lines of whitespace-separated fields,
// leaving out headings (#...) and blank lines.
func rows(out string) [][]string {
	var rs [][]string
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		rs = append(rs, f)
	}
	return rs
}

// pick keeps the columns idx of each row with at least need columns, sorted.
func pick(rs [][]string, need int, idx ...int) []string {
	var out []string
	for _, r := range rs {
		if len(r) < need {
			continue
		}
		var s []string
		for _, i := range idx {
			s = append(s, r[i])
		}
		out = append(out, strings.Join(s, " "))
	}
	sort.Strings(out)
	return out
}

// kv parses "key<sep>value" lines (brokerStatus, getBrokerConfig, message
// views); a line without sep ends the block when stopAtBlank is set.
func kv(out, sep string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(l, sep)
		if !ok {
			continue
		}
		m[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return m
}

// routeFacts is what topicRoute says about a topic.
type routeFacts struct {
	Brokers []string // name cluster id=addr
	Queues  []string // name r/w perm sysflag
	Order   string   // orderTopicConf
}

func parseRoute(t *testing.T, out string) routeFacts {
	t.Helper()
	var rd struct {
		OrderTopicConf string
		BrokerDatas    []struct {
			Cluster, BrokerName string
			BrokerAddrs         map[string]string
		}
		QueueDatas []struct {
			BrokerName                                        string
			ReadQueueNums, WriteQueueNums, Perm, TopicSysFlag int
		}
	}
	if err := json.Unmarshal(codec.QuoteNumericKeys([]byte(out)), &rd); err != nil {
		t.Fatalf("topicRoute output is no route JSON: %v\n%s", err, out)
	}
	var f routeFacts
	for _, b := range rd.BrokerDatas {
		for id, a := range b.BrokerAddrs {
			f.Brokers = append(f.Brokers, fmt.Sprintf("%s %s %s=%s", b.BrokerName, b.Cluster, id, a))
		}
	}
	for _, q := range rd.QueueDatas {
		f.Queues = append(f.Queues, fmt.Sprintf("%s r%d w%d perm%d sys%d", q.BrokerName, q.ReadQueueNums, q.WriteQueueNums, q.Perm, q.TopicSysFlag))
	}
	sort.Strings(f.Brokers)
	sort.Strings(f.Queues)
	f.Order = rd.OrderTopicConf
	return f
}

// msgView is the message block of queryMsgById, queryMsgByOffset and
// queryMsgByUniqueKey, plus the body file it names.
type msgView struct {
	Fields map[string]string
	Body   string
	Tail   string // the consumer-tracking section after the block
}

// volatileMsgFields are rendered from the local clock zone; the test
// compares the stored facts instead (everything else).
var volatileMsgFields = []string{"Born Timestamp", "Store Timestamp"}

func parseMsgView(t *testing.T, out string) msgView {
	t.Helper()
	head, tail, _ := strings.Cut(out, "\n\n")
	v := msgView{Fields: map[string]string{}, Tail: strings.TrimSpace(tail)}
	for _, l := range strings.Split(head, "\n") {
		k, val, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		k, val = strings.TrimSpace(k), strings.TrimSpace(val)
		if slices.Contains(volatileMsgFields, k) {
			continue
		}
		if k == "Properties" {
			val = sortedProps(val)
		}
		v.Fields[k] = val
	}
	if p := v.Fields["Message Body Path"]; p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("message body file: %v", err)
		}
		v.Body = string(b)
		// Read it before the other CLI rewrites it.
		_ = os.Remove(p)
	}
	return v
}

// sortedProps sorts a Java map's "{k=v, k=v}" text (HashMap order is no fact).
func sortedProps(s string) string {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	ps := strings.Split(s, ", ")
	sort.Strings(ps)
	return "{" + strings.Join(ps, ", ") + "}"
}

// msgLine is one "MSGID: ... MessageExt [...] BODY: ..." line of printMsg,
// printMsgByQueue and consumeMessage.
var msgLine = regexp.MustCompile(`MSGID: (\S+) MessageExt \[brokerName=(\S*), queueId=(\d+), storeSize=(\d+), queueOffset=(\d+), .*commitLogOffset=(\d+), .*properties=\{(.*)\}, body=\[.*\], transactionId='.*'\}\] BODY: (.*)$`)

// printedMsgs parses every message line and every "minOffset=..." /
// "Tag: ... Count: ..." line of printMsg-style output, sorted.
func printedMsgs(out string) []string {
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if m := msgLine.FindStringSubmatch(l); m != nil {
			got = append(got, fmt.Sprintf("msg %s broker=%s q=%s size=%s off=%s phy=%s props=%s body=%q", m[1], m[2], m[3], m[4], m[5], m[6], sortedProps(m[7]), m[8]))
		} else if strings.HasPrefix(l, "minOffset=") || strings.HasPrefix(l, "Tag: ") {
			got = append(got, strings.Join(strings.Fields(l), " "))
		}
	}
	sort.Strings(got)
	return got
}

// TestMQAdminJavaCrossCheck is the cross-check; its steps share one
// cluster and run in order (later steps use what earlier ones created).
func TestMQAdminJavaCrossCheck(t *testing.T) {
	cp := javaMQAdminClasspath(t)
	h := newHarness(t)
	if h.c.External {
		t.Skip("changes NameServer and broker settings; not against an external cluster")
	}
	x := &xcheck{h: h, bz: newMQAdmin(h), jv: startJavaMQAdmin(t, cp, h.c.NamesrvAddr), broker: h.c.BrokerAddr, dir: t.TempDir()}
	x.run(t)
}

func (x *xcheck) run(t *testing.T) {
	h := x.h
	topicJ, topicB, topicDel := h.name("jt"), h.name("bt"), h.name("dt")
	group, groupJ, groupB, producerGroup := h.name("g"), h.name("jg"), h.name("bg"), h.name("pg")
	norm := func(out string, names ...string) string {
		for _, n := range names {
			out = strings.ReplaceAll(out, n, "<name>")
		}
		return out
	}
	var (
		jSend, bSend struct{ id, body, key, tag string }
		offsetMsgID  string
		pushed       *collector
		push         *pushHandle
		clientID     string
	)

	t.Run("updateTopic", func(t *testing.T) {
		jv := x.java(t, "updateTopic", "-c", "DefaultCluster", "-t", topicJ, "-r", "4", "-w", "4")
		x.java(t, "updateTopic", "-c", "DefaultCluster", "-t", topicDel, "-r", "2", "-w", "2")
		bz, _ := x.booster(t, "updateTopic", "-c", "DefaultCluster", "-t", topicB, "-r", "4", "-w", "4")
		if !strings.Contains(jv, "create topic to "+x.broker+" success.") {
			t.Errorf("Apache's updateTopic:\n%s", jv)
		}
		same(t, "updateTopic output (topic name aside)", norm(jv, topicJ), norm(bz, topicB))
	})

	t.Run("topicList", func(t *testing.T) {
		var jv, bz []string
		eventually(t, routeWait, "both topic lists to show the new topics", func() (bool, string) {
			jv = strings.Fields(x.java(t, "topicList"))
			bz = strings.Fields(x.boosterMust(t, "topicList"))
			sort.Strings(jv)
			sort.Strings(bz)
			ok := true
			for _, n := range []string{topicJ, topicB, topicDel} {
				ok = ok && slices.Contains(jv, n) && slices.Contains(bz, n)
			}
			return ok, fmt.Sprintf("Apache's: %v, Booster's: %v", jv, bz)
		})
		same(t, "topic sets", jv, bz)
	})

	t.Run("topicRoute", func(t *testing.T) {
		for _, topic := range []string{topicJ, topicB} {
			jv, bz := x.both(t, "topicRoute", "-t", topic)
			jr, br := parseRoute(t, jv), parseRoute(t, bz)
			same(t, "routes of "+topic, jr, br)
			if want := []string{"broker-a r4 w4 perm6 sys0"}; !slices.Equal(jr.Queues, want) {
				t.Errorf("route of %s: queues %v, want %v", topic, jr.Queues, want)
			}
			if want := []string{"broker-a DefaultCluster 0=" + x.broker}; !slices.Equal(jr.Brokers, want) {
				t.Errorf("route of %s: brokers %v, want %v", topic, jr.Brokers, want)
			}
		}
	})

	t.Run("topicClusterList", func(t *testing.T) {
		jv, bz := x.both(t, "topicClusterList", "-t", topicJ)
		same(t, "clusters", strings.Fields(jv), strings.Fields(bz))
		if strings.TrimSpace(jv) != "DefaultCluster" {
			t.Errorf("Apache's topicClusterList: %q", jv)
		}
	})

	t.Run("sendMessage", func(t *testing.T) {
		send := func(who string, run func(*testing.T, ...string) string, qid, body, key, tag string) string {
			out := run(t, "sendMessage", "-t", topicJ, "-p", body, "-k", key, "-c", tag, "-b", "broker-a", "-i", qid)
			r := rows(out)
			if len(r) != 1 || len(r[0]) != 4 || r[0][0] != "broker-a" || r[0][1] != qid || r[0][2] != "SEND_OK" {
				t.Fatalf("%s sendMessage:\n%s", who, out)
			}
			return r[0][3]
		}
		jSend.body, jSend.key, jSend.tag = "java-body", h.name("jkey"), "TagJ"
		jSend.id = send("Apache's", x.java, "1", jSend.body, jSend.key, jSend.tag)
		bSend.body, bSend.key, bSend.tag = "booster-body", h.name("bkey"), "TagB"
		bSend.id = send("Booster's", func(t *testing.T, a ...string) string { return x.boosterMust(t, a...) }, "2", bSend.body, bSend.key, bSend.tag)

		// Traffic from the official Go client: two messages per queue
		// (queue 3 stays empty), one key shared by all of them.
		p := h.newProducer(producer.WithQueueSelector(producer.NewManualQueueSelector()), producer.WithGroupName(producerGroup))
		for i := 0; i < 6; i++ {
			m := message(topicJ, fmt.Sprintf("go-body-%d", i), "TagG", []string{"gokey"}, nil)
			m.Queue = &primitive.MessageQueue{Topic: topicJ, BrokerName: "broker-a", QueueId: i % 3}
			res := sendSync(t, p, m)
			if i == 0 {
				offsetMsgID = res.OffsetMsgID
			}
		}
	})

	t.Run("topicStatus", func(t *testing.T) {
		jv, bz := x.both(t, "topicStatus", "-t", topicJ)
		queues := func(out string) []string {
			var rs [][]string
			for _, r := range rows(out) {
				if r[0] == "broker-a" {
					rs = append(rs, r)
				}
			}
			return pick(rs, 4, 0, 1, 2, 3)
		}
		// The "Topic Put TPS" line differs on purpose: Apache's admin
		// merges only the brokers' offset tables and prints 0.0 always.
		jr := queues(jv)
		same(t, "queue rows (broker qid min max)", jr, queues(bz))
		var total int
		for _, r := range rows(jv) {
			if len(r) >= 4 && r[0] == "broker-a" {
				n, _ := strconv.Atoi(r[3])
				total += n
			}
		}
		if len(jr) != 4 || total != 8 {
			t.Errorf("Apache's topicStatus: %d queues, %d messages, want 4 and 8:\n%s", len(jr), total, jv)
		}
	})

	t.Run("queryMsgByKey", func(t *testing.T) {
		jv, bz := x.both(t, "queryMsgByKey", "-t", topicJ, "-k", jSend.key)
		jr := pick(rows(jv), 3, 0, 1, 2)
		if want := []string{jSend.id + " 1 0"}; !slices.Equal(jr, want) {
			t.Errorf("Apache's queryMsgByKey: %v, want %v:\n%s", jr, want, jv)
		}
		if bz != "" {
			same(t, "messages found (id qid offset)", jr, pick(rows(bz), 3, 0, 1, 2))
		}
		jv, bz = x.both(t, "queryMsgByKey", "-t", topicJ, "-k", "gokey")
		if n := len(pick(rows(jv), 3, 0, 1, 2)); n != 6 {
			t.Errorf("Apache's queryMsgByKey gokey: %d messages, want 6:\n%s", n, jv)
		}
		if bz != "" {
			same(t, "messages found by a shared key", pick(rows(jv), 3, 0, 1, 2), pick(rows(bz), 3, 0, 1, 2))
		}
	})

	t.Run("queryMsgByUniqueKey", func(t *testing.T) {
		jv := parseMsgView(t, x.java(t, "queryMsgByUniqueKey", "-t", topicJ, "-i", bSend.id))
		if jv.Fields["Topic"] != topicJ || jv.Fields["Queue ID"] != "2" || jv.Fields["Keys"] != "["+bSend.key+"]" || jv.Body != bSend.body {
			t.Errorf("Apache's queryMsgByUniqueKey of Booster's message: %+v", jv)
		}
		if bz, ok := x.booster(t, "queryMsgByUniqueKey", "-t", topicJ, "-i", bSend.id); ok {
			same(t, "message views", jv, parseMsgView(t, bz))
		}
	})

	t.Run("queryMsgById", func(t *testing.T) {
		jv := parseMsgView(t, x.java(t, "queryMsgById", "-t", topicJ, "-i", offsetMsgID))
		bz := parseMsgView(t, x.boosterMust(t, "queryMsgById", "-t", topicJ, "-i", offsetMsgID))
		same(t, "message views", jv, bz)
		if jv.Body != "go-body-0" || jv.Fields["Topic"] != topicJ || jv.Fields["OffsetID"] != offsetMsgID {
			t.Errorf("Apache's queryMsgById: %+v", jv)
		}
	})

	t.Run("queryMsgByOffset", func(t *testing.T) {
		args := []string{"queryMsgByOffset", "-t", topicJ, "-b", "broker-a", "-i", "1", "-o", "0"}
		jv := parseMsgView(t, x.java(t, args...))
		bz := parseMsgView(t, x.boosterMust(t, args...))
		same(t, "message views", jv, bz)
		if jv.Body != jSend.body || jv.Fields["Tags"] != "["+jSend.tag+"]" {
			t.Errorf("Apache's queryMsgByOffset: %+v", jv)
		}
	})

	t.Run("printMsg", func(t *testing.T) {
		jv, bz := x.both(t, "printMsg", "-t", topicJ)
		jm := printedMsgs(jv)
		same(t, "printed messages", jm, printedMsgs(bz))
		if n := strings.Count(strings.Join(jm, "\n"), "msg "); n != 8 {
			t.Errorf("Apache's printMsg printed %d messages, want 8:\n%s", n, jv)
		}
	})

	t.Run("printMsgByQueue", func(t *testing.T) {
		jv, bz := x.both(t, "printMsgByQueue", "-t", topicJ, "-a", "broker-a", "-i", "2", "-p", "true", "-f", "true")
		jm := printedMsgs(jv)
		same(t, "printed messages and tag counts", jm, printedMsgs(bz))
		if !slices.Contains(jm, "Tag: TagB Count: 1") || !slices.Contains(jm, "Tag: TagG Count: 2") {
			t.Errorf("Apache's printMsgByQueue tag counts: %v", jm)
		}
	})

	t.Run("consumeMessage", func(t *testing.T) {
		jv, bz := x.both(t, "consumeMessage", "-t", topicJ, "-b", "broker-a", "-i", "2", "-o", "0", "-c", "3")
		jm := printedMsgs(jv)
		if n := len(jm); n != 3 {
			t.Errorf("Apache's consumeMessage printed %d messages, want 3:\n%s", n, jv)
		}
		if bz != "" {
			same(t, "consumed messages", jm, printedMsgs(bz))
		}
	})

	t.Run("consumerProgress in flight", func(t *testing.T) {
		// printMsg and consumeMessage pulled topicJ as TOOLS_CONSUMER
		// without committing: every message is in flight (pull offsets).
		jv, bz := x.both(t, "consumerProgress", "-g", "TOOLS_CONSUMER", "-t", topicJ)
		jr, br := pick(rows(jv), 7, 0, 1, 2, 3, 4, 5, 6), pick(rows(bz), 7, 0, 1, 2, 3, 4, 5, 6)
		same(t, "queue rows (topic broker qid brokerOffset consumerOffset diff inflight)", jr, br)
		if !strings.Contains(jv, "Consume Inflight Total: 8") {
			t.Errorf("Apache's consumerProgress of the tools' group (want 8 in flight):\n%s", jv)
		}
	})

	t.Run("producerConnection", func(t *testing.T) {
		// The Go producer of sendMessage registers its group with its
		// first heartbeat, a second after it starts.
		eventually(t, routeWait, "the producer's heartbeat", func() (bool, string) {
			out, errOut, err := x.jv.try(0, "producerConnection", "-g", producerGroup, "-t", topicJ)
			return err == nil && !javaFailure.MatchString(out+errOut), out + errOut
		})
		jv, bz := x.both(t, "producerConnection", "-g", producerGroup, "-t", topicJ)
		jr := pick(rows(jv), 5, 1, 2, 3, 4)
		if len(jr) != 1 || !strings.Contains(jr[0], " GO ") {
			t.Errorf("Apache's producerConnection:\n%s", jv)
		}
		same(t, "producer connections (clientId addr language version)", jr, pick(rows(bz), 5, 1, 2, 3, 4))
	})

	t.Run("consumerConnection", func(t *testing.T) {
		pushed = &collector{}
		push = h.startPush(group, topicJ, consumer.MessageSelector{}, pushed)
		eventually(t, consumeWait, "the push consumer to read every message", func() (bool, string) {
			n := len(pushed.all())
			return n >= 8, fmt.Sprintf("%d messages", n)
		})
		jv, bz := x.both(t, "consumerConnection", "-g", group)
		jr, br := connectionFacts(jv), connectionFacts(bz)
		same(t, "consumer connections", jr, br)
		if len(jr.Clients) != 1 {
			t.Fatalf("Apache's consumerConnection:\n%s", jv)
		}
		clientID = strings.Fields(jr.Clients[0])[0]
	})

	t.Run("consumerProgress", func(t *testing.T) {
		var jr, br []string
		// consumed sums the consumer offsets of topicJ's rows.
		consumed := func(out string) (n int) {
			for _, r := range rows(out) {
				if len(r) >= 7 && r[0] == topicJ {
					c, _ := strconv.Atoi(r[4])
					n += c
				}
			}
			return n
		}
		eventually(t, commitWait, "both to show the group caught up", func() (bool, string) {
			jv, bz := x.both(t, "consumerProgress", "-g", group)
			jr, br = pick(rows(jv), 7, 0, 1, 2, 3, 4, 5, 6), pick(rows(bz), 7, 0, 1, 2, 3, 4, 5, 6)
			return consumed(jv) == 8 && consumed(bz) == 8 && strings.Contains(jv, "Consume Diff Total: 0") && strings.Contains(bz, "Consume Diff Total: 0"), jv + "\n" + bz
		})
		same(t, "queue rows (topic broker qid brokerOffset consumerOffset diff inflight)", jr, br)
		jv, bz := x.both(t, "consumerProgress")
		re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(group) + ` .*$`)
		jl, bl := strings.Fields(re.FindString(jv)), strings.Fields(re.FindString(bz))
		if len(jl) != 7 || len(bl) != 7 {
			t.Fatalf("consumerProgress overview lacks %s:\n%s\n%s", group, jv, bz)
		}
		// group count version type model (TPS aside) diff
		same(t, "group overview", append(jl[:5:5], jl[6]), append(bl[:5:5], bl[6]))
	})

	t.Run("consumerStatus", func(t *testing.T) {
		// The Go client answers GET_CONSUMER_RUNNING_INFO with "json
		// marshal error: ... NaN" (and no body) until its statistics hold
		// two samples, up to 20 s after it consumed: against Apache too.
		eventually(t, consumeWait, "the Go client's running info to encode", func() (bool, string) {
			out, errOut, err := x.jv.try(0, "consumerStatus", "-g", group, "-i", clientID)
			return err == nil && !javaFailure.MatchString(out+errOut), out + errOut
		})
		jv, bz := x.both(t, "consumerStatus", "-g", group)
		if !strings.Contains(jv, clientID) || !strings.Contains(jv, "Same subscription in the same group of consumer") || !strings.Contains(jv, "Rebalance OK") {
			t.Errorf("Apache's consumerStatus:\n%s", jv)
		}
		if bz != "" {
			same(t, "consumer status clients", pick(rows(jv), 3, 1, 2), pick(rows(bz), 3, 1, 2))
		}
		jv, bz = x.both(t, "consumerStatus", "-g", group, "-i", clientID)
		if !strings.Contains(jv, "#Consumer Subscription#") || !strings.Contains(jv, topicJ) {
			t.Errorf("Apache's consumerStatus -i:\n%s", jv)
		}
		if bz != "" {
			same(t, "consumer running info sections", runningInfoSections(jv), runningInfoSections(bz))
		}
	})

	t.Run("brokerConsumeStats", func(t *testing.T) {
		jv, bz := x.both(t, "brokerConsumeStats", "-b", x.broker)
		only := func(out string) []string {
			var rs [][]string
			for _, r := range rows(out) {
				if len(r) >= 7 && r[1] == group {
					rs = append(rs, r)
				}
			}
			return pick(rs, 7, 0, 1, 2, 3, 4, 5, 6)
		}
		if len(only(jv)) == 0 {
			t.Errorf("Apache's brokerConsumeStats lacks %s:\n%s", group, jv)
		}
		if bz != "" {
			same(t, "consume stats rows (topic group broker qid brokerOffset consumerOffset diff)", only(jv), only(bz))
		}
	})

	t.Run("topicList -c", func(t *testing.T) {
		// Cluster, topic and consuming groups per topic.
		jv, bz := x.both(t, "topicList", "-c")
		var jr3, br3 []string
		for _, r := range rows(jv) {
			jr3 = append(jr3, strings.Join(r, " "))
		}
		for _, r := range rows(bz) {
			br3 = append(br3, strings.Join(r, " "))
		}
		sort.Strings(jr3)
		sort.Strings(br3)
		same(t, "cluster topic group rows", jr3, br3)
		if !slices.Contains(jr3, "DefaultCluster "+topicJ+" "+group) {
			t.Errorf("Apache's topicList -c lacks %s consumed by %s:\n%s", topicJ, group, jv)
		}
	})

	t.Run("queryMsgById tracked", func(t *testing.T) {
		// With a group online that consumed the message: the track section.
		jv := parseMsgView(t, x.java(t, "queryMsgById", "-t", topicJ, "-i", offsetMsgID))
		bz := parseMsgView(t, x.boosterMust(t, "queryMsgById", "-t", topicJ, "-i", offsetMsgID))
		same(t, "message views with tracks", jv, bz)
		if !strings.Contains(jv.Tail, group) {
			t.Errorf("Apache's queryMsgById track lacks %s: %q", group, jv.Tail)
		}
	})

	t.Run("consumerProgress -s", func(t *testing.T) {
		jv, bz := x.both(t, "consumerProgress", "-g", group, "-s", "true")
		// topic broker qid brokerOffset consumerOffset clientIP diff
		jr, br := pick(rows(jv), 8, 0, 1, 2, 3, 4, 5, 6), pick(rows(bz), 8, 0, 1, 2, 3, 4, 5, 6)
		same(t, "queue rows with client IPs", jr, br)
		if len(jr) == 0 {
			t.Errorf("Apache's consumerProgress -s:\n%s", jv)
		}
	})

	t.Run("statsAll", func(t *testing.T) {
		jv, bz := x.both(t, "statsAll", "-t", topicJ)
		// topic, group, accumulation, in and out messages in 24 h (the
		// TPS columns aside)
		jr, br := pick(rows(jv), 7, 0, 1, 2, 5, 6), pick(rows(bz), 7, 0, 1, 2, 5, 6)
		same(t, "stats rows (topic group accumulation in24h out24h)", jr, br)
		if !slices.Contains(jr, topicJ+" "+group+" 0 8 8") {
			t.Errorf("Apache's statsAll (want 8 messages in and 8 out):\n%s", jv)
		}
	})

	t.Run("resetOffsetByTime", func(t *testing.T) {
		// With the group online the broker pushes the reset to the Go
		// client, which reads everything again. The Go client races with
		// itself while it applies a reset (processQueue.clear against its
		// pull loop), so under the race detector only the offline half
		// runs (make conformance runs this test once more without it).
		if !raceDetector {
			before := len(pushed.all())
			jv := x.java(t, "resetOffsetByTime", "-g", group, "-t", topicJ, "-s", "0")
			eventually(t, consumeWait, "the consumer to read everything again after Apache's reset", func() (bool, string) {
				n := len(pushed.all())
				return n >= before+8, fmt.Sprintf("%d messages after %d", n, before)
			})
			before = len(pushed.all())
			bz := x.boosterMust(t, "resetOffsetByTime", "-g", group, "-t", topicJ, "-s", "0")
			eventually(t, consumeWait, "the consumer to read everything again after Booster's reset", func() (bool, string) {
				n := len(pushed.all())
				return n >= before+8, fmt.Sprintf("%d messages after %d", n, before)
			})
			same(t, "reset tables (broker qid offset)", pick(rows(jv), 3, 0, 1, 2), pick(rows(bz), 3, 0, 1, 2))
		}

		// Offline (the broker answers 206 and both CLIs rewrite the stored
		// offsets themselves): back to the start, then to now, each seen
		// through the other CLI's consumerProgress.
		_ = push.Shutdown()
		eventually(t, routeWait, "the group to go offline", func() (bool, string) {
			out, errOut, err := x.bz.try("consumerConnection", "-g", group)
			return err != nil && strings.Contains(errOut, "206"), out + errOut
		})
		diffTotal := func(out string) string {
			_, v, _ := strings.Cut(out, "Consume Diff Total: ")
			v, _, _ = strings.Cut(v, "\n")
			return v
		}
		// broker qid brokerOffset timestampOffset resetOffset (the
		// consumer offset before the reset aside)
		table := func(out string) []string {
			var rs [][]string
			for _, r := range rows(out) {
				if r[0] == "broker-a" {
					rs = append(rs, r)
				}
			}
			return pick(rs, 6, 0, 1, 2, 4, 5)
		}
		for _, c := range []struct{ ts, diff string }{{"0", "8"}, {"now", "0"}} {
			jv := x.java(t, "resetOffsetByTime", "-g", group, "-t", topicJ, "-s", c.ts)
			if got := diffTotal(x.boosterMust(t, "consumerProgress", "-g", group)); got != c.diff {
				t.Errorf("Booster's consumerProgress after Apache's offline reset to %s: diff %s, want %s", c.ts, got, c.diff)
			}
			bz := x.boosterMust(t, "resetOffsetByTime", "-g", group, "-t", topicJ, "-s", c.ts)
			if got := diffTotal(x.java(t, "consumerProgress", "-g", group)); got != c.diff {
				t.Errorf("Apache's consumerProgress after Booster's offline reset to %s: diff %s, want %s", c.ts, got, c.diff)
			}
			if c.ts == "0" {
				same(t, "offline reset tables", table(jv), table(bz))
				if len(table(jv)) != 4 {
					t.Errorf("Apache's offline resetOffsetByTime:\n%s", jv)
				}
			}
		}
	})

	t.Run("updateSubGroup", func(t *testing.T) {
		jv := x.java(t, "updateSubGroup", "-c", "DefaultCluster", "-g", groupJ, "-r", "5", "-q", "2", "-d", "true")
		bz := x.boosterMust(t, "updateSubGroup", "-c", "DefaultCluster", "-g", groupB, "-r", "5", "-q", "2", "-d", "true")
		same(t, "updateSubGroup output (group name aside)", norm(jv, groupJ), norm(bz, groupB))
		for _, g := range []string{groupJ, groupB} {
			cfg := kv(x.java(t, "getConsumerConfig", "-g", g), "=")
			if cfg["groupName"] != g || cfg["retryMaxTimes"] != "5" || cfg["retryQueueNums"] != "2" || cfg["consumeBroadcastEnable"] != "true" {
				t.Errorf("Apache's getConsumerConfig -g %s: %v", g, cfg)
			}
		}
	})

	t.Run("deleteSubGroup", func(t *testing.T) {
		jv := x.java(t, "deleteSubGroup", "-c", "DefaultCluster", "-g", groupB)
		bz := x.boosterMust(t, "deleteSubGroup", "-c", "DefaultCluster", "-g", groupJ)
		same(t, "deleteSubGroup output (group name aside)", norm(jv, groupB), norm(bz, groupJ))
		for _, g := range []string{groupJ, groupB} {
			if cfg := kv(x.java(t, "getConsumerConfig", "-g", g), "="); cfg["groupName"] != "" {
				t.Errorf("Apache's getConsumerConfig -g %s after deleteSubGroup: %v", g, cfg)
			}
		}
	})

	routePerm := func(t *testing.T, who string, topic string) string {
		t.Helper()
		var out string
		if who == "java" {
			out = x.java(t, "topicRoute", "-t", topic)
		} else {
			out = x.boosterMust(t, "topicRoute", "-t", topic)
		}
		r := parseRoute(t, out)
		if len(r.Queues) != 1 {
			t.Fatalf("route of %s: %v", topic, r)
		}
		return strings.Fields(r.Queues[0])[3]
	}

	t.Run("updateTopicPerm", func(t *testing.T) {
		jv := x.java(t, "updateTopicPerm", "-c", "DefaultCluster", "-t", topicB, "-p", "4")
		if !strings.Contains(jv, "update topic perm from 6 to 4 in "+x.broker+" success.") {
			t.Errorf("Apache's updateTopicPerm:\n%s", jv)
		}
		eventually(t, routeWait, "Booster's topicRoute to show Apache's perm change", func() (bool, string) {
			p := routePerm(t, "booster", topicB)
			return p == "perm4", p
		})
		if bz, ok := x.booster(t, "updateTopicPerm", "-c", "DefaultCluster", "-t", topicB, "-p", "6"); ok {
			same(t, "updateTopicPerm output (the perms aside)", strings.ReplaceAll(jv, "from 6 to 4", "from X to Y"), strings.ReplaceAll(bz, "from 4 to 6", "from X to Y"))
			eventually(t, routeWait, "Apache's topicRoute to show Booster's perm change", func() (bool, string) {
				p := routePerm(t, "java", topicB)
				return p == "perm6", p
			})
		} else {
			x.java(t, "updateTopicPerm", "-c", "DefaultCluster", "-t", topicB, "-p", "6")
		}
	})

	t.Run("updateOrderConf", func(t *testing.T) {
		jv := x.java(t, "updateOrderConf", "-t", topicJ, "-v", "broker-a:4", "-m", "put")
		if !strings.Contains(jv, "update orderConf success. topic=["+topicJ+"], orderConf=[broker-a:4]") {
			t.Errorf("Apache's updateOrderConf put:\n%s", jv)
		}
		jv, bz := x.both(t, "updateOrderConf", "-t", topicJ, "-m", "get")
		if !strings.Contains(jv, "orderConf=[broker-a:4]") {
			t.Errorf("Apache's updateOrderConf get:\n%s", jv)
		}
		if bz != "" {
			same(t, "updateOrderConf get", strings.TrimSpace(jv), strings.TrimSpace(bz))
			x.booster(t, "updateOrderConf", "-t", topicB, "-v", "broker-a:2", "-m", "put")
			if got := x.java(t, "updateOrderConf", "-t", topicB, "-m", "get"); !strings.Contains(got, "orderConf=[broker-a:2]") {
				t.Errorf("Apache's updateOrderConf get of Booster's put:\n%s", got)
			}
			x.booster(t, "updateOrderConf", "-t", topicB, "-m", "delete")
		}
		x.java(t, "updateOrderConf", "-t", topicJ, "-m", "delete")
	})

	t.Run("getNamesrvConfig", func(t *testing.T) {
		jv, bz := x.both(t, "getNamesrvConfig")
		jm, bm := kv(jv, "="), kv(bz, "=")
		same(t, "NameServer configuration", jm, bm)
		if _, ok := jm["orderMessageEnable"]; !ok {
			t.Errorf("Apache's getNamesrvConfig:\n%s", jv)
		}
	})

	nsKey := func(who string) string {
		var out string
		if who == "java" {
			out = x.java(t, "getNamesrvConfig")
		} else {
			out = x.boosterMust(t, "getNamesrvConfig")
		}
		return kv(out, "=")["orderMessageEnable"]
	}

	t.Run("updateNamesrvConfig", func(t *testing.T) {
		jv := x.java(t, "updateNamesrvConfig", "-k", "orderMessageEnable", "-v", "true")
		if v := nsKey("booster"); v != "true" {
			t.Errorf("Booster's getNamesrvConfig after Apache's update: orderMessageEnable=%q", v)
		}
		bz := x.boosterMust(t, "updateNamesrvConfig", "-k", "orderMessageEnable", "-v", "false")
		if v := nsKey("java"); v != "false" {
			t.Errorf("Apache's getNamesrvConfig after Booster's update: orderMessageEnable=%q", v)
		}
		same(t, "updateNamesrvConfig output (the value aside)", strings.ReplaceAll(jv, "true", "V"), strings.ReplaceAll(bz, "false", "V"))
		// Leave it on: the KV steps below see their effect in routes.
		x.java(t, "updateNamesrvConfig", "-k", "orderMessageEnable", "-v", "true")
	})

	t.Run("updateKvConfig", func(t *testing.T) {
		jv := x.java(t, "updateKvConfig", "-s", "ORDER_TOPIC_CONFIG", "-k", topicJ, "-v", "broker-a:3")
		bz := x.boosterMust(t, "updateKvConfig", "-s", "ORDER_TOPIC_CONFIG", "-k", topicB, "-v", "broker-a:2")
		same(t, "updateKvConfig output", jv, bz)
		if r := parseRoute(t, x.boosterMust(t, "topicRoute", "-t", topicJ)); r.Order != "broker-a:3" {
			t.Errorf("Booster's topicRoute after Apache's updateKvConfig: orderTopicConf %q", r.Order)
		}
		if r := parseRoute(t, x.java(t, "topicRoute", "-t", topicB)); r.Order != "broker-a:2" {
			t.Errorf("Apache's topicRoute after Booster's updateKvConfig: orderTopicConf %q", r.Order)
		}
	})

	t.Run("deleteKvConfig", func(t *testing.T) {
		jv := x.java(t, "deleteKvConfig", "-s", "ORDER_TOPIC_CONFIG", "-k", topicB)
		bz := x.boosterMust(t, "deleteKvConfig", "-s", "ORDER_TOPIC_CONFIG", "-k", topicJ)
		same(t, "deleteKvConfig output", jv, bz)
		if r := parseRoute(t, x.boosterMust(t, "topicRoute", "-t", topicB)); r.Order != "" {
			t.Errorf("Booster's topicRoute after Apache's deleteKvConfig: orderTopicConf %q", r.Order)
		}
		if r := parseRoute(t, x.java(t, "topicRoute", "-t", topicJ)); r.Order != "" {
			t.Errorf("Apache's topicRoute after Booster's deleteKvConfig: orderTopicConf %q", r.Order)
		}
		x.java(t, "updateNamesrvConfig", "-k", "orderMessageEnable", "-v", "false")
	})

	t.Run("clusterList", func(t *testing.T) {
		jv, bz := x.both(t, "clusterList")
		// cluster broker bid addr version ... activated
		facts := func(out string) []string {
			var got []string
			for _, r := range rows(out) {
				if len(r) > 5 {
					got = append(got, strings.Join(append(r[:5:5], r[len(r)-1]), " "))
				}
			}
			return got
		}
		same(t, "cluster rows (cluster broker bid addr version activated)", facts(jv), facts(bz))
		if f := facts(jv); len(f) != 1 || !strings.HasPrefix(f[0], "DefaultCluster broker-a 0 "+x.broker+" V") {
			t.Errorf("Apache's clusterList:\n%s", jv)
		}
		// Every column has its runtime value: a key the broker did not
		// report shows as null (#InTPS(LOAD), #OutTPS(LOAD), #PCWait).
		if strings.Contains(jv, "null") {
			t.Errorf("Apache's clusterList shows values the broker did not report:\n%s", jv)
		}
	})

	t.Run("clusterList -m", func(t *testing.T) {
		jv, bz := x.both(t, "clusterList", "-m")
		jr, br := pick(rows(jv), 6, 0, 1, 2, 3, 4, 5), pick(rows(bz), 6, 0, 1, 2, 3, 4, 5)
		same(t, "cluster message totals", jr, br)
		// Today's in and out: the messages sent and what the consumers
		// read (a midnight during the test could move some to yesterday).
		if len(jr) != 1 || strings.Fields(jr[0])[4] == "0" || strings.Fields(jr[0])[5] == "0" {
			t.Errorf("Apache's clusterList -m:\n%s", jv)
		}
	})

	t.Run("brokerStatus", func(t *testing.T) {
		jv, bz := x.both(t, "brokerStatus", "-b", x.broker)
		jm, bm := kv(jv, ": "), kv(bz, ": ")
		keys := func(m map[string]string) []string {
			var ks []string
			for k := range m {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			return ks
		}
		same(t, "brokerStatus keys", keys(jm), keys(bm))
		stable := []string{"brokerVersionDesc", "brokerVersion", "brokerActive", "msgPutTotalTodayNow", "commitLogMinOffset", "commitLogMaxOffset", "earliestMessageTimeStamp"}
		for _, k := range stable {
			if jm[k] == "" || jm[k] != bm[k] {
				t.Errorf("brokerStatus %s: Apache's %q, Booster's %q", k, jm[k], bm[k])
			}
		}
	})

	t.Run("getBrokerConfig", func(t *testing.T) {
		for _, args := range [][]string{{"-b", x.broker}, {"-c", "DefaultCluster"}} {
			jv, bz := x.both(t, append([]string{"getBrokerConfig"}, args...)...)
			same(t, "broker configuration "+strings.Join(args, " "), kv(jv, " = "), kv(bz, " = "))
			if kv(jv, " = ")["brokerName"] != "broker-a" {
				t.Errorf("Apache's getBrokerConfig %v:\n%s", args, jv)
			}
		}
	})

	t.Run("updateBrokerConfig", func(t *testing.T) {
		get := func(t *testing.T, who string) string {
			var out string
			if who == "java" {
				out = x.java(t, "getBrokerConfig", "-b", x.broker)
			} else {
				out = x.boosterMust(t, "getBrokerConfig", "-b", x.broker)
			}
			return kv(out, " = ")["shortPollingTimeMills"]
		}
		old := get(t, "java")
		jv := x.java(t, "updateBrokerConfig", "-b", x.broker, "-k", "shortPollingTimeMills", "-v", "1500")
		if v := get(t, "booster"); v != "1500" {
			t.Errorf("Booster's getBrokerConfig after Apache's update: %q", v)
		}
		bz := x.boosterMust(t, "updateBrokerConfig", "-b", x.broker, "-k", "shortPollingTimeMills", "-v", old)
		if v := get(t, "java"); v != old {
			t.Errorf("Apache's getBrokerConfig after Booster's update: %q, want %q", v, old)
		}
		same(t, "updateBrokerConfig output", jv, bz)
		jv = x.java(t, "updateBrokerConfig", "-c", "DefaultCluster", "-k", "shortPollingTimeMills", "-v", "1500")
		bz = x.boosterMust(t, "updateBrokerConfig", "-c", "DefaultCluster", "-k", "shortPollingTimeMills", "-v", old)
		same(t, "updateBrokerConfig -c output", jv, bz)
	})

	t.Run("cleanExpiredCQ", func(t *testing.T) {
		for _, args := range [][]string{{"-b", x.broker}, {"-c", "DefaultCluster"}} {
			jv, bz := x.both(t, append([]string{"cleanExpiredCQ"}, args...)...)
			same(t, "cleanExpiredCQ "+strings.Join(args, " "), jv, bz)
			if !strings.Contains(jv, "success") {
				t.Errorf("Apache's cleanExpiredCQ %v: %q", args, jv)
			}
		}
	})

	t.Run("wipeWritePerm", func(t *testing.T) {
		jv := x.java(t, "wipeWritePerm", "-b", "broker-a")
		if !regexp.MustCompile(`wipe write perm of broker\[broker-a\] in name server\[` + regexp.QuoteMeta(h.c.NamesrvAddr) + `\] OK, \d+`).MatchString(jv) {
			t.Errorf("Apache's wipeWritePerm:\n%s", jv)
		}
		if p := routePerm(t, "booster", topicJ); p != "perm4" {
			t.Errorf("Booster's topicRoute after Apache's wipeWritePerm: %s, want perm4", p)
		}
		bz := x.boosterMust(t, "addWritePerm", "-b", "broker-a")
		if p := routePerm(t, "java", topicJ); p != "perm6" {
			t.Errorf("Apache's topicRoute after Booster's addWritePerm: %s, want perm6", p)
		}
		bw := x.boosterMust(t, "wipeWritePerm", "-b", "broker-a")
		same(t, "wipeWritePerm output", jv, bw)
		if p := routePerm(t, "java", topicJ); p != "perm4" {
			t.Errorf("Apache's topicRoute after Booster's wipeWritePerm: %s, want perm4", p)
		}
		ja := x.java(t, "addWritePerm", "-b", "broker-a")
		same(t, "addWritePerm output", ja, bz)
		if p := routePerm(t, "booster", topicJ); p != "perm6" {
			t.Errorf("Booster's topicRoute after Apache's addWritePerm: %s, want perm6", p)
		}
	})

	t.Run("addWritePerm", func(t *testing.T) {
		// Covered with wipeWritePerm (each CLI undoes the other's wipe);
		// here both add to a broker that already has the perm.
		jv, bz := x.both(t, "addWritePerm", "-b", "broker-a")
		same(t, "addWritePerm output", jv, bz)
	})

	t.Run("clusterRT", func(t *testing.T) {
		args := []string{"clusterRT", "-a", "3", "-s", "16", "-i", "1", "-c", "DefaultCluster"}
		jv := x.javaUntil(t, 2, args...)
		row := func(out string) []string { return pick(rows(out), 5, 0, 1, 3, 4) }
		if r := row(jv); !slices.Equal(r, []string{"DefaultCluster broker-a 3 0"}) {
			t.Errorf("Apache's clusterRT: %v\n%s", r, jv)
		}
		if bz, ok := x.boosterUntil(t, 2, args...); ok {
			t.Logf("Booster's mqadmin %s:\n%s", strings.Join(args, " "), bz)
			same(t, "clusterRT rows (cluster broker successCount failCount)", row(jv), row(bz))
		}
	})

	t.Run("deleteTopic", func(t *testing.T) {
		jv := x.java(t, "deleteTopic", "-c", "DefaultCluster", "-t", topicB)
		bz := x.boosterMust(t, "deleteTopic", "-c", "DefaultCluster", "-t", topicDel)
		same(t, "deleteTopic output (topic name aside)", norm(jv, topicB), norm(bz, topicDel))
		jl, bl := strings.Fields(x.java(t, "topicList")), strings.Fields(x.boosterMust(t, "topicList"))
		for _, n := range []string{topicB, topicDel} {
			if slices.Contains(jl, n) || slices.Contains(bl, n) {
				t.Errorf("%s still listed after deleteTopic: Apache's %v, Booster's %v", n, slices.Contains(jl, n), slices.Contains(bl, n))
			}
		}
		if !slices.Contains(jl, topicJ) || !slices.Contains(bl, topicJ) {
			t.Errorf("%s gone after deleting other topics", topicJ)
		}
	})
}

// boosterMust is booster for subcommands Booster's mqadmin has had from
// the start: missing is a failure.
func (x *xcheck) boosterMust(t *testing.T, args ...string) string {
	t.Helper()
	out, ok := x.booster(t, args...)
	if !ok {
		t.Fatalf("Booster's mqadmin lacks %s", args[0])
	}
	return out
}

// connFacts is what consumerConnection reports.
type connFacts struct {
	Clients []string // clientId addr language version
	Subs    []string // topic expression
	Extra   []string // ConsumeType, MessageModel, ConsumeFromWhere lines
}

func connectionFacts(out string) connFacts {
	var f connFacts
	for _, l := range strings.Split(out, "\n") {
		fs := strings.Fields(l)
		switch {
		case len(fs) == 0 || strings.HasPrefix(fs[0], "#"):
		case strings.Contains(l, ": "):
			f.Extra = append(f.Extra, strings.Join(fs, " "))
		case len(fs) == 4:
			f.Clients = append(f.Clients, strings.Join(fs, " "))
		case len(fs) == 2:
			f.Subs = append(f.Subs, strings.Join(fs, " "))
		}
	}
	sort.Strings(f.Clients)
	sort.Strings(f.Subs)
	sort.Strings(f.Extra)
	return f
}

// runningInfoSections lists the "#...#" section headings of a consumer's
// running info and the subscription lines under "#Consumer Subscription#".
func runningInfoSections(out string) []string {
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "#") && strings.HasSuffix(strings.TrimSpace(l), "#") {
			got = append(got, strings.TrimSpace(l))
		}
	}
	return got
}
