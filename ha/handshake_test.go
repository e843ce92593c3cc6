package ha

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/store"
)

func epochFile(t *testing.T, dir string, es ...store.EpochEntry) *store.EpochFile {
	t.Helper()
	ef, err := store.OpenEpochFile(filepath.Join(dir, store.EpochFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if err := ef.Append(e.Epoch, e.StartOffset); err != nil {
			t.Fatal(err)
		}
	}
	return ef
}

func put(t *testing.T, st *store.Store, n, from int) {
	t.Helper()
	for i := range n {
		if r := st.Put([]*codec.Message{msg("HS", int32(i%2), from+i, 500)}, false); r.Status != store.PutOK {
			t.Fatalf("put: %v %v", r.Status, r.Err)
		}
	}
}

// TestHandshakeTruncatesDivergedSlave: the old master (epoch 1) wrote
// past what the new master (epoch 2) had; rejoining as a slave it cuts
// its log at the epoch boundary and then follows.
func TestHandshakeTruncatesDivergedSlave(t *testing.T) {
	oldDir, newDir := t.TempDir(), t.TempDir()
	oldSt, newSt := openStore(t, oldDir), openStore(t, newDir)
	oldEF := epochFile(t, oldDir, store.EpochEntry{Epoch: 1, StartOffset: 0})
	put(t, oldSt, 40, 0)
	// The new master had replicated the first 40 messages.
	for off := int64(0); off < oldSt.MaxPhyOffset(); {
		c, ok := oldSt.ReadCommitLog(off, 1<<20)
		if !ok {
			t.Fatal("read")
		}
		newSt.SetSlave(true)
		if err := newSt.AppendReplica(off, c.Data); err != nil {
			t.Fatal(err)
		}
		off += int64(len(c.Data))
		c.Release()
	}
	newSt.SetSlave(false)
	boundary := newSt.MaxPhyOffset()
	put(t, oldSt, 25, 1000) // unreplicated: must go
	newEF := epochFile(t, newDir, store.EpochEntry{Epoch: 1, StartOffset: 0}, store.EpochEntry{Epoch: 2, StartOffset: boundary})
	put(t, newSt, 30, 2000)

	cfg := testConfig()
	cfg.Sync = true
	cfg.SlaveTimeout = 300 * time.Millisecond
	m := startMaster(t, newSt, cfg)
	m.SetEpochs(newEF)
	m.SetSyncStateSet([]int64{})
	// An empty SyncStateSet (the master alone) acknowledges at once.
	if st := m.WaitAck(newSt.MaxPhyOffset()); st != store.PutOK {
		t.Fatalf("alone: %v", st)
	}
	m.SetSyncStateSet([]int64{7})
	if st := m.WaitAck(newSt.MaxPhyOffset()); st != store.PutFlushSlaveTimeout {
		t.Fatalf("in-sync slave missing: %v", st)
	}

	s, err := NewSlave(oldSt, testConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.SetIdentity(7, oldEF)
	s.SetMasterAddr(m.Addr().String())
	s.Start()
	t.Cleanup(s.Close)
	testutil.Eventually(t, 10*time.Second, "slave caught up", func() bool {
		return oldSt.MaxPhyOffset() == newSt.MaxPhyOffset()
	})
	sameQueue(t, newSt, oldSt, "HS", 0)
	sameQueue(t, newSt, oldSt, "HS", 1)
	if got := oldEF.Entries(); len(got) != 2 || got[1].StartOffset != boundary {
		t.Fatalf("slave epochs %v", got)
	}
	if sl := m.Slaves(); len(sl) != 1 || sl[0].BrokerID != 7 {
		t.Fatalf("slaves %+v", sl)
	}
	// Slave 7 acknowledges: a sync send completes.
	put(t, newSt, 1, 3000)
	if st := m.WaitAck(newSt.MaxPhyOffset()); st != store.PutOK {
		t.Fatalf("with slave 7: %v", st)
	}
	// Detach returns once the slave stopped following.
	s.Detach()
	if s.Connected() {
		t.Fatal("still connected after Detach")
	}
}
