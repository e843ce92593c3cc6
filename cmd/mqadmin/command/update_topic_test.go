package command

import (
	"strings"
	"testing"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

func TestUpdateTopic(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	out := ok(t, c, "updateTopic", "-c", "DefaultCluster", "-t", "UtT", "-r", "3", "-w", "2", "-a", "+message.type=NORMAL")
	matchLines(t, out,
		q("create topic to "+c.BrokerAddr+" success."),
		q("TopicConfig [topicName=UtT, readQueueNums=3, writeQueueNums=2, perm=RW-, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false, attributes={+message.type=NORMAL}]"))
	waitRoute(t, c, "UtT")
	if route := ok(t, c, "topicRoute", "-t", "UtT"); !strings.Contains(route, `"readQueueNums":3,`) || !strings.Contains(route, `"writeQueueNums":2`) {
		t.Errorf("route after updateTopic:\n%s", route)
	}

	// -b with an order topic writes the order config to the NameServer.
	out = ok(t, c, "updateTopic", "-b", c.BrokerAddr, "-t", "UtOrder", "-w", "4", "-p", "4", "-o", "true", "-u", "true")
	matchLines(t, out,
		q("set broker orderConf. isOrder=true, orderConf=[broker-a:4]"),
		q("create topic to "+c.BrokerAddr+" success."),
		q("TopicConfig [topicName=UtOrder, readQueueNums=8, writeQueueNums=4, perm=R--, topicFilterType=SINGLE_TAG, topicSysFlag=1, order=true, attributes={}]"))
	resp := invoke(t, dial(t, c.NamesrvAddr), admin.Request(wire.GetKvConfig, "namespace", "ORDER_TOPIC_CONFIG", "key", "UtOrder"))
	if resp.ExtValue("value") != "broker-a:4" {
		t.Errorf("order conf %q", resp.ExtValue("value"))
	}

	fails(t, c, "missing required option: one of -b (--brokerAddr), -c (--clusterName)", "updateTopic", "-t", "X")
	fails(t, c, "missing required option -t (--topic)", "updateTopic", "-c", "DefaultCluster")
	fails(t, c, "Make sure the specified clusterName exists", "updateTopic", "-c", "NoCluster", "-t", "X")
	fails(t, c, "attribute format is incorrect", "updateTopic", "-c", "DefaultCluster", "-t", "X", "-a", "nosign")
	fails(t, c, "CODE: 29", "updateTopic", "-c", "DefaultCluster", "-t", "bad topic")
}
