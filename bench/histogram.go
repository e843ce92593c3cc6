package bench

import (
	"math"
	"math/bits"
	"time"
)

// Histogram layout: values (nanoseconds) below subCount are counted
// exactly; above that each power-of-two range [2^k, 2^(k+1)) is split into
// halfCount equal sub-buckets, so a recorded value is known to within
// 1/halfCount (0.8 %) of itself — HdrHistogram's log-linear scheme with
// about two significant decimal digits. Values of maxShift+subBits bits or
// more (over 18 minutes) are counted in the last bucket; Max stays exact.
const (
	subBits   = 8
	subCount  = 1 << subBits // 256
	halfCount = subCount / 2 // 128
	maxShift  = 32
	nBuckets  = subCount + maxShift*halfCount
)

// Histogram counts latencies in log-linear buckets. Recording is O(1) and
// never allocates. The zero value is not usable; call NewHistogram.
//
// A Histogram is not safe for concurrent use: each worker records into its
// own (see recorder), and the reporter merges them.
type Histogram struct {
	counts []uint64
	n      uint64
	sum    float64 // nanoseconds
	min    int64
	max    int64
}

// NewHistogram returns an empty histogram.
func NewHistogram() *Histogram {
	return &Histogram{counts: make([]uint64, nBuckets), min: math.MaxInt64}
}

// bucketOf returns the bucket index of v (v >= 0).
func bucketOf(v int64) int {
	if v < subCount {
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - subBits // >= 1
	if shift > maxShift {
		return nBuckets - 1
	}
	top := int(v >> shift) // in [halfCount, subCount)
	return subCount + (shift-1)*halfCount + top - halfCount
}

// bucketHigh returns the largest value that falls in bucket i.
func bucketHigh(i int) int64 {
	if i < subCount {
		return int64(i)
	}
	j := i - subCount
	shift := j/halfCount + 1
	top := int64(j%halfCount + halfCount)
	return (top+1)<<shift - 1
}

// Record counts one value; negative values count as 0.
func (h *Histogram) Record(d time.Duration) {
	v := max(int64(d), 0)
	h.counts[bucketOf(v)]++
	h.n++
	h.sum += float64(v)
	h.min = min(h.min, v)
	h.max = max(h.max, v)
}

// Merge adds the counts of o to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.n == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	h.min = min(h.min, o.min)
	h.max = max(h.max, o.max)
}

// Reset empties h.
func (h *Histogram) Reset() {
	clear(h.counts)
	h.n, h.sum, h.min, h.max = 0, 0, math.MaxInt64, 0
}

// Count is the number of recorded values.
func (h *Histogram) Count() uint64 { return h.n }

// Mean is the exact mean of the recorded values (0 when empty).
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return time.Duration(h.sum / float64(h.n))
}

// Max is the largest recorded value, exactly.
func (h *Histogram) Max() time.Duration { return time.Duration(h.max) }

// Min is the smallest recorded value, exactly (0 when empty).
func (h *Histogram) Min() time.Duration {
	if h.n == 0 {
		return 0
	}
	return time.Duration(h.min)
}

// Quantile returns the value at quantile q (0 < q <= 1): the upper bound
// of the bucket holding the ceil(q*n)-th smallest value, capped by Max, so
// it overstates by at most one bucket width (< 0.8 %). 0 when empty.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	rank = min(max(rank, 1), h.n)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return time.Duration(min(max(bucketHigh(i), h.min), h.max))
		}
	}
	return time.Duration(h.max)
}
