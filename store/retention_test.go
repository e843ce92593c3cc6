package store

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testutil"
)

// retentionStore is a store whose cleaner only runs when the test calls
// clean, at 04:30 local time on a disk whose use the test sets (percent).
func retentionStore(t *testing.T, mod func(*Config)) (*Store, Config, *atomic.Int64) {
	t.Helper()
	var usage atomic.Int64
	usage.Store(10)
	cfg := indexConfig(t, 16, 40)
	cfg.FileReservedTime = 1
	cfg.MappedFileSizeConsumeQueue = 10 * cqUnitSize
	cfg.DeleteWhen = "2;04"
	cfg.CleanResourceInterval = time.Hour
	cfg.DeleteCommitLogFilesInterval = 0
	cfg.DiskUsage = func(string) (float64, error) { return float64(usage.Load()) / 100, nil }
	if mod != nil {
		mod(&cfg)
	}
	s := openStore(t, cfg)
	s.wallClock = func() time.Time { return time.Date(2025, 1, 2, 4, 30, 0, 0, time.Local) }
	return s, cfg, &usage
}

// fillSegments writes keyed messages to two queues until the commit log
// has n segments, and returns what was written.
func fillSegments(t *testing.T, s *Store, n int) []written {
	t.Helper()
	var out []written
	body := strings.Repeat("r", 3000)
	extra := 4 // messages of both queues in the last segment
	for i := 0; len(s.cl.files.load()) < n || extra > 0; i++ {
		if len(s.cl.files.load()) >= n {
			extra--
		}
		qid := int32(i % 2)
		b := strconv.Itoa(i) + body
		r := mustPut(t, s, keyedMsg("Ret", qid, b, "U"+strconv.Itoa(i), "k"+strconv.Itoa(i)))
		out = append(out, written{qid, b, r.Offsets[0]})
	}
	return out
}

// age makes the first `before` commit-log segments look last modified the
// day before the test's clocks.
func age(t *testing.T, s *Store, before int) {
	t.Helper()
	old := time.Date(2025, 1, 1, 0, 0, 0, 0, time.Local)
	for _, f := range s.cl.files.load()[:before] {
		if err := os.Chtimes(f.path, old, old); err != nil {
			t.Fatal(err)
		}
	}
}

// checkTrimmed asserts what a pull sees after retention moved the commit
// log start to minPhy: below each queue's new min it is told the offset
// moved (OFFSET_TOO_SMALL, next = min), from min on it reads exactly the
// surviving messages.
func checkTrimmed(t *testing.T, s *Store, w []written, minPhy int64) {
	t.Helper()
	if got := s.MinPhyOffset(); got != minPhy {
		t.Fatalf("MinPhyOffset %d, want %d", got, minPhy)
	}
	for qid := range int32(2) {
		var want []written
		for _, m := range w {
			if m.qid == qid && m.off.CommitLogOffset >= minPhy {
				want = append(want, m)
			}
		}
		minOff := s.MinOffset("Ret", qid)
		if minOff != want[0].off.QueueOffset {
			t.Fatalf("queue %d: min offset %d, want %d", qid, minOff, want[0].off.QueueOffset)
		}
		r := s.GetMessages("Ret", qid, 0, 32, 0, nil)
		r.Release()
		if r.Status != OffsetTooSmall || r.NextBeginOffset != minOff || r.MinOffset != minOff {
			t.Fatalf("queue %d: pull at 0: %v next %d, want OFFSET_TOO_SMALL next %d", qid, r.Status, r.NextBeginOffset, minOff)
		}
		var got []codec.Message
		for off := minOff; ; {
			r := s.GetMessages("Ret", qid, off, 32, 0, nil)
			if r.Status != Found {
				r.Release()
				break
			}
			for _, rec := range r.Records {
				m, _, _ := codec.DecodeRecord(rec)
				got = append(got, m)
			}
			off = r.NextBeginOffset
			r.Release()
		}
		if len(got) != len(want) {
			t.Fatalf("queue %d: %d messages readable, want %d", qid, len(got), len(want))
		}
		for k, m := range got {
			if m.CommitLogOffset != want[k].off.CommitLogOffset || string(m.Body) != want[k].body {
				t.Fatalf("queue %d #%d: offset %d, want %d", qid, k, m.CommitLogOffset, want[k].off.CommitLogOffset)
			}
		}
	}
	// Index entries of deleted records find nothing; survivors are found.
	for i, m := range w {
		got := queryBodies(t, s, "Ret", "U"+strconv.Itoa(i), 32)
		if alive := m.off.CommitLogOffset >= minPhy; alive != slices.Equal(got, []string{m.body}) {
			t.Fatalf("message %d (alive %v): query found %d records", i, alive, len(got))
		}
	}
}

