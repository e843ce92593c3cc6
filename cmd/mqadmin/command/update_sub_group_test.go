package command

import (
	"encoding/json"
	"testing"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

func TestUpdateSubGroup(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	out := ok(t, c, "updateSubGroup", "-c", "DefaultCluster", "-g", "SubG", "-r", "5", "-o", "true",
		"-p", `{"type":"EXPONENTIAL","exponentialRetryPolicy":{"initial":5000,"max":7200000,"multiplier":2}}`)
	want := "create subscription group to " + c.BrokerAddr + " success.\n" +
		"SubscriptionGroupConfig{groupName=SubG, consumeEnable=true, consumeFromMinEnable=false, consumeBroadcastEnable=false, " +
		"consumeMessageOrderly=true, retryQueueNums=1, retryMaxTimes=5, groupRetryPolicy=GroupRetryPolicy{type=EXPONENTIAL, " +
		"exponentialRetryPolicy=ExponentialRetryPolicy{initial=5000, max=7200000, multiplier=2}, customizedRetryPolicy=null}, brokerId=0, " +
		"whichBrokerWhenConsumeSlowly=1, notifyConsumerIdsChangedEnable=true, groupSysFlag=0, consumeTimeoutMinute=15, subscriptionDataSet=null, attributes={}}"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	resp := invoke(t, dial(t, c.BrokerAddr), admin.Request(wire.GetSubscriptiongroupConfig, "group", "SubG"))
	var sg struct {
		RetryMaxTimes         int
		ConsumeMessageOrderly bool
		ConsumeEnable         bool
	}
	if err := json.Unmarshal(resp.Body, &sg); err != nil || sg.RetryMaxTimes != 5 || !sg.ConsumeMessageOrderly || !sg.ConsumeEnable {
		t.Errorf("stored config %s: %v", resp.Body, err)
	}
	fails(t, c, "CODE: 29", "updateSubGroup", "-b", c.BrokerAddr, "-g", "bad group")
}
