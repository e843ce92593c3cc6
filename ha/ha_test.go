package ha

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/store"
)

const testSegment = 256 << 10

func openStore(t testing.TB, dir string) *store.Store {
	t.Helper()
	cfg := store.DefaultConfig(dir)
	cfg.MappedFileSizeCommitLog = testSegment
	cfg.MappedFileSizeConsumeQueue = 1000 * 20
	cfg.MaxMessageSize = 64 << 10
	cfg.MaxHashSlotNum, cfg.MaxIndexNum = 1000, 8000
	cfg.DiskUsage = func(string) (float64, error) { return 0.1, nil }
	st, err := store.Open(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.ListenAddr = "127.0.0.1:0"
	cfg.ReconnectInterval = 50 * time.Millisecond
	return cfg
}

func startMaster(t *testing.T, st *store.Store, cfg Config) *Master {
	t.Helper()
	m, err := NewMaster(st, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	st.SetReplication(m)
	t.Cleanup(func() { st.SetReplication(nil); m.Close() })
	return m
}

func startSlave(t *testing.T, st *store.Store, masterAddr string) *Slave {
	t.Helper()
	s, err := NewSlave(st, testConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.SetMasterAddr(masterAddr)
	s.Start()
	t.Cleanup(s.Close)
	return s
}

var host = netip.MustParseAddrPort("127.0.0.1:10911")

func msg(topic string, qid int32, i int, size int) *codec.Message {
	body := fmt.Appendf(nil, "m%06d-", i)
	body = append(body, bytes.Repeat([]byte{'x'}, size)...)
	return &codec.Message{Topic: topic, QueueID: qid, Body: body, BornHost: host, StoreHost: host,
		Properties: string(codec.AppendProperty(nil, codec.PropertyKeys, "k"+strconv.Itoa(i)))}
}

// sameQueue checks the slave serves a queue exactly as the master does.
func sameQueue(t *testing.T, master, slave *store.Store, topic string, qid int32) int {
	t.Helper()
	// A slave builds its consume queues after its commit log has caught up.
	testutil.Eventually(t, 5*time.Second, "the slave dispatched "+topic, func() bool {
		return slave.MaxOffset(topic, qid) == master.MaxOffset(topic, qid)
	})
	n := 0
	for off := master.MinOffset(topic, qid); off < master.MaxOffset(topic, qid); {
		a := master.GetMessages(topic, qid, off, 32, 0, nil)
		b := slave.GetMessages(topic, qid, off, 32, 0, nil)
		if a.Status != store.Found || b.Status != a.Status || len(a.Records) != len(b.Records) {
			t.Fatalf("%s/%d@%d: master %v (%d), slave %v (%d)", topic, qid, off, a.Status, len(a.Records), b.Status, len(b.Records))
		}
		for i := range a.Records {
			if !bytes.Equal(a.Records[i], b.Records[i]) {
				t.Fatalf("%s/%d@%d: record %d differs", topic, qid, off, i)
			}
		}
		n += len(a.Records)
		off = a.NextBeginOffset
		a.Release()
		b.Release()
	}
	return n
}

func TestAsyncReplication(t *testing.T) {
	mst := openStore(t, t.TempDir())
	m := startMaster(t, mst, testConfig())
	// History before the slave connects: a fresh slave gets the newest
	// segment on, not older ones.
	for i := range 300 {
		if r := mst.Put([]*codec.Message{msg("A", int32(i%4), i, 2000)}, true); r.Status != store.PutOK {
			t.Fatal(r.Status)
		}
	}
	newest := mst.MaxPhyOffset() - mst.MaxPhyOffset()%testSegment
	sst := openStore(t, t.TempDir())
	s := startSlave(t, sst, m.Addr().String())
	testutil.Eventually(t, 10*time.Second, "slave acknowledges", func() bool { return m.AckedOffset() > 0 })
	for i := 300; i < 600; i++ {
		if r := mst.Put([]*codec.Message{msg("A", int32(i%4), i, 2000)}, true); r.Status != store.PutOK {
			t.Fatal(r.Status)
		}
	}
	testutil.Eventually(t, 10*time.Second, "slave catches up", func() bool {
		return sst.MaxPhyOffset() == mst.MaxPhyOffset() && m.AckedOffset() == mst.MaxPhyOffset()
	})
	if sst.MinPhyOffset() != newest {
		t.Fatalf("fresh slave starts at %d, want the master's newest segment %d", sst.MinPhyOffset(), newest)
	}
	for qid := range int32(4) {
		if sst.MaxOffset("A", qid) != mst.MaxOffset("A", qid) {
			t.Fatalf("queue %d: slave max %d, master %d", qid, sst.MaxOffset("A", qid), mst.MaxOffset("A", qid))
		}
		r := sst.GetMessages("A", qid, sst.MinOffset("A", qid), 32, 0, nil)
		if r.Status != store.Found {
			t.Fatalf("queue %d on the slave: %v", qid, r.Status)
		}
		r.Release()
	}
	if got := sst.QueryMessage("A", "k599", 4, 0, 1<<62); len(got.Records) != 1 {
		t.Fatalf("slave index: %d hits for k599", len(got.Records))
	}
	if !s.Connected() || len(m.Slaves()) != 1 {
		t.Fatalf("connected %v, master sees %d slaves", s.Connected(), len(m.Slaves()))
	}
}

func TestSyncReplicationAcknowledgesOnlyReplicated(t *testing.T) {
	mst := openStore(t, t.TempDir())
	cfg := testConfig()
	cfg.Sync = true
	m := startMaster(t, mst, cfg)
	if r := mst.Put([]*codec.Message{msg("S", 0, 0, 10)}, true); r.Status != store.PutSlaveNotAvailable {
		t.Fatalf("no slave: %v", r.Status)
	}
	if r := mst.Put([]*codec.Message{msg("S", 0, 1, 10)}, false); r.Status != store.PutOK {
		t.Fatalf("no slave, no wait: %v", r.Status)
	}
	sst := openStore(t, t.TempDir())
	startSlave(t, sst, m.Addr().String())
	testutil.Eventually(t, 10*time.Second, "slave connected", func() bool { return len(m.Slaves()) == 1 && m.AckedOffset() >= 0 })
	// The slave has the whole log once it has reported: it started from
	// segment 0 (empty slave, one segment on the master).
	testutil.Eventually(t, 10*time.Second, "slave caught up", func() bool { return m.AckedOffset() == mst.MaxPhyOffset() })

	const producers, each = 8, 150
	var wg sync.WaitGroup
	errs := make(chan string, producers)
	for p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r := mst.Put([]*codec.Message{msg("S", int32(p%4), p*1000+i, 500)}, true)
				if r.Status != store.PutOK {
					errs <- fmt.Sprintf("producer %d #%d: %v", p, i, r.Status)
					return
				}
				end := r.Offsets[0].CommitLogOffset + int64(r.Offsets[0].Size)
				if got := sst.MaxPhyOffset(); got < end {
					errs <- fmt.Sprintf("acknowledged up to %d but the slave holds %d", end, got)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	n := 0
	for qid := range int32(4) {
		n += sameQueue(t, mst, sst, "S", qid)
	}
	if n != producers*each+2 {
		t.Fatalf("slave serves %d messages, want %d", n, producers*each+2)
	}
}

// fakeSlave connects to the master and sends one report; it then reads
// frames and never acknowledges again.
func fakeSlave(t *testing.T, addr string, report int64) (net.Conn, func() (int64, []byte)) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(report))
	if _, err := c.Write(b[:]); err != nil {
		t.Fatal(err)
	}
	next := func() (int64, []byte) {
		var h [12]byte
		if _, err := io.ReadFull(c, h[:]); err != nil {
			t.Fatal(err)
		}
		body := make([]byte, binary.BigEndian.Uint32(h[8:]))
		if _, err := io.ReadFull(c, body); err != nil {
			t.Fatal(err)
		}
		return int64(binary.BigEndian.Uint64(h[:])), body
	}
	return c, next
}

func TestSyncTimeoutAndGap(t *testing.T) {
	mst := openStore(t, t.TempDir())
	cfg := testConfig()
	cfg.Sync = true
	cfg.SlaveTimeout = 100 * time.Millisecond
	cfg.MaxGapNotInSync = 4096
	m := startMaster(t, mst, cfg)
	_, _ = fakeSlave(t, m.Addr().String(), 0)
	testutil.Eventually(t, 5*time.Second, "fake slave registered", func() bool {
		s := m.Slaves()
		return len(s) == 1 && s[0].AckOffset == 0
	})
	if r := mst.Put([]*codec.Message{msg("T", 0, 0, 100)}, true); r.Status != store.PutFlushSlaveTimeout || len(r.Offsets) != 1 {
		t.Fatalf("silent slave: %v", r.Status)
	}
	if r := mst.Put([]*codec.Message{msg("T", 0, 1, 5000)}, true); r.Status != store.PutSlaveNotAvailable {
		t.Fatalf("slave more than haMaxGapNotInSync behind: %v", r.Status)
	}
	if got := mst.MaxOffset("T", 0); got != 2 {
		t.Fatalf("both messages are stored on the master: max offset %d", got)
	}
}

func TestWireFormat(t *testing.T) {
	mst := openStore(t, t.TempDir())
	cfg := testConfig()
	cfg.HeartbeatInterval = 100 * time.Millisecond
	cfg.HousekeepingInterval = 5 * time.Second
	m := startMaster(t, mst, cfg)
	r := mst.Put([]*codec.Message{msg("W", 0, 0, 100), msg("W", 0, 1, 100)}, true)
	end := mst.MaxPhyOffset()
	_, next := fakeSlave(t, m.Addr().String(), 0)
	off, body := next()
	if off != 0 || int64(len(body)) != end {
		t.Fatalf("first frame: offset %d, %d bytes; want 0, %d", off, len(body), end)
	}
	v, err := codec.ViewRecord(body)
	if err != nil || v.CommitLogOffset != r.Offsets[0].CommitLogOffset {
		t.Fatalf("frame body is not the commit log: %v", err)
	}
	// Idle: a heartbeat names the next offset and carries nothing.
	if off, body := next(); off != end || len(body) != 0 {
		t.Fatalf("heartbeat: offset %d, %d bytes; want %d, 0", off, len(body), end)
	}
	// A slave that asks for an offset gets the log from there.
	_, next2 := fakeSlave(t, m.Addr().String(), r.Offsets[1].CommitLogOffset)
	if off, body := next2(); off != r.Offsets[1].CommitLogOffset || int64(len(body)) != end-off {
		t.Fatalf("resumed frame: offset %d, %d bytes", off, len(body))
	}
}

func TestSlaveResumesAfterRestart(t *testing.T) {
	mst := openStore(t, t.TempDir())
	m := startMaster(t, mst, testConfig())
	dir := t.TempDir()
	sst := openStore(t, dir)
	s := startSlave(t, sst, m.Addr().String())
	put := func(from, to int) {
		for i := from; i < to; i++ {
			if r := mst.Put([]*codec.Message{msg("R", int32(i%2), i, 3000)}, true); r.Status != store.PutOK {
				t.Fatal(r.Status)
			}
		}
	}
	put(0, 100)
	testutil.Eventually(t, 10*time.Second, "caught up", func() bool { return sst.MaxPhyOffset() == mst.MaxPhyOffset() })
	s.Close()
	if err := sst.Close(); err != nil {
		t.Fatal(err)
	}
	put(100, 250) // crosses a segment while the slave is away
	sst = openStore(t, dir)
	startSlave(t, sst, m.Addr().String())
	put(250, 300)
	testutil.Eventually(t, 10*time.Second, "caught up again", func() bool { return sst.MaxPhyOffset() == mst.MaxPhyOffset() })
	if n := sameQueue(t, mst, sst, "R", 0) + sameQueue(t, mst, sst, "R", 1); n != 300 {
		t.Fatalf("slave serves %d messages", n)
	}
}

func TestSlaveRefusesForeignOffset(t *testing.T) {
	// A "master" that streams from an offset other than the slave's end.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	mst := openStore(t, t.TempDir())
	mst.Put([]*codec.Message{msg("F", 0, 0, 10)}, true)
	sst := openStore(t, t.TempDir())
	c, _ := mst.ReadCommitLog(0, 1<<20)
	if err := sst.AppendReplica(0, c.Data); err != nil {
		t.Fatal(err)
	}
	c.Release()
	startSlave(t, sst, ln.Addr().String())
	nc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	var b [8]byte
	if _, err := io.ReadFull(nc, b[:]); err != nil || int64(binary.BigEndian.Uint64(b[:])) != sst.MaxPhyOffset() {
		t.Fatalf("first report %d (%v), want %d", binary.BigEndian.Uint64(b[:]), err, sst.MaxPhyOffset())
	}
	var h [12]byte
	binary.BigEndian.PutUint64(h[:], uint64(sst.MaxPhyOffset()+100))
	if _, err := nc.Write(h[:]); err != nil {
		t.Fatal(err)
	}
	// The slave hangs up.
	if err := nc.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(nc); err != nil {
		t.Fatalf("the slave kept the connection: %v", err)
	}
}
