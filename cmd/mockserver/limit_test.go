package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/netutil"

	"github.com/realestate-mocks/mockserver/mockserver/mockservertest/rawconn"
)

// At most n connections are accepted at once; closing one (twice, even)
// frees exactly one slot; Close ends a waiting Accept.
func TestLimitListener(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := netutil.LimitListener(inner, 2)
	accepted := make(chan net.Conn, 10)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}
	}()
	for range 3 {
		c, err := net.Dial("tcp", inner.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
	}
	first, second := <-accepted, <-accepted
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open")
	case <-time.After(200 * time.Millisecond):
	}
	first.Close()
	first.Close()
	select {
	case <-accepted:
	case <-time.After(5 * time.Second):
		t.Fatal("the third connection was not accepted once a slot was free")
	}
	second.Close()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case _, open := <-accepted:
		if open {
			t.Fatal("accepted after Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Accept still waiting after Close")
	}
}

// serve closes a keep-alive connection left idle past --idle-timeout, and
// refuses limits that would not bound anything.
func TestServeIdleTimeout(t *testing.T) {
	p := startInProcess(t, nil, "serve", "--addr", "127.0.0.1:0", "--idle-timeout", "200ms", "--log-level", "error")
	urls := startupLines(t, p.stdout.String())
	host := strings.TrimSuffix(strings.TrimPrefix(urls["admin"], "http://"), "/__mock/")
	conn := rawconn.Send(t, host, "GET /__mock/health HTTP/1.1\r\nHost: "+host+"\r\n", "")
	if _, _, err := conn.Answer(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := conn.Closed(); err != nil {
		t.Fatalf("the idle connection was not closed: %v", err)
	}
	if idle := time.Since(start); idle > 3*time.Second {
		t.Errorf("closed after %s", idle)
	}
}

func TestServeLimitFlags(t *testing.T) {
	for _, args := range [][]string{{"--read-timeout", "0s"}, {"--idle-timeout", "-1s"}, {"--max-conns", "0"}} {
		var stdout, stderr bytes.Buffer
		code := exitCode(run(t.Context(), append([]string{"serve"}, args...), getenvFrom(nil), &stdout, &stderr), &stderr)
		if code != 2 || !strings.Contains(stderr.String(), args[0]) {
			t.Errorf("%v: exit %d, stderr %s", args, code, stderr.String())
		}
	}
}

func TestMemoryLimitApplied(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	l := connLimits{readTimeout: time.Second, idleTimeout: time.Second, maxConns: 1, memoryLimit: 80 << 20}
	l.apply(&http.Server{})
	if got := debug.SetMemoryLimit(-1); got != 80<<20 {
		t.Errorf("memory limit %d, want %d", got, 80<<20)
	}
}

// With --read-timeout, a client holding a valid (public fixture) token
// that stalls in the middle of its body gets its 400 and then has its
// connection closed, in serve and in proxy mode: it cannot hold it until
// it chooses to leave. The test's read deadline only bounds the wait.
func TestStalledBodyConnectionIsClosed(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the upstream was called: %s %s", r.Method, r.URL)
	}))
	t.Cleanup(up.Close)
	const put = "PUT /spark/v1/listings/20100815153524571646000000/shared/notes HTTP/1.1\r\nHost: %s\r\n" +
		"Authorization: Bearer spark-vow-token\r\nX-SparkApi-User-Agent: t\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n"
	for name, args := range map[string][]string{
		"serve": {"serve"},
		"proxy": {"proxy", "--upstream", "spark=" + up.URL + "/v1"},
	} {
		t.Run(name, func(t *testing.T) {
			p := startInProcess(t, nil, append(args, "--addr", "127.0.0.1:0", "--read-timeout", "300ms", "--log-level", "error")...)
			urls := startupLines(t, p.stdout.String())
			host := strings.TrimSuffix(strings.TrimPrefix(urls["admin"], "http://"), "/__mock/")
			conn := rawconn.Send(t, host, fmt.Sprintf(put, host), `{"D":`)
			res, body, err := conn.Answer(15 * time.Second)
			if err != nil {
				t.Fatalf("no answer to a stalled body: %v", err)
			}
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "did not arrive within 300ms") {
				t.Fatalf("got %d %s", res.StatusCode, body)
			}
			if err := conn.Closed(); err != nil {
				t.Fatalf("the connection was not closed after the answer: %v", err)
			}
		})
	}
}
