package conformance

// Admin requests the broker answers by calling the official Go client:
// GET_CONSUMER_RUNNING_INFO (307, behind mqadmin consumerProgress -s),
// CONSUME_MESSAGE_DIRECTLY (309) and INVOKE_BROKER_TO_GET_CONSUMER_STATUS
// (223, which asks the client with GET_CONSUMER_STATUS_FROM_CLIENT).

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/primitive"

	"github.com/booster-mq/booster/wire"
)

func TestAdminRelayToGoClient(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	mq := newMQAdmin(h)
	topic, group := h.name("t"), h.name("g")
	p := h.newProducer()
	var want []string
	var offsetIDs []string
	for i := 0; i < 8; i++ {
		body := fmt.Sprintf("relay-%02d", i)
		want = append(want, body)
		offsetIDs = append(offsetIDs, sendSync(t, p, primitive.NewMessage(topic, []byte(body))).OffsetMsgID)
	}
	col := &collector{}
	pc := h.startPush(group, topic, subAll, col)
	col.waitAll(t, "the consumer to receive every message", want)
	raw := h.rawBroker(t)
	call := func(code wire.RequestCode, kv ...string) *wire.Command {
		t.Helper()
		req := wire.NewRequest(code)
		for i := 0; i+1 < len(kv); i += 2 {
			req.SetExt(kv[i], kv[i+1])
		}
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		resp, err := raw.Invoke(ctx, req)
		if err != nil {
			t.Fatalf("%v: %v", code, err)
		}
		return resp
	}
	var ids struct {
		ConsumerIDList []string `json:"consumerIdList"`
	}
	if resp := call(wire.GetConsumerListByGroup, "consumerGroup", group); json.Unmarshal(resp.Body, &ids) != nil || len(ids.ConsumerIDList) != 1 {
		t.Fatalf("consumer list: %d %q %s", resp.Code, resp.Remark, resp.Body)
	}
	clientID := ids.ConsumerIDList[0]
	clientIP, _, _ := strings.Cut(clientID, "@")

	// 307 raw: the client's ConsumerRunningInfo, as the client wrote it.
	resp := call(wire.GetConsumerRunningInfo, "consumerGroup", group, "clientId", clientID, "jstackEnable", "false")
	if resp.ResponseCode() != wire.Success || !strings.Contains(string(resp.Body), `"PROP_CONSUME_TYPE":"CONSUME_PASSIVELY"`) ||
		!strings.Contains(string(resp.Body), `"mqTable":{{"topic":"`) || !strings.Contains(string(resp.Body), `{"topic":"`+topic+`","brokerName":"broker-a","queueId":0}:{`) {
		t.Errorf("running info: %d %q %s", resp.Code, resp.Remark, resp.Body)
	}
	if resp := call(wire.GetConsumerRunningInfo, "consumerGroup", group, "clientId", "10.9.9.9@nobody"); resp.ResponseCode() != wire.SystemError {
		t.Errorf("running info of an offline client: %d %q", resp.Code, resp.Remark)
	}

	// 307 through mqadmin: every queue shows the client's IP.
	rowRe := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(topic) + ` +\S+ +\d+ +\d+ +\d+ +(\S+) +-?\d+ +-?\d+ `)
	eventually(t, commitWait, "consumerProgress -s to show the client per queue", func() (bool, string) {
		out, errOut, err := mq.try("consumerProgress", "-g", group, "-s", "true")
		if err != nil {
			return false, errOut
		}
		rows := rowRe.FindAllStringSubmatch(out, -1)
		for _, r := range rows {
			if r[1] != clientIP {
				return false, out
			}
		}
		return len(rows) == len(pc.queues()) && len(rows) > 0, out
	})

	// 309: the broker fetches the message by its offset id and the client
	// consumes it again with its listener.
	resp = call(wire.ConsumeMessageDirectly, "consumerGroup", group, "clientId", clientID, "msgId", offsetIDs[3], "topic", topic)
	var direct struct {
		ConsumeResult int  `json:"consumeResult"`
		AutoCommit    bool `json:"autoCommit"`
	}
	if resp.ResponseCode() != wire.Success || json.Unmarshal(resp.Body, &direct) != nil || direct.ConsumeResult != 0 || !direct.AutoCommit {
		t.Errorf("consume message directly: %d %q %s", resp.Code, resp.Remark, resp.Body)
	}
	if _, count := col.byBody(); count["relay-03"] != 2 {
		t.Errorf("relay-03 consumed %d times, want twice (once directly)", count["relay-03"])
	}

	// 223: the broker asks the client (221) and reads its object-keyed answer.
	eventually(t, commitWait, "the consumer status to list the client's offsets", func() (bool, string) {
		resp := call(wire.InvokeBrokerToGetConsumerStatus, "topic", topic, "group", group)
		body := string(resp.Body)
		return resp.ResponseCode() == wire.Success && strings.HasPrefix(body, `{"consumerTable":{"`+clientID+`":{{"brokerName":`) &&
			strings.Contains(body, `"topic":"`+topic+`"}:`), fmt.Sprintf("%d %q %s", resp.Code, resp.Remark, body)
	})
}
