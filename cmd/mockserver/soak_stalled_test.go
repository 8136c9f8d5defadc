package main

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// soakStalledBodies is make soak's stalled-body phase: serve, and a proxy
// in front of it, each with --read-timeout 2s and --max-conns 50, get
// waves of 50 clients that hold a valid fixture token, send half a body
// and stall. Each connection must be answered and closed by the server
// (what the client waits for is bounded far above the read timeout, only
// so that a regression fails instead of hanging), and GET /__mock/health,
// on a new connection every 250 ms, must be answered throughout: before
// the fix the 50 connections stayed open and locked every client out.
func soakStalledBodies(t *testing.T) {
	const readTimeout = 2 * time.Second
	limits := []string{"--read-timeout", readTimeout.String(), "--max-conns", "50", "--log-level", "error"}
	client := &http.Client{Timeout: 10 * time.Second}
	mock := "127.0.0.1:" + freePort(t)
	serve := start(t, append([]string{"serve", "--addr", mock}, limits...)...)
	serve.waitHealthy(t, client, "http://"+mock)
	front := "127.0.0.1:" + freePort(t)
	proxy := start(t, append([]string{"proxy", "--addr", front, "--upstream", "spark=http://" + mock + "/spark/v1"}, limits...)...)
	proxy.waitHealthy(t, client, "http://"+front)

	spark := "PUT /spark/v1/listings/20100815153524571646000000/shared/notes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + vowToken +
		"\r\nX-SparkApi-User-Agent: soak\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"D\":"
	otc := "POST /opentoclose/v1/properties/123/contacts?api_token=" + otcToken + " HTTP/1.1\r\nHost: x\r\n" +
		"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"conta"
	for _, target := range []struct {
		name, addr string
		requests   []string
	}{
		{"serve", mock, []string{spark, otc}},
		{"proxy", front, []string{spark}},
	} {
		health := pollHealth("http://" + target.addr)
		var waves []stallResult
		for range 3 {
			waves = append(waves, stallWave(target.addr, 50, target.requests, 30*readTimeout))
		}
		checks, failed, slowest := health.stop()
		for i, w := range waves {
			t.Logf("soak stalled bodies, %s, wave %d: %d connections, %d answered 400, %d closed by the server (the last %v after its half body), %d left open",
				target.name, i+1, w.conns, w.answered, w.closed, w.slowest.Round(time.Millisecond), w.open)
			if w.open > 0 || w.answered != w.conns {
				t.Errorf("%s wave %d: %d of %d connections left open, %d answered 400", target.name, i+1, w.open, w.conns, w.answered)
			}
		}
		t.Logf("soak stalled bodies, %s: health answered %d of %d checks (slowest %v)", target.name, checks-failed, checks, slowest.Round(time.Millisecond))
		if failed > 0 {
			t.Errorf("%s: %d of %d health checks failed while stalled bodies were held", target.name, failed, checks)
		}
	}
	proxy.stop(t)
	serve.stop(t)
}

type stallResult struct {
	conns, answered, closed, open int
	slowest                       time.Duration
}

// stallWave opens n connections at once, each sending one of requests
// (headers and half a body) and then nothing, and waits for the server
// to answer and close each one, at most wait.
func stallWave(addr string, n int, requests []string, wait time.Duration) stallResult {
	var mu sync.Mutex
	res := stallResult{conns: n}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			answered, closed, took := stallOne(addr, requests[i%len(requests)], wait)
			mu.Lock()
			defer mu.Unlock()
			if answered {
				res.answered++
			}
			if closed {
				res.closed++
				res.slowest = max(res.slowest, took)
			} else {
				res.open++
			}
		})
	}
	wg.Wait()
	return res
}

func stallOne(addr, request string, wait time.Duration) (answered, closed bool, took time.Duration) {
	c, err := net.DialTimeout("tcp", addr, wait)
	if err != nil {
		return false, false, 0
	}
	defer c.Close()
	if _, err := c.Write([]byte(request)); err != nil {
		return false, false, 0
	}
	sent := time.Now()
	_ = c.SetReadDeadline(sent.Add(wait))
	r := bufio.NewReader(c)
	if resp, err := http.ReadResponse(r, nil); err == nil {
		answered = resp.StatusCode == http.StatusBadRequest
		_, _ = r.Discard(int(max(resp.ContentLength, 0)))
	}
	_, err = r.ReadByte()
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return answered, false, 0
	}
	return answered, err != nil, time.Since(sent)
}

// healthPoller starts GET /__mock/health on a new connection every
// 250 ms, without waiting for the previous one to answer.
type healthPoller struct {
	done           chan struct{}
	wg             sync.WaitGroup
	checks, failed atomic.Int64
	mu             sync.Mutex
	latencies      []time.Duration
}

func pollHealth(root string) *healthPoller {
	p := &healthPoller{done: make(chan struct{})}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	check := func() {
		began := time.Now()
		p.checks.Add(1)
		if soakCall(client, "GET", root+"/__mock/health", "", nil) != http.StatusOK {
			p.failed.Add(1)
			return
		}
		p.mu.Lock()
		p.latencies = append(p.latencies, time.Since(began))
		p.mu.Unlock()
	}
	p.wg.Go(func() {
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-tick.C:
				p.wg.Go(check)
			}
		}
	})
	return p
}

func (p *healthPoller) stop() (checks, failed int64, slowest time.Duration) {
	close(p.done)
	p.wg.Wait()
	if len(p.latencies) > 0 {
		slowest = slices.Max(p.latencies)
	}
	return p.checks.Load(), p.failed.Load(), slowest
}
