package store

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
)

// Run with: go test -run '^$' -bench . -benchmem ./store/
//
// BenchmarkPut and BenchmarkRawDiskWrite write the same bytes (one
// record per op) and both end with everything durable, so the ratio of
// their MB/s is what the store costs over a plain sequential write(2).

var benchSizes = []struct {
	name string
	body int
}{{"128B", 128}, {"1KiB", 1 << 10}, {"4KiB", 4 << 10}}

func benchConfig(b *testing.B, mode string) Config {
	cfg := DefaultConfig(b.TempDir())
	cfg.MappedFileSizeCommitLog = 128 << 20
	cfg.FlushDiskType = mode
	cfg.FlushIntervalCommitLog = 500 * time.Millisecond
	return cfg
}

// benchMsg is a message as clients send it: a tag and a UNIQ_KEY, so
// each Put also writes a consume-queue unit and an index entry.
func benchMsg(body int) *codec.Message {
	m := newMsg("Bench", 0, string(bytes.Repeat([]byte("x"), body)), "TagA")
	m.Properties = string(codec.AppendProperty([]byte(m.Properties), codec.PropertyUniqKey, "7F00000100002A9F0000000000000001"))
	return m
}

// BenchmarkPut appends one message per op with ASYNC_FLUSH, reusing its
// PutResult, and flushes at the end (inside the timing).
func BenchmarkPut(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			s := openStore(b, benchConfig(b, AsyncFlush))
			msgs := []*codec.Message{benchMsg(sz.body)}
			var res PutResult
			b.SetBytes(int64(msgs[0].RecordSize()))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if s.PutTo(&res, msgs, false); res.Status != PutOK {
					b.Fatal(res.Status, res.Err)
				}
			}
			if err := s.Flush(); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkRawDiskWrite is the baseline for BenchmarkPut: the same record
