package store

import (
	"bytes"
	"os"
	"strconv"
	"testing"
)

func openFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	return len(ents)
}

// mappings counts the mappings of files under dir.
func mappings(t testing.TB, dir string) int {
	t.Helper()
	data, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc/self/maps:", err)
	}
	return bytes.Count(data, []byte(dir))
}

// TestManyQueues writes one message to each of 50,000 queues and checks
// that consume-queue files cost neither descriptors nor more mappings than
// maxMappedConsumeQueueFiles, before and after a restart, while every
// queue stays readable.
func TestManyQueues(t *testing.T) {
	n := 50_000
	if testing.Short() {
		n = 5_000
	}
	const maxMapped = 256
	cfg := testConfig(t)
	cfg.MappedFileSizeCommitLog = 4 << 20
	cfg.MappedFileSizeConsumeQueue = 10 * cqUnitSize
	cfg.MaxMappedConsumeQueueFiles = maxMapped
	fds0 := openFDs(t)
	check := func(when string) {
		t.Helper()
		// The commit log, checkpoint and lock files, and a margin for the
		// runtime and the test binary.
		if fds := openFDs(t); fds > fds0+32 {
			t.Fatalf("%s: %d descriptors open, %d before", when, fds, fds0)
		}
		// Consume-queue files, plus the commit-log segments.
		if m := mappings(t, cfg.RootDir); m > maxMapped+8 {
			t.Fatalf("%s: %d files of the store mapped", when, m)
		}
	}
	name := func(i int) (string, int32) { return "Many" + strconv.Itoa(i/100), int32(i % 100) }

	s, err := Open(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		topic, qid := name(i)
		mustPut(t, s, newMsg(topic, qid, "m"+strconv.Itoa(i), ""))
		if i%10_000 == 0 {
			check("writing")
		}
	}
	check("written")
	if got := s.cqCache.mapped.Load(); got > maxMapped {
		t.Fatalf("%d consume-queue files mapped", got)
	}
	readSome := func(s *Store) {
		t.Helper()
		for i := 0; i < n; i += 7 {
			topic, qid := name(i)
			msgs := readAll(t, s, topic, qid)
			if len(msgs) != 1 || string(msgs[0].Body) != "m"+strconv.Itoa(i) {
				t.Fatalf("queue %s/%d: %d messages", topic, qid, len(msgs))
			}
		}
	}
	readSome(s)
	check("read")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openStore(t, cfg)
	check("recovered")
	if got := len(s.Topics()); got != (n+99)/100 {
		t.Fatalf("%d topics after restart", got)
	}
	readSome(s)
	// Appending to queues whose files were unmapped.
	for i := 0; i < n; i += 1000 {
		topic, qid := name(i)
		if r := mustPut(t, s, newMsg(topic, qid, "again", "")); r.Offsets[0].QueueOffset != 1 {
			t.Fatalf("queue %s/%d: offset %d", topic, qid, r.Offsets[0].QueueOffset)
		}
	}
	check("appended")
}
