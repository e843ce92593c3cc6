package broker_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

// GET_BROKER_RUNTIME_INFO carries every key mqadmin clusterList reads, in
// the formats it parses.
func TestGetBrokerRuntimeInfo(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	start := time.Now().UnixMilli()
	for i := 0; i < 3; i++ {
		call(t, cl, sendV2("RuntimeT", i%2, "", []byte("x")), wire.Success)
	}
	var kv codec.KVTable
	decodeBody(t, call(t, cl, adminReq(wire.GetBrokerRuntimeInfo), wire.Success), &kv)
	m := kv.Table
	if m["brokerVersionDesc"] != "V5_3_3" || m["brokerVersion"] != "479" || m["brokerActive"] != "true" {
		t.Errorf("version/active: %q %q %q", m["brokerVersionDesc"], m["brokerVersion"], m["brokerActive"])
	}
	num := func(k string) int64 {
		v, err := strconv.ParseInt(m[k], 10, 64)
		if err != nil {
			t.Errorf("%s = %q: %v", k, m[k], err)
		}
		return v
	}
	now, morning, yest := num("msgPutTotalTodayNow"), num("msgPutTotalTodayMorning"), num("msgPutTotalYesterdayMorning")
	if now < 3 || morning > now-3 || yest > morning {
		t.Errorf("put totals yesterday %d, morning %d, now %d after 3 sends", yest, morning, now)
	}
	for _, k := range []string{"msgGetTotalYesterdayMorning", "msgGetTotalTodayMorning", "msgGetTotalTodayNow", "timerReadBehind", "commitLogMaxOffset"} {
		num(k)
	}
	tps := strings.Split(m["putTps"], " ")
	if len(tps) != 3 {
		t.Fatalf("putTps %q", m["putTps"])
	}
	if f, err := strconv.ParseFloat(tps[0], 64); err != nil || f < 0.3 {
		t.Errorf("putTps over 10 s %q after 3 sends", tps[0])
	}
	if len(strings.Split(m["getTransferredTps"], " ")) != 3 {
		t.Errorf("getTransferredTps %q", m["getTransferredTps"])
	}
	if ts := num("earliestMessageTimeStamp"); ts < start-1000 || ts > time.Now().UnixMilli() {
		t.Errorf("earliestMessageTimeStamp %d, first send at %d", ts, start)
	}
	if r, err := strconv.ParseFloat(m["commitLogDiskRatio"], 64); err != nil || r < 0 || r > 1 {
		t.Errorf("commitLogDiskRatio %q", m["commitLogDiskRatio"])
	}
	if !strings.HasPrefix(m["commitLogDirCapacity"], "Total : ") {
		t.Errorf("commitLogDirCapacity %q", m["commitLogDirCapacity"])
	}
	// clusterList's #InTPS(LOAD), #OutTPS(LOAD) and #PCWait: idle queues
	// and no append running.
	for _, k := range []string{"sendThreadPoolQueueSize", "sendThreadPoolQueueHeadWaitTimeMills", "pullThreadPoolQueueSize",
		"pullThreadPoolQueueHeadWaitTimeMills", "pageCacheLockTimeMills", "dispatchBehindBytes", "EndTransactionQueueSize"} {
		if m[k] != "0" {
			t.Errorf("%s = %q, want 0", k, m[k])
		}
	}
	if m["sendThreadPoolQueueCapacity"] != "10000" || m["remainTransientStoreBufferNumbs"] != "2147483647" {
		t.Errorf("send queue capacity %q, transient buffers %q", m["sendThreadPoolQueueCapacity"], m["remainTransientStoreBufferNumbs"])
	}
	if boot := num("bootTimestamp"); boot <= 0 || boot > start {
		t.Errorf("bootTimestamp %d, first send at %d", boot, start)
	}
	if !regexp.MustCompile(`^\[ \d+ days, \d+ hours, \d+ minutes, \d+ seconds \]$`).MatchString(m["runtime"]) {
		t.Errorf("runtime %q", m["runtime"])
	}
}
