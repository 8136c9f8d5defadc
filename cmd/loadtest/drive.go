package main

import (
	"context"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// result is one server's figures in one phase, over all rounds.
type result struct {
	rounds []vegeta.Metrics
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
		for round := range cfg.rounds {
			for i := range servers {
				s := servers[(i+round)%len(servers)]
				if ctx.Err() != nil {
					return out
				}
				m := attack(ctx, cfg, s.base, ph)
				out[ph.name][s].rounds = append(out[ph.name][s].rounds, m)
			}
		}
	}
	return out
}

func attack(ctx context.Context, cfg config, base string, ph phase) vegeta.Metrics {
	targets := make([]vegeta.Target, len(ph.targets))
	for i, t := range ph.targets {
		targets[i] = vegeta.Target{Method: t.method, URL: base + t.path, Body: t.body, Header: t.header}
	}
	n := uint64(cfg.conns)
	a := vegeta.NewAttacker(vegeta.Workers(n), vegeta.MaxWorkers(n), vegeta.Connections(cfg.conns),
		vegeta.KeepAlive(true), vegeta.Timeout(10*time.Second))
	stop := context.AfterFunc(ctx, func() { a.Stop() })
	defer stop()
	var m vegeta.Metrics
	for res := range a.Attack(vegeta.NewStaticTargeter(targets...), vegeta.Rate{Freq: 0}, cfg.phase, ph.name) {
		m.Add(res)
	}
	m.Close()
	return m
}
