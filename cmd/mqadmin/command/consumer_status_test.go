package command

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	pushc "github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/rlog"

	"github.com/booster-mq/booster/internal/testcluster"
)

var quietClient sync.Once

// goPushConsumer starts the official Go client as a push consumer of group
// on topic and returns its client id and the number of messages it has
// consumed.
func goPushConsumer(t *testing.T, c *testcluster.Cluster, group, topic string) (string, *atomic.Int64) {
	t.Helper()
	quietClient.Do(func() { rlog.SetLogLevel("error") })
	var consumed atomic.Int64
	pc, err := pushc.NewPushConsumer(
		pushc.WithNameServer(primitive.NamesrvAddr{c.NamesrvAddr}),
		pushc.WithGroupName(group),
		pushc.WithInstance(fmt.Sprintf("mqadmin-test-%d-%d", os.Getpid(), time.Now().UnixNano())),
		pushc.WithConsumeFromWhere(pushc.ConsumeFromFirstOffset),
	)
	if err != nil {
		t.Fatal(err)
	}
	err = pc.Subscribe(topic, pushc.MessageSelector{}, func(context.Context, ...*primitive.MessageExt) (pushc.ConsumeResult, error) {
		consumed.Add(1)
		return pushc.ConsumeSuccess, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := pc.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Shutdown() })
	var clientID string
	eventually(t, "the consumer to come online", func() bool {
		adm := newAdmin([]string{c.NamesrvAddr}, defaultTestTimeout)
		defer adm.close()
		cc, err := adm.examineConsumerConnection(group)
		if err != nil {
			return false
		}
		clientID = cc.ConnectionSet[0].ClientID
		return true
	})
	return clientID, &consumed
}

// goClientNaN is how the Go client fails GET_CONSUMER_RUNNING_INFO in
// the first second of a new statistic: its rate is NaN, which its JSON
// encoder refuses, and it answers SUCCESS with no body.
const goClientNaN = "json marshal error: json: unsupported value: NaN"

