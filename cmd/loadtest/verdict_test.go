package main

import (
	"testing"
	"time"
)

// ticks makes a core's interval of 100 ticks from shares in percent.
func ticks(tasks, idle, softirq, steal uint64) coreTimes {
	return coreTimes{user: tasks, idle: idle, softirq: softirq, steal: steal}
}

func TestVerdict(t *testing.T) {
	second := time.Second
	for _, tc := range []struct {
		name     string
		bare     usage
		wantHead string // "" for a valid ratio
	}{
		{"bare used its core", usage{wall: second, server: 970 * time.Millisecond, genCore: ticks(80, 20, 0, 0), serverCore: ticks(97, 3, 0, 0)}, ""},
		{"bare and the kernel's network work filled its core", usage{wall: second, server: 82 * time.Millisecond * 10, genCore: ticks(90, 10, 0, 0), serverCore: ticks(82, 2, 16, 0)}, ""},
		{"generator's core full, bare's idle", usage{wall: second, server: 700 * time.Millisecond, generator: 950 * time.Millisecond, genCore: ticks(100, 0, 0, 0), serverCore: ticks(70, 27, 3, 0)}, "generator-bound: ratio not valid"},
		{"neither core full: the load did not keep bare busy", usage{wall: second, server: 600 * time.Millisecond, genCore: ticks(60, 40, 0, 0), serverCore: ticks(60, 40, 0, 0)}, "generator-bound: ratio not valid"},
		{"other work on bare's core", usage{wall: second, server: 600 * time.Millisecond, genCore: ticks(70, 30, 0, 0), serverCore: ticks(95, 5, 0, 0)}, "CPU 1 shared: ratio not valid"},
		{"another guest's steal on bare's core", usage{wall: second, server: 800 * time.Millisecond, genCore: ticks(70, 30, 0, 0), serverCore: ticks(80, 0, 0, 20)}, "CPU 1 shared: ratio not valid"},
		{"both", usage{wall: second, server: 600 * time.Millisecond, genCore: ticks(100, 0, 0, 0), serverCore: ticks(95, 5, 0, 0)}, "generator-bound, CPU 1 shared: ratio not valid"},
		{"nothing measured", usage{}, "generator-bound: ratio not valid"},
	} {
		head, detail := verdict(tc.bare)
		if head != tc.wantHead || (head == "") != (detail == "") {
			t.Errorf("%s: verdict %q (%q), want %q", tc.name, head, detail, tc.wantHead)
		}
	}
}

func TestVerdictSaysWhatItSaw(t *testing.T) {
	_, got := verdict(usage{wall: 2 * time.Second, server: 1400 * time.Millisecond, generator: 1900 * time.Millisecond,
		genCore: ticks(200, 0, 0, 0), serverCore: ticks(140, 52, 8, 0)})
	want := "bare used 70% of CPU 1 (idle 26%, other work 0%, interrupts 4%); CPU 0 was 100% busy, wrk 95% of it"
	if got != want {
		t.Errorf("verdict\n got %q\nwant %q", got, want)
	}
}

func TestUsageAddsRounds(t *testing.T) {
	a := usage{wall: time.Second, server: 900 * time.Millisecond, genCore: ticks(100, 0, 0, 0), serverCore: ticks(90, 10, 0, 0)}
	b := usage{wall: time.Second, server: 1000 * time.Millisecond, genCore: ticks(100, 0, 0, 0), serverCore: ticks(100, 0, 0, 0)}
	sum := a.add(b)
	if got := sum.serverShare(); got != 0.95 {
		t.Errorf("two rounds at 90%% and 100%%: %v, want 0.95", got)
	}
	if !sum.saturated() || a.saturated() {
		t.Errorf("saturated: sum %v (want true), first round %v (want false)", sum.saturated(), a.saturated())
	}
}
