package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// tick is the unit of /proc's CPU times (USER_HZ, 100 on Linux).
const tick = 10 * time.Millisecond

// Cores, when -pin: each server runs on serverCore, wrk on generatorCore.
const (
	generatorCore = 0
	serverCore    = 1
)

// coreTimes is one CPU's line of /proc/stat: ticks spent in each state
// since boot, or over an interval once subtracted.
type coreTimes struct {
	user, nice, system, idle, iowait, irq, softirq, steal uint64
}

func (c coreTimes) total() uint64 {
	return c.user + c.nice + c.system + c.idle + c.iowait + c.irq + c.softirq + c.steal
}

func (c coreTimes) sub(before coreTimes) coreTimes {
	return coreTimes{c.user - before.user, c.nice - before.nice, c.system - before.system, c.idle - before.idle,
		c.iowait - before.iowait, c.irq - before.irq, c.softirq - before.softirq, c.steal - before.steal}
}

func (c coreTimes) add(o coreTimes) coreTimes {
	return coreTimes{c.user + o.user, c.nice + o.nice, c.system + o.system, c.idle + o.idle,
		c.iowait + o.iowait, c.irq + o.irq, c.softirq + o.softirq, c.steal + o.steal}
}

// share is the part of the interval's ticks that n is (0 for an empty interval).
func (c coreTimes) share(n uint64) float64 {
	if c.total() == 0 {
		return 0
	}
	return float64(n) / float64(c.total())
}

// busy is the share of the interval the core was not idle (another
// guest's steal counts: the core was not there for us).
func (c coreTimes) busy() float64 { return 1 - c.share(c.idle+c.iowait) }

// tasks is the share processes ran, in user or kernel mode.
func (c coreTimes) tasks() float64 { return c.share(c.user + c.nice + c.system) }

// interrupts is the share the kernel spent in interrupts, which Linux
// accounts apart from any process when it accounts IRQ time: on loopback
// much of it is the network work done for the process on that core.
func (c coreTimes) interrupts() float64 { return c.share(c.irq + c.softirq) }

// readCores reads the per-CPU lines of /proc/stat (none where there is no /proc).
func readCores() map[int]coreTimes {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return nil
	}
	cores, _ := parseCores(data)
	return cores
}

// parseCores reads the "cpuN ..." lines of /proc/stat.
func parseCores(data []byte) (map[int]coreTimes, error) {
	cores := map[int]coreTimes{}
	for line := range bytes.Lines(data) {
		fields := strings.Fields(string(line))
		if len(fields) < 9 || !strings.HasPrefix(fields[0], "cpu") || fields[0] == "cpu" {
			continue
		}
		n, err := strconv.Atoi(fields[0][3:])
		if err != nil {
			return nil, fmt.Errorf("/proc/stat: %q: %w", fields[0], err)
		}
		var v [8]uint64
		for i := range v {
			if v[i], err = strconv.ParseUint(fields[i+1], 10, 64); err != nil {
				return nil, fmt.Errorf("/proc/stat: %s: %w", fields[0], err)
			}
		}
		cores[n] = coreTimes{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]}
	}
	return cores, nil
}

// cpuTime is the process's user+system CPU time so far, from
// /proc/<pid>/stat, 0 when unknown.
func cpuTime(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	return parseProcCPU(data)
}

// parseProcCPU reads utime and stime (fields 14 and 15) of /proc/<pid>/stat.
func parseProcCPU(data []byte) time.Duration {
	// The command name, in parentheses, may hold spaces and parentheses:
	// count from the last ") ".
	i := bytes.LastIndex(data, []byte(") "))
	if i < 0 {
		return 0
	}
	fields := strings.Fields(string(data[i+2:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * tick
}

// threadsCPU is the CPU time the process's live threads have run, in
// nanoseconds from each /proc/<pid>/task/<tid>/schedstat, 0 when unknown:
// /proc/<pid>/stat counts in 10 ms ticks, too coarse for a start of a few
// tens of milliseconds. Go's threads live as long as the process, so none
// is missed.
func threadsCPU(pid int) time.Duration {
	files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var total time.Duration
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil {
			total += parseSchedstat(data)
		}
	}
	return total
}

// parseSchedstat reads the first field of a schedstat file: nanoseconds on
// a CPU.
func parseSchedstat(data []byte) time.Duration {
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return 0
	}
	ns, _ := strconv.ParseInt(fields[0], 10, 64)
	return time.Duration(ns)
}

// rss is the process's resident set in KiB (VmRSS), 0 when unknown. With
// taskset in front, the pid is taskset's until it execs the server, which
// it has done once the server answered.
func rss(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kib, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kib
		}
	}
	return 0
}
