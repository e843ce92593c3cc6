package conformance

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"

	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// helperConsumerEnv carries "namesrv group topic" to the helper process.
const helperConsumerEnv = "BOOSTER_HELPER_CONSUMER"

// TestHelperConsumerProcess is not a test: run as a subprocess by the
// dead-peer tests, it starts a push consumer, prints "ready" and waits to
// be stopped or killed.
func TestHelperConsumerProcess(t *testing.T) {
	args := strings.Fields(os.Getenv(helperConsumerEnv))
	if len(args) != 3 {
		t.Skip("helper process for the dead-peer tests")
	}
	pc, err := consumer.NewPushConsumer(
		consumer.WithNameServer(primitive.NamesrvAddr{args[0]}),
		consumer.WithGroupName(args[1]),
		consumer.WithInstance(instanceName("helper")),
		consumer.WithConsumerModel(consumer.Clustering),
		consumer.WithConsumeFromWhere(consumer.ConsumeFromFirstOffset),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := pc.Subscribe(args[2], subAll, func(context.Context, ...*primitive.MessageExt) (consumer.ConsumeResult, error) {
		return consumer.ConsumeSuccess, nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := pc.Start(); err != nil {
		t.Fatal(err)
	}
	fmt.Println("ready")
	select {}
}

// startHelperConsumer runs a push consumer of group in another process
// and returns it once it has started.
func startHelperConsumer(t *testing.T, ns, group, topic string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestHelperConsumerProcess$")
	cmd.Env = append(os.Environ(), helperConsumerEnv+"="+ns+" "+group+" "+topic)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "ready" {
				ready <- true
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatal("helper consumer exited before it started")
		}
	case <-time.After(routeWait):
		t.Fatal("helper consumer did not start")
	}
	return cmd
}

// consumerIDs asks the broker for group's clients (GET_CONSUMER_LIST_BY_GROUP).
func consumerIDs(t *testing.T, cl *transport.Client, group string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cl.Invoke(ctx, wire.NewRequest(wire.GetConsumerListByGroup, wire.Field{Key: "consumerGroup", Value: group}))
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		ConsumerIDList []string `json:"consumerIdList"`
	}
	if resp.ResponseCode() == wire.Success {
		_ = json.Unmarshal(resp.Body, &body)
	}
	return body.ConsumerIDList
}

// A consumer that vanishes is removed from its group and its queues go to
// the remaining consumer, which then receives everything: one killed (its
// connections close) and one frozen with SIGSTOP (its connections stay
// open but silent, so only the channelExpiredTimeout scan finds it, as in
// Java's ClientHousekeepingService).
func TestVanishedConsumerRebalances(t *testing.T) {
	for _, how := range []struct {
		name string
		sig  syscall.Signal
	}{{"killed", syscall.SIGKILL}, {"frozen", syscall.SIGSTOP}} {
		t.Run(how.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, testcluster.WithConf("channelExpiredTimeout", "3000"))
			if h.c.External {
				t.Skip("needs channelExpiredTimeout=3000")
			}
			topic, group := h.name("t"), h.name("cg")
			p := h.newProducer()
			sendSync(t, p, primitive.NewMessage(topic, []byte("create")))
			h.waitRoute(topic)
			raw := h.rawBroker(t)
			helper := startHelperConsumer(t, h.c.NamesrvAddr, group, topic)
			eventually(t, routeWait, "the helper consumer registered", func() (bool, string) {
				ids := consumerIDs(t, raw, group)
				return len(ids) == 1, fmt.Sprint(ids)
			})
			col := &collector{}
			pc := h.startPush(group, topic, subAll, col)
			eventually(t, consumeWait, "two consumers sharing the queues", func() (bool, string) {
				ids, qs := consumerIDs(t, raw, group), pc.queues()
				return len(ids) == 2 && len(qs) == 2, fmt.Sprintf("ids %v, our queues %v", ids, qs)
			})
			if err := helper.Process.Signal(how.sig); err != nil {
				t.Fatal(err)
			}
			eventually(t, consumeWait, "the vanished consumer dropped from its group", func() (bool, string) {
				ids := consumerIDs(t, raw, group)
				return len(ids) == 1, fmt.Sprint(ids)
			})
			eventually(t, consumeWait, "the remaining consumer holding every queue", func() (bool, string) {
				qs := pc.queues()
				return len(qs) == 4, fmt.Sprint(qs)
			})
			var want []string
			for i := 0; i < 40; i++ {
				body := fmt.Sprintf("after-%d", i)
				sendSync(t, p, primitive.NewMessage(topic, []byte(body)))
				want = append(want, body)
			}
			col.waitAll(t, "every message after the rebalance", want)
		})
	}
}
