package store

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
)

// indexConfig is testConfig with tiny index files, so tests roll them.
func indexConfig(t testing.TB, slots, entries int) Config {
	cfg := testConfig(t)
	cfg.MaxHashSlotNum = slots
	cfg.MaxIndexNum = entries
	return cfg
}

// keyedMsg is a message with a UNIQ_KEY and KEYS.
func keyedMsg(topic string, qid int32, body, uniq, keys string) *codec.Message {
	m := newMsg(topic, qid, body, "")
	var p []byte
	if uniq != "" {
		p = codec.AppendProperty(p, codec.PropertyUniqKey, uniq)
	}
	if keys != "" {
		p = codec.AppendProperty(p, codec.PropertyKeys, keys)
	}
	m.Properties = string(p)
	return m
}

// queryBodies runs QueryMessage over all time and returns the bodies.
func queryBodies(t testing.TB, s *Store, topic, key string, maxNum int) []string {
	t.Helper()
	res := s.QueryMessage(topic, key, maxNum, 0, math.MaxInt64)
	var out []string
	for _, rec := range res.Records {
		m, n, err := codec.DecodeRecord(rec)
		if err != nil || n != len(rec) {
			t.Fatalf("query %s: bad record: %v", key, err)
		}
		out = append(out, string(m.Body))
	}
	return out
}

func indexFiles(t testing.TB, root string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(root, "index"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, filepath.Join(root, "index", e.Name()))
	}
	return out
}

func TestIndexKeyHash(t *testing.T) {
	for _, tc := range []struct{ topic, key string }{
		{"TopicA", "k1"},
		{"TopicA", ""},
		{"", "x"},
		{"%RETRY%group", "7F000001B85218B4AAC2713F4F6E0000"},
		{"Topic\u00e9", "cl\u00e9\U0001F600z"},
		{"T", "bad\xffutf8\xc3"},
		{strings.Repeat("long", 40), strings.Repeat("\u4e2d\u6587", 33)},
	} {
		h := compat.JavaStringHash(tc.topic + "#" + tc.key)
		want := max(h, -h)
		if h == math.MinInt32 {
			want = 0
		}
		if got := indexKeyHash(compat.JavaStringHash(tc.topic), tc.key); got != want {
			t.Errorf("indexKeyHash(%q, %q) = %d, want %d", tc.topic, tc.key, got, want)
		}
	}
	// A key whose "T#key" hashes to MIN_VALUE: Math.abs leaves it negative
	// and Java uses 0. Pick five chars c0..c4 with
	// hash("T#")*31^5 + sum(ci*31^(4-i)) = 2^31 (mod 2^32).
	r := uint32(1<<31) - uint32(compat.JavaStringHash("T#"))*uint32(28629151) // 31^5
	var key []rune
	for p := uint32(923521); p > 0; p /= 31 { // 31^4 .. 31^0
		key = append(key, rune(r/p))
		r %= p
	}
	if h := compat.JavaStringHash("T#" + string(key)); h != math.MinInt32 {
		t.Fatalf("constructed hash %d", h)
	}
	if got := indexKeyHash(compat.JavaStringHash("T"), string(key)); got != 0 {
		t.Fatalf("MIN_VALUE hash gives %d, want 0", got)
	}
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// diskBytes is how much of a file is allocated.
func diskBytes(fi os.FileInfo) int64 { return fi.Sys().(*syscall.Stat_t).Blocks * 512 }

func TestAppendIndexHashes(t *testing.T) {
	props := string(codec.AppendProperty(codec.AppendProperty(nil, codec.PropertyKeys, " a  b c "), codec.PropertyUniqKey, "U1"))
	got := appendIndexHashes(nil, "T", props)
	th := compat.JavaStringHash("T")
	want := []int32{indexKeyHash(th, "U1"), indexKeyHash(th, "a"), indexKeyHash(th, "b"), indexKeyHash(th, "c")}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if got := appendIndexHashes(nil, "T", string(codec.AppendProperty(nil, codec.PropertyTags, "x"))); len(got) != 0 {
		t.Fatalf("no keys: %v", got)
	}
}

// TestIndexGolden writes the keys of testdata/index/IndexGolden.java and
// compares the files with what Apache's IndexFile wrote.
func TestIndexGolden(t *testing.T) {
	raw, err := os.ReadFile("testdata/index/golden.hex")
	if err != nil {
		t.Fatal(err)
	}
	var want [][]byte
	for _, line := range strings.Fields(string(raw)) {
		b, err := hex.DecodeString(line)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, b)
	}
	dir := t.TempDir()
	ix := newIndex(dir, 8, 6, testLogger(t))
	if err := ix.load(); err != nil {
		t.Fatal(err)
	}
	defer ix.close()
	const t0 = 1700000000123
	for _, p := range []struct {
		key     string
		phy, ts int64
	}{
		{"TopicA#k1", 100, t0},
		{"TopicA#k2", 250, t0 + 1377},
		{"TopicA#k1", 400, t0 + 3876},
		{"TopicA#\u00e9\U0001F600", 520, t0 + 5000},
		{"TopicB#k1", 700, t0 + 9000},
		{"TopicA#k4", 800, t0 + 12000}, // rolls
		{"TopicA#k1", 900, t0 + 14500},
	} {
		topic, key, _ := strings.Cut(p.key, "#")
		ix.add(indexKeyHash(compat.JavaStringHash(topic), key), p.phy, p.ts)
	}
	if err := ix.flush(); err != nil {
		t.Fatal(err)
	}
	files, _ := os.ReadDir(dir)
	if len(files) != len(want) {
		t.Fatalf("%d files, want %d", len(files), len(want))
	}
	for i, e := range files {
		if _, ok := parseIndexName(e.Name()); !ok {
			t.Fatalf("file name %q is not yyyyMMddHHmmssSSS", e.Name())
		}
		got, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want[i]) {
			t.Fatalf("file %d differs from Java's:\n got %x\nwant %x", i, got, want[i])
		}
	}
	// Searching the Java bytes finds the chain in the first file.
	f := ix.fileList()[0]
	h := indexKeyHash(compat.JavaStringHash("TopicA"), "k1")
	if got := f.selectPhy(nil, h, 10, 0, math.MaxInt64); !slices.Equal(got, []int64{400, 100}) {
		t.Fatalf("selectPhy = %v", got)
	}
	if got := f.selectPhy(nil, h, 10, t0+2000, math.MaxInt64); !slices.Equal(got, []int64{400}) {
		t.Fatalf("selectPhy after t0+2s = %v", got)
	}
}

