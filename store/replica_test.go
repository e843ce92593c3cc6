package store

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/booster-mq/booster/codec"
)

// copyLog streams the master's log from the slave's end to the master's in
// chunks of random size, as the HA stream does, and returns how many
// chunks it took.
func copyLog(t *testing.T, rng *rand.Rand, master, slave *Store) int {
	t.Helper()
	n := 0
	for off := slave.MaxPhyOffset(); off < master.MaxPhyOffset(); n++ {
		c, ok := master.ReadCommitLog(off, 1+rng.IntN(9000))
		if !ok {
			t.Fatalf("ReadCommitLog(%d) found nothing below %d", off, master.MaxPhyOffset())
		}
		if err := slave.AppendReplica(off, c.Data); err != nil {
			t.Fatalf("AppendReplica(%d, %d bytes): %v", off, len(c.Data), err)
		}
		off += int64(len(c.Data))
		c.Release()
	}
	return n
}

// sameLogs checks that the slave's commit log, queues and index serve what
// the master's do.
func sameLogs(t *testing.T, master, slave *Store, topics []string, queues int32) {
	t.Helper()
	if m, s := master.MaxPhyOffset(), slave.MaxPhyOffset(); m != s {
		t.Fatalf("MaxPhyOffset: master %d, slave %d", m, s)
	}
	for off := slave.MinPhyOffset(); off < slave.MaxPhyOffset(); {
		mc, ok1 := master.ReadCommitLog(off, 1<<20)
		sc, ok2 := slave.ReadCommitLog(off, 1<<20)
		if !ok1 || !ok2 || !bytes.Equal(mc.Data, sc.Data) {
			t.Fatalf("commit logs differ at %d (found %v %v)", off, ok1, ok2)
		}
		off += int64(len(mc.Data))
		mc.Release()
		sc.Release()
	}
	for _, topic := range topics {
		for qid := range queues {
			want, got := readAll(t, master, topic, qid), readAll(t, slave, topic, qid)
			if len(want) != len(got) {
				t.Fatalf("%s/%d: master has %d messages, slave %d", topic, qid, len(want), len(got))
			}
			for i := range want {
				if want[i].CommitLogOffset != got[i].CommitLogOffset || !bytes.Equal(want[i].Body, got[i].Body) ||
					want[i].QueueOffset != got[i].QueueOffset {
					t.Fatalf("%s/%d #%d differs", topic, qid, i)
				}
			}
			if master.MaxOffset(topic, qid) != slave.MaxOffset(topic, qid) {
				t.Fatalf("%s/%d: max offset %d vs %d", topic, qid, master.MaxOffset(topic, qid), slave.MaxOffset(topic, qid))
			}
		}
	}
}

func putKeyed(t *testing.T, s *Store, rng *rand.Rand, topic string, qid int32, i int) {
	t.Helper()
	m := newMsg(topic, qid, string(bytes.Repeat([]byte{'a' + byte(i%26)}, 1+rng.IntN(3000)))+strconv.Itoa(i), "T"+strconv.Itoa(i%3))
	m.Properties = string(codec.AppendProperty([]byte(m.Properties), codec.PropertyKeys, "k"+strconv.Itoa(i)))
	mustPut(t, s, m)
}

func TestReplicaCopiesLogQueuesAndIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	master := openStore(t, testConfig(t))
	slaveCfg := testConfig(t)
	slave := openStore(t, slaveCfg)
	slave.SetSlave(true)
	var hooked []int64
	slave.SetArrivalHook(func(topic string, qid int32, maxOffset, _ int64, props string) {
		if _, ok := codec.PropertyValue(props, codec.PropertyKeys); !ok {
			t.Errorf("hook got no properties: %q", props)
		}
		hooked = append(hooked, maxOffset)
	})
	topics := []string{"RA", "RB"}
	for i := range 200 { // ~300 KiB: several 64 KiB segments, blank markers included
		putKeyed(t, master, rng, topics[i%2], int32(i%3), i)
	}
	// A transaction half gets no unit on either side.
	half := newMsg("RA", 0, "half", "")
	half.SysFlag = codec.SysFlagPrepared
	mustPut(t, master, half)
	chunks := copyLog(t, rng, master, slave)
	t.Logf("%d bytes in %d chunks over %d segments", master.MaxPhyOffset(), chunks, len(slave.cl.files.load()))
	sameLogs(t, master, slave, topics, 3)
	if len(hooked) != 200 {
		t.Fatalf("arrival hook ran %d times, want 200", len(hooked))
	}
	if r := slave.QueryMessage("RA", "k42", 10, 0, 1<<62); len(r.Records) != 1 {
		t.Fatalf("slave index: %d records for k42", len(r.Records))
	}
	if r := slave.Put([]*codec.Message{newMsg("RA", 0, "x", "")}, true); r.Status != PutServiceNotAvailable || !errors.Is(r.Err, ErrSlave) {
		t.Fatalf("Put on a slave: %v %v", r.Status, r.Err)
	}
	if err := slave.AppendReplica(slave.MaxPhyOffset()+1, []byte{1}); !errors.Is(err, ErrReplicaOffset) {
		t.Fatalf("append at a gap: %v", err)
	}

	// The slave stops mid-record and reopens: recovery cuts the partial
	// record, the master resends it and streaming resumes.
	for i := range 50 {
		putKeyed(t, master, rng, topics[i%2], int32(i%3), 1000+i)
	}
	off := slave.MaxPhyOffset()
	c, _ := master.ReadCommitLog(off, 100)
	if err := slave.AppendReplica(off, c.Data); err != nil {
		t.Fatal(err)
	}
	c.Release()
	if err := slave.Close(); err != nil {
		t.Fatal(err)
	}
	slave = openStore(t, slaveCfg)
	slave.SetSlave(true)
	if slave.MaxPhyOffset() != off {
		t.Fatalf("reopened slave ends at %d, want the last whole record's end %d", slave.MaxPhyOffset(), off)
	}
	copyLog(t, rng, master, slave)
	sameLogs(t, master, slave, topics, 3)
}

