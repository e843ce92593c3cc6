package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
)

// testConfig is a store with 64 KiB segments and 100-unit queue files, so
// tests roll both, on a disk that is never full.
func testConfig(t testing.TB) Config {
	cfg := DefaultConfig(t.TempDir())
	cfg.MappedFileSizeCommitLog = 64 << 10
	cfg.MappedFileSizeConsumeQueue = 100 * cqUnitSize
	cfg.MaxMessageSize = 32 << 10
	cfg.FlushIntervalCommitLog = 10 * time.Millisecond
	cfg.FlushIntervalConsumeQueue = 20 * time.Millisecond
	// Hermetic: a nearly full disk on the test machine must not make Put
	// refuse (TestStatfsUsage covers the real probe).
	cfg.DiskUsage = func(string) (float64, error) { return 0.1, nil }
	return cfg
}

func openStore(t testing.TB, cfg Config) *Store {
	t.Helper()
	s, err := Open(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var (
	bornHost  = netip.MustParseAddrPort("10.0.0.1:50000")
	storeHost = netip.MustParseAddrPort("10.0.0.2:10911")
)

func newMsg(topic string, qid int32, body string, tags string) *codec.Message {
	m := &codec.Message{
		Topic:         topic,
		QueueID:       qid,
		Body:          []byte(body),
		BornTimestamp: 1700000000000,
		BornHost:      bornHost,
		StoreHost:     storeHost,
	}
	if tags != "" {
		m.Properties = string(codec.AppendProperty(nil, codec.PropertyTags, tags))
		m.TagsCode = compat.TagsCode(tags)
	}
	return m
}

func mustPut(t testing.TB, s *Store, msgs ...*codec.Message) PutResult {
	t.Helper()
	r := s.Put(msgs, true)
	if r.Status != PutOK {
		t.Fatalf("Put: %v %v", r.Status, r.Err)
	}
	return r
}

// readAll pulls a whole queue from offset 0 and decodes the records.
func readAll(t testing.TB, s *Store, topic string, qid int32) []codec.Message {
	t.Helper()
	var out []codec.Message
	for off := int64(0); ; {
		r := s.GetMessages(topic, qid, off, 32, 0, nil)
		if r.Status != Found {
			r.Release()
			if r.Status != OffsetOverflowOne && r.Status != NoMessageInQueue && r.Status != NoMatchedLogicQueue {
				t.Fatalf("GetMessages(%s, %d, %d): %v", topic, qid, off, r.Status)
			}
			return out
		}
		for _, rec := range r.Records {
			m, n, err := codec.DecodeRecord(rec)
			if err != nil || n != len(rec) {
				t.Fatalf("record at queue offset %d: n=%d err=%v", off, n, err)
			}
			m.Body = bytes.Clone(m.Body)
			out = append(out, m)
		}
		off = r.NextBeginOffset
		r.Release()
	}
}

func TestPutGetRoundTrip(t *testing.T) {
	s := openStore(t, testConfig(t))
	var puts []PutOffset
	for i := range 60 {
		r := mustPut(t, s, newMsg("TopicA", int32(i%2), "body-"+strconv.Itoa(i), "TagA"))
		puts = append(puts, r.Offsets[0])
		if want := int64(i / 2); r.Offsets[0].QueueOffset != want {
			t.Fatalf("message %d: queue offset %d, want %d", i, r.Offsets[0].QueueOffset, want)
		}
	}
	for qid := range int32(2) {
		msgs := readAll(t, s, "TopicA", qid)
		if len(msgs) != 30 {
			t.Fatalf("queue %d: %d messages", qid, len(msgs))
		}
		for k, m := range msgs {
			i := 2*k + int(qid)
			if m.QueueOffset != int64(k) || m.CommitLogOffset != puts[i].CommitLogOffset {
				t.Fatalf("queue %d #%d: QUEUEOFFSET %d PHYSICALOFFSET %d, want %d %d",
					qid, k, m.QueueOffset, m.CommitLogOffset, k, puts[i].CommitLogOffset)
			}
			if string(m.Body) != "body-"+strconv.Itoa(i) || m.Topic != "TopicA" || m.QueueID != qid ||
				m.StoreHost != storeHost || m.BornHost != bornHost || m.BodyCRC != codec.BodyCRC(m.Body) {
				t.Fatalf("queue %d #%d: %+v", qid, k, m)
			}
			if v, _ := codec.PropertyValue(m.Properties, codec.PropertyTags); v != "TagA" {
				t.Fatalf("properties %q", m.Properties)
			}
		}
	}
	// LookupMessage returns the same bytes.
	rec, err := s.LookupMessage(puts[7].CommitLogOffset)
	if err != nil {
		t.Fatal(err)
	}
	if m, _, _ := codec.DecodeRecord(rec); string(m.Body) != "body-7" || len(rec) != int(puts[7].Size) {
		t.Fatalf("LookupMessage: %q", m.Body)
	}
	if _, err := s.LookupMessage(puts[7].CommitLogOffset + 1); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LookupMessage mid-record: %v", err)
	}
	if _, err := s.LookupMessage(s.MaxPhyOffset()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LookupMessage at end: %v", err)
	}

	// Statuses and nextBeginOffset (§6.3).
	for _, c := range []struct {
		topic  string
		qid    int32
		off    int64
		status GetStatus
		next   int64
	}{
		{"TopicA", 0, 30, OffsetOverflowOne, 30},
		{"TopicA", 0, 45, OffsetOverflowBadly, 30},
		{"TopicA", 0, -1, OffsetTooSmall, 0},
		{"TopicA", 5, 3, NoMatchedLogicQueue, 0},
		{"Nope", 0, 0, NoMatchedLogicQueue, 0},
		{"TopicA", 0, 28, Found, 30},
	} {
		r := s.GetMessages(c.topic, c.qid, c.off, 32, 0, nil)
		if r.Status != c.status || r.NextBeginOffset != c.next {
			t.Errorf("GetMessages(%s,%d,%d) = %v next %d, want %v next %d", c.topic, c.qid, c.off, r.Status, r.NextBeginOffset, c.status, c.next)
		}
		r.Release()
	}
	if got := s.MaxOffset("TopicA", 1); got != 30 {
		t.Fatalf("MaxOffset %d", got)
	}
	if got := s.MinOffset("TopicA", 1); got != 0 {
		t.Fatalf("MinOffset %d", got)
	}
	if got := s.Topics(); !slices.Equal(got, []string{"TopicA"}) {
		t.Fatalf("Topics %v", got)
	}
	if got := s.QueueIDs("TopicA"); !slices.Equal(got, []int32{0, 1}) {
		t.Fatalf("QueueIDs %v", got)
	}
}

func TestGetLimits(t *testing.T) {
	s := openStore(t, testConfig(t))
	body := string(bytes.Repeat([]byte("b"), 1000))
	for range 50 {
		mustPut(t, s, newMsg("T", 0, body, ""))
	}
	r := s.GetMessages("T", 0, 0, 10, 0, nil)
	if r.Status != Found || len(r.Records) != 10 || r.NextBeginOffset != 10 {
		t.Fatalf("maxMsgs: %v %d next %d", r.Status, len(r.Records), r.NextBeginOffset)
	}
	r.Release()
	size := len(body) + codec.RecordFixedSize + 1
	r = s.GetMessages("T", 0, 5, 32, 3*size+10, nil)
	if len(r.Records) != 3 || r.NextBeginOffset != 8 || r.Bytes != 3*size {
		t.Fatalf("maxBytes: %d records, next %d, %d bytes", len(r.Records), r.NextBeginOffset, r.Bytes)
	}
	r.Release()
	// The first message always fits.
	r = s.GetMessages("T", 0, 5, 32, 1, nil)
	if len(r.Records) != 1 || r.NextBeginOffset != 6 {
		t.Fatalf("tiny maxBytes: %d records, next %d", len(r.Records), r.NextBeginOffset)
	}
	r.Release()
	r.Release() // idempotent
}

func TestEmptyQueueStatus(t *testing.T) {
	s := openStore(t, testConfig(t))
	half := newMsg("T", 0, "half", "")
	half.SysFlag = codec.SysFlagPrepared
	mustPut(t, s, half)
	// A prepared message creates no queue.
	r := s.GetMessages("T", 0, 0, 32, 0, nil)
	if r.Status != NoMatchedLogicQueue || r.NextBeginOffset != 0 {
		t.Fatalf("%v %d", r.Status, r.NextBeginOffset)
	}
	r.Release()
}

func TestTransactionRecords(t *testing.T) {
	s := openStore(t, testConfig(t))
	mustPut(t, s, newMsg("T", 0, "normal", ""))
	prep := newMsg("T", 0, "prepared", "")
	prep.SysFlag = codec.SysFlagPrepared
	rb := newMsg("T", 0, "rollback", "")
	rb.SysFlag = codec.SysFlagRollback
	res := mustPut(t, s, prep, rb)
	for _, o := range res.Offsets {
		if o.QueueOffset != 0 {
			t.Fatalf("half record got queue offset %d", o.QueueOffset)
		}
	}
	commit := newMsg("T", 0, "commit", "")
	commit.SysFlag = codec.SysFlagCommit
	commit.PreparedTransactionOffset = res.Offsets[0].CommitLogOffset
	if r := mustPut(t, s, commit); r.Offsets[0].QueueOffset != 1 {
		t.Fatalf("commit queue offset %d", r.Offsets[0].QueueOffset)
	}
	msgs := readAll(t, s, "T", 0)
	if len(msgs) != 2 || string(msgs[1].Body) != "commit" || msgs[1].PreparedTransactionOffset != res.Offsets[0].CommitLogOffset {
		t.Fatalf("queue holds %d messages", len(msgs))
	}
	rec, err := s.LookupMessage(res.Offsets[0].CommitLogOffset)
	if err != nil {
		t.Fatal(err)
	}
	if m, _, _ := codec.DecodeRecord(rec); string(m.Body) != "prepared" || m.QueueOffset != 0 {
		t.Fatalf("prepared record %q at queue offset %d", m.Body, m.QueueOffset)
	}
}

// segmentFiles lists the commit-log files.
func segmentFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestRollingWithBlankMarker(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	body := string(bytes.Repeat([]byte("r"), 1000))
	var last PutResult
	for i := range 200 {
		last = mustPut(t, s, newMsg("Roll", 0, body+strconv.Itoa(i), ""))
	}
	if last.Offsets[0].CommitLogOffset < 3*cfg.MappedFileSizeCommitLog {
		t.Fatalf("only reached offset %d", last.Offsets[0].CommitLogOffset)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	names := segmentFiles(t, cfg.CommitLogDir)
	// Every segment but the current one (and a pre-created spare) ends
	// with a blank marker that covers the rest of the file.
	full := int(s.MaxPhyOffset() / cfg.MappedFileSizeCommitLog)
	if len(names) < full+1 {
		t.Fatalf("segments %v", names)
	}
	count := 0
	for i, name := range names[:full] {
		if want := compat.OffsetFileName(int64(i) * cfg.MappedFileSizeCommitLog); name != want {
			t.Fatalf("segment %d named %s, want %s", i, name, want)
		}
		data, err := os.ReadFile(filepath.Join(cfg.CommitLogDir, name))
		if err != nil {
			t.Fatal(err)
		}
		pos := 0
		for {
			m, n, err := codec.DecodeRecord(data[pos:])
			if errors.Is(err, codec.ErrBlank) {
				free := int(binary.BigEndian.Uint32(data[pos:]))
				if free != len(data)-pos || free < codec.BlankMarkerSize || free >= 1200 {
					t.Fatalf("segment %s: blank of %d at %d", name, free, pos)
				}
				break
			}
			if err != nil {
				t.Fatalf("segment %s at %d: %v", name, pos, err)
			}
			if m.CommitLogOffset != int64(i)*cfg.MappedFileSizeCommitLog+int64(pos) {
				t.Fatalf("PHYSICALOFFSET %d at %d", m.CommitLogOffset, pos)
			}
			pos += n
			count++
		}
	}
	msgs := readAll(t, s, "Roll", 0)
	if len(msgs) != 200 {
		t.Fatalf("read %d messages", len(msgs))
	}
	for i, m := range msgs {
		if string(m.Body) != body+strconv.Itoa(i) {
			t.Fatalf("message %d body mismatch", i)
		}
	}
	if count == 0 || count >= 200 {
		t.Fatalf("%d records in full segments", count)
	}
	// 200 units fill two 100-unit queue files.
	if n := len(segmentFiles(t, filepath.Join(cfg.RootDir, "consumequeue", "Roll", "0"))); n != 2 {
		t.Fatalf("%d consume queue files", n)
	}
}

func TestBatch(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	mustPut(t, s, newMsg("B", 0, "first", ""))
	// Fill the first segment so that the batch cannot fit in it.
	filler := string(bytes.Repeat([]byte("f"), 20000))
	mustPut(t, s, newMsg("Other", 0, filler, ""), newMsg("Other", 0, filler, ""))
	var batch []*codec.Message
	for i := range 10 {
		batch = append(batch, newMsg("B", 0, fmt.Sprintf("batch-%d-%s", i, bytes.Repeat([]byte("x"), 3000)), "TagB"))
	}
	r := mustPut(t, s, batch...)
	if len(r.Offsets) != 10 {
		t.Fatalf("%d offsets", len(r.Offsets))
	}
	if r.Offsets[0].CommitLogOffset != cfg.MappedFileSizeCommitLog {
		t.Fatalf("batch starts at %d, want the next segment", r.Offsets[0].CommitLogOffset)
	}
	for i, o := range r.Offsets {
		if o.QueueOffset != int64(i+1) {
			t.Fatalf("entry %d queue offset %d", i, o.QueueOffset)
		}
		if i > 0 && o.CommitLogOffset != r.Offsets[i-1].CommitLogOffset+int64(r.Offsets[i-1].Size) {
			t.Fatalf("entry %d not contiguous", i)
		}
		if batch[i].QueueOffset != o.QueueOffset || batch[i].CommitLogOffset != o.CommitLogOffset || batch[i].StoreTimestamp != r.StoreTimestamp {
			t.Fatalf("message fields not assigned: %+v", batch[i])
		}
	}
	msgs := readAll(t, s, "B", 0)
	if len(msgs) != 11 {
		t.Fatalf("%d messages", len(msgs))
	}
	for _, m := range msgs[1:] {
		if m.StoreTimestamp != r.StoreTimestamp {
			t.Fatal("batch has more than one store timestamp")
		}
	}
	// A batch bigger than a segment is illegal, and leaves nothing behind.
	var huge []*codec.Message
	for range 4 {
		huge = append(huge, newMsg("B", 0, filler, ""))
	}
	if r := s.Put(huge, false); r.Status != PutMessageIllegal {
		t.Fatalf("oversized batch: %v", r.Status)
	}
	if got := s.MaxOffset("B", 0); got != 11 {
		t.Fatalf("MaxOffset after rejected batch %d", got)
	}
}

func TestPutIllegal(t *testing.T) {
	s := openStore(t, testConfig(t))
	long := string(bytes.Repeat([]byte("t"), 256))
	props := string(bytes.Repeat([]byte("p"), 40000))
	for _, c := range []struct {
		m    *codec.Message
		want PutStatus
	}{
		{newMsg("", 0, "x", ""), PutMessageIllegal},
		{newMsg(long, 0, "x", ""), PutMessageIllegal},
		{newMsg("../evil", 0, "x", ""), PutMessageIllegal},
		{newMsg("T", -1, "x", ""), PutMessageIllegal},
		{newMsg("T", 0, string(make([]byte, 33<<10)), ""), PutMessageIllegal},
		{&codec.Message{Topic: "T", Properties: props}, PutPropertiesSizeExceeded},
	} {
		if r := s.Put([]*codec.Message{c.m}, false); r.Status != c.want || r.Err == nil {
			t.Errorf("topic %.10q: %v (%v), want %v", c.m.Topic, r.Status, r.Err, c.want)
		}
	}
	if r := s.Put(nil, false); r.Status != PutMessageIllegal {
		t.Fatalf("empty put: %v", r.Status)
	}
	if s.MaxPhyOffset() != 0 {
		t.Fatal("illegal messages were written")
	}
}

func TestFilter(t *testing.T) {
	s := openStore(t, testConfig(t))
	for i := range 40 {
		tag := "TagA"
		if i%4 != 0 {
			tag = "TagB"
		}
		mustPut(t, s, newMsg("F", 0, strconv.Itoa(i), tag))
	}
	codeA := compat.TagsCode("TagA")
	onlyA := func(code int64) bool { return code == codeA }
	r := s.GetMessages("F", 0, 0, 3, 0, onlyA)
	if r.Status != Found || len(r.Records) != 3 || r.NextBeginOffset != 9 {
		t.Fatalf("%v %d next %d", r.Status, len(r.Records), r.NextBeginOffset)
	}
	for i, rec := range r.Records {
		m, _, _ := codec.DecodeRecord(rec)
		if string(m.Body) != strconv.Itoa(4*i) {
			t.Fatalf("record %d body %q", i, m.Body)
		}
	}
	r.Release()
	r = s.GetMessages("F", 0, 1, 32, 0, func(int64) bool { return false })
	if r.Status != NoMatchedMessage || r.NextBeginOffset != 40 || len(r.Records) != 0 {
		t.Fatalf("all filtered: %v next %d", r.Status, r.NextBeginOffset)
	}
	r.Release()
}

func TestScanLimit(t *testing.T) {
	cfg := testConfig(t)
	cfg.MappedFileSizeConsumeQueue = 2000 * cqUnitSize
	s := openStore(t, cfg)
	for range 1000 {
		mustPut(t, s, newMsg("S", 0, "x", "no"))
	}
	r := s.GetMessages("S", 0, 0, 32, 0, func(int64) bool { return false })
	if r.Status != NoMatchedMessage || r.NextBeginOffset != 800 {
		t.Fatalf("%v next %d, want 800 units scanned", r.Status, r.NextBeginOffset)
	}
	r.Release()
}

func TestOffsetByTime(t *testing.T) {
	s := openStore(t, testConfig(t))
	var now int64 = 1000
	s.clock = func() int64 { return now }
	// Store times: offsets 0-2 at 1000, 3-5 at 2000, 6-8 at 3000.
	for i := range 9 {
		now = int64(1000 * (1 + i/3))
		mustPut(t, s, newMsg("Time", 0, "x", ""))
	}
	for _, c := range []struct {
		ts           int64
		lower, upper int64
	}{
		{500, 0, 0},
		{1000, 0, 2},
		{1500, 3, 2},
		{2000, 3, 5},
		{3000, 6, 8},
		{9999, 9, 8},
	} {
		if got := s.OffsetByTime("Time", 0, c.ts, false); got != c.lower {
			t.Errorf("lower(%d) = %d, want %d", c.ts, got, c.lower)
		}
		if got := s.OffsetByTime("Time", 0, c.ts, true); got != c.upper {
			t.Errorf("upper(%d) = %d, want %d", c.ts, got, c.upper)
		}
	}
	if got := s.EarliestMessageTime("Time", 0); got != 1000 {
		t.Fatalf("EarliestMessageTime %d", got)
	}
	if got := s.EarliestMessageTime("Time", 1); got != -1 {
		t.Fatalf("EarliestMessageTime of unknown queue %d", got)
	}
	if got := s.OffsetByTime("Nope", 0, 1, false); got != 0 {
		t.Fatalf("unknown queue %d", got)
	}
}

func TestDelayTagsCode(t *testing.T) {
	s := openStore(t, testConfig(t))
	s.clock = func() int64 { return 1_000_000 }
	m := newMsg(compat.ScheduleTopic, 2, "later", "TagA")
	m.Properties += string(codec.AppendProperty(nil, codec.PropertyDelayLevel, "3"))
	var hookTags int64
	s.SetArrivalHook(func(topic string, qid int32, maxOffset, tagsCode int64, props string) { hookTags = tagsCode })
	mustPut(t, s, m)
	want := int64(1_000_000 + 10_000) // level 3 = 10s
	if m.TagsCode != want || hookTags != want {
		t.Fatalf("tags code %d / hook %d, want %d", m.TagsCode, hookTags, want)
	}
	q := s.queue(compat.ScheduleTopic, 2)
	if u := q.unitAt(0); u.tags != want {
		t.Fatalf("unit tags %d", u.tags)
	}
}

func TestArrivalHook(t *testing.T) {
	s := openStore(t, testConfig(t))
	type arrival struct {
		topic string
		qid   int32
		max   int64
		tags  int64
	}
	var got []arrival
	s.SetArrivalHook(func(topic string, qid int32, maxOffset, tagsCode int64, props string) {
		got = append(got, arrival{topic, qid, maxOffset, tagsCode})
	})
	mustPut(t, s, newMsg("H", 1, "a", "TagA"), newMsg("H", 1, "b", "TagB"))
	want := []arrival{{"H", 1, 1, compat.TagsCode("TagA")}, {"H", 1, 2, compat.TagsCode("TagB")}}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v", got)
	}
}

func TestReopen(t *testing.T) {
	cfg := testConfig(t)
	s, err := Open(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cfg.RootDir, "abort")); err != nil {
		t.Fatal("no abort file while open")
	}
	if _, err := Open(cfg, nil); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v", err)
	}
	body := string(bytes.Repeat([]byte("z"), 3000))
	for i := range 100 {
		mustPut(t, s, newMsg("R", int32(i%3), body+strconv.Itoa(i), "t"))
	}
	maxPhy := s.MaxPhyOffset()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if r := s.Put([]*codec.Message{newMsg("R", 0, "x", "")}, false); r.Status != PutServiceNotAvailable {
		t.Fatalf("Put after Close: %v", r.Status)
	}
	if _, err := os.Stat(filepath.Join(cfg.RootDir, "abort")); !os.IsNotExist(err) {
		t.Fatal("abort file left after Close")
	}
	if fi, err := os.Stat(filepath.Join(cfg.RootDir, "checkpoint")); err != nil || fi.Size() != checkpointSize {
		t.Fatalf("checkpoint: %v", err)
	}

	s = openStore(t, cfg)
	if s.MaxPhyOffset() != maxPhy {
		t.Fatalf("MaxPhyOffset %d, want %d", s.MaxPhyOffset(), maxPhy)
	}
	if ts := s.ckpt.physic.Load(); ts == 0 {
		t.Fatal("checkpoint physic timestamp not written")
	}
	total := 0
	for qid := range int32(3) {
		msgs := readAll(t, s, "R", qid)
		for k, m := range msgs {
			if m.QueueOffset != int64(k) {
				t.Fatalf("queue %d #%d has QUEUEOFFSET %d", qid, k, m.QueueOffset)
			}
		}
		total += len(msgs)
	}
	if total != 100 {
		t.Fatalf("%d messages after reopen", total)
	}
	r := mustPut(t, s, newMsg("R", 0, "after", ""))
	if r.Offsets[0].QueueOffset != 34 || r.Offsets[0].CommitLogOffset < maxPhy {
		t.Fatalf("put after reopen: %+v", r.Offsets[0])
	}
}

