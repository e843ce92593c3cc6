package broker

import (
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
)

// copyTree copies a store directory as a crash would leave it: whatever
// the files hold at this moment.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}

func testBrokerConfig(dir string) Config {
	cfg := DefaultConfig()
	cfg.StorePathRootDir = dir
	cfg.MappedFileSizeCommitLog = 1 << 20
	cfg.MappedFileSizeConsumeQueue = 1000 * 20
	return cfg
}

// The first pop of a queue is on disk before its offset moves: a broker
// that crashes right after it (no Close, no flush loop) comes back with
// the popped messages in flight, not skipped.
func TestPopStateSurvivesCrashAfterFirstPop(t *testing.T) {
	dir := t.TempDir()
	b, err := New(testBrokerConfig(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, _, err := b.topics.putIfAbsent(codec.TopicConfig{TopicName: "T", ReadQueueNums: 1, WriteQueueNums: 1, Perm: 6}); err != nil {
		t.Fatal(err)
	}
	host := netip.MustParseAddrPort("127.0.0.1:10911")
	for _, body := range []string{"a", "b", "c"} {
		m := &codec.Message{Topic: "T", Body: []byte(body), BornTimestamp: time.Now().UnixMilli(), BornHost: host, StoreHost: host,
			Properties: string(codec.AppendProperty(nil, codec.PropertyTags, "x")), TagsCode: compat.TagsCode("x")}
		if res := b.store.Put([]*codec.Message{m}, true); !res.Status.Stored() {
			t.Fatalf("put: %v %v", res.Status, res.Err)
		}
	}
	h := &popMessageHeader{group: "G", topic: "T", maxMsgNums: 32, invisibleTime: 60000}
	bt := &popBatch{h: h, sub: newSubscription(codec.SubscriptionData{Topic: "T", SubString: "*"}), popTime: time.Now().UnixMilli(), reviveQid: 1}
	b.popFromQueue(bt, "T", 0)
	bt.release()
	if bt.count != 3 || string(bt.startInfo) != "0 0 0" || string(bt.msgInfo) != "0 0 0,1,2" {
		t.Fatalf("pop: %d messages, %q %q", bt.count, bt.startInfo, bt.msgInfo)
	}
	if off, _ := b.offsets.query("T", "G", 0); off != 3 {
		t.Fatalf("pop offset %d, want 3", off)
	}
	// Worst case for the crash: consumerOffset.json already has offset 3.
	if err := b.offsets.persist(); err != nil {
		t.Fatal(err)
	}
	crashed := filepath.Join(t.TempDir(), "crashed")
	copyTree(t, dir, crashed)

	b2, err := New(testBrokerConfig(crashed), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	key := popQueueKey{topic: "T", group: "G", queueID: 0}
	if n := b2.pop.state.inflightCount(key); n != 3 {
		t.Fatalf("in flight after the crash: %d, want 3", n)
	}
	if off, _ := b2.offsets.query("T", "G", 0); off > 3 {
		t.Fatalf("pop offset after the crash %d", off)
	}
	// Their invisible time passing puts them in the pop retry topic with
	// reconsume times 1.
	for _, it := range b2.pop.state.expired(time.Now().UnixMilli()+120000, 10) {
		b2.pop.revive(it, time.Now().UnixMilli())
	}
	res := b2.store.GetMessages(popRetryTopic("T", "G"), 0, 0, 32, 0, nil)
	defer res.Release()
	if len(res.Records) != 3 {
		t.Fatalf("retry topic holds %d records (%v), want 3", len(res.Records), res.Status)
	}
	for _, rec := range res.Records {
		v, err := codec.ViewRecord(rec)
		if err != nil || v.ReconsumeTimes != 1 {
			t.Fatalf("revived record: reconsume %d, %v", v.ReconsumeTimes, err)
		}
		if pt, ok := codec.PropertyValue(string(v.Properties), propertyFirstPopTime); !ok || pt == "" {
			t.Fatalf("revived record lacks %s", propertyFirstPopTime)
		}
	}
	if n := b2.pop.state.inflightCount(key); n != 0 {
		t.Fatalf("in flight after the revive: %d", n)
	}
}