// TestIndexSparseFile creates a default-sized index file: 420,000,040
// bytes, but only the header, the slot table and the first entries are
// allocated.
func TestIndexSparseFile(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	mustPut(t, s, keyedMsg("T", 0, "a", "U1", "k1"))
	files := indexFiles(t, cfg.RootDir)
	if len(files) != 1 {
		t.Fatalf("index files %v", files)
	}
	fi, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() != 420_000_040 {
		t.Fatalf("size %d", fi.Size())
	}
	if used := diskBytes(fi); used > 64<<20 {
		t.Fatalf("%d bytes allocated: the file is not sparse", used)
	}
	if got := queryBodies(t, s, "T", "k1", 32); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("query: %v", got)
	}
}

func TestQueryMessage(t *testing.T) {
	cfg := indexConfig(t, 16, 10)
	s := openStore(t, cfg)
	ts := int64(1_800_000_000_000)
	s.clock = func() int64 { ts += 1000; return ts }
	var uniq []string
	for i := range 30 {
		u := "UNIQ" + strconv.Itoa(i)
		uniq = append(uniq, u)
		keys := "order-" + strconv.Itoa(i%3) + " common"
		mustPut(t, s, keyedMsg("Q", int32(i%2), "m"+strconv.Itoa(i), u, keys))
	}
	mustPut(t, s, keyedMsg("Other", 0, "other", "UNIQX", "common"))
	if n := len(indexFiles(t, cfg.RootDir)); n < 3 {
		t.Fatalf("%d index files; the test wants several", n)
	}
	for i, u := range uniq {
		if got := queryBodies(t, s, "Q", u, 32); !slices.Contains(got, "m"+strconv.Itoa(i)) {
			t.Fatalf("query %s: %v", u, got)
		}
	}
	// Every message with the key, oldest first, across files.
	var want []string
	for i := 1; i < 30; i += 3 {
		want = append(want, "m"+strconv.Itoa(i))
	}
	if got := queryBodies(t, s, "Q", "order-1", 64); !slices.Equal(got, want) {
		t.Fatalf("order-1: %v, want %v", got, want)
	}
	// maxNum counts from the newest; the store caps it at maxMsgsNumBatch.
	if got := queryBodies(t, s, "Q", "common", 4); !slices.Equal(got, []string{"m26", "m27", "m28", "m29"}) {
		t.Fatalf("common, 4: %v", got)
	}
	s.cfg.MaxMsgsNumBatch = 5
	if got := queryBodies(t, s, "Q", "common", 64); len(got) != 5 {
		t.Fatalf("capped: %v", got)
	}
	s.cfg.MaxMsgsNumBatch = 64
	// The topic is part of the key.
	if got := queryBodies(t, s, "Other", "common", 64); !slices.Equal(got, []string{"other"}) {
		t.Fatalf("Other/common: %v", got)
	}
	// Time range: message i was stored at base+(i+1) s.
	base := int64(1_800_000_000_000)
	res := s.QueryMessage("Q", "common", 64, base+10_000, base+14_000)
	var got []string
	for _, rec := range res.Records {
		m, _, _ := codec.DecodeRecord(rec)
		got = append(got, string(m.Body))
	}
	if !slices.Equal(got, []string{"m9", "m10", "m11", "m12", "m13"}) {
		t.Fatalf("time range: %v", got)
	}
	if res.IndexLastUpdatePhyOffset != s.MaxPhyOffset()-int64(keyedMsg("Other", 0, "other", "UNIQX", "common").RecordSize()) ||
		res.IndexLastUpdateTimestamp != ts {
		t.Fatalf("last update %d/%d, max phy %d, ts %d", res.IndexLastUpdatePhyOffset, res.IndexLastUpdateTimestamp, s.MaxPhyOffset(), ts)
	}
	if res := s.QueryMessage("Q", "nope", 32, 0, math.MaxInt64); len(res.Records) != 0 || res.IndexLastUpdatePhyOffset != 0 {
		t.Fatalf("unknown key: %+v", res)
	}
}

