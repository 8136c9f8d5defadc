package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// loadScript is the wrk script; wrkScript puts the run's targets above it.
//
//go:embed load.lua
var loadScript string

// generator is the load: wrk, which on one core drives a bare net/http
// server to the end of its own core (vegeta, in-process, topped out near
// 16 000 req/s, below the bare server's 45 000).
type generator struct {
	path    string
	threads int
	conns   int
	pin     bool
	script  string // where each run's script is written
}

func newGenerator(cfg config, dir string) (*generator, error) {
	path, err := exec.LookPath(cfg.wrk)
	if err != nil {
		return nil, fmt.Errorf("the load generator: %w (make bench-load installs it; or apt-get install wrk)", err)
	}
	if cfg.threads < 1 || cfg.threads > cfg.conns {
		return nil, fmt.Errorf("-threads %d: want 1 to -conns (%d)", cfg.threads, cfg.conns)
	}
	return &generator{path: path, threads: cfg.threads, conns: cfg.conns, pin: cfg.pin, script: filepath.Join(dir, "load.lua")}, nil
}

// wrkRun is what one wrk run reports (its script's done line).
type wrkRun struct {
	requests, bytes                       uint64
	duration                              time.Duration
	connect, read, write, status, timeout uint64
	p50, p99, max                         time.Duration
}

func (r wrkRun) throughput() float64 {
	if r.duration <= 0 {
		return 0
	}
	return float64(r.requests) / r.duration.Seconds()
}

// errors counts socket errors, timeouts and answers of status 400 and up.
func (r wrkRun) errors() uint64 { return r.connect + r.read + r.write + r.status + r.timeout }

// run sends ts round robin to base for d, as fast as answers come or,
// when pauseMs is above zero, each connection waiting that long (on
// average) after each answer. It returns wrk's figures and the CPU time
// wrk used.
func (g *generator) run(ctx context.Context, base string, ts []target, pauseMs float64, d time.Duration) (wrkRun, time.Duration, error) {
	if err := os.WriteFile(g.script, []byte(wrkScript(ts, pauseMs)), 0o600); err != nil {
		return wrkRun{}, 0, err
	}
	argv := []string{g.path, "-t", strconv.Itoa(g.threads), "-c", strconv.Itoa(g.conns),
		"-d", wholeSeconds(d), "--timeout", "10s", "-s", g.script, base}
	if g.pin {
		argv = pinned(generatorCore, argv)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return wrkRun{}, 0, fmt.Errorf("wrk: %w: %s", err, lastLines(out.Bytes(), 5))
	}
	r, err := parseWrk(out.Bytes())
	return r, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), err
}

// wholeSeconds is d for wrk's -d, which takes whole units only.
func wholeSeconds(d time.Duration) string {
	return strconv.FormatInt(int64(max(1, (d+time.Second-1)/time.Second)), 10) + "s"
}

// pinned runs argv on one CPU, when taskset is there.
func pinned(cpu int, argv []string) []string {
	taskset, err := exec.LookPath("taskset")
	if err != nil {
		return argv
	}
	return append([]string{taskset, "-c", strconv.Itoa(cpu)}, argv...)
}

// wrkScript is load.lua with ts and the pace (ms a connection waits after
// each answer; 0 for none) defined above it.
func wrkScript(ts []target, paceMs float64) string {
	var b strings.Builder
	b.WriteString("targets = {\n")
	for _, t := range ts {
		fmt.Fprintf(&b, "   {method = %s, path = %s, headers = {", luaString(t.method), luaString(t.path))
		for _, name := range slices.Sorted(maps.Keys(t.header)) {
			fmt.Fprintf(&b, "[%s] = %s, ", luaString(name), luaString(strings.Join(t.header[name], ", ")))
		}
		b.WriteString("}")
		if t.body != nil {
			fmt.Fprintf(&b, ", body = %s", luaString(string(t.body)))
		}
		b.WriteString("},\n")
	}
	fmt.Fprintf(&b, "}\npace_ms = %s\n\n", strconv.FormatFloat(paceMs, 'f', -1, 64))
	b.WriteString(loadScript)
	return b.String()
}

// luaString quotes s for Lua 5.1, every byte that is not printable ASCII as
// a decimal escape.
func luaString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := range len(s) {
		c := s[i]
		if c < ' ' || c > '~' || c == '"' || c == '\\' {
			fmt.Fprintf(&b, "\\%03d", c)
			continue
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.String()
}

// wrkFields are the keys of the script's done line, each where it goes.
var wrkFields = map[string]func(*wrkRun, uint64){
	"requests":    func(r *wrkRun, v uint64) { r.requests = v },
	"duration_us": func(r *wrkRun, v uint64) { r.duration = micros(v) },
	"bytes":       func(r *wrkRun, v uint64) { r.bytes = v },
	"connect":     func(r *wrkRun, v uint64) { r.connect = v },
	"read":        func(r *wrkRun, v uint64) { r.read = v },
	"write":       func(r *wrkRun, v uint64) { r.write = v },
	"status":      func(r *wrkRun, v uint64) { r.status = v },
	"timeout":     func(r *wrkRun, v uint64) { r.timeout = v },
	"p50_us":      func(r *wrkRun, v uint64) { r.p50 = micros(v) },
	"p99_us":      func(r *wrkRun, v uint64) { r.p99 = micros(v) },
	"max_us":      func(r *wrkRun, v uint64) { r.max = micros(v) },
}

func micros(v uint64) time.Duration { return time.Duration(v) * time.Microsecond }

// parseWrk reads the "loadtest: key=value ..." line that load.lua's done
// prints after wrk's own summary; every key must be there once.
func parseWrk(out []byte) (wrkRun, error) {
	for line := range strings.Lines(string(out)) {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "loadtest: ")
		if !ok {
			continue
		}
		var r wrkRun
		seen := map[string]bool{}
		for _, field := range strings.Fields(rest) {
			key, value, _ := strings.Cut(field, "=")
			set, known := wrkFields[key]
			if !known || seen[key] {
				return wrkRun{}, fmt.Errorf("wrk's result line: unknown or repeated %q in %q", key, rest)
			}
			v, err := strconv.ParseUint(value, 10, 64)
			if err != nil {
				return wrkRun{}, fmt.Errorf("wrk's result line: %s: %w", key, err)
			}
			set(&r, v)
			seen[key] = true
		}
		if len(seen) != len(wrkFields) {
			return wrkRun{}, fmt.Errorf("wrk's result line: %d of its %d fields in %q", len(seen), len(wrkFields), rest)
		}
		return r, nil
	}
	return wrkRun{}, errors.New("no result line in wrk's output: " + lastLines(out, 5))
}

// lastLines is the end of a program's output, for an error message.
func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " | ")
}
