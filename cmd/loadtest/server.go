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
	"syscall"
	"time"
)

// server is one process under test.
type server struct {
	name  string
	argv  []string // the listen address is appended
	pin   bool
	log   string            // its stderr goes to this file, not the terminal
	goals map[string]string // by phase: the share of bare's throughput to reach

	cmd      *exec.Cmd
	stderr   *os.File
	base     string
	starts   []time.Duration // exec to first 200 of the Spark GET
	startCPU []time.Duration // CPU time the process had used by then
	rssStart int64           // KiB, just after the first 200
	rssAfter int64           // KiB, after every phase
	requests uint64          // answered under load
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
		argv = pinned(serverCore, argv)
	}
	if s.stderr, err = os.OpenFile(s.log, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600); err != nil {
		return err
	}
	s.cmd = exec.CommandContext(ctx, argv[0], argv[1:]...)
	s.cmd.Env = serverEnv(os.Environ(), s.pin)
	s.cmd.Stderr = s.stderr
	s.base = "http://" + addr
	begin := time.Now()
	if err := s.cmd.Start(); err != nil {
		s.stderr.Close()
		return fmt.Errorf("start %s: %w", s.name, err)
	}
	if err := waitFor200(ctx, s.base+sparkGet.path, sparkGet.header); err != nil {
		s.stop()
		out, _ := os.ReadFile(s.log)
		return fmt.Errorf("%s never answered 200: %w; its stderr ends: %s", s.name, err, lastLines(out, 5))
	}
	s.starts = append(s.starts, time.Since(begin))
	s.startCPU = append(s.startCPU, threadsCPU(s.cmd.Process.Pid))
	s.rssStart = rss(s.cmd.Process.Pid)
	return nil
}

// serverEnv is the harness's environment less the mock's own settings
// (MOCKSERVER_*), so the servers run with the flags given and nothing
// else: "defaults" means the defaults.
func serverEnv(env []string, pin bool) []string {
	env = slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		return strings.HasPrefix(kv, "MOCKSERVER_") || strings.HasPrefix(kv, "GOMAXPROCS=")
	})
	if pin {
		env = append(env, "GOMAXPROCS=1")
	}
	return env
}

// stop ends the server as a user would (SIGTERM, so the mock flushes its
// log), killing it if it is still there after 5 s.
func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
	s.stderr.Close()
	s.cmd = nil
}

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) medianStart() time.Duration { return medianDuration(s.starts) }

func medianDuration(d []time.Duration) time.Duration {
	d = slices.Clone(d)
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

func goBuild(ctx context.Context, out, pkg string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	return nil
}
