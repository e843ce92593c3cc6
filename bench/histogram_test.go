package bench

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestBucketBoundsCoverEveryValue(t *testing.T) {
	// Every value lies within its bucket, buckets are contiguous, and the
	// width stays within 1/128 of the value.
	for _, v := range []int64{0, 1, 255, 256, 257, 258, 511, 512, 513, 1023, 1024, 1 << 20, 1<<20 + 12345, 1<<40 - 1} {
		i := bucketOf(v)
		hi := bucketHigh(i)
		lo := int64(0)
		if i > 0 {
			lo = bucketHigh(i-1) + 1
		}
		if v < lo || v > hi {
			t.Errorf("value %d: bucket %d holds [%d, %d]", v, i, lo, hi)
		}
		if v >= subCount && float64(hi-lo+1) > float64(v)/halfCount {
			t.Errorf("value %d: bucket width %d exceeds 1/%d of the value", v, hi-lo+1, halfCount)
		}
	}
	for i := 1; i < nBuckets; i++ {
		if bucketOf(bucketHigh(i-1)+1) != i || bucketOf(bucketHigh(i)) != i {
			t.Fatalf("bucket %d is not contiguous with %d", i, i-1)
		}
	}
	equal(t, bucketOf(math.MaxInt64), nBuckets-1)
}

func TestHistogramQuantilesMatchSortedValues(t *testing.T) {
	h := NewHistogram()
	r := rand.New(rand.NewPCG(1, 2))
	vals := make([]int64, 100000)
	for i := range vals {
		// log-uniform between 1 µs and 1 s
		vals[i] = int64(math.Exp(r.Float64()*math.Log(1e6)) * 1e3)
		h.Record(time.Duration(vals[i]))
	}
	slices.Sort(vals)
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999, 1} {
		exact := vals[int(math.Ceil(q*float64(len(vals))))-1]
		got := int64(h.Quantile(q))
		if got < exact || float64(got-exact) > float64(exact)/halfCount {
			t.Errorf("q%v = %d, exact %d (want within +1/%d)", q, got, exact, halfCount)
		}
	}
	equal(t, h.Count(), uint64(len(vals)))
	equal(t, int64(h.Max()), vals[len(vals)-1])
	equal(t, int64(h.Min()), vals[0])
	var sum float64
	for _, v := range vals {
		sum += float64(v)
	}
	if d := math.Abs(float64(h.Mean()) - sum/float64(len(vals))); d > 1 {
		t.Errorf("mean off by %v ns", d)
	}
}

func TestHistogramMergeAndReset(t *testing.T) {
	a, b := NewHistogram(), NewHistogram()
	for i := range 100 {
		a.Record(time.Duration(i) * time.Millisecond)
		b.Record(time.Duration(100+i) * time.Millisecond)
	}
	a.Merge(b)
	equal(t, a.Count(), uint64(200))
	equal(t, a.Max(), 199*time.Millisecond)
	equal(t, a.Min(), time.Duration(0))
	if p50 := a.Quantile(0.5); p50 < 99*time.Millisecond || p50 > 100*time.Millisecond {
		t.Errorf("p50 of 0..199 ms = %v", p50)
	}
	a.Merge(NewHistogram()) // merging an empty histogram changes nothing
	equal(t, a.Count(), uint64(200))
	a.Reset()
	equal(t, a.Count(), uint64(0))
	equal(t, a.Quantile(0.99), time.Duration(0))
	equal(t, a.Mean(), time.Duration(0))
	a.Record(-5) // clamps to 0
	equal(t, a.Max(), time.Duration(0))
}

func TestHistogramRecordDoesNotAllocate(t *testing.T) {
	h := NewHistogram()
	n := testing.AllocsPerRun(1000, func() { h.Record(1234567) })
	equal(t, n, 0.0)
}

func BenchmarkHistogramRecord(b *testing.B) {
	h := NewHistogram()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		h.Record(time.Duration(i&0xFFFFF) * 100)
	}
}
