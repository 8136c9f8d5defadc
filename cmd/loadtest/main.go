// Command loadtest is make bench-load: it starts the built mockserver and
// a bare net/http server answering the same bytes (cmd/loadtest/bare),
// each on a free loopback port, drives both with vegeta (32 connections,
// as fast as they answer) through the same phases, interleaved, and
// prints throughput, latency, errors, memory and start time for both, and
// the mock's ratios to the bare server. Only ratios from one run mean
// anything on a shared machine.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

type config struct {
	bin      string
	phase    time.Duration
	rounds   int
	conns    int
	starts   int
	pin      bool
	deadline time.Duration
	soak     uint64
}

func main() {
	cfg := config{}
	flag.StringVar(&cfg.bin, "bin", "bin/mockserver", "the built mockserver binary")
	flag.DurationVar(&cfg.phase, "phase", 3*time.Second, "how long each server is driven in each phase and round")
	flag.IntVar(&cfg.rounds, "rounds", 3, "rounds of each phase, the servers taking turns")
	flag.IntVar(&cfg.conns, "conns", 32, "connections (and workers)")
	flag.IntVar(&cfg.starts, "starts", 5, "starts timed per server (the median is shown)")
	flag.BoolVar(&cfg.pin, "pin", runtime.NumCPU() >= 2, "run each server on CPU 1 with GOMAXPROCS=1 (taskset), the load on the others")
	flag.DurationVar(&cfg.deadline, "deadline", 2*time.Minute, "the whole run stops by then")
	flag.Uint64Var(&cfg.soak, "soak", 0, "after the phases, drive the mock alone with this many requests of the mix, reading its RSS on the way")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), cfg.deadline)
	defer cancel()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config) error {
	dir, err := os.MkdirTemp("", "loadtest")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bare := filepath.Join(dir, "bare")
	if err := goBuild(ctx, bare, "./cmd/loadtest/bare"); err != nil {
		return err
	}
	mock := &server{name: "mockserver", argv: []string{cfg.bin, "serve", "--log-level", "warn", "--addr"}, pin: cfg.pin}
	if err := mock.measureStarts(ctx, cfg.starts); err != nil {
		return err
	}
	defer mock.stop()
	answers := filepath.Join(dir, "answers.json")
	if err := record(ctx, mock.base, answers); err != nil {
		return err
	}
	ctrl := &server{name: "bare net/http", argv: []string{bare, "-answers", answers, "-addr"}, pin: cfg.pin}
	if err := ctrl.measureStarts(ctx, cfg.starts); err != nil {
		return err
	}
	defer ctrl.stop()
	results := drive(ctx, cfg, []*server{ctrl, mock})
	for _, s := range []*server{ctrl, mock} {
		s.rssAfter = rss(s.cmd.Process.Pid)
	}
	report(os.Stdout, cfg, ctrl, mock, results)
	if cfg.soak > 0 {
		begin := time.Now()
		reportSoak(os.Stdout, soak(ctx, cfg, mock, cfg.soak), time.Since(begin))
	}
	return ctx.Err()
}
