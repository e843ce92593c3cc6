package broker_test

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

// GET_TOPIC_STATS_INFO answers every queue of the topic keyed by the
// MessageQueue object, with the store time of each queue's last message.
func TestGetTopicStatsInfo(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	createTopic(t, cl, "StatsT", 3)
	before := time.Now().UnixMilli()
	for i := 0; i < 2; i++ {
		call(t, cl, sendV2("StatsT", 1, "", []byte("m")), wire.Success)
	}
	resp := call(t, cl, adminReq(wire.GetTopicStatsInfo, "topic", "StatsT"), wire.Success)
	body := string(resp.Body)
	empty := `{"brokerName":"broker-a","queueId":%d,"topic":"StatsT"}:{"lastUpdateTimestamp":0,"maxOffset":0,"minOffset":0}`
	re := regexp.MustCompile(`^\{"offsetTable":\{` +
		regexp.QuoteMeta(fmt.Sprintf(empty, 0)) + `,` +
		regexp.QuoteMeta(`{"brokerName":"broker-a","queueId":1,"topic":"StatsT"}:{"lastUpdateTimestamp":`) + `(\d+)` +
		regexp.QuoteMeta(`,"maxOffset":2,"minOffset":0},`) +
		regexp.QuoteMeta(fmt.Sprintf(empty, 2)) +
		`\},"topicPutTps":(\d+\.\d+)\}$`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("body %s", body)
	}
	if ts, _ := strconv.ParseInt(m[1], 10, 64); ts < before || ts > time.Now().UnixMilli() {
		t.Errorf("lastUpdateTimestamp %d not the store time of the send (after %d)", ts, before)
	}
	if tps, _ := strconv.ParseFloat(m[2], 64); tps <= 0 {
		t.Errorf("topicPutTps %v after two sends in the last minute", tps)
	}
	r := call(t, cl, adminReq(wire.GetTopicStatsInfo, "topic", "NoSuchTopic"), wire.TopicNotExist)
	if r.Remark != "topic[NoSuchTopic] not exist" {
		t.Errorf("remark %q", r.Remark)
	}
}

func TestGetAllTopicConfig(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	createTopic(t, cl, "AllT", 2)
	resp := call(t, cl, adminReq(wire.GetAllTopicConfig), wire.Success)
	var w codec.TopicConfigSerializeWrapper
	decodeBody(t, resp, &w)
	tc := w.TopicConfigTable["AllT"]
	if tc == nil || tc.ReadQueueNums != 2 || tc.Perm != 6 || w.TopicConfigTable["TBW102"] == nil || w.DataVersion.Counter == 0 {
		t.Fatalf("topic table %s", resp.Body)
	}
	if n, _ := strconv.Atoi(resp.ExtValue("totalTopicNum")); n != len(w.TopicConfigTable) {
		t.Errorf("totalTopicNum %q, table has %d", resp.ExtValue("totalTopicNum"), len(w.TopicConfigTable))
	}
}

func TestSystemTopicsAndCleanExpiredCQ(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	var tl codec.TopicList
	decodeBody(t, call(t, cl, adminReq(wire.GetSystemTopicListFromBroker), wire.Success), &tl)
	if len(tl.TopicList) != 10 || tl.TopicList[0] != "BenchmarkTest" || tl.TopicList[8] != "TBW102" {
		t.Errorf("system topics %v", tl.TopicList)
	}
	call(t, cl, adminReq(wire.CleanExpiredConsumequeue), wire.Success)
}
