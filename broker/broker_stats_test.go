package broker_test

import (
	"encoding/json"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

// TOPIC_PUT_NUMS counts the messages stored in the last minute, hour and
// day; statistics the broker does not keep answer Java's "not exist".
func TestViewBrokerStatsData(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	adm := dial(t, c.BrokerAddr, wire.JSON)
	createTopic(t, adm, "StT", 2)
	sendN(t, adm, "StT", 0, 3)
	sendN(t, adm, "StT", 1, 2)

	resp := call(t, adm, adminReq(wire.ViewBrokerStatsData, "statsName", "TOPIC_PUT_NUMS", "statsKey", "StT"), wire.Success)
	type item struct {
		Avgpt float64 `json:"avgpt"`
		Sum   int64   `json:"sum"`
		Tps   float64 `json:"tps"`
	}
	var d struct {
		StatsDay    item `json:"statsDay"`
		StatsHour   item `json:"statsHour"`
		StatsMinute item `json:"statsMinute"`
	}
	if err := json.Unmarshal(resp.Body, &d); err != nil {
		t.Fatalf("%s: %v", resp.Body, err)
	}
	if d.StatsMinute.Sum != 5 || d.StatsHour.Sum != 5 || d.StatsDay.Sum != 5 || d.StatsMinute.Tps != 5.0/60 || d.StatsMinute.Avgpt != 1 {
		t.Errorf("stats %s", resp.Body)
	}
	empty := call(t, adm, adminReq(wire.ViewBrokerStatsData, "statsName", "TOPIC_PUT_NUMS", "statsKey", "TBW102"), wire.Success)
	if want := `{"statsDay":{"avgpt":0.0,"sum":0,"tps":0.0},"statsHour":{"avgpt":0.0,"sum":0,"tps":0.0},"statsMinute":{"avgpt":0.0,"sum":0,"tps":0.0}}`; string(empty.Body) != want {
		t.Errorf("empty topic: %s", empty.Body)
	}
	resp = call(t, adm, adminReq(wire.ViewBrokerStatsData, "statsName", "GROUP_GET_NUMS", "statsKey", "StT@g"), wire.SystemError)
	if want := "The stats <GROUP_GET_NUMS> <StT@g> not exist"; resp.Remark != want {
		t.Errorf("remark %q", resp.Remark)
	}
	call(t, adm, adminReq(wire.ViewBrokerStatsData, "statsName", "TOPIC_PUT_NUMS", "statsKey", "NoSuchTopic"), wire.SystemError)

	// GROUP_GET_NUMS and the runtime info's get totals count what pulls
	// returned: one pull of queue 0's 3 messages by g.
	pull := adminReq(wire.PullMessage, "consumerGroup", "g", "topic", "StT", "queueId", "0", "queueOffset", "0",
		"maxMsgNums", "32", "sysFlag", "4", "commitOffset", "0", "suspendTimeoutMillis", "0", "subscription", "*", "subVersion", "0")
	call(t, adm, pull, wire.Success)
	resp = call(t, adm, adminReq(wire.ViewBrokerStatsData, "statsName", "GROUP_GET_NUMS", "statsKey", "StT@g"), wire.Success)
	d = struct {
		StatsDay    item `json:"statsDay"`
		StatsHour   item `json:"statsHour"`
		StatsMinute item `json:"statsMinute"`
	}{}
	if err := json.Unmarshal(resp.Body, &d); err != nil {
		t.Fatalf("%s: %v", resp.Body, err)
	}
	if d.StatsMinute.Sum != 3 || d.StatsHour.Sum != 3 || d.StatsDay.Sum != 3 || d.StatsMinute.Avgpt != 3 || d.StatsMinute.Tps != 3.0/60 {
		t.Errorf("GROUP_GET_NUMS %s", resp.Body)
	}
	var kv struct{ Table map[string]string }
	decodeBody(t, call(t, adm, adminReq(wire.GetBrokerRuntimeInfo), wire.Success), &kv)
	if kv.Table["msgGetTotalTodayNow"] != "3" || kv.Table["msgGetTotalTodayMorning"] != "0" || kv.Table["msgPutTotalTodayNow"] != "5" {
		t.Errorf("runtime info get totals: %v", kv.Table)
	}
}
