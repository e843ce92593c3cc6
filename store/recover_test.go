package store

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
)

// copyDir copies a store directory; done while the store is open it is the
// image a crash would leave (the abort file included), since reads see the
// shared mappings.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func withRoot(cfg Config, root string) Config {
	cfg.RootDir = root
	cfg.CommitLogDir = filepath.Join(root, "commitlog")
	return cfg
}

type written struct {
	qid  int32
	body string
	off  PutOffset
}

// fill writes n messages round-robin over queues of topic "Rec" with
// varying sizes, so records cross several 64 KiB segments.
func fill(t *testing.T, s *Store, n, queues int) []written {
	t.Helper()
	var out []written
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		qid := int32(i % queues)
		body := strconv.Itoa(i) + "-" + string(bytes.Repeat([]byte{'a' + byte(i%26)}, 200+rng.IntN(2000)))
		r := mustPut(t, s, newMsg("Rec", qid, body, "Tag"+strconv.Itoa(i%3)))
		out = append(out, written{qid, body, r.Offsets[0]})
	}
	return out
}

// checkPrefix asserts the store holds exactly the messages of w whose
// records end at or before end, with their original offsets, and that each
// queue is consistent with the commit log.
func checkPrefix(t *testing.T, s *Store, w []written, end int64, queues int) {
	t.Helper()
	want := make(map[int32][]written)
	for _, m := range w {
		if m.off.CommitLogOffset+int64(m.off.Size) <= end {
			want[m.qid] = append(want[m.qid], m)
		}
	}
	for qid := range int32(queues) {
		got := readAll(t, s, "Rec", qid)
		if len(got) != len(want[qid]) {
			t.Fatalf("queue %d: %d messages, want %d (end %d)", qid, len(got), len(want[qid]), end)
		}
		for k, m := range got {
			e := want[qid][k]
			if string(m.Body) != e.body || m.QueueOffset != e.off.QueueOffset || m.CommitLogOffset != e.off.CommitLogOffset {
				t.Fatalf("queue %d #%d: offsets %d/%d, want %d/%d", qid, k, m.QueueOffset, m.CommitLogOffset,
					e.off.QueueOffset, e.off.CommitLogOffset)
			}
		}
		if s.MaxOffset("Rec", qid) != int64(len(want[qid])) {
			t.Fatalf("queue %d MaxOffset %d", qid, s.MaxOffset("Rec", qid))
		}
	}
}

// lastBoundary is the end of the last record that ends at or before cut.
func lastBoundary(w []written, cut int64) int64 {
	end := int64(0)
	for _, m := range w {
		if e := m.off.CommitLogOffset + int64(m.off.Size); e <= cut {
			end = max(end, e)
		}
	}
	return end
}

func segmentPath(cfg Config, off int64) (string, int64) {
	start := off - off%cfg.MappedFileSizeCommitLog
	return filepath.Join(cfg.CommitLogDir, compat.OffsetFileName(start)), off - start
}