func TestQueryTransactionRecords(t *testing.T) {
	s := openStore(t, indexConfig(t, 16, 50))
	prepared := keyedMsg("T", 0, "prepared", "", "tx")
	prepared.SysFlag = codec.SysFlagPrepared
	rollback := keyedMsg("T", 0, "rollback", "", "tx")
	rollback.SysFlag = codec.SysFlagRollback
	commit := keyedMsg("T", 0, "commit", "", "tx")
	commit.SysFlag = codec.SysFlagCommit
	mustPut(t, s, prepared, rollback, commit)
	if got := queryBodies(t, s, "T", "tx", 32); !slices.Equal(got, []string{"prepared", "commit"}) {
		t.Fatalf("got %v; Java indexes all but ROLLBACK", got)
	}
}

func TestIndexReopen(t *testing.T) {
	cfg := indexConfig(t, 16, 10)
	s, err := Open(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		mustPut(t, s, keyedMsg("R", 0, "a"+strconv.Itoa(i), "", "k"))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, cfg)
	for i := range 12 {
		mustPut(t, s, keyedMsg("R", 0, "b"+strconv.Itoa(i), "", "k"))
	}
	got := queryBodies(t, s, "R", "k", 64)
	if len(got) != 24 || got[0] != "a0" || got[23] != "b11" {
		t.Fatalf("after reopen: %v", got)
	}
	// 24 entries, 9 per file.
	if n := len(indexFiles(t, cfg.RootDir)); n != 3 {
		t.Fatalf("%d index files", n)
	}
}

