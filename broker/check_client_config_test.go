package broker_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func checkClientConfigReq(exprType, expr string) *wire.Command {
	body, _ := json.Marshal(map[string]any{
		"clientId": "127.0.0.1@1", "group": "cg",
		"subscriptionData": codec.SubscriptionData{Topic: "T", SubString: expr, ExpressionType: exprType},
	})
	req := wire.NewRequest(wire.CheckClientConfig)
	req.Body = body
	return req
}

func TestCheckClientConfig(t *testing.T) {
	for _, c := range []struct {
		enabled        bool
		exprType, expr string
		want           wire.ResponseCode
	}{
		{false, "TAG", "a || b", wire.Success},
		{false, "", "*", wire.Success},
		{false, "SQL92", "a > 1", wire.SystemError},
		{false, "SQL92", "a >", wire.SystemError}, // disabled is reported first
		{true, "SQL92", "a > 1 AND b = 'x'", wire.Success},
		{true, "SQL92", "a >", wire.SubscriptionParseFailed},
		{true, "SQL92", "a = NULL", wire.SubscriptionParseFailed},
		{true, "JAVASCRIPT", "a > 1", wire.SubscriptionParseFailed},
		{true, "TAG", "whatever", wire.Success},
	} {
		t.Run(fmt.Sprintf("%v/%s/%s", c.enabled, c.exprType, c.expr), func(t *testing.T) {
			cl := sqlBroker(t, c.enabled)
			r := invoke(t, cl, checkClientConfigReq(c.exprType, c.expr))
			if r.ResponseCode() != c.want {
				t.Fatalf("CHECK_CLIENT_CONFIG: %d %q, want %d", r.Code, r.Remark, c.want)
			}
			if c.want == wire.SystemError && r.Remark != "The broker does not support consumer to filter message by SQL92" {
				t.Errorf("remark %q", r.Remark)
			}
		})
	}
}

func sqlBroker(t *testing.T, enabled bool) *transport.Client {
	t.Helper()
	c := testcluster.Start(t, testcluster.WithConf("enablePropertyFilter", strconv.FormatBool(enabled)))
	return dial(t, c.BrokerAddr, wire.JSON)
}

// sqlHeartbeat registers consumer group cg with one subscription.
func sqlHeartbeat(t *testing.T, cl *transport.Client, cg, topic, exprType, expr string) {
	t.Helper()
	hb := codec.HeartbeatData{ClientID: "sql-client@" + cg, ConsumerDataSet: []codec.ConsumerData{{
		GroupName: cg, ConsumeType: "CONSUME_PASSIVELY", MessageModel: "CLUSTERING", ConsumeFromWhere: "CONSUME_FROM_FIRST_OFFSET",
		SubscriptionDataSet: []codec.SubscriptionData{{Topic: topic, SubString: expr, ExpressionType: exprType, SubVersion: 1}},
	}}}
	body, _ := json.Marshal(hb)
	req := wire.NewRequest(wire.HeartBeat)
	req.Body = body
	if r := invoke(t, cl, req); r.ResponseCode() != wire.Success {
		t.Fatalf("heartbeat: %d %s", r.Code, r.Remark)
	}
}

// sqlPull pulls as the Go push consumer does (no posted subscription)
// unless posted is set, and returns the response and its records.
func sqlPull(t *testing.T, cl *transport.Client, cg, topic string, offset int64, maxMsgs int, posted, exprType string) (*wire.Command, []codec.Message) {
	t.Helper()
	flag := "0"
	if posted != "" {
		flag = "4"
	}
	req := wire.NewRequest(wire.PullMessage,
		wire.Field{Key: "consumerGroup", Value: cg}, wire.Field{Key: "topic", Value: topic},
		wire.Field{Key: "queueId", Value: "0"}, wire.Field{Key: "queueOffset", Value: strconv.FormatInt(offset, 10)},
		wire.Field{Key: "maxMsgNums", Value: strconv.Itoa(maxMsgs)}, wire.Field{Key: "sysFlag", Value: flag},
		wire.Field{Key: "commitOffset", Value: "0"}, wire.Field{Key: "suspendTimeoutMillis", Value: "0"},
		wire.Field{Key: "subscription", Value: posted}, wire.Field{Key: "expressionType", Value: exprType},
		wire.Field{Key: "subVersion", Value: "0"})
	resp := invoke(t, cl, req)
	var out []codec.Message
	for b := resp.Body; len(b) > 0; {
		m, n, err := codec.DecodeRecord(b)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
		b = b[n:]
	}
	return resp, out
}