func TestReplicaFreshSlaveStartsAtSegment(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	master := openStore(t, testConfig(t))
	for i := range 120 {
		putKeyed(t, master, rng, "RF", int32(i%2), i)
	}
	files := master.cl.files.load()
	start := files[len(files)-1].start
	if start == 0 {
		t.Fatal("test needs more than one segment")
	}
	slave := openStore(t, testConfig(t))
	slave.SetSlave(true)
	if err := slave.AppendReplica(start+1, []byte{0}); !errors.Is(err, ErrReplicaOffset) {
		t.Fatalf("unaligned start into an empty log: %v", err)
	}
	// Java's rule: a slave reporting 0 gets the master's newest segment on.
	for off := start; off < master.MaxPhyOffset(); {
		c, _ := master.ReadCommitLog(off, 4096)
		if err := slave.AppendReplica(off, c.Data); err != nil {
			t.Fatal(err)
		}
		off += int64(len(c.Data))
		c.Release()
	}
	if slave.MinPhyOffset() != start || slave.MaxPhyOffset() != master.MaxPhyOffset() {
		t.Fatalf("slave holds [%d, %d), want [%d, %d)", slave.MinPhyOffset(), slave.MaxPhyOffset(), start, master.MaxPhyOffset())
	}
	for qid := range int32(2) {
		r := slave.GetMessages("RF", qid, slave.MinOffset("RF", qid), 32, 0, nil)
		if r.Status != Found || slave.MaxOffset("RF", qid) != master.MaxOffset("RF", qid) {
			t.Fatalf("queue %d on the slave: %v, max %d want %d", qid, r.Status, slave.MaxOffset("RF", qid), master.MaxOffset("RF", qid))
		}
		r.Release()
	}
}

func TestReplicaCorruptStreamFences(t *testing.T) {
	master := openStore(t, testConfig(t))
	mustPut(t, master, newMsg("RC", 0, "hello", "t"))
	c, _ := master.ReadCommitLog(0, 1<<20)
	bad := slices.Clone(c.Data)
	c.Release()
	bad[90] ^= 0xFF // a body byte (the body starts at 88): the CRC no longer matches
	slave := openStore(t, testConfig(t))
	slave.SetSlave(true)
	if err := slave.AppendReplica(0, bad); err == nil {
		t.Fatal("a corrupt record was accepted")
	}
	if err := slave.AppendReplica(slave.MaxPhyOffset(), []byte{0}); err == nil {
		t.Fatal("the store is not fenced after a corrupt stream")
	}
}

// fakeRepl records Appended calls and answers WaitAck with status.
type fakeRepl struct {
	mu     sync.Mutex
	ends   []int64
	waits  []int64
	status PutStatus
}

func (f *fakeRepl) Appended(end int64) {
	f.mu.Lock()
	f.ends = append(f.ends, end)
	f.mu.Unlock()
}

func (f *fakeRepl) WaitAck(end int64) PutStatus {
	f.mu.Lock()
	f.waits = append(f.waits, end)
	f.mu.Unlock()
	return f.status
}

func TestPutWaitsForReplication(t *testing.T) {
	cfg := testConfig(t)
	cfg.FlushDiskType = SyncFlush
	s := openStore(t, cfg)
	f := &fakeRepl{status: PutFlushSlaveTimeout}
	s.SetReplication(f)
	r := s.Put([]*codec.Message{newMsg("W", 0, "a", ""), newMsg("W", 0, "b", "")}, true)
	end := r.Offsets[1].CommitLogOffset + int64(r.Offsets[1].Size)
	if r.Status != PutFlushSlaveTimeout || len(r.Offsets) != 2 {
		t.Fatalf("status %v, %d offsets", r.Status, len(r.Offsets))
	}
	if s.FlushedPhyOffset() < end {
		t.Fatal("the sync flush was skipped")
	}
	f.status = PutOK
	if r := s.Put([]*codec.Message{newMsg("W", 0, "c", "")}, false); r.Status != PutOK {
		t.Fatalf("no-wait put: %v", r.Status)
	}
	if !slices.Equal(f.waits, []int64{end}) || len(f.ends) != 2 || f.ends[0] != end || f.ends[1] != s.MaxPhyOffset() {
		t.Fatalf("Appended %v, WaitAck %v", f.ends, f.waits)
	}
	s.SetReplication(nil)
	if r := s.Put([]*codec.Message{newMsg("W", 0, "d", "")}, true); r.Status != PutOK || len(f.ends) != 2 {
		t.Fatalf("after SetReplication(nil): %v, %d calls", r.Status, len(f.ends))
	}
}
