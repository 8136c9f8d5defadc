package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Goals from issue 19 for the mocks (their share of bare's throughput is
// on each server), and from issue 13 for the paced phase's p99.
const (
	p99Goal   = 2 * time.Millisecond
	startGoal = 25 * time.Millisecond
	rssGoal   = 25 // MB after start
	logGoal   = 0.05
)

func report(w io.Writer, cfg config, servers []*server, res results) {
	reportHeader(w, cfg)
	fmt.Fprintf(w, "| phase | server | req/s | CPU | CPU/req | p50 | p99 | max | errors | req/s ratio (goal) | CPU ratio |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	var notes []string
	for _, ph := range phases {
		if note := reportPhase(w, cfg, ph, servers, res[ph.name]); note != "" {
			notes = append(notes, fmt.Sprintf("- %s: %s", ph.name, note))
		}
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "\nwhy not valid:\n%s\n", strings.Join(notes, "\n"))
	}
	reportLogCost(w, servers, res)
	reportServers(w, cfg, servers)
}

func reportHeader(w io.Writer, cfg config) {
	where := "not pinned (saturation not checked)"
	if cfg.pin {
		where = fmt.Sprintf("on CPU %d; each server on CPU %d with GOMAXPROCS=1", generatorCore, serverCore)
	}
	fmt.Fprintf(w, "load: wrk, %d threads and %d connections, %s; %s per server per round, %d rounds, the servers taking turns; full speed, except the paced phase (each connection pauses after each answer, the pause set from each server's previous round so that all reach the set rate)\n",
		cfg.threads, cfg.conns, where, cfg.phase, cfg.rounds)
	fmt.Fprintf(w, "CPU is the server process's CPU time over the round (100%% = its core), CPU/req its CPU time per request; req/s ratio is the mock's over bare's (median of the rounds' pairs), CPU ratio bare's CPU/req over the mock's\n")
	fmt.Fprintf(w, "a full-speed phase in which the bare server did not keep its core busy (under %s of it) is marked \"ratio not valid\": then not the server but the load, or other work on its core, set the pace\n\n", pct(saturatedShare))
}

// reportPhase prints a row per server; bare's ratio cell holds the
// phase's verdict, or the rate a paced phase was set to. It returns the
// verdict's detail.
func reportPhase(w io.Writer, cfg config, ph phase, servers []*server, pr *phaseResult) string {
	if pr == nil || len(pr.servers[servers[0]].rounds) == 0 {
		return ""
	}
	bare := pr.servers[servers[0]]
	valid, detail := "", ""
	if cfg.pin && ph.pacedBy == "" {
		valid, detail = verdict(bare.usage())
	}
	for i, s := range servers {
		r := pr.servers[s]
		if len(r.rounds) == 0 {
			continue
		}
		ratio, cpuRatio := valid, ""
		switch {
		case i == 0 && ph.pacedBy != "":
			ratio = fmt.Sprintf("set to %.0f req/s", pr.rate)
		case i > 0:
			ratio, cpuRatio = mockRatios(ph, s, r, bare, valid)
		}
		fmt.Fprintf(w, "| %s | %s | %.0f | %s | %s | %s | %s | %s | %d | %s | %s |\n", ph.name, s.name,
			median(r.rounds, throughput), pct(r.usage().serverShare()), us(median(r.rounds, sample.cpuPerRequest)),
			ms(median(r.rounds, p50)), ms(median(r.rounds, p99)), ms(maxOf(r.rounds)), errorsOf(r.rounds), ratio, cpuRatio)
	}
	return detail
}

// mockRatios are a mock's ratio cells, computed alike for every mock.
func mockRatios(ph phase, s *server, r, bare *result, valid string) (ratio, cpuRatio string) {
	if c := cpuRatioOf(r.rounds, bare.rounds); c > 0 {
		cpuRatio = fmt.Sprintf("**%.2f**", c)
	}
	if ph.pacedBy != "" {
		return fmt.Sprintf("p99 **%s** (≤ %s)", ms(median(r.rounds, p99)), ms(float64(p99Goal))), cpuRatio
	}
	goal := orDash(s.goals[ph.name])
	if valid != "" {
		return fmt.Sprintf("%.2f (%s), not valid", throughputRatio(r.rounds, bare.rounds), goal), cpuRatio
	}
	return fmt.Sprintf("**%.2f** (%s)", throughputRatio(r.rounds, bare.rounds), goal), cpuRatio
}

// reportLogCost compares each pair of mocks (defaults, then warn): what
// the per-request log line costs in the same run.
func reportLogCost(w io.Writer, servers []*server, res results) {
	for i := 1; i+1 < len(servers); i += 2 {
		reportLogPair(w, servers[i], servers[i+1], res)
	}
}

func reportLogPair(w io.Writer, withLog, without *server, res results) {
	fmt.Fprintf(w, "\nthe per-request log line's cost, %s against %s, paired rounds (goal ≤ %s of req/s):\n", withLog.name, without.name, pct(logGoal))
	for _, ph := range phases {
		pr := res[ph.name]
		if ph.pacedBy != "" || pr == nil || len(pr.servers[withLog].rounds) == 0 || len(pr.servers[without].rounds) == 0 {
			continue
		}
		a, b := pr.servers[withLog], pr.servers[without]
		line := fmt.Sprintf("- %s: %s of req/s", ph.name, pct(logCost(a.rounds, b.rounds)))
		if c := cpuRatioOf(b.rounds, a.rounds); c > 0 {
			line += fmt.Sprintf(", %+.0f%% CPU/req", 100*(c-1))
		}
		if !a.usage().saturated() || !b.usage().saturated() {
			line += fmt.Sprintf(" (not valid: the mocks used %s and %s of their core)", pct(a.usage().serverShare()), pct(b.usage().serverShare()))
		}
		fmt.Fprintln(w, line)
	}
}

func reportServers(w io.Writer, cfg config, servers []*server) {
	fmt.Fprintf(w, "\n| server | start to first 200 (median of %d) | CPU by then (user+sys) | RSS after start | RSS after the load | requests served |\n|---|---:|---:|---:|---:|---:|\n", cfg.starts)
	for i, s := range servers {
		startGoalNote, rssGoalNote := "", ""
		if i > 0 {
			startGoalNote, rssGoalNote = fmt.Sprintf(" (≤ %s)", ms(float64(startGoal))), fmt.Sprintf(" (≤ %d MB)", rssGoal)
		}
		fmt.Fprintf(w, "| %s | %s%s | %s | %.1f MB%s | %.1f MB | %d |\n", s.name, ms(float64(s.medianStart())), startGoalNote,
			ms(float64(medianDuration(s.startCPU))), mb(s.rssStart), rssGoalNote, mb(s.rssAfter), s.requests)
	}
}

// reportLogs says where each server's stderr went and how much of it
// there is: the mock at its defaults writes a line per request.
func reportLogs(w io.Writer, cfg config, dir string, servers []*server) {
	what := "removed at the end; -keep keeps it"
	if cfg.keep {
		what = "kept (-keep)"
	}
	fmt.Fprintf(w, "\nthe servers' stderr (the mock's request log) went to files in %s, not the terminal; the folder is %s:\n", dir, what)
	for _, s := range servers {
		lines, size, err := countLines(s.log)
		if err != nil {
			fmt.Fprintf(w, "- %s: %v\n", s.name, err)
			continue
		}
		fmt.Fprintf(w, "- %s: %s, %d lines (%.1f MB) for %d requests under load\n", s.name, filepath.Base(s.log), lines, float64(size)/(1<<20), s.requests)
	}
}

// countLines counts the lines of a file and its bytes.
func countLines(file string) (lines, size int64, err error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	for {
		n, err := f.Read(buf)
		lines += int64(bytes.Count(buf[:n], []byte{'\n'}))
		size += int64(n)
		if err == io.EOF {
			return lines, size, nil
		}
		if err != nil {
			return lines, size, err
		}
	}
}

func throughput(s sample) float64 { return s.run.throughput() }
func p50(s sample) float64        { return float64(s.run.p50) }
func p99(s sample) float64        { return float64(s.run.p99) }

func median(rounds []sample, f func(sample) float64) float64 {
	v := make([]float64, len(rounds))
	for i, s := range rounds {
		v[i] = f(s)
	}
	return medianOf(v)
}

func medianOf(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Sorted(slices.Values(v))
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// throughputRatio is the median of a's throughput over b's, round by
// round: each ratio compares runs made moments apart on the same machine.
func throughputRatio(a, b []sample) float64 {
	var v []float64
	for i := range min(len(a), len(b)) {
		if b[i].run.throughput() > 0 {
			v = append(v, a[i].run.throughput()/b[i].run.throughput())
		}
	}
	return medianOf(v)
}

// logCost is the share of throughput a loses to b, round by round: the
// per-request log line's cost when a logs each request and b does not.
func logCost(a, b []sample) float64 { return 1 - throughputRatio(a, b) }

// cpuRatioOf is b's median CPU per request over a's: a's share of b's
// capacity when both are CPU-bound; 0 when either is unknown.
func cpuRatioOf(a, b []sample) float64 {
	ca, cb := median(a, sample.cpuPerRequest), median(b, sample.cpuPerRequest)
	if ca <= 0 || cb <= 0 {
		return 0
	}
	return cb / ca
}

func maxOf(rounds []sample) float64 {
	var m time.Duration
	for _, s := range rounds {
		m = max(m, s.run.max)
	}
	return float64(m)
}

func errorsOf(rounds []sample) uint64 {
	var n uint64
	for _, s := range rounds {
		n += s.run.errors()
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
