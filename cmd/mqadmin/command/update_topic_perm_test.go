package command

import (
	"testing"
	"time"

	"github.com/booster-mq/booster/internal/testcluster"
)

// waitPerm waits until the NameServer's route of topic carries perm.
func waitPerm(t *testing.T, c *testcluster.Cluster, topic string, perm int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		adm := newAdmin([]string{c.NamesrvAddr}, defaultTestTimeout)
		rd, err := adm.route(topic)
		adm.close()
		if err == nil && len(rd.QueueDatas) == 1 && rd.QueueDatas[0].Perm == perm {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("route of %s: %+v %v, want perm %d", topic, rd, err, perm)
		}
		sleepABit()
	}
}

func TestUpdateTopicPerm(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "UpT", 3)

	matchLines(t, ok(t, c, "updateTopicPerm", "-b", c.BrokerAddr, "-t", "UpT", "-p", "4"),
		q("update topic perm from 6 to 4 in "+c.BrokerAddr+" success."),
		q("TopicConfig [topicName=UpT, readQueueNums=3, writeQueueNums=3, perm=R--, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false, attributes={}]."))
	waitPerm(t, c, "UpT", 4)
	matchLines(t, ok(t, c, "updateTopicPerm", "-b", c.BrokerAddr, "-t", "UpT", "-p", "4"), q("new perm equals to the old one!"))

	matchLines(t, ok(t, c, "updateTopicPerm", "-c", "DefaultCluster", "-t", "UpT", "-p", "6"),
		q("update topic perm from 4 to 6 in "+c.BrokerAddr+" success."))
	waitPerm(t, c, "UpT", 6)

	r := fails(t, c, "is not a master of UpT's route", "updateTopicPerm", "-b", "127.0.0.1:1", "-t", "UpT", "-p", "2")
	matchLines(t, r.out, q("updateTopicPerm error broker not exit or broker is not master!."))
	fails(t, c, "missing required option: one of -b (--brokerAddr), -c (--clusterName)", "updateTopicPerm", "-t", "UpT", "-p", "2")
	fails(t, c, "Make sure the specified clusterName exists", "updateTopicPerm", "-c", "Nope", "-t", "UpT", "-p", "2")
	fails(t, c, "CODE: 17", "updateTopicPerm", "-c", "DefaultCluster", "-t", "NoSuchTopic", "-p", "2")
}
