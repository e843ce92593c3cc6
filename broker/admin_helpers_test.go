package broker_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// adminReq builds a request from alternating ext keys and values.
func adminReq(code wire.RequestCode, kv ...string) *wire.Command {
	req := wire.NewRequest(code)
	for i := 0; i+1 < len(kv); i += 2 {
		req.SetExt(kv[i], kv[i+1])
	}
	return req
}

// call invokes req and insists on the response code.
func call(t *testing.T, c *transport.Client, req *wire.Command, want wire.ResponseCode) *wire.Command {
	t.Helper()
	resp := invoke(t, c, req)
	if resp.ResponseCode() != want {
		t.Fatalf("%v: code %v (%s), want %v", wire.RequestCode(req.Code), resp.ResponseCode(), resp.Remark, want)
	}
	return resp
}

// decodeBody unmarshals a standard-JSON body (numeric keys quoted first).
func decodeBody(t *testing.T, resp *wire.Command, v any) {
	t.Helper()
	if err := json.Unmarshal(codec.QuoteNumericKeys(resp.Body), v); err != nil {
		t.Fatalf("decode %s: %v", resp.Body, err)
	}
}

// createTopic creates a topic with n read and write queues.
func createTopic(t *testing.T, c *transport.Client, topic string, n int) {
	t.Helper()
	call(t, c, adminReq(wire.UpdateAndCreateTopic, "topic", topic, "defaultTopic", "TBW102",
		"readQueueNums", strconv.Itoa(n), "writeQueueNums", strconv.Itoa(n), "perm", "6", "topicFilterType", "SINGLE_TAG", "order", "false"), wire.Success)
}

// createGroup creates a subscription group (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP):
// like Apache, the broker takes offset commits only for groups it knows.
func createGroup(t *testing.T, c *transport.Client, group string) {
	t.Helper()
	req := adminReq(wire.UpdateAndCreateSubscriptiongroup)
	req.Body = codec.Encode(codec.NewSubscriptionGroupConfig(group))
	call(t, c, req, wire.Success)
}
