package store

import (
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
)

// An append that holds the lock longer than OSPageCacheBusyTimeOutMills
// makes the store congested: OSPageCacheBusy says so and Put answers
// PutOSPageCacheBusy (Java's OS_PAGE_CACHE_BUSY) without appending, until
// the lock is released.
func TestOSPageCacheBusy(t *testing.T) {
	s := openStore(t, testConfig(t))
	now := int64(10_000_000)
	s.clock = func() int64 { return now }
	mustPut(t, s, newMsg("T", 0, "a", ""))
	if s.OSPageCacheBusy() {
		t.Fatal("busy with the lock free")
	}
	// Pretend an append took the lock 500 ms ago, then 1.5 s ago.
	s.beginTimeInLock.Store(now - 500)
	if s.OSPageCacheBusy() {
		t.Fatal("busy after 500 ms")
	}
	s.beginTimeInLock.Store(now - 1500)
	if !s.OSPageCacheBusy() {
		t.Fatal("not busy after 1.5 s")
	}
	if ms := s.LockTimeMills(); ms != 1500 {
		t.Fatalf("lock time %d ms, want 1500", ms)
	}
	if r := s.Put(nil, true); r.Status != PutMessageIllegal {
		t.Fatalf("empty put: %v", r.Status)
	}
	if r := s.Put(msgsOf(newMsg("T", 0, "b", "")), true); r.Status != PutOSPageCacheBusy {
		t.Fatalf("put while busy: %v", r.Status)
	}
	s.beginTimeInLock.Store(0)
	if ms := s.LockTimeMills(); ms != 0 {
		t.Fatalf("lock time %d ms with the lock free", ms)
	}
	r := mustPut(t, s, newMsg("T", 0, "c", ""))
	if r.Offsets[0].QueueOffset != 1 {
		t.Fatalf("queue offset %d after a refused put, want 1", r.Offsets[0].QueueOffset)
	}
	s.cfg.OSPageCacheBusyTimeOutMills = 0
	s.beginTimeInLock.Store(now - int64(time.Hour/time.Millisecond))
	if s.OSPageCacheBusy() {
		t.Fatal("busy with the check disabled")
	}
	s.beginTimeInLock.Store(0)
}

func msgsOf(ms ...*codec.Message) []*codec.Message { return ms }
