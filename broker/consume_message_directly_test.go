package broker_test

import (
	"bytes"
	"testing"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

// CONSUME_MESSAGE_DIRECTLY carries the stored record named by the offset
// msgId to the client, with the broker's name and flags, and relays the
// client's result.
func TestConsumeMessageDirectlyRelay(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	adm := dial(t, c.BrokerAddr, wire.JSON)
	createTopic(t, adm, "CdT", 1)
	msgID := call(t, adm, sendV2("CdT", 0, "", []byte("direct")), wire.Success).ExtValue("msgId")
	result := `{"order":false,"autoCommit":true,"consumeResult":0,"remark":"","spentTimeMills":1}`
	cl := newFakeClient(t, c.BrokerAddr, 9, "10.0.0.1@cd", "CdG", "CdT", "", func(req *wire.Command) *wire.Command {
		resp := wire.NewResponse(req, wire.Success, "")
		resp.Body = []byte(result)
		return resp
	})

	resp := call(t, adm, adminReq(wire.ConsumeMessageDirectly, "consumerGroup", "CdG", "clientId", "10.0.0.1@cd", "msgId", msgID,
		"topic", "CdT", "brokerName", "somewhere-else"), wire.Success)
	if string(resp.Body) != result {
		t.Errorf("relayed result %s", resp.Body)
	}
	req := cl.next(t, wire.ConsumeMessageDirectly)
	m, n, err := codec.DecodeRecord(req.Body)
	if err != nil || n != len(req.Body) || !bytes.Equal(m.Body, []byte("direct")) || m.Topic != "CdT" {
		t.Errorf("record sent to the client: %+v %d %v", m, n, err)
	}
	if req.ExtValue("brokerName") != "broker-a" || req.ExtValue("topicSysFlag") != "0" || req.ExtValue("groupSysFlag") != "0" || req.ExtValue("msgId") != msgID {
		t.Errorf("ext sent to the client: %v", req.Ext)
	}

	call(t, adm, adminReq(wire.ConsumeMessageDirectly, "consumerGroup", "CdG", "clientId", "10.0.0.1@cd", "msgId", "7F0000010000000000FFFFFF00000000"), wire.SystemError)
	call(t, adm, adminReq(wire.ConsumeMessageDirectly, "consumerGroup", "CdG", "clientId", "10.0.0.1@cd", "msgId", "not-a-msg-id"), wire.SystemError)
	call(t, adm, adminReq(wire.ConsumeMessageDirectly, "consumerGroup", "CdG", "clientId", "10.0.0.5@other", "msgId", msgID), wire.SystemError)
}