func TestCrashRecoveryTornTail(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	w := fill(t, s, 150, 2)
	crash := withRoot(cfg, copyDir(t, cfg.RootDir))
	if _, err := os.Stat(filepath.Join(crash.RootDir, "abort")); err != nil {
		t.Fatal("image has no abort file")
	}
	// Tear the last record in half.
	last := w[len(w)-1].off
	path, pos := segmentPath(crash, last.CommitLogOffset)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(make([]byte, last.Size/2), pos+int64(last.Size/2)); err != nil {
		t.Fatal(err)
	}
	f.Close()

	s2 := openStore(t, crash)
	if s2.MaxPhyOffset() != last.CommitLogOffset {
		t.Fatalf("recovered end %d, want %d", s2.MaxPhyOffset(), last.CommitLogOffset)
	}
	checkPrefix(t, s2, w, last.CommitLogOffset, 2)
	// The lost message's offsets are reused.
	r := mustPut(t, s2, newMsg("Rec", w[len(w)-1].qid, "new", ""))
	if r.Offsets[0].CommitLogOffset != last.CommitLogOffset || r.Offsets[0].QueueOffset != last.QueueOffset {
		t.Fatalf("put after recovery went to %+v, want %+v", r.Offsets[0], last)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	// And a clean reopen agrees.
	s3 := openStore(t, crash)
	if s3.MaxPhyOffset() != last.CommitLogOffset+int64(r.Offsets[0].Size) {
		t.Fatalf("reopen end %d", s3.MaxPhyOffset())
	}
}

func TestCrashRecoveryCorruptMiddle(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	w := fill(t, s, 200, 3)
	crash := withRoot(cfg, copyDir(t, cfg.RootDir))
	// Flip one body byte of a record in the first segment: CRC mismatch.
	bad := w[10].off
	path, pos := segmentPath(crash, bad.CommitLogOffset)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[pos+90] ^= 0xFF
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s2 := openStore(t, crash)
	if s2.MaxPhyOffset() != bad.CommitLogOffset {
		t.Fatalf("recovered end %d, want %d", s2.MaxPhyOffset(), bad.CommitLogOffset)
	}
	checkPrefix(t, s2, w, bad.CommitLogOffset, 3)
	if n := len(s2.cl.files.load()); n != 1 {
		t.Fatalf("%d segments left, want 1", n)
	}
	// The stale records after the cut were zeroed: new writes are not
	// followed by resurrected old ones after another crash.
	mustPut(t, s2, newMsg("Rec", 0, "x", ""))
	again := withRoot(cfg, copyDir(t, crash.RootDir))
	s3 := openStore(t, again)
	if s3.MaxPhyOffset() != s2.MaxPhyOffset() {
		t.Fatalf("second recovery end %d, want %d", s3.MaxPhyOffset(), s2.MaxPhyOffset())
	}
}

func TestCrashRecoveryRandomCuts(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	w := fill(t, s, 120, 2)
	total := s.MaxPhyOffset()
	image := copyDir(t, cfg.RootDir)
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 12 {
		cut := rng.Int64N(total)
		crash := withRoot(cfg, copyDir(t, image))
		path, pos := segmentPath(crash, cut)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		tail := data[pos:]
		if i%2 == 0 {
			clear(tail)
		} else {
			for j := range tail {
				tail[j] = byte(rng.Uint32())
			}
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		// Later segments are gone too, as after a crash before they were
		// written back.
		start := cut - pos
		for off := start + cfg.MappedFileSizeCommitLog; off < total+cfg.MappedFileSizeCommitLog*2; off += cfg.MappedFileSizeCommitLog {
			os.Remove(filepath.Join(crash.CommitLogDir, compat.OffsetFileName(off)))
		}
		s2, err := Open(crash, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Everything that ended before the cut survives, and nothing
		// between it and the recovered end is a record (a cut inside a
		// blank tail keeps the whole segment).
		want := lastBoundary(w, cut)
		if got := s2.MaxPhyOffset(); got < want || lastBoundary(w, got) != want {
			t.Fatalf("cut %d: recovered end %d, want %d", cut, got, want)
		}
		checkPrefix(t, s2, w, want, 2)
		if err := s2.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCrashRecoveryRebuildsMissingUnits(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	w := fill(t, s, 90, 2)
	crash := withRoot(cfg, copyDir(t, cfg.RootDir))
	// Lose the last 10 units of queue 0 (never flushed) and the checkpoint.
	qdir := filepath.Join(crash.RootDir, "consumequeue", "Rec", "0")
	n := 45
	file := filepath.Join(qdir, compat.OffsetFileName(0))
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	clear(data[(n-10)*cqUnitSize : n*cqUnitSize])
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(crash.RootDir, "checkpoint"), make([]byte, checkpointSize), 0o644); err != nil {
		t.Fatal(err)
	}
	s2 := openStore(t, crash)
	checkPrefix(t, s2, w, s.MaxPhyOffset(), 2)
	// Tag codes were recomputed from TAGS.
	code := compat.TagsCode("Tag1")
	r := s2.GetMessages("Rec", 0, 0, 32, 0, func(c int64) bool { return c == code })
	defer r.Release()
	if r.Status != Found {
		t.Fatalf("filter after rebuild: %v", r.Status)
	}
	for _, rec := range r.Records {
		m, _, _ := codec.DecodeRecord(rec)
		if v, _ := codec.PropertyValue(m.Properties, codec.PropertyTags); v != "Tag1" {
			t.Fatalf("filter returned %q", v)
		}
	}
}

func TestCleanRestartRebuildsDeletedQueues(t *testing.T) {
	cfg := testConfig(t)
	s, err := Open(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := fill(t, s, 80, 3)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Operators delete consumequeue/ to have it rebuilt.
	if err := os.RemoveAll(filepath.Join(cfg.RootDir, "consumequeue")); err != nil {
		t.Fatal(err)
	}
	s2 := openStore(t, cfg)
	checkPrefix(t, s2, w, s2.MaxPhyOffset(), 3)
}

func TestQueueAheadOfCommitLog(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	w := fill(t, s, 60, 1)
	crash := withRoot(cfg, copyDir(t, cfg.RootDir))
	// The commit log lost its last 5 records; the queue still has units.
	cut := w[55].off.CommitLogOffset
	path, pos := segmentPath(crash, cut)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt(make([]byte, crash.MappedFileSizeCommitLog-pos), pos)
	f.Close()
	s2 := openStore(t, crash)
	checkPrefix(t, s2, w, cut, 1)
	// The units past the cut are gone from the file, not just hidden.
	u := s2.queue("Rec", 0).unitAt(55)
	if u != (cqUnit{}) {
		t.Fatalf("unit 55 left behind: %+v", u)
	}
	if r := mustPut(t, s2, newMsg("Rec", 0, "n", "")); r.Offsets[0].QueueOffset != 55 {
		t.Fatalf("queue offset %d", r.Offsets[0].QueueOffset)
	}
}

func TestRecoveryWithTransactionAndDelay(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	s.clock = func() int64 { return 5_000_000 }
	half := newMsg("T", 0, "half", "")
	half.SysFlag = codec.SysFlagPrepared
	delayed := newMsg(compat.ScheduleTopic, 0, "d", "")
	delayed.Properties = string(codec.AppendProperty(nil, codec.PropertyDelayLevel, "1"))
	mustPut(t, s, newMsg("T", 0, "n", ""), half, delayed)
	crash := withRoot(cfg, copyDir(t, cfg.RootDir))
	if err := os.RemoveAll(filepath.Join(crash.RootDir, "consumequeue")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(crash.RootDir, "checkpoint"), make([]byte, checkpointSize), 0o644)
	s2 := openStore(t, crash)
	if s2.MaxOffset("T", 0) != 1 {
		t.Fatalf("half message indexed: max %d", s2.MaxOffset("T", 0))
	}
	if u := s2.queue(compat.ScheduleTopic, 0).unitAt(0); u.tags != 5_001_000 {
		t.Fatalf("delay unit tags %d, want deliver time", u.tags)
	}
}

func TestScanSegment(t *testing.T) {
	var seg []byte
	var ends []int
	for i := range 5 {
		m := newMsg("S", 0, strconv.Itoa(i), "")
		m.CommitLogOffset = 4096 + int64(len(seg))
		seg = m.AppendRecord(seg)
		ends = append(ends, len(seg))
	}
	seg = append(seg, make([]byte, 100)...)
	n, complete := scanSegment(seg, 4096, 0, true, nil)
	if n != ends[4] || complete {
		t.Fatalf("end %d complete %v", n, complete)
	}
	codec.PutBlankMarker(seg[n:], len(seg)-n)
	if n, complete = scanSegment(seg, 4096, 0, true, nil); n != ends[4] || !complete {
		t.Fatalf("blank: end %d complete %v", n, complete)
	}
	// Wrong base: PHYSICALOFFSET does not match.
	if n, _ := scanSegment(seg, 0, 0, true, nil); n != 0 {
		t.Fatalf("wrong base accepted %d", n)
	}
	bad := bytes.Clone(seg)
	bad[ends[1]+88] ^= 1 // the body of record 2
	if n, _ := scanSegment(bad, 4096, 0, true, nil); n != ends[1] {
		t.Fatalf("CRC: end %d, want %d", n, ends[1])
	}
	if n, _ := scanSegment(bad, 4096, 0, false, nil); n != ends[4] {
		t.Fatalf("no CRC check: end %d", n)
	}
}

func FuzzScanSegment(f *testing.F) {
	m := newMsg("S", 0, "body", "TagA")
	f.Add(m.AppendRecord(nil), int64(0))
	f.Add(make([]byte, 64), int64(0))
	f.Fuzz(func(t *testing.T, seg []byte, base int64) {
		last := 0
		end, _ := scanSegment(seg, base, 0, true, func(pos int, v *codec.RecordView) {
			if pos != last {
				t.Fatalf("record at %d, expected %d", pos, last)
			}
			last = pos + v.Size
		})
		if end != last || end > len(seg) {
			t.Fatalf("end %d, last record end %d, len %d", end, last, len(seg))
		}
	})
}
