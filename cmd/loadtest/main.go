// Command loadtest is make bench-load. It starts the built mockserver as
// users run it (default flags: info level, one log line per request), the
// same binary with --log-level warn, and a bare net/http server answering
// the same bytes (cmd/loadtest/bare), each on a free loopback port; drives
// all three with wrk through the same phases, the servers taking turns;
// and prints throughput, latency, errors, CPU, memory and start time for
// each, and each mock's ratios to the bare server, computed alike.
//
// With -pin (the default on 2 or more cores) each server runs on CPU 1
// with GOMAXPROCS=1 and wrk on CPU 0. A full-speed phase in which the
// bare server did not keep CPU 1 busy says its ratios are not valid:
// then the load, not the server, set the pace, and a req/s ratio compares
// two under-loaded servers. Only ratios from one run mean anything on a
// shared machine, so -before runs an older build beside the others (its
// defaults and warn level) to show a change's effect from one run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"
)

type config struct {
	bin      string
	before   string
	wrk      string
	phase    time.Duration
	rounds   int
	conns    int
	threads  int
	starts   int
	pin      bool
	keep     bool
	deadline time.Duration
	soak     uint64
}

func main() {
	cfg := config{}
	flag.StringVar(&cfg.bin, "bin", "bin/mockserver", "the built mockserver binary")
	flag.StringVar(&cfg.before, "before", "", "an older mockserver binary to drive too (defaults and warn), for before/after ratios from one run")
	flag.StringVar(&cfg.wrk, "wrk", "wrk", "the wrk binary (the load generator)")
	flag.DurationVar(&cfg.phase, "phase", 2*time.Second, "how long each server is driven in each phase and round (whole seconds)")
	flag.IntVar(&cfg.rounds, "rounds", 3, "rounds of each phase, the servers taking turns")
	flag.IntVar(&cfg.conns, "conns", 32, "wrk's connections")
	flag.IntVar(&cfg.threads, "threads", 2, "wrk's threads")
	flag.IntVar(&cfg.starts, "starts", 5, "starts timed per server (the median is shown)")
	flag.BoolVar(&cfg.pin, "pin", runtime.NumCPU() >= 2, "run each server on CPU 1 with GOMAXPROCS=1 and wrk on CPU 0 (taskset)")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the temporary folder (the servers' logs) instead of removing it")
	flag.DurationVar(&cfg.deadline, "deadline", 2*time.Minute, "the whole run stops by then")
	flag.Uint64Var(&cfg.soak, "soak", 0, "after the phases, drive the mock (defaults) alone with about this many requests of the mix, reading its RSS on the way")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), cfg.deadline)
	defer cancel()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config) error {
	if cfg.phase%time.Second != 0 || cfg.phase <= 0 {
		return fmt.Errorf("-phase %s: want whole seconds (wrk's -d takes no less)", cfg.phase)
	}
	dir, err := os.MkdirTemp("", "loadtest")
	if err != nil {
		return err
	}
	if !cfg.keep {
		defer os.RemoveAll(dir)
	}
	gen, err := newGenerator(cfg, dir)
	if err != nil {
		return err
	}
	servers, err := startServers(ctx, cfg, dir)
	defer stopAll(servers)
	if err != nil {
		return err
	}
	res, err := drive(ctx, cfg, gen, servers)
	for _, s := range servers {
		s.rssAfter = rss(s.pid())
	}
	report(os.Stdout, cfg, servers, res)
	if cfg.soak > 0 && err == nil && ctx.Err() == nil {
		begin := time.Now()
		var rate float64 // what the mock served the mix at sizes the soak's runs
		if pr := res[mixPhase]; pr != nil {
			rate = median(pr.servers[servers[1]].rounds, throughput)
		}
		samples, errs, soakErr := soak(ctx, gen, servers[1], cfg.soak, rate)
		reportSoak(os.Stdout, servers[1], samples, errs, time.Since(begin))
		err = soakErr
	}
	stopAll(servers) // SIGTERM: the mocks flush their logs
	reportLogs(os.Stdout, cfg, dir, servers)
	return errors.Join(err, ctx.Err())
}

// startServers starts the mock with its defaults (and records its answers
// for the bare server), the mock at warn level, the bare server, and with
// -before the older binary at both levels, each cfg.starts times, timing
// the starts. servers[0] is the bare server and the mocks follow in pairs,
// defaults then warn. It returns those it started, also on error.
func startServers(ctx context.Context, cfg config, dir string) ([]*server, error) {
	bareBin := filepath.Join(dir, "bare")
	if err := goBuild(ctx, bareBin, "./cmd/loadtest/bare"); err != nil {
		return nil, err
	}
	defaults, warn := mockPair(cfg.bin, "mockserver", dir, true, cfg.pin)
	answers := filepath.Join(dir, "answers.json")
	bare := &server{name: "bare net/http", argv: []string{bareBin, "-answers", answers, "-addr"}, pin: cfg.pin, log: filepath.Join(dir, "bare.log")}
	order := []*server{defaults, warn, bare}
	if cfg.before != "" {
		bd, bw := mockPair(cfg.before, "before", dir, false, cfg.pin)
		order = append(order, bd, bw)
	}
	var started []*server
	for _, s := range order {
		if err := s.measureStarts(ctx, cfg.starts); err != nil {
			return started, err
		}
		started = append(started, s)
		if s == defaults {
			if err := record(ctx, s.base, answers); err != nil {
				return started, err
			}
		}
	}
	return append([]*server{bare}, slices.DeleteFunc(order, func(s *server) bool { return s == bare })...), nil
}

// mockPair is a binary as users run it (defaults: one log line per
// request) and at --log-level warn; only the binary under test carries
// issue 19's goals.
func mockPair(bin, label, dir string, goals, pin bool) (defaults, warn *server) {
	mock := func(name, file string, goal map[string]string, flags ...string) *server {
		argv := append(append([]string{bin, "serve"}, flags...), "--addr")
		if !goals {
			goal = nil
		}
		return &server{name: name, argv: argv, pin: pin, log: filepath.Join(dir, file), goals: goal}
	}
	defaults = mock(label+" (defaults)", label+"-defaults.log", map[string]string{"Spark GET note": "≥ 0.80", "Spark PUT note": "≥ 0.65"})
	warn = mock(label+" --log-level warn", label+"-warn.log", map[string]string{"Spark GET note": "≥ 0.85"}, "--log-level", "warn")
	return defaults, warn
}

func stopAll(servers []*server) {
	for _, s := range servers {
		s.stop()
	}
}
