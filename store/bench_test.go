package store

import (
	"bytes"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
)

func benchConfig(b *testing.B, mode string) Config {
	cfg := DefaultConfig(b.TempDir())
	cfg.MappedFileSizeCommitLog = 128 << 20
	cfg.FlushDiskType = mode
	cfg.FlushIntervalCommitLog = 500 * time.Millisecond
	return cfg
}

func benchPut(b *testing.B, mode string, wait bool) {
	s := openStore(b, benchConfig(b, mode))
	m := newMsg("Bench", 0, string(bytes.Repeat([]byte("x"), 1024)), "TagA")
	msgs := []*codec.Message{m}
	b.SetBytes(int64(m.RecordSize()))
	b.ReportAllocs()
	for b.Loop() {
		if r := s.Put(msgs, wait); r.Status != PutOK {
			b.Fatal(r.Status, r.Err)
		}
	}
}

// BenchmarkPut appends 1 KiB messages with ASYNC_FLUSH.
func BenchmarkPut(b *testing.B) { benchPut(b, AsyncFlush, false) }

// BenchmarkPutSync waits for SYNC_FLUSH durability on every message
// (one writer, so no group commit to share the msync).
func BenchmarkPutSync(b *testing.B) { benchPut(b, SyncFlush, true) }

// BenchmarkPutSyncParallel lets concurrent writers share flushes.
func BenchmarkPutSyncParallel(b *testing.B) {
	s := openStore(b, benchConfig(b, SyncFlush))
	body := string(bytes.Repeat([]byte("x"), 1024))
	b.SetBytes(int64(newMsg("Bench", 0, body, "TagA").RecordSize()))
	b.ReportAllocs()
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		msgs := []*codec.Message{newMsg("Bench", 0, body, "TagA")}
		for pb.Next() {
			if r := s.Put(msgs, true); r.Status != PutOK {
				b.Error(r.Status, r.Err)
				return
			}
		}
	})
}

// BenchmarkGet pulls 32 messages of 1 KiB at a time.
func BenchmarkGet(b *testing.B) {
	s := openStore(b, benchConfig(b, AsyncFlush))
	const n = 10000
	m := newMsg("Bench", 0, string(bytes.Repeat([]byte("x"), 1024)), "TagA")
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
