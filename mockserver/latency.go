package mockserver

import (
	"math"
	"sync/atomic"
	"time"
)

// LatencySummary is how long the real service took to answer one
// operation through the proxy, since the server started (or since
// ClearRequests). Percentiles come from a histogram whose buckets are
// 19% wide: each is the upper edge of its bucket, so it is never below
// the true value and at most 19% above it. Max is exact.
type LatencySummary struct {
	Count int64    `json:"count"`
	P50   Duration `json:"p50"`
	P90   Duration `json:"p90"`
	P99   Duration `json:"p99"`
	Max   Duration `json:"max"`
}

// Buckets grow by 2^(1/4) from latencyFloor; the last one also holds
// everything slower than its lower edge (over two minutes), and reports
// the exact maximum.
const (
	latencyFloor   = 10 * time.Microsecond
	bucketsPerStep = 4 // buckets per doubling
	latencyBuckets = 24*bucketsPerStep + 1
)

// latencyHistogram counts answers per bucket in atomics: recording takes
// no lock and allocates nothing.
type latencyHistogram struct {
	buckets [latencyBuckets]atomic.Int64
	max     atomic.Int64
}

func latencyBucket(d time.Duration) int {
	if d <= latencyFloor {
		return 0
	}
	i := int(math.Ceil(math.Log2(float64(d)/float64(latencyFloor)) * bucketsPerStep))
	return min(i, latencyBuckets-1)
}

// bucketEdge is the upper edge of bucket i.
func bucketEdge(i int) time.Duration {
	return time.Duration(float64(latencyFloor) * math.Exp2(float64(i)/bucketsPerStep))
}

func (h *latencyHistogram) add(d time.Duration) {
	h.buckets[latencyBucket(d)].Add(1)
	for {
		cur := h.max.Load()
		if int64(d) <= cur || h.max.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}

// summary is nil when nothing was recorded.
func (h *latencyHistogram) summary() *LatencySummary {
	var counts [latencyBuckets]int64
	var total int64
	for i := range h.buckets {
		counts[i] = h.buckets[i].Load()
		total += counts[i]
	}
	if total == 0 {
		return nil
	}
	slowest := time.Duration(h.max.Load())
	at := func(q float64) Duration {
		rank := int64(math.Ceil(q * float64(total)))
		var seen int64
		for i, n := range counts {
			if seen += n; seen < rank {
				continue
			}
			if i == latencyBuckets-1 {
				break
			}
			return Duration(min(bucketEdge(i), slowest))
		}
		return Duration(slowest)
	}
	return &LatencySummary{Count: total, P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: Duration(slowest)}
}

func (h *latencyHistogram) clear() {
	for i := range h.buckets {
		h.buckets[i].Store(0)
	}
	h.max.Store(0)
}
