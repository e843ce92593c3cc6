package broker_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

func TestSubscriptionGroupAdmin(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	create := func(body string, want wire.ResponseCode) *wire.Command {
		req := adminReq(wire.UpdateAndCreateSubscriptiongroup)
		req.Body = []byte(body)
		return call(t, cl, req, want)
	}
	// Java's updateSubGroup sends the whole config; fields it leaves out keep Java's defaults.
	create(`{"groupName":"sg1","consumeBroadcastEnable":false,"retryMaxTimes":3,"groupRetryPolicy":{"type":"CUSTOMIZED"}}`, wire.Success)
	var sg codec.SubscriptionGroupConfig
	decodeBody(t, call(t, cl, adminReq(wire.GetSubscriptiongroupConfig, "group", "sg1"), wire.Success), &sg)
	if sg.GroupName != "sg1" || sg.RetryMaxTimes != 3 || sg.ConsumeBroadcastEnable || !sg.ConsumeEnable || sg.RetryQueueNums != 1 {
		t.Errorf("config %+v", sg)
	}
	if r := create(`{"groupName":"bad group"}`, wire.InvalidParameter); !strings.Contains(r.Remark, "illegal characters") {
		t.Errorf("remark %q", r.Remark)
	}
	create(`not json`, wire.SystemError)

	resp := call(t, cl, adminReq(wire.GetAllSubscriptiongroupConfig), wire.Success)
	var w codec.SubscriptionGroupWrapper
	decodeBody(t, resp, &w)
	if w.SubscriptionGroupTable["sg1"] == nil || w.DataVersion.Counter == 0 {
		t.Errorf("all groups %s", resp.Body)
	}
	if n, _ := strconv.Atoi(resp.ExtValue("totalGroupNum")); n != len(w.SubscriptionGroupTable) {
		t.Errorf("totalGroupNum %q", resp.ExtValue("totalGroupNum"))
	}

	call(t, cl, adminReq(wire.UpdateConsumerOffset, "consumerGroup", "sg1", "topic", "TBW102", "queueId", "0", "commitOffset", "0"), wire.Success)
	call(t, cl, adminReq(wire.DeleteSubscriptiongroup, "groupName", "sg1", "cleanOffset", "true"), wire.Success)
	if r := call(t, cl, adminReq(wire.GetSubscriptiongroupConfig, "group", "sg1"), wire.SubscriptionGroupNotExist); r.Remark != "No group in this broker" {
		t.Errorf("remark %q", r.Remark)
	}
	if all := string(call(t, cl, adminReq(wire.GetAllConsumerOffset), wire.Success).Body); strings.Contains(all, "@sg1") {
		t.Errorf("offsets of the deleted group remain: %s", all)
	}
	call(t, cl, adminReq(wire.DeleteSubscriptiongroup, "groupName", "sg1"), wire.Success)
}
