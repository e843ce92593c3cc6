package broker

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPopStateAckChangeExpire(t *testing.T) {
	s := newPopState(t.TempDir())
	k := popQueueKey{topic: "T", group: "G", queueID: 1}
	q := s.queue(k)
	s.add(q, []int64{10, 11, 12}, popInflight{popTime: 1000, invisible: 500, reviveQid: 2})
	if s.ack(k, 10, 999) {
		t.Fatal("ack with a stale pop time removed the entry")
	}
	if !s.ack(k, 10, 1000) || s.ack(k, 10, 1000) {
		t.Fatal("ack")
	}
	// 11 becomes invisible until 5000; its old deadline item goes stale.
	if !s.change(k, 11, 1000, popInflight{popTime: 2000, invisible: 3000, reviveQid: 2}) {
		t.Fatal("change")
	}
	if s.change(k, 11, 1000, popInflight{popTime: 3000, invisible: 1, reviveQid: 2}) {
		t.Fatal("change with a stale pop time")
	}
	due := s.expired(1500, 10)
	if len(due) != 1 || due[0].offset != 12 {
		t.Fatalf("due at 1500: %+v", due)
	}
	s.finishRevive(due[0])
	if due := s.expired(4999, 10); len(due) != 0 {
		t.Fatalf("due at 4999: %+v", due)
	}
	due = s.expired(5000, 10)
	if len(due) != 1 || due[0].offset != 11 {
		t.Fatalf("due at 5000: %+v", due)
	}
	// A change while the revive runs keeps the entry.
	s.change(k, 11, 2000, popInflight{popTime: 6000, invisible: 1000, reviveQid: 2})
	s.finishRevive(due[0])
	if s.inflightCount(k) != 1 || s.count != 1 {
		t.Fatalf("in flight %d (count %d), want 1", s.inflightCount(k), s.count)
	}
	s.retryRevive(due[0], 9000) // stale: ignored
	if got := s.nextDeadline(); got != 7000 {
		t.Fatalf("next deadline %d, want 7000", got)
	}
}

func TestPopStatePersistRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := newPopState(dir)
	k := popQueueKey{topic: "T", group: "G", queueID: 0}
	ko := popQueueKey{topic: "O", group: "G", queueID: 3}
	s.add(s.queue(k), []int64{4, 5}, popInflight{popTime: 100, invisible: 60000, reviveQid: 1})
	qo := s.queue(ko)
	s.addOrder(qo, []int64{7, 8}, popInflight{popTime: 100, invisible: 1, reviveQid: popOrderReviveQid}, 9)
	s.addOrder(qo, []int64{7, 8}, popInflight{popTime: 200, invisible: 50, reviveQid: popOrderReviveQid}, 9)
	offsets := map[popQueueKey]int64{k: 6, ko: 7}
	if err := s.persist(func(k popQueueKey) (int64, bool) { o, ok := offsets[k]; return o, ok }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "config", "popState.json")); err != nil {
		t.Fatal(err)
	}
	r := newPopState(dir)
	got := map[popQueueKey]int64{}
	if err := r.load(func(k popQueueKey, off int64) { got[k] = off }); err != nil {
		t.Fatal(err)
	}
	if got[k] != 6 || got[ko] != 7 || r.count != 4 {
		t.Fatalf("offsets %v count %d", got, r.count)
	}
	if e := r.queues[k].inflight[5]; e != (popInflight{popTime: 100, invisible: 60000, reviveQid: 1}) {
		t.Fatalf("entry 5: %+v", e)
	}
	// Orderly entries keep their counts and are never revived.
	rq := r.queues[ko]
	if rq.orderNext != 9 || rq.orderCount[7] != 1 || rq.orderCount[8] != 1 {
		t.Fatalf("order state: next %d counts %v", rq.orderNext, rq.orderCount)
	}
	if due := r.expired(1<<62, 10); len(due) != 2 || due[0].q.key != k {
		t.Fatalf("due after load: %+v", due)
	}
	if !r.orderBlocked(rq, 249) || r.orderBlocked(rq, 250) {
		t.Fatal("order block window")
	}
	next, ok := r.ackOrder(ko, 7, 200)
	if !ok || next != 8 {
		t.Fatalf("ack 7: %d %v", next, ok)
	}
	if next, ok = r.ackOrder(ko, 8, 200); !ok || next != 9 {
		t.Fatalf("ack 8: %d %v", next, ok)
	}
	// Nothing changed since the load: no write.
	if err := os.Remove(filepath.Join(dir, "config", "popState.json")); err != nil {
		t.Fatal(err)
	}
	r2 := newPopState(dir)
	if err := r2.persist(func(popQueueKey) (int64, bool) { return 0, false }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "config", "popState.json")); !os.IsNotExist(err) {
		t.Fatalf("clean state written: %v", err)
	}
}
