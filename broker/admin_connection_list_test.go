package broker_test

import (
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

const adminHeartbeat = `{"clientID":"10.0.0.9@4242","producerDataSet":[{"groupName":"pg1"}],"consumerDataSet":[{"groupName":"cg1",` +
	`"consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING","consumeFromWhere":"CONSUME_FROM_FIRST_OFFSET",` +
	`"subscriptionDataSet":[{"classFilterMode":false,"expressionType":"TAG","subString":"*","subVersion":1,"topic":"ConnT"}],"unitMode":false}]}`

func TestConnectionLists(t *testing.T) {
	c := testcluster.Start(t)
	admin := dial(t, c.BrokerAddr, wire.JSON)
	r := call(t, admin, adminReq(wire.GetConsumerConnectionList, "consumerGroup", "cg1"), wire.ConsumerNotOnline)
	if r.Remark != "the consumer group[cg1] not online" {
		t.Errorf("remark %q", r.Remark)
	}
	r = call(t, admin, adminReq(wire.GetProducerConnectionList, "producerGroup", "pg1"), wire.SystemError)
	if r.Remark != "the producer group[pg1] not exist" {
		t.Errorf("remark %q", r.Remark)
	}

	client := dial(t, c.BrokerAddr, wire.JSON)
	hb := wire.NewRequest(wire.HeartBeat)
	hb.Language = 9 // GO
	hb.Version = 317
	hb.Body = []byte(adminHeartbeat)
	call(t, client, hb, wire.Success)

	type conn struct {
		ClientAddr, ClientID, Language string
		Version                        int
	}
	var cc struct {
		ConnectionSet                               []conn
		ConsumeFromWhere, ConsumeType, MessageModel string
		SubscriptionTable                           map[string]struct {
			Topic, SubString string
			TagsSet          []string
		}
	}
	decodeBody(t, call(t, admin, adminReq(wire.GetConsumerConnectionList, "consumerGroup", "cg1"), wire.Success), &cc)
	want := conn{ClientAddr: client.LocalAddr().String(), ClientID: "10.0.0.9@4242", Language: "GO", Version: 317}
	if len(cc.ConnectionSet) != 1 || cc.ConnectionSet[0] != want {
		t.Errorf("connections %+v, want %+v", cc.ConnectionSet, want)
	}
	if cc.ConsumeType != "CONSUME_PASSIVELY" || cc.MessageModel != "CLUSTERING" || cc.ConsumeFromWhere != "CONSUME_FROM_FIRST_OFFSET" {
		t.Errorf("consumer %+v", cc)
	}
	if s := cc.SubscriptionTable["ConnT"]; s.SubString != "*" || s.TagsSet == nil {
		t.Errorf("subscription %+v", cc.SubscriptionTable)
	}
	var pc struct{ ConnectionSet []conn }
	decodeBody(t, call(t, admin, adminReq(wire.GetProducerConnectionList, "producerGroup", "pg1"), wire.Success), &pc)
	if len(pc.ConnectionSet) != 1 || pc.ConnectionSet[0] != want {
		t.Errorf("producer connections %+v", pc.ConnectionSet)
	}
}
