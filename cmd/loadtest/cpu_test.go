package main

import (
	"os"
	"testing"
	"time"
)

func TestParseCores(t *testing.T) {
	cores := parseTestdata(t, "proc-stat.txt", parseCores)
	if len(cores) != 2 {
		t.Fatalf("got %d cores, want 2 (the aggregate line is not one)", len(cores))
	}
	want := coreTimes{user: 257020, nice: 0, system: 18531, idle: 40105, iowait: 374, irq: 0, softirq: 223, steal: 1918}
	if cores[1] != want {
		t.Errorf("cpu1 = %+v, want %+v", cores[1], want)
	}
	if _, err := parseCores([]byte("cpu0 1 2 3 x 5 6 7 8 0 0\n")); err == nil {
		t.Error("a field that is not a number: no error")
	}
}

func TestCoreShares(t *testing.T) {
	c := coreTimes{user: 50, system: 20, idle: 10, iowait: 5, softirq: 10, steal: 5}
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"busy", c.busy(), 0.85},
		{"tasks", c.tasks(), 0.70},
		{"interrupts", c.interrupts(), 0.10},
		{"empty interval", coreTimes{}.busy(), 1},
	} {
		if diff := tc.got - tc.want; diff > 1e-9 || diff < -1e-9 {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	later := c.add(c)
	if later.sub(c) != c {
		t.Errorf("sub does not undo add: %+v", later.sub(c))
	}
}

func TestParseProcCPU(t *testing.T) {
	for _, tc := range []struct {
		name, stat string
		want       time.Duration
	}{
		{"plain", "4242 (bare) S 1 4242 4242 0 -1 4194560 300 0 0 0 150 28 0 0 20 0 3 0 100 0 0", 178 * tick},
		{"a name with spaces and parentheses", "7 (a) b) c) R 1 7 7 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 1 0 0", 10 * tick},
		{"cut short", "7 (x) R 1 2", 0},
		{"no name", "garbage", 0},
	} {
		if got := parseProcCPU([]byte(tc.stat)); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestParseSchedstat(t *testing.T) {
	for _, tc := range []struct {
		name, stat string
		want       time.Duration
	}{
		{"a thread", "31415926 2718 42\n", 31415926},
		{"empty", "", 0},
		{"not a number", "x 1 2\n", 0},
	} {
		if got := parseSchedstat([]byte(tc.stat)); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// This running process's threads are found and have used some CPU.
func TestThreadsCPU(t *testing.T) {
	if _, err := os.Stat("/proc/self/task"); err != nil {
		t.Skip("no /proc")
	}
	if got := threadsCPU(os.Getpid()); got <= 0 {
		t.Fatalf("threadsCPU = %v, want the CPU this test process has used", got)
	}
}