// bytes written sequentially to a plain file with write(2), one per op,
// and one fdatasync at the end (dd-style).
func BenchmarkRawDiskWrite(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			m := benchMsg(sz.body)
			rec := m.AppendRecord(nil)
			f, err := os.Create(filepath.Join(b.TempDir(), "raw"))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			b.SetBytes(int64(len(rec)))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := f.Write(rec); err != nil {
					b.Fatal(err)
				}
			}
			if err := f.Sync(); err != nil { // fsync(2); data-only on Linux for a file that only grew
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkPutSync waits for SYNC_FLUSH durability on every message
// (one writer, so no group commit to share the msync).
func BenchmarkPutSync(b *testing.B) {
	s := openStore(b, benchConfig(b, SyncFlush))
	msgs := []*codec.Message{benchMsg(1 << 10)}
	var res PutResult
	b.SetBytes(int64(msgs[0].RecordSize()))
	b.ReportAllocs()
	for b.Loop() {
		if s.PutTo(&res, msgs, true); res.Status != PutOK {
			b.Fatal(res.Status, res.Err)
		}
	}
}

// BenchmarkPutSyncParallel lets 16 writers per CPU share flushes (group
// commit).
func BenchmarkPutSyncParallel(b *testing.B) {
	s := openStore(b, benchConfig(b, SyncFlush))
	b.SetBytes(int64(benchMsg(1 << 10).RecordSize()))
	b.ReportAllocs()
	b.SetParallelism(16)
	var writers atomic.Int32
	b.RunParallel(func(pb *testing.PB) {
		msgs := []*codec.Message{benchMsg(1 << 10)}
		msgs[0].QueueID = writers.Add(1) % 8
		var res PutResult
		for pb.Next() {
			if s.PutTo(&res, msgs, true); res.Status != PutOK {
				b.Error(res.Status, res.Err)
				return
			}
		}
	})
}

// BenchmarkGet pulls 32 messages of 1 KiB at a time, sequentially.
func BenchmarkGet(b *testing.B) {
	s := openStore(b, benchConfig(b, AsyncFlush))
	const n = 10000
	m := benchMsg(1 << 10)
	for range n {
		if r := s.Put([]*codec.Message{m}, false); r.Status != PutOK {
			b.Fatal(r.Status)
		}
	}
	b.SetBytes(32 * int64(m.RecordSize()))
	b.ReportAllocs()
	var off int64
	for b.Loop() {
		r := s.GetMessages("Bench", 0, off, 32, 0, nil)
		if r.Status != Found || len(r.Records) != 32 {
			b.Fatal(r.Status, len(r.Records))
		}
		off = r.NextBeginOffset
		if off+32 > n {
			off = 0
		}
		r.Release()
	}
}

// BenchmarkQueryMessage looks up one key among 10,000 indexed messages.
func BenchmarkQueryMessage(b *testing.B) {
	cfg := benchConfig(b, AsyncFlush)
	cfg.MaxHashSlotNum, cfg.MaxIndexNum = 100_000, 400_000
	s := openStore(b, cfg)
	const n = 10000
	for i := range n {
		m := keyedMsg("Bench", 0, "body", "U"+strconv.Itoa(i), "")
		if r := s.Put([]*codec.Message{m}, false); r.Status != PutOK {
			b.Fatal(r.Status)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if res := s.QueryMessage("Bench", "U"+strconv.Itoa(i%n), 32, 0, 1<<62); len(res.Records) != 1 {
			b.Fatal(len(res.Records))
		}
		i++
	}
}

// BenchmarkPutBacklog measures 1 KiB appends on a store that already
// holds a backlog of small keyed messages spread over 64 queues, beside
// the same appends on an empty store, to show the backlog does not slow
// new sends. The backlog size comes from BOOSTER_BENCH_BACKLOG (default
// one million; the store issue's figure is 100,000,000, about 20 GB), the
// directory from BOOSTER_BENCH_DIR (default a temporary one). It reports
// the p50, p99, p999 and max of single appends as well as ns/op.
func BenchmarkPutBacklog(b *testing.B) {
	backlog := 1_000_000
	if v := os.Getenv("BOOSTER_BENCH_BACKLOG"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal("BOOSTER_BENCH_BACKLOG:", err)
		}
		backlog = n
	}
	for _, n := range []int{0, backlog} {
		// The runner calls a sub-benchmark more than once; fill once.
		var s *Store
		b.Run("backlog="+strconv.Itoa(n), func(b *testing.B) {
			if s == nil {
				s = backlogStore(b, n)
			}
			msgs := []*codec.Message{benchMsg(1 << 10)}
			var res PutResult
			lat := make([]time.Duration, 0, 1<<20)
			b.SetBytes(int64(msgs[0].RecordSize()))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				if s.PutTo(&res, msgs, false); res.Status != PutOK {
					b.Fatal(res.Status, res.Err)
				}
				if len(lat) < cap(lat) {
					lat = append(lat, time.Since(t0))
				}
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
			b.ReportMetric(float64(lat[len(lat)*999/1000].Nanoseconds()), "p999-ns")
			b.ReportMetric(float64(lat[len(lat)-1].Nanoseconds()), "max-ns")
		})
		if s != nil {
			s.Close()
			os.RemoveAll(s.Config().RootDir)
		}
	}
}

// backlogStore opens a store in a directory of its own and fills it with n backlog messages.
func backlogStore(b *testing.B, n int) *Store {
	dir := ""
	if d := os.Getenv("BOOSTER_BENCH_DIR"); d != "" {
		dir = filepath.Join(d, "backlog"+strconv.Itoa(n))
	} else {
		var err error
		if dir, err = os.MkdirTemp("", "backlog"); err != nil {
			b.Fatal(err)
		}
	}
	cfg := DefaultConfig(dir)
	cfg.FlushDiskType = AsyncFlush
	s, err := Open(cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	fillBacklog(b, s, n)
	return s
}

// fillBacklog appends n messages of 64 bytes, each with its own UNIQ_KEY
// (so the index grows too), round-robin over 64 queues of topic Backlog.
func fillBacklog(b *testing.B, s *Store, n int) {
	if n == 0 {
		return
	}
	start := time.Now()
	m := newMsg("Backlog", 0, string(bytes.Repeat([]byte("b"), 64)), "TagB")
	base := m.Properties
	msgs := []*codec.Message{m}
	var res PutResult
	key := []byte("7F0000010000000000000000")
	for i := range n {
		m.QueueID = int32(i % 64)
		key = strconv.AppendInt(key[:24], int64(i), 16)
		m.Properties = string(codec.AppendProperty([]byte(base), codec.PropertyUniqKey, string(key)))
		if s.PutTo(&res, msgs, false); res.Status != PutOK {
			b.Fatal(res.Status, res.Err)
		}
		if i > 0 && i%10_000_000 == 0 {
			b.Logf("backlog: %d messages in %v", i, time.Since(start).Round(time.Second))
		}
	}
	if err := s.Flush(); err != nil {
		b.Fatal(err)
	}
	b.Logf("backlog: %d messages, commit log %d bytes, in %v", n, s.MaxPhyOffset(), time.Since(start).Round(time.Second))
}

// BenchmarkPutManyQueues appends 1 KiB messages round-robin over the
// queues of one topic, with the default consume-queue mapping cache
// (maxMappedConsumeQueueFiles), to show what many active queues cost.
func BenchmarkPutManyQueues(b *testing.B) {
	for _, queues := range []int{8, 1000, 10_000} {
		b.Run("queues="+strconv.Itoa(queues), func(b *testing.B) {
			s := openStore(b, benchConfig(b, AsyncFlush))
			m := benchMsg(1 << 10)
			msgs := []*codec.Message{m}
			var res PutResult
			for q := range queues { // create the queues outside the timing
				m.QueueID = int32(q)
				if s.PutTo(&res, msgs, false); res.Status != PutOK {
					b.Fatal(res.Status, res.Err)
				}
			}
			b.SetBytes(int64(m.RecordSize()))
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				m.QueueID = int32(i % queues)
				if s.PutTo(&res, msgs, false); res.Status != PutOK {
					b.Fatal(res.Status, res.Err)
				}
			}
		})
	}
}