func TestDeleteTopic(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	mustPut(t, s, newMsg("Gone", 0, "a", ""), newMsg("Gone", 1, "b", ""))
	mustPut(t, s, newMsg("Kept", 0, "c", ""))
	r := s.GetMessages("Gone", 0, 0, 32, 0, nil) // held across the delete
	if err := s.DeleteTopic("Gone"); err != nil {
		t.Fatal(err)
	}
	if m, _, err := codec.DecodeRecord(r.Records[0]); err != nil || string(m.Body) != "a" {
		t.Fatalf("held record after delete: %v", err)
	}
	r.Release()
	if _, err := os.Stat(filepath.Join(cfg.RootDir, "consumequeue", "Gone")); !os.IsNotExist(err) {
		t.Fatal("queue directory left")
	}
	if got := s.Topics(); !slices.Equal(got, []string{"Kept"}) {
		t.Fatalf("Topics %v", got)
	}
	if s.MaxOffset("Gone", 0) != 0 {
		t.Fatal("queue still there")
	}
	// The topic can be used again and starts over.
	if r := mustPut(t, s, newMsg("Gone", 0, "again", "")); r.Offsets[0].QueueOffset != 0 {
		t.Fatalf("queue offset %d", r.Offsets[0].QueueOffset)
	}
	if err := s.DeleteTopic(".."); err == nil {
		t.Fatal("DeleteTopic(..) accepted")
	}
}

