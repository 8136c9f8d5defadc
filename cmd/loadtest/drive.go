package main

import (
	"context"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// result is one server's figures in one phase, over all rounds.
type result struct {
	rounds []vegeta.Metrics
	// cpu is the server process's CPU time per request in each round (ns):
	// what the server spent, whether or not the load generator kept it busy.
	cpu []float64
}

// drive runs every phase for every round, the servers taking turns (the
// order flips each round, so neither always goes first on a machine whose
// load drifts).
func drive(ctx context.Context, cfg config, servers []*server) map[string]map[*server]*result {
	out := map[string]map[*server]*result{}
	for _, ph := range phases {
		out[ph.name] = map[*server]*result{}
		for _, s := range servers {
			out[ph.name][s] = &result{}
		}
		rate := paceOf(out, servers[0], ph)
		for round := range cfg.rounds {
			for i := range servers {
				s := servers[(i+round)%len(servers)]
				if ctx.Err() != nil {
					return out
				}
				before := cpuTime(s.cmd.Process.Pid)
				m := attack(ctx, cfg, s.base, ph.targets, rate, cfg.phase)
				r := out[ph.name][s]
				r.rounds = append(r.rounds, m)
				if m.Requests > 0 {
					r.cpu = append(r.cpu, float64(cpuTime(s.cmd.Process.Pid)-before)/float64(m.Requests))
				}
			}
		}
	}
	return out
}

// paceOf is a paced phase's rate: its share of what the bare server
// (first in servers) answered in the phase it is paced by; 0 is full speed.
func paceOf(out map[string]map[*server]*result, bare *server, ph phase) vegeta.Rate {
	if ph.pacedBy == "" || out[ph.pacedBy] == nil || len(out[ph.pacedBy][bare].rounds) == 0 {
		return vegeta.Rate{}
	}
	return vegeta.Rate{Freq: int(ph.pace * median(out[ph.pacedBy][bare].rounds, throughput)), Per: time.Second}
}

// attack sends targets round robin at rate (full speed when zero) for d.
func attack(ctx context.Context, cfg config, base string, ts []target, rate vegeta.Rate, d time.Duration) vegeta.Metrics {
	a := newAttacker(cfg)
	stop := context.AfterFunc(ctx, func() { a.Stop() })
	defer stop()
	var m vegeta.Metrics
	for res := range a.Attack(targeter(base, ts), rate, d, "load") {
		m.Add(res)
	}
	m.Close()
	return m
}

func newAttacker(cfg config) *vegeta.Attacker {
	n := uint64(cfg.conns)
	return vegeta.NewAttacker(vegeta.Workers(n), vegeta.MaxWorkers(n), vegeta.Connections(cfg.conns),
		vegeta.KeepAlive(true), vegeta.Timeout(10*time.Second))
}

func targeter(base string, ts []target) vegeta.Targeter {
	targets := make([]vegeta.Target, len(ts))
	for i, t := range ts {
		targets[i] = vegeta.Target{Method: t.method, URL: base + t.path, Body: t.body, Header: t.header}
	}
	return vegeta.NewStaticTargeter(targets...)
}
