package main

import (
	"fmt"
	"strings"
	"time"
)

// saturatedShare is the share of its core under which a server at full
// speed was not the limit: the load (or another process) was.
const saturatedShare = 0.95

// usage is what a server's rounds of a phase used: its process's CPU time,
// wrk's, and the two cores' ticks (when pinned: the server's alone on
// CPU 1, wrk's on CPU 0), summed over the rounds.
type usage struct {
	wall       time.Duration
	server     time.Duration
	generator  time.Duration
	genCore    coreTimes
	serverCore coreTimes
}

func (u usage) add(o usage) usage {
	return usage{u.wall + o.wall, u.server + o.server, u.generator + o.generator,
		u.genCore.add(o.genCore), u.serverCore.add(o.serverCore)}
}

func (u usage) share(d time.Duration) float64 {
	if u.wall <= 0 {
		return 0
	}
	return float64(d) / float64(u.wall)
}

// serverShare is the server process's CPU time over the wall time: 1 is
// its whole core (GOMAXPROCS=1 on one CPU).
func (u usage) serverShare() float64 { return u.share(u.server) }

// otherWork is the share of the server's core that other processes and
// other guests (steal) took.
func (u usage) otherWork() float64 {
	return max(0, u.serverCore.tasks()-u.serverShare()) + u.serverCore.share(u.serverCore.steal)
}

// saturated tells whether the server was the limit: its process used
// 95% of its core, or the core had no idle time and nothing else ran on
// it. The second holds the kernel's network work for the server, which
// Linux accounts apart from the process when it accounts IRQ time.
func (u usage) saturated() bool {
	if u.serverShare() >= saturatedShare {
		return true
	}
	return u.serverCore.total() > 0 && u.serverCore.busy() >= saturatedShare && u.otherWork() < 1-saturatedShare
}

// verdict is "" when the bare server's rounds of a full-speed phase
// saturated it, so ratios to it are ratios of capacities. Otherwise it
// says why they are not valid: the generator did not keep bare busy (its
// core full, or bare's core idle), or other work shared bare's core; and
// detail gives the figures.
func verdict(bare usage) (head, detail string) {
	if bare.saturated() {
		return "", ""
	}
	var causes []string
	shared := bare.otherWork() >= 1-saturatedShare
	if bare.genCore.busy() >= saturatedShare || !shared {
		causes = append(causes, "generator-bound")
	}
	if shared {
		causes = append(causes, fmt.Sprintf("CPU %d shared", serverCore))
	}
	return strings.Join(causes, ", ") + ": ratio not valid",
		fmt.Sprintf("bare used %s of CPU %d (idle %s, other work %s, interrupts %s); CPU %d was %s busy, wrk %s of it",
			pct(bare.serverShare()), serverCore, pct(1-bare.serverCore.busy()), pct(bare.otherWork()),
			pct(bare.serverCore.interrupts()), generatorCore, pct(bare.genCore.busy()), pct(bare.share(bare.generator)))
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }
