package store

import (
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// TestTruncateDivergedMaster plays a failover: A was master and wrote past
// what B copied; B becomes master and writes on; A rejoins as a slave,
// truncates to the common point and copies B's log.
func TestTruncateDivergedMaster(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	aCfg := testConfig(t)
	a := openStore(t, aCfg)
	b := openStore(t, testConfig(t))
	b.SetSlave(true)
	topics := []string{"TA", "TB"}
	for i := range 150 {
		putKeyed(t, a, rng, topics[i%2], int32(i%3), i)
	}
	copyLog(t, rng, a, b)
	common := b.MaxPhyOffset()
	for i := range 60 { // never replicated
		putKeyed(t, a, rng, topics[i%2], int32(i%3), 5000+i)
	}
	if err := a.TruncateTo(common); !errors.Is(err, ErrNotSlave) {
		t.Fatalf("truncating a master: %v", err)
	}
	b.SetSlave(false)
	for i := range 40 {
		putKeyed(t, b, rng, topics[(i+1)%2], int32(i%2), 9000+i)
	}
	a.SetSlave(true)
	if err := a.TruncateTo(common); err != nil {
		t.Fatal(err)
	}
	if got := a.MaxPhyOffset(); got != common {
		t.Fatalf("MaxPhyOffset after truncation %d, want %d", got, common)
	}
	if err := a.TruncateTo(common + 100); err != nil { // past the end: nothing to do
		t.Fatal(err)
	}
	copyLog(t, rng, b, a)
	sameLogs(t, b, a, topics, 3)

	// The truncated log recovers as it is.
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a = openStore(t, aCfg)
	sameLogs(t, b, a, topics, 3)
}

func TestConsistentPoint(t *testing.T) {
	e := func(pairs ...int64) []EpochEntry {
		var out []EpochEntry
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, EpochEntry{Epoch: int32(pairs[i]), StartOffset: pairs[i+1]})
		}
		return out
	}
	for _, c := range []struct {
		name          string
		local, remote []EpochEntry
		want          int64
	}{
		{"empty local", nil, e(1, 0), -1},
		{"empty remote", e(1, 0), nil, -1},
		{"same", e(1, 0, 2, 500), e(1, 0, 2, 500), math.MaxInt64},
		{"old master rejoins", e(1, 0), e(1, 0, 2, 700), 700},
		{"slave behind", e(1, 0, 2, 700), e(1, 0, 2, 700, 3, 900), 900},
		{"diverged epoch", e(1, 0, 2, 500), e(1, 0, 3, 400), 400},
		{"nothing common", e(4, 100), e(5, 0), 0},
	} {
		if got := ConsistentPoint(c.local, c.remote); got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
	}
}

func TestEpochFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), EpochFileName)
	f, err := OpenEpochFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.LastEpoch() != 0 || len(f.Entries()) != 0 {
		t.Fatal("new epoch file not empty")
	}
	for _, e := range []EpochEntry{{1, 0}, {2, 4096}, {2, 9999}, {1, 5}, {4, 8192}} {
		if err := f.Append(e.Epoch, e.StartOffset); err != nil {
			t.Fatal(err)
		}
	}
	want := []EpochEntry{{1, 0}, {2, 4096}, {4, 8192}}
	g, err := OpenEpochFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := g.Entries()
	if len(got) != len(want) {
		t.Fatalf("entries %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("entries %v, want %v", got, want)
		}
	}
	// A newer epoch starting before existing entries drops them.
	if err := g.Append(5, 5000); err != nil {
		t.Fatal(err)
	}
	if got := g.Entries(); len(got) != 3 || got[2] != (EpochEntry{5, 5000}) {
		t.Fatalf("after append below: %v", got)
	}
	if err := g.Replace(want[:1]); err != nil {
		t.Fatal(err)
	}
	if h, _ := OpenEpochFile(path); len(h.Entries()) != 1 || h.LastEpoch() != 1 {
		t.Fatalf("after replace: %v", h.Entries())
	}
}