// sqlSendAll sends ten messages to queue 0 of topic: message i (0-9) has
// a = i and b = 'x' for even i, 'y' for odd i.
func sqlSendAll(t *testing.T, cl *transport.Client, topic string) {
	t.Helper()
	for i := range 10 {
		b := "x"
		if i%2 == 1 {
			b = "y"
		}
		props := codec.AppendProperty(codec.AppendProperty(nil, "a", strconv.Itoa(i)), "b", b)
		if r := invoke(t, cl, sendV2(topic, 0, string(props), []byte(strconv.Itoa(i)))); r.ResponseCode() != wire.Success {
			t.Fatalf("send %d: %s", i, r.Remark)
		}
	}
}

func bodiesOf(ms []codec.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, string(m.Body))
	}
	return out
}

func TestPullSQL92(t *testing.T) {
	cl := sqlBroker(t, true)
	const topic, cg = "SqlTopic", "sql_cg"
	sqlSendAll(t, cl, topic)
	sqlHeartbeat(t, cl, cg, topic, "SQL92", "a > 3 AND b = 'x'")

	// All matches in one pull: 4, 6, 8; the whole queue is passed.
	resp, got := sqlPull(t, cl, cg, topic, 0, 32, "", "")
	if resp.ResponseCode() != wire.Success || fmt.Sprint(bodiesOf(got)) != "[4 6 8]" || resp.ExtValue("nextBeginOffset") != "10" {
		t.Fatalf("pull: %d %v next %s", resp.Code, bodiesOf(got), resp.ExtValue("nextBeginOffset"))
	}
	// maxMsgNums 2: 4 and 6, then nextBeginOffset is the next unexamined unit.
	resp, got = sqlPull(t, cl, cg, topic, 0, 2, "", "")
	if fmt.Sprint(bodiesOf(got)) != "[4 6]" || resp.ExtValue("nextBeginOffset") != "7" {
		t.Fatalf("pull 2: %v next %s", bodiesOf(got), resp.ExtValue("nextBeginOffset"))
	}
	resp, got = sqlPull(t, cl, cg, topic, 7, 2, "", "")
	if fmt.Sprint(bodiesOf(got)) != "[8]" || resp.ExtValue("nextBeginOffset") != "10" {
		t.Fatalf("pull from 7: %v next %s", bodiesOf(got), resp.ExtValue("nextBeginOffset"))
	}
	// Nothing matches in 0..3: 20 PULL_RETRY_IMMEDIATELY past them.
	sqlHeartbeat(t, cl, "sql_cg2", topic, "SQL92", "a > 100")
	resp, got = sqlPull(t, cl, "sql_cg2", topic, 0, 32, "", "")
	if resp.ResponseCode() != wire.PullRetryImmediately || len(got) != 0 || resp.ExtValue("nextBeginOffset") != "10" {
		t.Fatalf("no match: %d %v next %s", resp.Code, bodiesOf(got), resp.ExtValue("nextBeginOffset"))
	}
	// A posted subscription is compiled from the request.
	resp, got = sqlPull(t, cl, "sql_cg3", topic, 0, 32, "b = 'y' AND a BETWEEN 2 AND 5", "SQL92")
	if resp.ResponseCode() != wire.Success || fmt.Sprint(bodiesOf(got)) != "[3 5]" {
		t.Fatalf("posted: %d %v", resp.Code, bodiesOf(got))
	}
	// Errors: a posted expression that does not parse is 23; one registered
	// by heartbeat leaves no filter data, 27, as in Java.
	if resp, _ = sqlPull(t, cl, "sql_cg3", topic, 0, 32, "a >", "SQL92"); resp.ResponseCode() != wire.SubscriptionParseFailed {
		t.Fatalf("posted invalid: %d %s, want 23", resp.Code, resp.Remark)
	}
	sqlHeartbeat(t, cl, "sql_bad", topic, "SQL92", "a > 'x'")
	if resp, _ = sqlPull(t, cl, "sql_bad", topic, 0, 32, "", ""); resp.ResponseCode() != wire.FilterDataNotExist {
		t.Fatalf("registered invalid: %d %s, want 27", resp.Code, resp.Remark)
	}
	// TAG subscriptions are untouched.
	sqlHeartbeat(t, cl, "tag_cg", topic, "TAG", "*")
	if resp, got = sqlPull(t, cl, "tag_cg", topic, 0, 32, "", ""); len(got) != 10 {
		t.Fatalf("tag pull: %d %d records", resp.Code, len(got))
	}
}

func TestPullSQL92Disabled(t *testing.T) {
	cl := sqlBroker(t, false)
	const topic = "SqlOffTopic"
	sqlSendAll(t, cl, topic)
	sqlHeartbeat(t, cl, "off_cg", topic, "SQL92", "a > 3")
	resp, _ := sqlPull(t, cl, "off_cg", topic, 0, 32, "", "")
	if resp.ResponseCode() != wire.SystemError || resp.Remark != "The broker does not support consumer to filter message by SQL92" {
		t.Fatalf("disabled: %d %q, want 1 with Java's remark", resp.Code, resp.Remark)
	}
}
