package broker

import (
	"strconv"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

// A timer message waits in rmq_sys_wheel_timer and reaches its topic at
// its deliver time, with REAL_* removed and the dequeue stamps added.
func TestTimerMessageDelivery(t *testing.T) {
	tb := startTestBroker(t, t.TempDir())
	c := tb.client()
	deliver := time.Now().Add(1500 * time.Millisecond).UnixMilli()
	at := strconv.FormatInt(deliver, 10)
	resp := mustSend(t, c, sendReq("TimerT", 2, props(codec.PropertyTags, "TagT", codec.PropertyTimerDeliverMS, at), []byte("abs")))
	if resp.ExtValue("queueId") != "2" {
		t.Errorf("send response queueId %s, want 2", resp.ExtValue("queueId"))
	}
	mustSend(t, c, sendReq("TimerT", 2, props(codec.PropertyTimerDelayMS, "500"), []byte("ms")))
	mustSend(t, c, sendReq("TimerT", 2, props(codec.PropertyTimerDelaySec, "1"), []byte("sec")))
	// Past deliver times are stored as normal messages.
	mustSend(t, c, sendReq("TimerT", 3, props(codec.PropertyTimerDeliverMS, "1000"), []byte("past")))
	if got := bodies(pullRecords(t, c, "TimerT", 3, 0)); len(got) != 1 {
		t.Errorf("past timer not stored directly: %q", got)
	}

	timer := waitRecords(t, c, timerTopic, 0, 3, 3*time.Second)
	tp := codec.ParseProperties(timer[0].Properties)
	if tp["TIMER_OUT_MS"] != at || tp["REAL_TOPIC"] != "TimerT" || tp["REAL_QID"] != "2" {
		t.Fatalf("timer record properties %v", tp)
	}
	if got := pullRecords(t, c, "TimerT", 2, 0); len(got) != 0 {
		t.Fatalf("timer message visible at once: %q", bodies(got))
	}
	got := waitRecords(t, c, "TimerT", 2, 3, 5*time.Second)
	if order := bodies(got); order[0] != "ms" || order[1] != "sec" || order[2] != "abs" {
		t.Errorf("timer messages delivered in order %q, want [ms sec abs]", order)
	}
	for _, m := range got {
		mp := codec.ParseProperties(m.Properties)
		out, _ := strconv.ParseInt(mp["TIMER_OUT_MS"], 10, 64)
		if late := m.StoreTimestamp - out; late < 0 || late > 900 {
			t.Errorf("%s delivered %d ms after TIMER_OUT_MS", m.Body, late)
		}
		if mp["REAL_TOPIC"] != "" || mp["REAL_QID"] != "" || mp["TIMER_ENQUEUE_MS"] == "" || mp["TIMER_DEQUEUE_MS"] == "" || mp["WAIT"] != "false" {
			t.Errorf("%s delivered with properties %v", m.Body, mp)
		}
	}

	// Illegal values.
	far := strconv.FormatInt(time.Now().Add(4*24*time.Hour).UnixMilli(), 10)
	for _, p := range []string{
		props(codec.PropertyTimerDeliverMS, far),
		props(codec.PropertyTimerDelaySec, "soon"),
		props(codec.PropertyTimerDeliverMS, "1000", codec.PropertyTimerDelUniqKey, "x"),
	} {
		if r := call(t, c, sendReq("TimerT", 0, p, []byte("bad"))); r.ResponseCode() != wire.MessageIllegal {
			t.Errorf("timer props %q: %v %s, want 13", p, r.ResponseCode(), r.Remark)
		}
	}
}

// timerWheelEnable=false refuses timer messages with 1.
func TestTimerDisabled(t *testing.T) {
	tb := startTestBroker(t, t.TempDir(), "timerWheelEnable", "false")
	c := tb.client()
	r := call(t, c, sendReq("TimerOff", 0, props(codec.PropertyTimerDelaySec, "5"), []byte("x")))
	if r.ResponseCode() != wire.SystemError {
		t.Fatalf("timer message with the wheel disabled: %v %s, want 1", r.ResponseCode(), r.Remark)
	}
}

// Pending timers survive a restart; delivered ones are not redelivered.
func TestTimerSurvivesRestart(t *testing.T) {
	tb := startTestBroker(t, t.TempDir())
	c := tb.client()
	mustSend(t, c, sendReq("TimerR", 0, props(codec.PropertyTimerDelayMS, "300"), []byte("before")))
	waitRecords(t, c, "TimerR", 0, 1, 3*time.Second)
	mustSend(t, c, sendReq("TimerR", 0, props(codec.PropertyTimerDelayMS, "2500"), []byte("pending")))
	time.Sleep(300 * time.Millisecond) // let the service scan it into its heap
	tb.restart()
	c = tb.client()
	got := waitRecords(t, c, "TimerR", 0, 2, 6*time.Second)
	time.Sleep(time.Second) // room for a wrong redelivery
	if got = pullRecords(t, c, "TimerR", 0, 0); len(got) != 2 || string(got[1].Body) != "pending" {
		t.Fatalf("after the restart the topic holds %q, want [before pending]", bodies(got))
	}
}
