package conformance

// Booster's mqadmin binary (cmd/mqadmin) against the cluster: the flows
// operators' scripts depend on, checked on Apache's output formats. Against
// an external Apache cluster (BOOSTER_TEST_NAMESRV) the same tests show
// that mqadmin reads Apache's fastjson bodies too.
//
// BOOSTER_TEST_MQADMIN names a built mqadmin binary; without it each test
// builds one from ./cmd/mqadmin.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/primitive"
)

// mqadminCLI runs one mqadmin binary against a harness's NameServer.
type mqadminCLI struct {
	h   *harness
	bin string
}

// newMQAdmin returns the mqadmin under test: BOOSTER_TEST_MQADMIN, or one
// built into the test's temporary directory (the build cache makes every
// build after the first quick).
func newMQAdmin(h *harness) *mqadminCLI {
	h.t.Helper()
	if p := os.Getenv("BOOSTER_TEST_MQADMIN"); p != "" {
		return &mqadminCLI{h: h, bin: p}
	}
	bin := filepath.Join(h.t.TempDir(), "mqadmin")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, "github.com/booster-mq/booster/cmd/mqadmin")
	if out, err := cmd.CombinedOutput(); err != nil {
		h.t.Fatalf("build mqadmin: %v\n%s", err, out)
	}
	return &mqadminCLI{h: h, bin: bin}
}

