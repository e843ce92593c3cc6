package ha

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/store"
)

// benchmarkPut measures 1 KiB Puts with WAIT=true from parallel
// goroutines on a master with one slave; sync selects SYNC_MASTER. Puts
// that do not answer PutOK are reported as notOK/op.
func benchmarkPut(b *testing.B, sync bool) {
	mst := openStore(b, b.TempDir())
	cfg := testConfig()
	cfg.Sync = sync
	m, err := NewMaster(mst, cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := m.Start(); err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	mst.SetReplication(m)
	defer mst.SetReplication(nil)
	sst := openStore(b, b.TempDir())
	s, err := NewSlave(sst, testConfig(), nil)
	if err != nil {
		b.Fatal(err)
	}
	s.SetMasterAddr(m.Addr().String())
	s.Start()
	defer s.Close()
	testutil.Eventually(b, 10*time.Second, "slave connected", func() bool { return len(m.Slaves()) == 1 && m.AckedOffset() >= 0 })
	var notOK atomic.Int64
	var qid atomic.Int32
	b.SetBytes(1024)
	b.SetParallelism(16) // 16 × GOMAXPROCS senders, like a loaded broker's send pool
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		q := qid.Add(1) % 8
		i := 0
		for pb.Next() {
			r := mst.Put([]*codec.Message{msg("B", q, i, 1000)}, true)
			if r.Status != store.PutOK {
				notOK.Add(1)
			}
			i++
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(notOK.Load())/float64(b.N), "notOK/op")
}

// BenchmarkAsyncMasterPut is the baseline of BenchmarkSyncMasterPut.
func BenchmarkAsyncMasterPut(b *testing.B) { benchmarkPut(b, false) }

// BenchmarkSyncMasterPut: every Put waits for the slave's acknowledgement.
func BenchmarkSyncMasterPut(b *testing.B) { benchmarkPut(b, true) }
