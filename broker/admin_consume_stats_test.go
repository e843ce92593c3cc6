package broker_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

// The consumer-offset admin family reads committed offsets: GET_CONSUME_STATS
// per queue, GET_ALL_CONSUMER_OFFSET, QUERY_TOPIC_CONSUME_BY_WHO and
// QUERY_TOPICS_BY_CONSUMER.
func TestConsumeStats(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	createTopic(t, cl, "CsT", 2)
	for i := 0; i < 3; i++ {
		call(t, cl, sendV2("CsT", 1, "", []byte("m")), wire.Success)
	}
	createGroup(t, cl, "cg")
	call(t, cl, adminReq(wire.UpdateConsumerOffset, "consumerGroup", "cg", "topic", "CsT", "queueId", "1", "commitOffset", "2"), wire.Success)

	body := string(call(t, cl, adminReq(wire.GetConsumeStats, "consumerGroup", "cg"), wire.Success).Body)
	re := regexp.MustCompile(`^\{"consumeTps":0\.0,"offsetTable":\{` +
		regexp.QuoteMeta(`{"brokerName":"broker-a","queueId":0,"topic":"CsT"}:{"brokerOffset":0,"consumerOffset":0,"lastTimestamp":0,"pullOffset":0},`) +
		regexp.QuoteMeta(`{"brokerName":"broker-a","queueId":1,"topic":"CsT"}:{"brokerOffset":3,"consumerOffset":2,"lastTimestamp":`) + `[1-9]\d*` +
		regexp.QuoteMeta(`,"pullOffset":2}}}`) + `$`)
	if !re.MatchString(body) {
		t.Fatalf("consume stats %s", body)
	}
	// A pull of queue 1 from offset 2 by cg (no commit) moves its pull
	// offset to 3: one message in flight.
	call(t, cl, adminReq(wire.PullMessage, "consumerGroup", "cg", "topic", "CsT", "queueId", "1", "queueOffset", "2",
		"maxMsgNums", "32", "sysFlag", "4", "commitOffset", "0", "suspendTimeoutMillis", "0", "subscription", "*", "subVersion", "0"), wire.Success)
	body = string(call(t, cl, adminReq(wire.GetConsumeStats, "consumerGroup", "cg", "topic", "CsT"), wire.Success).Body)
	if !strings.Contains(body, `"brokerOffset":3,"consumerOffset":2,`) || !strings.HasSuffix(body, `,"pullOffset":3}}}`) {
		t.Errorf("consume stats after a pull: %s", body)
	}
	// topicList overrides topic; a topic the broker lacks is skipped.
	body = string(call(t, cl, adminReq(wire.GetConsumeStats, "consumerGroup", "cg", "topic", "CsT", "topicList", "Nope;"), wire.Success).Body)
	if body != `{"consumeTps":0.0,"offsetTable":{}}` {
		t.Errorf("topicList stats %s", body)
	}

	all := string(call(t, cl, adminReq(wire.GetAllConsumerOffset), wire.Success).Body)
	if !strings.Contains(all, `"CsT@cg":{1:2}`) || !strings.HasPrefix(all, `{"dataVersion":{`) {
		t.Errorf("all consumer offsets %s", all)
	}

	var gl struct {
		GroupList []string `json:"groupList"`
	}
	decodeBody(t, call(t, cl, adminReq(wire.QueryTopicConsumeByWho, "topic", "CsT"), wire.Success), &gl)
	if len(gl.GroupList) != 1 || gl.GroupList[0] != "cg" {
		t.Errorf("groups of CsT %v", gl.GroupList)
	}
	var tl codec.TopicList
	decodeBody(t, call(t, cl, adminReq(wire.QueryTopicsByConsumer, "group", "cg"), wire.Success), &tl)
	if len(tl.TopicList) != 1 || tl.TopicList[0] != "CsT" || tl.BrokerAddr != c.BrokerAddr {
		t.Errorf("topics of cg %+v", tl)
	}
	decodeBody(t, call(t, cl, adminReq(wire.QueryTopicsByConsumer, "group", "nobody"), wire.Success), &tl)
	if tl.TopicList == nil || len(tl.TopicList) != 0 {
		t.Errorf("topics of an unknown group %+v", tl)
	}
}