// run runs args (the subcommand first, -n added) and insists on exit
// status 0 and an empty stderr.
func (m *mqadminCLI) run(args ...string) string {
	m.h.t.Helper()
	out, errOut, err := m.try(args...)
	if err != nil || errOut != "" {
		m.h.t.Fatalf("mqadmin %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

func (m *mqadminCLI) try(args ...string) (stdout, stderr string, err error) {
	m.h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args = append([]string{args[0], "-n", m.h.c.NamesrvAddr}, args[1:]...)
	cmd := exec.CommandContext(ctx, m.bin, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.Env = append(os.Environ(), "NAMESRV_ADDR=")
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// updateTopic creates a topic on the cluster, then topicList, topicRoute
// (fastjson text and --json), topicStatus and deleteTopic see it.
func TestMQAdminTopicLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mq := newMQAdmin(h)
	topic := h.name("t")
	out := mq.run("updateTopic", "-c", "DefaultCluster", "-t", topic, "-r", "4", "-w", "4")
	if !regexp.MustCompile(`(?m)^create topic to \S+:\d+ success\.$`).MatchString(out) ||
		!strings.Contains(out, "TopicConfig [topicName="+topic+", readQueueNums=4, writeQueueNums=4, perm=RW-, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false, attributes={}]") {
		t.Fatalf("updateTopic output:\n%s", out)
	}
	eventually(t, routeWait, "topicList to show the new topic", func() (bool, string) {
		out, _, err := mq.try("topicList")
		return err == nil && strings.Contains("\n"+out, "\n"+topic+"\n"), out
	})

	route := mq.run("topicRoute", "-t", topic)
	for _, want := range []string{"{\n\t\"brokerDatas\":[\n", "\t\t\t\"brokerAddrs\":{0:\"", "\t\t\t\"brokerName\":\"broker-a\",\n",
		"\t\t\t\"readQueueNums\":4,\n", "\t\t\t\"writeQueueNums\":4\n"} {
		if !strings.Contains(route, want) {
			t.Errorf("topicRoute lacks %q:\n%s", want, route)
		}
	}
	var rd struct {
		BrokerDatas []struct {
			BrokerName  string
			BrokerAddrs map[string]string
		}
		QueueDatas []struct {
			BrokerName                    string
			ReadQueueNums, WriteQueueNums int
			Perm                          int
		}
	}
	if err := json.Unmarshal([]byte(mq.run("topicRoute", "-t", topic, "--json")), &rd); err != nil {
		t.Fatal(err)
	}
	if len(rd.BrokerDatas) != 1 || rd.BrokerDatas[0].BrokerAddrs["0"] == "" || len(rd.QueueDatas) != 1 || rd.QueueDatas[0].WriteQueueNums != 4 || rd.QueueDatas[0].Perm != 6 {
		t.Errorf("topicRoute --json: %+v", rd)
	}

	status := mq.run("topicStatus", "-t", topic)
	if n := len(regexp.MustCompile(`(?m)^broker-a {26}\d {5}0 {21}0 {23}$`).FindAllString(status, -1)); n != 4 {
		t.Errorf("topicStatus: %d empty queue rows, want 4:\n%s", n, status)
	}

	out = mq.run("deleteTopic", "-t", topic, "-c", "DefaultCluster")
	if out != fmt.Sprintf("delete topic [%s] from cluster [DefaultCluster] success.\ndelete topic [%s] from NameServer success.\n", topic, topic) {
		t.Errorf("deleteTopic output:\n%s", out)
	}
	if _, errOut, err := mq.try("topicRoute", "-t", topic); err == nil || !strings.Contains(errOut, "CODE: 17") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("topicRoute of a deleted topic: %v, stderr %q", err, errOut)
	}
}

// clusterList and brokerStatus show broker-a with its runtime statistics.
func TestMQAdminClusterList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mq := newMQAdmin(h)
	out := mq.run("clusterList")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "#Cluster Name           #Broker Name            #BID  #Addr") {
		t.Fatalf("clusterList:\n%s", out)
	}
	row := regexp.MustCompile(`^DefaultCluster {10}broker-a {16}0 {5}(\S+:\d+) +V\d+_\d+_\d+ +.* (true|false)$`)
	var addr string
	for _, l := range lines[1:] {
		if m := row.FindStringSubmatch(l); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatalf("no broker-a master row in\n%s", out)
	}
	status := mq.run("brokerStatus", "-b", addr)
	for _, key := range []string{"brokerVersionDesc", "msgPutTotalTodayNow", "putTps", "earliestMessageTimeStamp", "commitLogDiskRatio"} {
		if !regexp.MustCompile(`(?m)^` + key + ` +: \S`).MatchString(status) {
			t.Errorf("brokerStatus lacks %s:\n%s", key, status)
		}
	}
}

// After the official Go client has consumed a topic, consumerProgress
// shows the group caught up, and consumerConnection shows the client.
func TestMQAdminConsumerProgress(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mq := newMQAdmin(h)
	topic, group := h.name("t"), h.name("g")
	p := h.newProducer()
	const n = 20
	var want []string
	for i := 0; i < n; i++ {
		body := fmt.Sprintf("progress-%02d", i)
		want = append(want, body)
		sendSync(t, p, primitive.NewMessage(topic, []byte(body)))
	}
	col := &collector{}
	h.startPush(group, topic, subAll, col)
	col.waitAll(t, "the push consumer to receive every message", want)

	rowRe := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(topic) + ` +broker-a +(\d+) +(\d+) +(\d+) +(-?\d+) +(-?\d+) +(\S.*)$`)
	eventually(t, commitWait, "consumerProgress to show the group caught up", func() (bool, string) {
		out, errOut, err := mq.try("consumerProgress", "-g", group)
		if err != nil {
			return false, errOut
		}
		rows := rowRe.FindAllStringSubmatch(out, -1)
		var consumed int
		for _, r := range rows {
			var c int
			fmt.Sscan(r[3], &c)
			consumed += c
		}
		return len(rows) > 0 && consumed == n && strings.Contains(out, "\nConsume Diff Total: 0\n"), out
	})

	out := mq.run("consumerConnection", "-g", group)
	if !regexp.MustCompile(`(?m)^\S+@\S+ +\S+:\d+ +GO +V4_5_2$`).MatchString(out) ||
		!strings.Contains(out, fmt.Sprintf("%-20s %s\n", topic, "*")) || !strings.Contains(out, "ConsumeType: CONSUME_PASSIVELY\nMessageModel: CLUSTERING\n") {
		t.Errorf("consumerConnection:\n%s", out)
	}
	overview := mq.run("consumerProgress")
	if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(group) + ` +1 +V4_5_2 +PUSH +CLUSTERING +\d+ +0$`).MatchString(overview) {
		t.Errorf("consumerProgress overview:\n%s", overview)
	}
}