func TestRetentionDeletesExpiredSegments(t *testing.T) {
	s, cfg, _ := retentionStore(t, nil)
	w := fillSegments(t, s, 6)
	segs := s.cl.files.load()
	age(t, s, 3)
	cqFilesBefore := len(s.queue("Ret", 0).fileList())
	ixFilesBefore := len(indexFiles(t, cfg.RootDir))

	// Not the hour, no pressure: nothing goes.
	s.wallClock = func() time.Time { return time.Date(2025, 1, 2, 5, 0, 0, 0, time.Local) }
	s.clean()
	if s.MinPhyOffset() != 0 {
		t.Fatal("deleted outside deleteWhen")
	}
	s.wallClock = func() time.Time { return time.Date(2025, 1, 2, 2, 0, 0, 0, time.Local) } // "2;04"
	s.clean()
	minPhy := segs[3].start
	checkTrimmed(t, s, w, minPhy)
	for _, f := range segs[:3] {
		if _, err := os.Stat(f.path); !os.IsNotExist(err) {
			t.Fatalf("segment %s still there", f.path)
		}
	}
	if n := len(s.queue("Ret", 0).fileList()); n >= cqFilesBefore {
		t.Fatalf("consume queue files %d, before %d", n, cqFilesBefore)
	}
	for _, f := range s.queue("Ret", 0).fileList() {
		if _, err := os.Stat(f.path); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(indexFiles(t, cfg.RootDir)); n >= ixFilesBefore {
		t.Fatalf("index files %d, before %d", n, ixFilesBefore)
	}
	// The rest has not expired.
	s.clean()
	if s.MinPhyOffset() != minPhy {
		t.Fatal("deleted an unexpired segment")
	}

	// The same after a restart.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openStore(t, cfg)
	checkTrimmed(t, s2, w, minPhy)
	r := mustPut(t, s2, keyedMsg("Ret", 0, "after", "UA", ""))
	if last := w[len(w)-2]; r.Offsets[0].QueueOffset != last.off.QueueOffset+1 {
		t.Fatalf("queue offset after restart %d", r.Offsets[0].QueueOffset)
	}
}

func TestRetentionNeverDeletesTheCurrentSegment(t *testing.T) {
	s, _, _ := retentionStore(t, func(c *Config) { c.DeleteFileBatchMax = 2 })
	w := fillSegments(t, s, 5)
	segs := s.cl.files.load()
	age(t, s, len(segs)) // every segment expired
	s.clean()
	checkTrimmed(t, s, w, segs[2].start) // two per run
	s.clean()
	checkTrimmed(t, s, w, segs[4].start)
	for range len(segs) {
		s.clean()
	}
	if s.MinPhyOffset() != segs[len(segs)-1].start || len(s.cl.files.load()) != 1 {
		t.Fatal("deleted the segment being written")
	}
	mustPut(t, s, keyedMsg("Ret", 1, "more", "", ""))
}

func TestRetentionDiskPressure(t *testing.T) {
	s, _, usage := retentionStore(t, nil)
	s.wallClock = func() time.Time { return time.Date(2025, 1, 2, 12, 0, 0, 0, time.Local) }
	w := fillSegments(t, s, 6)
	segs := s.cl.files.load()
	age(t, s, 1)

	// Over diskMaxUsedSpaceRatio (75): expired segments go at any hour.
	usage.Store(80)
	s.clean()
	checkTrimmed(t, s, w, segs[1].start)
	// Over diskSpaceCleanForciblyRatio (85): unexpired ones go too.
	usage.Store(86)
	s.clean()
	last := segs[len(segs)-1].start
	checkTrimmed(t, s, w, last)
	if s.DiskFull() {
		t.Fatal("disk marked full below the warning level")
	}

	// Over diskSpaceWarningLevelRatio (90): Put refuses, reads work.
	usage.Store(91)
	s.clean()
	if !s.DiskFull() {
		t.Fatal("disk not marked full")
	}
	r := s.Put([]*codec.Message{newMsg("Ret", 0, "refused", "")}, false)
	if r.Status != PutServiceNotAvailable || !errors.Is(r.Err, ErrDiskFull) {
		t.Fatalf("Put on a full disk: %v %v", r.Status, r.Err)
	}
	checkTrimmed(t, s, w, last)
	// Still full until use is back at diskSpaceCleanForciblyRatio.
	usage.Store(88)
	s.clean()
	if !s.DiskFull() {
		t.Fatal("disk marked OK above the clean-forcibly level")
	}
	usage.Store(60)
	s.clean()
	if s.DiskFull() {
		t.Fatal("disk still full")
	}
	mustPut(t, s, newMsg("Ret", 0, "accepted", ""))
}

// TestRetentionRunsByItself lets the cleaner goroutine do the work.
func TestRetentionRunsByItself(t *testing.T) {
	s, _, usage := retentionStore(t, func(c *Config) { c.CleanResourceInterval = 10 * time.Millisecond })
	usage.Store(95)
	testutil.Eventually(t, 5*time.Second, "disk marked full", s.DiskFull)
	usage.Store(10)
	testutil.Eventually(t, 5*time.Second, "disk marked OK", func() bool { return !s.DiskFull() })
	w := fillSegments(t, s, 4)
	segs := s.cl.files.load()
	age(t, s, 2)
	testutil.Eventually(t, 5*time.Second, "expired segments deleted", func() bool { return s.MinPhyOffset() == segs[2].start })
	testutil.Eventually(t, 5*time.Second, "queues trimmed", func() bool { return s.MinOffset("Ret", 0) > 0 })
	checkTrimmed(t, s, w, segs[2].start)
}

// TestRetentionManual deletes expired segments at any hour on request.
func TestRetentionManual(t *testing.T) {
	s, _, _ := retentionStore(t, nil)
	s.wallClock = func() time.Time { return time.Date(2025, 1, 2, 12, 0, 0, 0, time.Local) }
	w := fillSegments(t, s, 3)
	segs := s.cl.files.load()
	age(t, s, 1)
	s.DeleteExpiredFilesManually()
	testutil.Eventually(t, 5*time.Second, "manual delete", func() bool { return s.MinPhyOffset() == segs[1].start })
	testutil.Eventually(t, 5*time.Second, "queues trimmed", func() bool { return s.MinOffset("Ret", 0) > 0 })
	checkTrimmed(t, s, w, segs[1].start)
}

// A reader holding records of a segment keeps them readable while
// retention deletes it.
func TestRetentionWhileReading(t *testing.T) {
	s, _, _ := retentionStore(t, nil)
	fillSegments(t, s, 3)
	r := s.GetMessages("Ret", 0, 0, 4, 0, nil)
	if r.Status != Found {
		t.Fatal(r.Status)
	}
	want := slices.Clone(r.Records[0])
	age(t, s, 2)
	s.clean()
	if s.MinPhyOffset() == 0 {
		t.Fatal("nothing deleted")
	}
	if string(r.Records[0]) != string(want) {
		t.Fatal("held record changed")
	}
	r.Release()
}

func TestParseDeleteWhen(t *testing.T) {
	if h, err := ParseDeleteWhen("04"); err != nil || !slices.Equal(h, []int{4}) {
		t.Fatal(h, err)
	}
	if h, err := ParseDeleteWhen("1;13; 23"); err != nil || !slices.Equal(h, []int{1, 13, 23}) {
		t.Fatal(h, err)
	}
	for _, bad := range []string{"", "24", "4;", "x"} {
		if _, err := ParseDeleteWhen(bad); err == nil {
			t.Errorf("ParseDeleteWhen(%q) accepted", bad)
		}
	}
}

func TestStatfsUsage(t *testing.T) {
	u, err := statfsUsage(t.TempDir())
	if err != nil || u <= 0 || u > 1 {
		t.Fatalf("usage %v %v", u, err)
	}
	if _, err := statfsUsage(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatal("no error for a missing path")
	}
}
