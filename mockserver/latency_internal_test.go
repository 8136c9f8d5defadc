package mockserver

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// The histogram's percentiles are never below the true value and at most
// one bucket (19%) above it; its maximum is exact.
func TestLatencyHistogramPercentiles(t *testing.T) {
	uniform := func(lo, hi time.Duration, n int) []time.Duration {
		r := rand.New(rand.NewPCG(1, 2))
		out := make([]time.Duration, n)
		for i := range out {
			out[i] = lo + time.Duration(r.Int64N(int64(hi-lo)))
		}
		return out
	}
	rows := []struct {
		name string
		obs  []time.Duration
	}{
		{"one answer", []time.Duration{42 * time.Millisecond}},
		{"equal answers", slices.Repeat([]time.Duration{3 * time.Millisecond}, 100)},
		{"below the first bucket", []time.Duration{0, time.Nanosecond, 5 * time.Microsecond}},
		{"beyond the last bucket", []time.Duration{time.Millisecond, 10 * time.Minute}},
		{"spread over four decades", uniform(50*time.Microsecond, 500*time.Millisecond, 10000)},
		{"a slow tail", append(uniform(time.Millisecond, 2*time.Millisecond, 990), uniform(time.Second, 2*time.Second, 10)...)},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			var h latencyHistogram
			for _, d := range row.obs {
				h.add(d)
			}
			got := h.summary()
			sorted := slices.Sorted(slices.Values(row.obs))
			exact := func(q float64) time.Duration {
				i := int(q*float64(len(sorted))+0.999999) - 1
				return sorted[max(i, 0)]
			}
			if got.Count != int64(len(row.obs)) || time.Duration(got.Max) != sorted[len(sorted)-1] {
				t.Fatalf("count %d max %v, want %d and %v", got.Count, got.Max, len(row.obs), sorted[len(sorted)-1])
			}
			for _, p := range []struct {
				q   float64
				got Duration
			}{{0.50, got.P50}, {0.90, got.P90}, {0.99, got.P99}} {
				want := exact(p.q)
				if time.Duration(p.got) < want || (want > latencyFloor && float64(p.got) > 1.19*float64(want)) {
					t.Errorf("p%.0f = %v, want %v to 19%% above", p.q*100, p.got, want)
				}
			}
		})
	}
}

func TestLatencyHistogramEmptyAndCleared(t *testing.T) {
	var h latencyHistogram
	if h.summary() != nil {
		t.Fatal("an empty histogram has a summary")
	}
	h.add(time.Second)
	h.clear()
	if s := h.summary(); s != nil {
		t.Fatalf("after clear: %+v", s)
	}
}