// TestConcurrentPutGet runs writers and readers together; run it with -race.
func TestConcurrentPutGet(t *testing.T) {
	s := openStore(t, testConfig(t))
	const writers, perWriter, queues = 4, 300, 2
	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, 16)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				qid := int32(i % queues)
				msgs := []*codec.Message{newMsg("C", qid, fmt.Sprintf("w%d-%d", w, i), "")}
				if i%5 == 0 {
					msgs = append(msgs, newMsg("C", qid, fmt.Sprintf("w%d-%d-b", w, i), ""))
				}
				if r := s.Put(msgs, false); r.Status != PutOK {
					errs <- fmt.Errorf("put: %v %v", r.Status, r.Err)
					return
				}
			}
		}()
	}
	var rg sync.WaitGroup
	for qid := range int32(queues) {
		rg.Add(1)
		go func() {
			defer rg.Done()
			var off int64
			for {
				r := s.GetMessages("C", qid, off, 16, 0, nil)
				for _, rec := range r.Records {
					v, err := codec.ViewRecord(rec)
					if err != nil || v.QueueOffset != off || v.QueueID != qid {
						errs <- fmt.Errorf("queue %d offset %d: %v %d", qid, off, err, v.QueueOffset)
						r.Release()
						return
					}
					off++
				}
				r.Release()
				if r.Status != Found {
					select {
					case <-done:
						if off == s.MaxOffset("C", qid) {
							return
						}
					default:
					}
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	rg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := int64(writers * (perWriter + perWriter/5))
	if got := s.MaxOffset("C", 0) + s.MaxOffset("C", 1); got != want {
		t.Fatalf("%d messages indexed, want %d", got, want)
	}
}

func TestSyncFlushWaiters(t *testing.T) {
	cfg := testConfig(t)
	cfg.FlushDiskType = SyncFlush
	s := openStore(t, cfg)
	const goroutines, each = 16, 40
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r := s.Put([]*codec.Message{newMsg("Sync", int32(g%4), strconv.Itoa(i), "")}, true)
				if r.Status != PutOK {
					errs <- fmt.Errorf("put: %v %v", r.Status, r.Err)
					return
				}
				end := r.Offsets[0].CommitLogOffset + int64(r.Offsets[0].Size)
				if f := s.FlushedPhyOffset(); f < end {
					errs <- fmt.Errorf("acknowledged at flushed offset %d < %d", f, end)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	n := s.flushes.Load()
	t.Logf("%d puts, %d flushes", goroutines*each, n)
	if n == 0 || n > goroutines*each {
		t.Fatalf("%d flushes for %d puts", n, goroutines*each)
	}
}

func TestSyncFlushTimeout(t *testing.T) {
	cfg := testConfig(t)
	cfg.FlushDiskType = SyncFlush
	cfg.SyncFlushTimeout = 20 * time.Millisecond
	s := openStore(t, cfg)
	s.clFlushMu.Lock() // a flush that never finishes
	r := s.Put([]*codec.Message{newMsg("T", 0, "x", "")}, true)
	s.clFlushMu.Unlock()
	if r.Status != PutFlushDiskTimeout || !r.Status.Stored() || !errors.Is(r.Err, ErrFlushTimeout) {
		t.Fatalf("%v %v", r.Status, r.Err)
	}
	if s.MaxOffset("T", 0) != 1 {
		t.Fatal("timed-out message not stored")
	}
}

func TestStatusNames(t *testing.T) {
	if PutFlushDiskTimeout.String() != "FLUSH_DISK_TIMEOUT" || OffsetOverflowOne.String() != "OFFSET_OVERFLOW_ONE" ||
		PutStatus(99).String() != "PutStatus(99)" {
		t.Fatal("status names")
	}
	if PutServiceNotAvailable.Stored() || !PutSlaveNotAvailable.Stored() {
		t.Fatal("Stored")
	}
}

func TestConfigValidate(t *testing.T) {
	cfg := DefaultConfig("")
	cfg.MappedFileSizeCommitLog = 1000
	cfg.FlushDiskType = "FAST"
	cfg.MessageDelayLevel = "1s 5x"
	err := cfg.Validate()
	for _, want := range []string{"storePathRootDir", "mappedFileSizeCommitLog", "flushDiskType", "messageDelayLevel"} {
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(want)) {
			t.Errorf("Validate() = %v, want a %s problem", err, want)
		}
	}
	good := DefaultConfig("/tmp/x")
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	d, _ := ParseDelayLevels(good.MessageDelayLevel)
	if len(d) != 18 || d[2] != 10*time.Second || d[17] != 2*time.Hour {
		t.Fatalf("delay levels %v", d)
	}
}

func TestStickyError(t *testing.T) {
	cfg := testConfig(t)
	s, err := Open(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, newMsg("T", 0, "before", ""))
	boom := errors.New("disk on fire")
	s.fail(boom)
	s.fail(errors.New("second error is dropped"))
	r := s.Put([]*codec.Message{newMsg("T", 0, "after", "")}, false)
	if r.Status != PutServiceNotAvailable || !errors.Is(r.Err, boom) {
		t.Fatalf("Put on fenced store: %v %v", r.Status, r.Err)
	}
	// Reads still work.
	if got := readAll(t, s, "T", 0); len(got) != 1 {
		t.Fatalf("%d messages readable", len(got))
	}
	if err := s.Close(); !errors.Is(err, boom) {
		t.Fatalf("Close: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cfg.RootDir, "abort")); err != nil {
		t.Fatal("fenced store removed its abort file")
	}
	s2 := openStore(t, cfg)
	if got := readAll(t, s2, "T", 0); len(got) != 1 {
		t.Fatalf("%d messages after crash recovery", len(got))
	}
}
