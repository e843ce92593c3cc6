package broker

import (
	"strconv"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

func sendBack(offset int64, group string, delayLevel int, extra ...wire.Field) *wire.Command {
	return wire.NewRequest(wire.ConsumerSendMsgBack, append([]wire.Field{
		{Key: "offset", Value: strconv.FormatInt(offset, 10)}, {Key: "group", Value: group},
		{Key: "delayLevel", Value: strconv.Itoa(delayLevel)}, {Key: "originTopic", Value: "SB"},
		{Key: "unitMode", Value: "false"}}, extra...)...)
}

// CONSUMER_SEND_MSG_BACK: retries go through the schedule topic with
// growing reconsume times, then land in the DLQ.
func TestConsumerSendMsgBack(t *testing.T) {
	tb := startTestBroker(t, t.TempDir(), "messageDelayLevel", "1s 1s 1s 2h")
	c := tb.client()
	resp := mustSend(t, c, sendReq("SB", 0, props(codec.PropertyTags, "TagS", "user", "u"), []byte("payload")))
	offMsgID := resp.ExtValue("msgId")
	_, off, err := codec.DecodeOffsetMsgID(offMsgID)
	if err != nil {
		t.Fatal(err)
	}
	orig := pullRecords(t, c, "SB", 0, 0)[0]
	uniq := codec.ParseProperties(orig.Properties)["UNIQ_KEY"]

	maxTimes := wire.Field{Key: "maxReconsumeTimes", Value: "2"}
	if r := call(t, c, sendBack(off, "gsb", 1, maxTimes)); r.ResponseCode() != wire.Success {
		t.Fatalf("send back: %v %s", r.ResponseCode(), r.Remark)
	}
	sched := waitRecords(t, c, "SCHEDULE_TOPIC_XXXX", 0, 1, 3*time.Second)[0]
	sp := codec.ParseProperties(sched.Properties)
	want := map[string]string{"REAL_TOPIC": "%RETRY%gsb", "RETRY_TOPIC": "SB", "ORIGIN_MESSAGE_ID": offMsgID,
		"DELAY": "1", "WAIT": "false", "UNIQ_KEY": uniq, "TAGS": "TagS", "user": "u"}
	for k, v := range want {
		if sp[k] != v {
			t.Errorf("retry record %s = %q, want %q (all %v)", k, sp[k], v, sp)
		}
	}
	if sched.ReconsumeTimes != 1 || string(sched.Body) != "payload" || sched.BornTimestamp != orig.BornTimestamp {
		t.Errorf("retry record %+v", sched)
	}

	retry1 := waitRecords(t, c, "%RETRY%gsb", 0, 1, 5*time.Second)[0]
	if retry1.ReconsumeTimes != 1 {
		t.Fatalf("first retry reconsumeTimes %d", retry1.ReconsumeTimes)
	}
	// delayLevel 0: the broker picks 3 + reconsumeTimes (level 4 here).
	if r := call(t, c, sendBack(retry1.CommitLogOffset, "gsb", 0, maxTimes)); r.ResponseCode() != wire.Success {
		t.Fatalf("second send back: %v %s", r.ResponseCode(), r.Remark)
	}
	lvl4 := waitRecords(t, c, "SCHEDULE_TOPIC_XXXX", 3, 1, 3*time.Second)[0]
	lp := codec.ParseProperties(lvl4.Properties)
	if lvl4.ReconsumeTimes != 2 || lp["DELAY"] != "4" || lp["ORIGIN_MESSAGE_ID"] != offMsgID || lp["RETRY_TOPIC"] != "SB" {
		t.Errorf("second retry reconsumeTimes %d, properties %v", lvl4.ReconsumeTimes, lp)
	}

	// reconsumeTimes 2 >= maxReconsumeTimes 2: the DLQ, at once.
	if r := call(t, c, sendBack(lvl4.CommitLogOffset, "gsb", 0, maxTimes)); r.ResponseCode() != wire.Success {
		t.Fatalf("third send back: %v %s", r.ResponseCode(), r.Remark)
	}
	dlq := pullRecords(t, c, "%DLQ%gsb", 0, 0)
	if len(dlq) != 1 {
		t.Fatalf("DLQ holds %d records", len(dlq))
	}
	dp := codec.ParseProperties(dlq[0].Properties)
	if dlq[0].ReconsumeTimes != 3 || dp["DELAY"] != "0" || dp["ORIGIN_MESSAGE_ID"] != offMsgID || dp["UNIQ_KEY"] != uniq || string(dlq[0].Body) != "payload" {
		t.Errorf("DLQ record reconsumeTimes %d properties %v", dlq[0].ReconsumeTimes, dp)
	}
	if tc, ok := tb.b.topics.get("%DLQ%gsb"); !ok || tc.ReadQueueNums != 1 || tc.WriteQueueNums != 1 || tc.Perm != 6 {
		t.Errorf("DLQ topic config %+v, %v", tc, ok)
	}

	// A negative delay level dead-letters at once; without the header the
	// group's retryMaxTimes (16) applies.
	if r := call(t, c, sendBack(off, "gneg", -1)); r.ResponseCode() != wire.Success {
		t.Fatalf("send back -1: %v %s", r.ResponseCode(), r.Remark)
	}
	if got := pullRecords(t, c, "%DLQ%gneg", 0, 0); len(got) != 1 || got[0].ReconsumeTimes != 1 {
		t.Errorf("send back -1: DLQ holds %d records", len(got))
	}

	if r := call(t, c, sendBack(off+1, "gsb", 0)); r.ResponseCode() != wire.SystemError {
		t.Errorf("send back of a bad offset: %v %s, want 1", r.ResponseCode(), r.Remark)
	}
}

// A plain SEND to %RETRY%group (the clients' fallback) goes through the
// schedule topic, or to the DLQ with DELAY=-1 once reconsumeTimes exceeds
// the maximum or while the group holds orderly locks.
func TestSendToRetryTopic(t *testing.T) {
	tb := startTestBroker(t, t.TempDir())
	c := tb.client()
	p := props(codec.PropertyRetryTopic, "Orig", codec.PropertyDelayLevel, "3")
	mustSend(t, c, sendReq("%RETRY%gr", 0, p, []byte("retry"),
		wire.Field{Key: "j", Value: "2"}, wire.Field{Key: "l", Value: "2"}))
	sched := waitRecords(t, c, "SCHEDULE_TOPIC_XXXX", 2, 1, 3*time.Second)[0]
	if v := codec.ParseProperties(sched.Properties)["REAL_TOPIC"]; v != "%RETRY%gr" || sched.ReconsumeTimes != 2 {
		t.Errorf("retry send: REAL_TOPIC %q reconsumeTimes %d", v, sched.ReconsumeTimes)
	}

	mustSend(t, c, sendReq("%RETRY%gr", 0, p, []byte("dead"),
		wire.Field{Key: "j", Value: "3"}, wire.Field{Key: "l", Value: "2"}))
	dlq := pullRecords(t, c, "%DLQ%gr", 0, 0)
	if len(dlq) != 1 || codec.ParseProperties(dlq[0].Properties)["DELAY"] != "-1" || string(dlq[0].Body) != "dead" {
		t.Fatalf("retry send over the maximum: DLQ holds %q", bodies(dlq))
	}

	tb.b.locks.tryLockBatch("gl", "client-1", []codec.MessageQueue{{Topic: "T", BrokerName: "broker-a", QueueID: 0}}, time.Now())
	mustSend(t, c, sendReq("%RETRY%gl", 0, p, []byte("orderly"), wire.Field{Key: "j", Value: "0"}))
	if got := pullRecords(t, c, "%DLQ%gl", 0, 0); len(got) != 1 {
		t.Errorf("retry send of a group holding locks: DLQ holds %q", bodies(got))
	}
}
