package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// goals are the targets for the mock's share of the bare server,
// and for its p99 at a rate both servers can sustain.
var goals = map[string]string{"Spark GET note": "≥ 0.80", "Spark PUT note": "≥ 0.60"}

const p99Goal = 2 * time.Millisecond

func report(w io.Writer, cfg config, bare, mock *server, results map[string]map[*server]*result) {
	pinned := "not pinned"
	if cfg.pin {
		pinned = "each server pinned to CPU 1, GOMAXPROCS=1"
	}
	fmt.Fprintf(w, "load: vegeta, %d connections, max rate (a paced phase: both servers at the same set rate), %s per server per round, %d rounds interleaved; %s\n", cfg.conns, cfg.phase, cfg.rounds, pinned)
	fmt.Fprintf(w, "CPU/req is the server process's CPU time per request; CPU ratio is bare's over the mock's: the mock's share of the bare server's capacity when both are CPU-bound\n\n")
	fmt.Fprintf(w, "| phase | server | req/s | p50 | p99 | max | errors | CPU/req | req/s ratio (goal) | CPU ratio |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, ph := range phases {
		b, m := results[ph.name][bare], results[ph.name][mock]
		if b == nil || m == nil || len(b.rounds) == 0 || len(m.rounds) == 0 {
			continue
		}
		ratio := fmt.Sprintf("**%.2f** (%s)", medianRatio(m.rounds, b.rounds), orDash(goals[ph.name]))
		if ph.pacedBy != "" {
			ratio = fmt.Sprintf("p99 **%s** (≤ %s) at %.0f req/s", ms(median(m.rounds, p99)), ms(float64(p99Goal)), median(b.rounds, rate))
		}
		cpuRatio := "-"
		if mc := medianOf(m.cpu); mc > 0 && len(b.cpu) > 0 {
			cpuRatio = fmt.Sprintf("**%.2f**", medianOf(b.cpu)/mc)
		}
		for _, row := range []struct {
			s               *server
			r               *result
			ratio, cpuRatio string
		}{{bare, b, "", ""}, {mock, m, ratio, cpuRatio}} {
			fmt.Fprintf(w, "| %s | %s | %.0f | %s | %s | %s | %d | %s | %s | %s |\n", ph.name, row.s.name, median(row.r.rounds, throughput),
				ms(median(row.r.rounds, p50)), ms(median(row.r.rounds, p99)), ms(maxOf(row.r.rounds)), errorsOf(row.r.rounds),
				us(medianOf(row.r.cpu)), row.ratio, row.cpuRatio)
		}
	}
	fmt.Fprintf(w, "\n| server | start to first 200 (median of %d) | RSS after start | RSS after the load | requests served |\n|---|---:|---:|---:|---:|\n", cfg.starts)
	for _, s := range []*server{bare, mock} {
		fmt.Fprintf(w, "| %s | %.1f ms | %.1f MB | %.1f MB | %d |\n", s.name, float64(s.medianStart().Microseconds())/1000,
			mb(s.rssStart), mb(s.rssAfter), served(results, s))
	}
	fmt.Fprintf(w, "| ratio mock/bare | %.2f (goal ≤ 30 ms) | %.2f (goal ≤ 25 MB) | %.2f | |\n",
		float64(mock.medianStart())/float64(bare.medianStart()), mb(mock.rssStart)/mb(bare.rssStart), mb(mock.rssAfter)/mb(bare.rssAfter))
}

func throughput(m vegeta.Metrics) float64 { return m.Throughput }
func rate(m vegeta.Metrics) float64       { return m.Rate }
func p50(m vegeta.Metrics) float64        { return float64(m.Latencies.P50) }
func p99(m vegeta.Metrics) float64        { return float64(m.Latencies.P99) }

func median(rounds []vegeta.Metrics, f func(vegeta.Metrics) float64) float64 {
	v := make([]float64, len(rounds))
	for i, m := range rounds {
		v[i] = f(m)
	}
	return medianOf(v)
}

func medianOf(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// medianRatio pairs the rounds, so each ratio compares runs made moments
// apart on the same machine.
func medianRatio(mock, bare []vegeta.Metrics) float64 {
	var v []float64
	for i := range min(len(mock), len(bare)) {
		if bare[i].Throughput > 0 {
			v = append(v, mock[i].Throughput/bare[i].Throughput)
		}
	}
	if len(v) == 0 {
		return 0
	}
	return medianOf(v)
}

func maxOf(rounds []vegeta.Metrics) float64 {
	var m time.Duration
	for _, r := range rounds {
		m = max(m, r.Latencies.Max)
	}
	return float64(m)
}

func errorsOf(rounds []vegeta.Metrics) uint64 {
	var n uint64
	for _, r := range rounds {
		n += r.Requests - uint64(float64(r.Requests)*r.Success+0.5)
	}
	return n
}

func served(results map[string]map[*server]*result, s *server) uint64 {
	var n uint64
	for _, byServer := range results {
		if r := byServer[s]; r != nil {
			for _, m := range r.rounds {
				n += m.Requests
			}
		}
	}
	return n
}

func ms(ns float64) string { return fmt.Sprintf("%.2f ms", ns/1e6) }
func us(ns float64) string { return fmt.Sprintf("%.1f µs", ns/1e3) }
func mb(kib int64) float64 { return float64(kib) / 1024 }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
