package command

import (
	"fmt"
	"testing"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

func TestResetOffsetByTime(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "RoT", 1)
	for i := 0; i < 3; i++ {
		send(t, c, "RoT", 0, "m", "", "")
	}
	cs := onlineConsumer(t, c, "RoG", "RoT")
	cs.commit("RoT", 0, 1)
	waitRoute(t, c, "%RETRY%RoG")

	// Online: the broker resets the group and tells its clients (222).
	matchLines(t, ok(t, c, "resetOffsetByTime", "-g", "RoG", "-t", "RoT", "-s", "now"),
		`start reset consumer offset by specified, group\[RoG\], topic\[RoT\], force\[true\], timestamp\(string\)\[now\], timestamp\(long\)\[\d+\]`,
		q(fmt.Sprintf("%-40s  %-40s  %-40s", "#brokerName", "#queueId", "#offset")),
		q(fmt.Sprintf("%-40s  %-40d  %-40d", "broker-a", 0, 3)))
	if off := queryOffset(t, c, "RoG", "RoT", 0); off != "3" {
		t.Errorf("offset after the online reset %s", off)
	}
	cs.commit("RoT", 0, 1)

	// Offline: the stored offsets are rewritten (the old command's output).
	cs.conn.Close()
	waitOffline(t, c, "RoG")
	matchLines(t, ok(t, c, "resetOffsetByTime", "-g", "RoG", "-t", "RoT", "-s", "now"),
		`reset consumer offset by specified consumerGroup\[RoG\], topic\[RoT\], force\[true\], timestamp\(string\)\[now\], timestamp\(long\)\[\d+\]`,
		q(fmt.Sprintf("%-20s  %-20s  %-20s  %-20s  %-20s  %-20s", "#brokerName", "#queueId", "#brokerOffset", "#consumerOffset", "#timestampOffset", "#resetOffset")),
		q(fmt.Sprintf("%-20s  %-20d  %-20d  %-20d  %-20d  %-20d", "broker-a", 0, 3, 1, 3, 3)))
	if off := queryOffset(t, c, "RoG", "RoT", 0); off != "3" {
		t.Errorf("offset after reset %s", off)
	}

	// One queue on one broker, to an explicit offset.
	matchLines(t, ok(t, c, "resetOffsetByTime", "-g", "RoG", "-t", "RoT", "-s", "0", "-b", c.BrokerAddr, "-q", "0", "-o", "2"),
		q("start reset consumer offset by specified, group[RoG], topic[RoT], queueId[0], broker["+c.BrokerAddr+"], timestamp(string)[0], timestamp(long)[0]"),
		q("reset consumer offset to 2"))
	if off := queryOffset(t, c, "RoG", "RoT", 0); off != "2" {
		t.Errorf("offset after queue reset %s", off)
	}
	fails(t, c, "neither milliseconds nor yyyy-MM-dd#HH:mm:ss:SSS", "resetOffsetByTime", "-g", "RoG", "-t", "RoT", "-s", "yesterday")
}

func queryOffset(t *testing.T, c *testcluster.Cluster, group, topic string, queueID int) string {
	t.Helper()
	return invoke(t, dial(t, c.BrokerAddr), admin.Request(wire.QueryConsumerOffset, "consumerGroup", group, "topic", topic,
		"queueId", fmt.Sprint(queueID))).ExtValue("offset")
}

// waitOffline waits until the broker has dropped a group's last client.
func waitOffline(t *testing.T, c *testcluster.Cluster, group string) {
	t.Helper()
	cl := dial(t, c.BrokerAddr)
	for i := 0; i < 200; i++ {
		resp, err := cl.Invoke(testContext(t), admin.Request(wire.GetConsumerConnectionList, "consumerGroup", group))
		if err == nil && resp.ResponseCode() == wire.ConsumerNotOnline {
			return
		}
		sleepABit()
	}
	t.Fatalf("group %s still online", group)
}