// crashBase is the store time of TestIndexRebuiltAfterCrash's messages:
// message i is stored at crashBase + (i+1) s.
const crashBase = 1_800_000_000_000

// TestIndexRebuiltAfterCrash loses index state in the ways a crash can
// and checks every key is found exactly once afterwards.
func TestIndexRebuiltAfterCrash(t *testing.T) {
	midway := func(t *testing.T, cfg Config) {
		ck := make([]byte, checkpointSize)
		for i := range 3 {
			binary.BigEndian.PutUint64(ck[8*i:], uint64(crashBase+60_000+crashSafetyMillis))
		}
		if err := os.WriteFile(filepath.Join(cfg.RootDir, "checkpoint"), ck, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		harm func(t *testing.T, cfg Config, offs []int64)
	}{
		{"index dir lost", func(t *testing.T, cfg Config, _ []int64) {
			os.RemoveAll(filepath.Join(cfg.RootDir, "index"))
			os.WriteFile(filepath.Join(cfg.RootDir, "checkpoint"), make([]byte, checkpointSize), 0o644)
		}},
		{"checkpoint behind", func(t *testing.T, cfg Config, _ []int64) {
			// The checkpoint vouches for nothing: everything is dispatched
			// again, and the index must not get duplicates.
			os.WriteFile(filepath.Join(cfg.RootDir, "checkpoint"), make([]byte, checkpointSize), 0o644)
		}},
		{"checkpoint mid-way", func(t *testing.T, cfg Config, _ []int64) {
			// The checkpoint vouches for message 60: the index file holding
			// the first record of its segment is cut there, newer ones go.
			midway(t, cfg)
		}},
		{"new file unflushed", func(t *testing.T, cfg Config, _ []int64) {
			// A file created after the last flush reads back as zeros.
			midway(t, cfg)
			files := indexFiles(t, cfg.RootDir)
			last := files[len(files)-1]
			fi, _ := os.Stat(last)
			os.WriteFile(last, make([]byte, fi.Size()), 0o644)
		}},
		{"torn before the recovery point", func(t *testing.T, cfg Config, offs []int64) {
			// Entries the checkpoint vouches for read back as zeros (a
			// lying disk): indexing resumes at the last good record.
			midway(t, cfg)
			from := offs[60] - offs[60]%cfg.MappedFileSizeCommitLog
			entries := int64(indexHeaderSize + 16*indexSlotSize)
			for _, path := range indexFiles(t, cfg.RootDir) {
				data, _ := os.ReadFile(path)
				if phy := int64(binary.BigEndian.Uint64(data[entries+indexEntrySize+4:])); phy >= from {
					continue
				}
				count := int64(binary.BigEndian.Uint32(data[ixOffCount:]))
				last := int64(binary.BigEndian.Uint64(data[entries+(count-1)*indexEntrySize+4:]))
				if last < from {
					continue // not the file that holds from
				}
				clear(data[entries+3*indexEntrySize:])
				os.WriteFile(path, data, 0o644)
				return
			}
			t.Fatal("no index file holds the recovery point")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := indexConfig(t, 16, 20)
			s := openStore(t, cfg)
			ts := int64(crashBase)
			s.clock = func() int64 { ts += 1000; return ts }
			const n = 100
			pad := strings.Repeat("p", 2500) // ~25 messages per segment
			var offs []int64
			for i := range n {
				r := mustPut(t, s, keyedMsg("C", int32(i%2), "m"+strconv.Itoa(i)+pad, "U"+strconv.Itoa(i), "all"))
				offs = append(offs, r.Offsets[0].CommitLogOffset)
			}
			crash := withRoot(cfg, copyDir(t, cfg.RootDir))
			tc.harm(t, crash, offs)
			s2 := openStore(t, crash)
			for i := range n {
				if got := queryBodies(t, s2, "C", "U"+strconv.Itoa(i), 32); !slices.Equal(got, []string{"m" + strconv.Itoa(i) + pad}) {
					t.Fatalf("U%d: %d hits", i, len(got))
				}
			}
			if got := queryBodies(t, s2, "C", "all", 64); len(got) != 64 || got[63] != "m99"+pad {
				t.Fatalf("all: %d hits", len(got))
			}
			total := 0
			for _, f := range s2.ix.fileList() {
				total += int(f.count.Load()) - 1
			}
			if total != 2*n {
				t.Fatalf("%d index entries, want %d", total, 2*n)
			}
			// And it keeps indexing.
			mustPut(t, s2, keyedMsg("C", 0, "after", "UA", "all"))
			if got := queryBodies(t, s2, "C", "UA", 32); !slices.Equal(got, []string{"after"}) {
				t.Fatalf("after: %v", got)
			}
		})
	}
}

// TestConcurrentPutQuery queries while writers add keys; run with -race.
func TestConcurrentPutQuery(t *testing.T) {
	s := openStore(t, indexConfig(t, 64, 200))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 400 {
			mustPut(t, s, keyedMsg("P", int32(i%4), "m"+strconv.Itoa(i), "U"+strconv.Itoa(i), "hot"))
		}
	}()
	for {
		select {
		case <-done:
			if got := queryBodies(t, s, "P", "hot", 64); len(got) != 64 || got[63] != "m399" {
				t.Fatalf("final: %d hits, last %q", len(got), got[len(got)-1])
			}
			return
		default:
		}
		prev := ""
		for _, b := range queryBodies(t, s, "P", "hot", 64) {
			if prev != "" {
				p, _ := strconv.Atoi(prev[1:])
				c, _ := strconv.Atoi(b[1:])
				if c <= p {
					t.Fatalf("hits out of order: %s after %s", b, prev)
				}
			}
			prev = b
		}
	}
}

