package broker_test

import (
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

// The broker asks every client of the group (221), reads the Go client's
// and the Java client's object-keyed answers, and leaves out a client that
// fails.
func TestGetConsumerStatusAggregatesClients(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	adm := dial(t, c.BrokerAddr, wire.JSON)
	createTopic(t, adm, "CsT", 2)

	answer := func(body string) func(*wire.Command) *wire.Command {
		return func(req *wire.Command) *wire.Command {
			if req.RequestCode() != wire.GetConsumerStatusFromClient || req.ExtValue("topic") != "CsT" || req.ExtValue("group") != "CsG" {
				return wire.NewResponse(req, wire.SystemError, "unexpected request")
			}
			resp := wire.NewResponse(req, wire.Success, "")
			resp.Body = []byte(body)
			return resp
		}
	}
	// Go: ConsumerStatus.Encode, key fields in the Go struct's order.
	newFakeClient(t, c.BrokerAddr, 9, "10.0.0.1@go", "CsG", "CsT", "",
		answer(`{"messageQueueTable":{{"topic":"CsT","brokerName":"broker-a","queueId":0}:7,{"topic":"CsT","brokerName":"broker-a","queueId":1}:3}}`))
	// Java: GetConsumerStatusBody, fastjson.
	newFakeClient(t, c.BrokerAddr, 0, "10.0.0.2@java", "CsG", "CsT", "",
		answer(`{"consumerTable":{},"messageQueueTable":{{"brokerName":"broker-a","queueId":1,"topic":"CsT"}:11}}`))
	newFakeClient(t, c.BrokerAddr, 0, "10.0.0.3@broken", "CsG", "CsT", "",
		func(req *wire.Command) *wire.Command { return wire.NewResponse(req, wire.SystemError, "no") })

	resp := call(t, adm, adminReq(wire.InvokeBrokerToGetConsumerStatus, "topic", "CsT", "group", "CsG"), wire.Success)
	want := `{"consumerTable":{"10.0.0.1@go":{{"brokerName":"broker-a","queueId":0,"topic":"CsT"}:7,{"brokerName":"broker-a","queueId":1,"topic":"CsT"}:3},` +
		`"10.0.0.2@java":{{"brokerName":"broker-a","queueId":1,"topic":"CsT"}:11}},"messageQueueTable":{}}`
	if string(resp.Body) != want {
		t.Fatalf("body\n%s\nwant\n%s", resp.Body, want)
	}

	// clientAddr names the one client to ask.
	resp = call(t, adm, adminReq(wire.InvokeBrokerToGetConsumerStatus, "topic", "CsT", "group", "CsG", "clientAddr", "10.0.0.2@java"), wire.Success)
	if want := `{"consumerTable":{"10.0.0.2@java":{{"brokerName":"broker-a","queueId":1,"topic":"CsT"}:11}},"messageQueueTable":{}}`; string(resp.Body) != want {
		t.Errorf("one client: %s", resp.Body)
	}

	resp = call(t, adm, adminReq(wire.InvokeBrokerToGetConsumerStatus, "topic", "CsT", "group", "Nobody"), wire.SystemError)
	if want := "No Any Consumer online in the consumer group: [Nobody]"; resp.Remark != want {
		t.Errorf("remark %q", resp.Remark)
	}
}
