package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

// rounds makes samples of 1 s each from (requests, server CPU ms) pairs.
func rounds(pairs ...[2]uint64) []sample {
	var out []sample
	for _, p := range pairs {
		out = append(out, sample{
			run:   wrkRun{requests: p[0], duration: time.Second},
			usage: usage{wall: time.Second, server: time.Duration(p[1]) * time.Millisecond},
		})
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestThroughputRatioPairsRounds(t *testing.T) {
	bare := rounds([2]uint64{40000, 1000}, [2]uint64{20000, 1000}, [2]uint64{45000, 1000})
	mock := rounds([2]uint64{30000, 1000}, [2]uint64{16000, 1000}, [2]uint64{27000, 1000})
	// Pairs: 0.75, 0.80, 0.60; the median of pairs, not the ratio of medians (27000/40000).
	if got := throughputRatio(mock, bare); !near(got, 0.75) {
		t.Errorf("throughputRatio = %v, want 0.75", got)
	}
	if got := throughputRatio(mock, rounds([2]uint64{0, 0})); got != 0 {
		t.Errorf("against a round that served nothing: %v, want 0", got)
	}
	if got := throughputRatio(mock[:2], bare); !near(got, (0.75+0.80)/2) {
		t.Errorf("fewer rounds on one side: %v, want the median of the pairs there are", got)
	}
}

func TestCPURatio(t *testing.T) {
	bare := rounds([2]uint64{40000, 1000}, [2]uint64{40000, 1000}) // 25 µs/req
	mock := rounds([2]uint64{20000, 1000}, [2]uint64{25000, 1000}) // 50 and 40 µs/req: median 45
	if got := cpuRatioOf(mock, bare); !near(got, 25.0/45) {
		t.Errorf("cpuRatioOf = %v, want %v", got, 25.0/45)
	}
	if got := cpuRatioOf(mock, rounds([2]uint64{0, 1000})); got != 0 {
		t.Errorf("bare served nothing: %v, want 0 (unknown)", got)
	}
}

func TestLogCost(t *testing.T) {
	withLog := rounds([2]uint64{21000, 1000}, [2]uint64{27000, 1000})
	without := rounds([2]uint64{28000, 1000}, [2]uint64{30000, 1000})
	if got := logCost(withLog, without); !near(got, 1-(0.75+0.9)/2) {
		t.Errorf("logCost = %v, want %v", got, 1-(0.75+0.9)/2)
	}
}

func TestMockRatiosAlikeForEveryMock(t *testing.T) {
	bare := &result{rounds: rounds([2]uint64{40000, 1000})}
	r := &result{rounds: rounds([2]uint64{32000, 1000})}
	get := phases[0]
	for _, tc := range []struct {
		name, valid, wantRatio string
		goals                  map[string]string
	}{
		{"valid, with a goal", "", "**0.80** (≥ 0.80)", map[string]string{get.name: "≥ 0.80"}},
		{"valid, no goal", "", "**0.80** (-)", nil},
		{"generator-bound", "generator-bound: ratio not valid (…)", "0.80 (≥ 0.85), not valid", map[string]string{get.name: "≥ 0.85"}},
	} {
		ratio, cpu := mockRatios(get, &server{goals: tc.goals}, r, bare, tc.valid)
		if ratio != tc.wantRatio || cpu != "**0.80**" {
			t.Errorf("%s: %q, %q; want %q, %q", tc.name, ratio, cpu, tc.wantRatio, "**0.80**")
		}
	}
	paced := phases[len(phases)-1]
	if ratio, _ := mockRatios(paced, &server{}, r, bare, ""); !strings.HasPrefix(ratio, "p99 ") {
		t.Errorf("paced phase: %q, want the p99", ratio)
	}
}

func TestMedianOf(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}} {
		in := append([]float64(nil), tc.in...)
		if got := medianOf(tc.in); got != tc.want {
			t.Errorf("medianOf(%v) = %v, want %v", tc.in, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.in[i] {
				t.Errorf("medianOf reordered its input: %v", tc.in)
			}
		}
	}
}

func TestLogCostForEachPairOfMocks(t *testing.T) {
	bare := &server{name: "bare"}
	now, nowWarn := mockPair("bin/mockserver", "mockserver", t.TempDir(), true, false)
	old, oldWarn := mockPair("/tmp/old", "before", t.TempDir(), false, false)
	if now.goals == nil || old.goals != nil || oldWarn.goals != nil {
		t.Fatalf("goals: the binary under test carries them, the -before one not: %v %v %v", now.goals, old.goals, oldWarn.goals)
	}
	get := phases[0]
	pr := &phaseResult{servers: map[*server]*result{
		bare:    {rounds: rounds([2]uint64{40000, 1000})},
		now:     {rounds: rounds([2]uint64{30000, 1000})},
		nowWarn: {rounds: rounds([2]uint64{31500, 1000})},
		old:     {rounds: rounds([2]uint64{20000, 1000})},
		oldWarn: {rounds: rounds([2]uint64{25000, 1000})},
	}}
	var out strings.Builder
	reportLogCost(&out, []*server{bare, now, nowWarn, old, oldWarn}, results{get.name: pr})
	for _, want := range []string{
		"mockserver (defaults) against mockserver --log-level warn",
		get.name + ": 5% of req/s, +5% CPU/req",
		"before (defaults) against before --log-level warn",
		get.name + ": 20% of req/s, +25% CPU/req",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
	}
}
