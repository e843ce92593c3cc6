package broker_test

import (
	"regexp"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

// GET_BROKER_CONSUME_STATS lists every group's committed queues in one
// ConsumeStatsList, fastjson-shaped, and isOrder keeps only order topics.
func TestBrokerConsumeStats(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	createTopic(t, cl, "BcsT", 2)
	call(t, cl, adminReq(wire.UpdateAndCreateTopic, "topic", "BcsO", "defaultTopic", "TBW102",
		"readQueueNums", "1", "writeQueueNums", "1", "perm", "6", "topicFilterType", "SINGLE_TAG", "order", "true"), wire.Success)
	for i := 0; i < 3; i++ {
		call(t, cl, sendV2("BcsT", 1, "", []byte("m")), wire.Success)
	}
	call(t, cl, sendV2("BcsO", 0, "", []byte("o")), wire.Success)
	createGroup(t, cl, "bcs_a")
	createGroup(t, cl, "bcs_b")
	call(t, cl, adminReq(wire.UpdateConsumerOffset, "consumerGroup", "bcs_a", "topic", "BcsT", "queueId", "1", "commitOffset", "1"), wire.Success)
	call(t, cl, adminReq(wire.UpdateConsumerOffset, "consumerGroup", "bcs_a", "topic", "BcsO", "queueId", "0", "commitOffset", "1"), wire.Success)

	q := regexp.QuoteMeta
	mq := func(topic string, id string) string {
		return q(`{"brokerName":"broker-a","queueId":` + id + `,"topic":"` + topic + `"}`)
	}
	body := string(call(t, cl, adminReq(wire.GetBrokerConsumeStats, "isOrder", "false"), wire.Success).Body)
	re := `^` + q(`{"brokerAddr":"`+c.BrokerAddr+`","consumeStatsList":[`) + `.*` +
		q(`{"bcs_a":[{"consumeTps":0.0,"offsetTable":{`) + mq("BcsO", "0") + q(`:{"brokerOffset":1,"consumerOffset":1,"lastTimestamp":`) + `[1-9]\d*` + q(`,"pullOffset":0}}},`) +
		q(`{"consumeTps":0.0,"offsetTable":{`) + mq("BcsT", "0") + q(`:{"brokerOffset":0,"consumerOffset":0,"lastTimestamp":0,"pullOffset":0},`) +
		mq("BcsT", "1") + q(`:{"brokerOffset":3,"consumerOffset":1,"lastTimestamp":`) + `[1-9]\d*` + q(`,"pullOffset":0}}}]},{"bcs_b":[]}`) + `.*` +
		q(`],"totalDiff":2,"totalInflightDiff":-2}`) + `$`
	if !regexp.MustCompile(re).MatchString(body) {
		t.Fatalf("broker consume stats:\n%s", body)
	}

	body = string(call(t, cl, adminReq(wire.GetBrokerConsumeStats, "isOrder", "true"), wire.Success).Body)
	re = q(`{"bcs_a":[{"consumeTps":0.0,"offsetTable":{`) + mq("BcsO", "0") + `[^]]*` + q(`}}}]}`) + `.*` + q(`"totalDiff":0,"totalInflightDiff":-1}`) + `$`
	if !regexp.MustCompile(re).MatchString(body) {
		t.Fatalf("order-only consume stats:\n%s", body)
	}
}
