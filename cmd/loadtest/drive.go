package main

import (
	"context"
	"time"
)

// sample is one server's figures in one round of one phase.
type sample struct {
	run   wrkRun
	usage usage
}

// cpuPerRequest is the server's CPU time per request (ns): what it spent,
// whether or not the load kept it busy.
func (s sample) cpuPerRequest() float64 {
	if s.run.requests == 0 {
		return 0
	}
	return float64(s.usage.server) / float64(s.run.requests)
}

// result is one server's rounds of one phase.
type result struct{ rounds []sample }

func (r *result) usage() usage {
	var u usage
	for _, s := range r.rounds {
		u = u.add(s.usage)
	}
	return u
}

// phaseResult is each server's rounds of one phase, and the rate the
// phase was paced at (req/s; 0 at full speed).
type phaseResult struct {
	rate    float64
	servers map[*server]*result
}

// results holds each phase's, by name.
type results map[string]*phaseResult

// drive runs every phase for every round, the servers taking turns (the
// order turns each round, so none always goes first on a machine whose
// load drifts). servers[0] is the bare server, which paced phases take
// their rate from. It stops, without error, when ctx ends.
func drive(ctx context.Context, cfg config, gen *generator, servers []*server) (results, error) {
	out := results{}
	for _, ph := range phases {
		pr := &phaseResult{rate: paceOf(out, servers[0], ph), servers: map[*server]*result{}}
		for _, s := range servers {
			pr.servers[s] = &result{}
		}
		out[ph.name] = pr
		pace := &pacer{conns: cfg.conns, rate: pr.rate}
		for round := range cfg.rounds {
			for i := range servers {
				s := servers[(i+round)%len(servers)]
				pause := pace.pause(s)
				smp, err := measure(ctx, gen, s, ph.targets, pause, cfg.phase)
				pace.observe(s, pause, smp.run)
				if ctx.Err() != nil {
					return out, nil
				}
				if err != nil {
					return out, err
				}
				pr.servers[s].rounds = append(pr.servers[s].rounds, smp)
				s.requests += smp.run.requests
			}
		}
	}
	return out, nil
}

// paceOf is a paced phase's rate in req/s: its share of what the bare
// server answered in the phase it is paced by; 0 is full speed.
func paceOf(out results, bare *server, ph phase) float64 {
	by := out[ph.pacedBy]
	if ph.pacedBy == "" || by == nil || len(by.servers[bare].rounds) == 0 {
		return 0
	}
	return ph.pace * median(by.servers[bare].rounds, throughput)
}

// measure runs wrk against s once, reading the CPU time of the server
// and both cores around it.
func measure(ctx context.Context, gen *generator, s *server, ts []target, pauseMs float64, d time.Duration) (sample, error) {
	cores, cpu, begin := readCores(), cpuTime(s.pid()), time.Now()
	run, wrkCPU, err := gen.run(ctx, s.base, ts, pauseMs, d)
	u := usage{wall: time.Since(begin), server: cpuTime(s.pid()) - cpu, generator: wrkCPU}
	after := readCores()
	u.genCore = after[generatorCore].sub(cores[generatorCore])
	u.serverCore = after[serverCore].sub(cores[serverCore])
	return sample{run, u}, err
}

// pacer sets the pause of a paced phase's connections so that each server
// reaches the phase's rate. wrk's connections wait after each answer, so a
// server's rate is conns / (pause + the rest of its cycle: its latency and
// wrk's own time); the rest is read from the server's previous round, and
// the first round goes without it.
type pacer struct {
	conns int
	rate  float64             // req/s; 0: full speed
	rest  map[*server]float64 // ms
}

// pause is the mean wait in ms for s's next round; 0 is no wait.
func (p *pacer) pause(s *server) float64 {
	if p.rate <= 0 {
		return 0
	}
	// A server that cannot reach the rate gets the least pause wrk's
	// delay can draw, not none, which would mean full speed.
	return max(0.01, p.cycle()-p.rest[s])
}

// cycle is the ms between two requests on one connection at the rate.
func (p *pacer) cycle() float64 { return float64(p.conns) / p.rate * 1000 }

// observe reads the rest of s's cycle from a round run with pause.
func (p *pacer) observe(s *server, pause float64, run wrkRun) {
	if p.rate <= 0 || run.throughput() <= 0 {
		return
	}
	if p.rest == nil {
		p.rest = map[*server]float64{}
	}
	p.rest[s] = max(0, float64(p.conns)/run.throughput()*1000-pause)
}