// okClient is ok for a command that asks the Go client for its running
// info: it tries again while the client hits goClientNaN.
func okClient(t *testing.T, c *testcluster.Cluster, args ...string) string {
	t.Helper()
	for try := 0; ; try++ {
		r := mqadmin(t, c, args...)
		if r.code == 0 {
			return r.out
		}
		if !strings.Contains(r.err, goClientNaN) || try == 50 {
			t.Fatalf("mqadmin %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.out, r.err)
		}
		sleepABit()
	}
}

// eventually polls cond until it holds, for up to a minute (the Go client
// rebalances every 20 s).
func eventually(t *testing.T, what string, cond func() bool, last ...*string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			for _, l := range last {
				t.Logf("last:\n%s", *l)
			}
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Queue rows of consumerStatus -i's offset and detail sections.
var (
	topicQueueRows = regexp.MustCompile(`(?m)^CstT +broker-a +\d +`)
	retryQueueRows = regexp.MustCompile(`(?m)^%RETRY%CstG +broker-a +\d +.*\n`)
)

func TestConsumerStatus(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "CstT", 2)
	id := send(t, c, "CstT", 0, "hello", "TagC", "")
	clientID, consumed := goPushConsumer(t, c, "CstG", "CstT")
	var last string
	eventually(t, "the message to be consumed and both queues held", func() bool {
		last = mqadmin(t, c, "consumerStatus", "-g", "CstG", "-i", clientID).out
		return consumed.Load() > 0 && len(topicQueueRows.FindAllString(last, -1)) == 4 // two queues, two sections
	}, &last)

	// One client: its row, the running-info file, Java's analysis.
	var out, errOut strings.Builder
	work := t.TempDir()
	for try := 0; ; try++ {
		out.Reset()
		errOut.Reset()
		code := Run([]string{"consumerStatus", "-n", c.NamesrvAddr, "-g", "CstG"},
			Env{Stdout: &out, Stderr: &errOut, Timeout: defaultTestTimeout, WorkDir: work})
		if code == 0 {
			break
		}
		if !strings.Contains(errOut.String(), goClientNaN) || try == 50 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		sleepABit()
	}
	matchLines(t, out.String(),
		q(fmt.Sprintf("%-10s %-40s %-20s %s", "#Index", "#ClientId", "#Version", "#ConsumerRunningInfoFile")),
		q(fmt.Sprintf("%-10d %-40s ", 1, clientID))+`V\d+_\d+_\d+ {12,}`+q(work)+`/\d+/`+q(clientID),
		``, ``,
		q("Same subscription in the same group of consumer"),
		``,
		q("Rebalance OK"))
	file := strings.Fields(strings.Split(out.String(), "\n")[1])[3]
	if b, err := os.ReadFile(file); err != nil || !strings.HasPrefix(string(b), "#Consumer Properties#\n") {
		t.Errorf("running info file %s: %v\n%s", file, err, b)
	}

	// -i: Java's formatString of the client's ConsumerRunningInfo.
	qi := `ProcessQueueInfo \[commitOffset=\d+, cachedMsgMinOffset=\d+, cachedMsgMaxOffset=\d+, cachedMsgCount=\d+, cachedMsgSizeInMiB=\d+, ` +
		`transactionMsgMinOffset=\d+, transactionMsgMaxOffset=\d+, transactionMsgCount=\d+, locked=false, tryUnlockTimes=\d+, ` +
		`lastLockTimestamp=\d{17}, droped=false, lastPullTimestamp=\d{17}, lastConsumeTimestamp=\d{17}\]`
	prop := `PROP_[A-Z_]+ {10,}: .*`
	// The retry topic's queue comes and goes with the client's rebalance.
	matchLines(t, retryQueueRows.ReplaceAllString(okClient(t, c, "consumerStatus", "-g", "CstG", "-i", clientID), ""),
		q("#Consumer Properties#"), prop, prop, prop, prop, prop, prop,
		``, ``, q("#Consumer Subscription#"),
		q(fmt.Sprintf("001 Topic: %-40s ClassFilter: %-8s SubExpression: %s", "%RETRY%CstG", "false", "*")),
		q(fmt.Sprintf("002 Topic: %-40s ClassFilter: %-8s SubExpression: %s", "CstT", "false", "*")),
		``, ``, q("#Consumer Offset#"),
		q(fmt.Sprintf("%-64s  %-32s  %-4s  %-20s", "#Topic", "#Broker Name", "#QID", "#Consumer Offset")),
		q(fmt.Sprintf("%-32s  %-32s  %-4d  ", "CstT", "broker-a", 0))+`\d+ *`,
		q(fmt.Sprintf("%-32s  %-32s  %-4d  ", "CstT", "broker-a", 1))+`\d+ *`,
		``, ``, q("#Consumer MQ Detail#"),
		q(fmt.Sprintf("%-64s  %-32s  %-4s  %-20s", "#Topic", "#Broker Name", "#QID", "#ProcessQueueInfo")),
		q(fmt.Sprintf("%-64s  %-32s  %-4d  ", "CstT", "broker-a", 0))+qi,
		q(fmt.Sprintf("%-64s  %-32s  %-4d  ", "CstT", "broker-a", 1))+qi,
		``, ``, q("#Consumer Pop Detail#"),
		q(fmt.Sprintf("%-32s  %-32s  %-4s  %-20s", "#Topic", "#Broker Name", "#QID", "#ProcessQueueInfo")),
		``, ``, q("#Consumer RT&TPS#"),
		q(fmt.Sprintf("%-64s  %14s %14s %14s %14s %18s %25s", "#Topic", "#Pull RT", "#Pull TPS", "#Consume RT", "#ConsumeOK TPS", "#ConsumeFailed TPS", "#ConsumeFailedMsgsInHour")),
		q(fmt.Sprintf("%-32s  ", "%RETRY%CstG"))+`( +\d+\.\d\d){5} +\d+`,
		q(fmt.Sprintf("%-32s  ", "CstT"))+`( +\d+\.\d\d){5} +\d+`,
		``, ``, q("#User Consume Info#"),
		``, ``, q("#Consumer jstack#"))

	// -b asks that broker for the connections; --json lists the same.
	var list struct {
		Clients []statusClientRow `json:"clients"`
		Same    bool              `json:"sameSubscription"`
	}
	if err := json.Unmarshal([]byte(okClient(t, c, "consumerStatus", "-g", "CstG", "-b", c.BrokerAddr, "--json")), &list); err != nil ||
		len(list.Clients) != 1 || list.Clients[0].ClientID != clientID || !list.Same {
		t.Errorf("--json: %+v %v", list, err)
	}
	var info struct {
		Properties map[string]string `json:"properties"`
		MQTable    []struct {
			Topic   string `json:"topic"`
			QueueID int32  `json:"queueId"`
		} `json:"mqTable"`
	}
	if err := json.Unmarshal([]byte(okClient(t, c, "consumerStatus", "-g", "CstG", "-i", clientID, "--json")), &info); err != nil ||
		info.Properties["PROP_CONSUME_TYPE"] != "CONSUME_PASSIVELY" || len(info.MQTable) < 2 {
		t.Errorf("-i --json: %+v %v", info, err)
	}
	if out := okClient(t, c, "consumerStatus", "-g", "CstG", "-i", clientID, "-s"); !strings.Contains(out, "#Consumer jstack#\ngoroutine ") {
		t.Errorf("-s: no stack in\n%s", out)
	}

	// queryMsgByUniqueKey -g -d pushes a message to this client.
	uniq := strings.SplitN(strings.SplitN(ok(t, c, "queryMsgById", "-t", "CstT", "-i", id), "UNIQ_KEY=", 2)[1], ",", 2)[0]
	before := consumed.Load()
	matchLines(t, okClient(t, c, "queryMsgByUniqueKey", "-t", "CstT", "-i", uniq, "-g", "CstG", "-d", clientID),
		q("ConsumeMessageDirectlyResult [order=false, autoCommit=true, consumeResult=CR_SUCCESS, remark=, spentTimeMills=")+`\d+\]`)
	// So does queryMsgById -g -d, by offset id.
	if out := okClient(t, c, "queryMsgById", "-t", "CstT", "-i", id, "-g", "CstG", "-d", clientID); !strings.HasPrefix(out,
		"ConsumeMessageDirectlyResult [order=false, autoCommit=true, consumeResult=CR_SUCCESS, remark=, spentTimeMills=") {
		t.Errorf("queryMsgById -g -d: %q", out)
	}
	if consumed.Load() != before+2 {
		t.Errorf("consumed %d, want %d", consumed.Load(), before+2)
	}

	fails(t, c, "CODE: 1", "consumerStatus", "-g", "CstG", "-i", "10.9.9.9@nobody")
	fails(t, c, "CODE: 17", "consumerStatus", "-g", "NobodyG")
	fails(t, c, "CODE: 206 DESC: the consumer group[NobodyG] not online", "consumerStatus", "-g", "NobodyG", "-b", c.BrokerAddr)
}
