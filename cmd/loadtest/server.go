package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// server is one process under test.
type server struct {
	name string
	argv []string // the listen address is appended
	pin  bool

	cmd      *exec.Cmd
	base     string
	starts   []time.Duration // exec to first 200 of the Spark GET
	rssStart int64           // KiB, just after the first 200
	rssAfter int64           // KiB, after every phase
}

// measureStarts starts the server n times, timing each start, and keeps
// the last one running.
func (s *server) measureStarts(ctx context.Context, n int) error {
	for i := range n {
		if err := s.start(ctx); err != nil {
			return err
		}
		if i < n-1 {
			s.stop()
		}
	}
	return nil
}

func (s *server) start(ctx context.Context) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	argv := append(slices.Clone(s.argv), addr)
	if s.pin {
		if taskset, err := exec.LookPath("taskset"); err == nil {
			argv = append([]string{taskset, "-c", "1"}, argv...)
		}
	}
	s.cmd = exec.CommandContext(ctx, argv[0], argv[1:]...)
	s.cmd.Env = os.Environ()
	if s.pin {
		s.cmd.Env = append(s.cmd.Env, "GOMAXPROCS=1")
	}
	s.cmd.Stderr = os.Stderr
	s.base = "http://" + addr
	begin := time.Now()
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", s.name, err)
	}
	if err := waitFor200(ctx, s.base+sparkGet.path, sparkGet.header); err != nil {
		s.stop()
		return fmt.Errorf("%s never answered 200: %w", s.name, err)
	}
	s.starts = append(s.starts, time.Since(begin))
	s.rssStart = rss(s.cmd.Process.Pid)
	return nil
}

func (s *server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
}

func (s *server) medianStart() time.Duration {
	d := slices.Clone(s.starts)
	slices.Sort(d)
	if len(d) == 0 {
		return 0
	}
	return d[len(d)/2]
}

// waitFor200 polls every 200µs, so the start time is exact to about that.
func waitFor200(ctx context.Context, url string, header http.Header) error {
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		req.Header = header.Clone()
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(200 * time.Microsecond)
	}
	return fmt.Errorf("no 200 from %s within 10s", url)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// rss is the process's resident set in KiB (VmRSS), 0 when unknown. With
// taskset in front, the pid is taskset's until it execs the server, which
// it has done once the server answered.
func rss(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kib, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kib
		}
	}
	return 0
}

// cpuTime is the process's user+system CPU time so far, from
// /proc/<pid>/stat (clock ticks of 10 ms), 0 when unknown.
func cpuTime(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count after it.
	_, rest, ok := strings.Cut(string(data), ") ")
	if !ok {
		return 0
	}
	fields := strings.Fields(rest)
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

func goBuild(ctx context.Context, out, pkg string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	return nil
}