func TestIndexDisabled(t *testing.T) {
	cfg := testConfig(t)
	cfg.MessageIndexEnable = false
	s := openStore(t, cfg)
	mustPut(t, s, keyedMsg("T", 0, "a", "U1", "k1"))
	if res := s.QueryMessage("T", "k1", 32, 0, math.MaxInt64); len(res.Records) != 0 {
		t.Fatal("found a message with the index off")
	}
	if _, err := os.Stat(filepath.Join(cfg.RootDir, "index")); !os.IsNotExist(err) {
		t.Fatalf("index directory: %v", err)
	}
}

// An index file whose creation a crash cut short (empty) is dropped.
func TestIndexEmptyFileRemoved(t *testing.T) {
	cfg := indexConfig(t, 16, 20)
	s, err := Open(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, keyedMsg("T", 0, "a", "U1", ""))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(cfg.RootDir, "index", "29991231235959999")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, cfg)
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Fatal("empty index file kept")
	}
	if got := queryBodies(t, s, "T", "U1", 32); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("query: %v", got)
	}
	// A file of the wrong size (the configuration changed) is an error.
	s.Close()
	cfg.MaxIndexNum = 21
	if _, err := Open(cfg, nil); err == nil || !strings.Contains(err.Error(), "index") {
		t.Fatalf("Open with another index size: %v", err)
	}
}

func TestConfigValidateIndexAndRetention(t *testing.T) {
	cfg := DefaultConfig("/tmp/x")
	cfg.MaxHashSlotNum = 0
	cfg.MaxIndexNum = 200_000_000 // over 2 GiB
	cfg.DeleteWhen = "25"
	cfg.MaxMappedConsumeQueueFiles = 0
	cfg.DeleteFileBatchMax = 0
	err := cfg.Validate()
	for _, want := range []string{"maxHashSlotNum", "deleteWhen", "maxMappedConsumeQueueFiles", "deleteFileBatchMax"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want a %s problem", err, want)
		}
	}
	// The disk ratios are clamped like Java's, not refused.
	cfg = DefaultConfig("/tmp/x")
	cfg.DiskMaxUsedSpaceRatio, cfg.DiskSpaceWarningLevelRatio = 99, 5
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if clampRatio(99, 10, 95) != 95 || clampRatio(5, 35, 90) != 35 {
		t.Fatal("clamp")
	}
}
