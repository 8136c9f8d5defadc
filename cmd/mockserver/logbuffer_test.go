package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestLineBufferFlushes(t *testing.T) {
	cases := []struct {
		name string
		// log writes through a logger whose lines wait for an hour or
		// 1 KiB unless something else flushes them.
		log  func(*slog.Logger, func() error)
		want string
	}{
		{"info waits", func(l *slog.Logger, _ func() error) { l.Info("one") }, ""},
		{"warn flushes what came before, in order", func(l *slog.Logger, _ func() error) {
			l.Info("one")
			l.Warn("two")
		}, "msg=one\nmsg=two\n"},
		{"error flushes", func(l *slog.Logger, _ func() error) { l.Error("bad") }, "msg=bad\n"},
		{"a derived logger flushes the same buffer", func(l *slog.Logger, _ func() error) {
			l.Info("one")
			l.With("k", "v").WithGroup("g").Warn("two")
		}, "msg=one\nmsg=two k=v\n"},
		{"size flushes", func(l *slog.Logger, _ func() error) {
			for range 40 {
				l.Info(strings.Repeat("x", 30))
			}
		}, strings.Repeat("msg="+strings.Repeat("x", 30)+"\n", 30)}, // the 30th 35-byte line passes 1 KiB
		{"Flush writes the rest", func(l *slog.Logger, flush func() error) {
			l.Info("one")
			l.Info("two")
			_ = flush()
		}, "msg=one\nmsg=two\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := &lockedBuffer{}
			buf := newLineBuffer(out, time.Hour, 1<<10)
			noTime := func(_ []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey || a.Key == slog.LevelKey {
					return slog.Attr{}
				}
				return a
			}
			h := slog.NewTextHandler(buf, &slog.HandlerOptions{ReplaceAttr: noTime})
			tc.log(slog.New(flushingHandler{h, buf}), buf.Flush)
			if got := out.String(); got != tc.want {
				t.Errorf("written:\n%q\nwant:\n%q", got, tc.want)
			}
		})
	}
}

func TestLineBufferTimer(t *testing.T) {
	out := &lockedBuffer{}
	buf := newLineBuffer(out, 10*time.Millisecond, 1<<20)
	fmt.Fprintln(buf, "first batch")
	waitFor(t, "the timer's flush", func() bool { return out.String() == "first batch\n" })
	fmt.Fprintln(buf, "second batch") // the timer is armed again
	waitFor(t, "the second flush", func() bool { return out.String() == "first batch\nsecond batch\n" })
}

// TestServeLogsEveryRequestInOrder: batched request lines all reach stderr
// by the time serve returns after a SIGTERM, in the order served.
func TestServeLogsEveryRequestInOrder(t *testing.T) {
	p := startInProcess(t, nil, "serve", "--addr", "127.0.0.1:0")
	base := startupLines(t, p.stdout.String())["opentoclose"]
	const n = 200
	for i := range n {
		resp, err := http.Get(fmt.Sprintf("%s/properties/%d/contacts?api_token=otc-demo-token", base, i))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}
	paths := regexp.MustCompile(`msg=request .*path=/opentoclose/v1/properties/(\d+)/contacts`).FindAllStringSubmatch(p.stderr.String(), -1)
	if len(paths) != n {
		t.Fatalf("%d request lines at shutdown, want %d", len(paths), n)
	}
	for i, m := range paths {
		if m[1] != fmt.Sprint(i) {
			t.Fatalf("line %d is for property %s: lines out of order", i, m[1])
		}
	}
}
