package mockserver_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// The benchmarks measure the handler alone (no socket, no request
// parsing: the harness reuses one request and a discarding writer, so
// allocs/op are the handler's own). BenchmarkBaseline is a bare net/http
// handler answering the same bytes: make bench reports the others as
// ratios against it from the same run, never as absolute times, since
// these machines are shared and noisy. Each also reports cpu-ns/op, the
// process CPU time per call, which a loaded machine disturbs less than
// wall time.

var seedNoteBody = []byte(`{"D":{"Success":true,"Results":[{"ResourceUri":"/v1/listings/20100815153524571646000000/shared/notes/contacts/20100912536192756362000000","ContactId":"20100912536192756362000000","Note":"Great home, wondering if seller is willing to include hot tub."}]}}`)

func bareHandler(w http.ResponseWriter, r *http.Request) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(seedNoteBody)
}

func BenchmarkBaseline(b *testing.B) {
	benchHandler(b, http.HandlerFunc(bareHandler), spark("GET", notesPath, "spark-vow-token", ""), 200, nil)
}

func BenchmarkSparkGetNote(b *testing.B) {
	benchHandler(b, newServer(b, mockserver.Options{}), spark("GET", notesPath, "spark-vow-token", ""), 200, nil)
}

// BenchmarkSparkGetNoteLogged is SparkGetNote at the command's default
// level: one info line per call, to slog's TextHandler on io.Discard, so
// that what building the line costs the engine is counted too.
func BenchmarkSparkGetNoteLogged(b *testing.B) {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	benchHandler(b, newServer(b, mockserver.Options{Logger: logger}), spark("GET", notesPath, "spark-vow-token", ""), 200, nil)
}

func BenchmarkSparkPutNote(b *testing.B) {
	benchHandler(b, newServer(b, mockserver.Options{}), spark("PUT", notesPath, "spark-vow-token", `{"D":{"Note":"Great home."}}`), 200, nil)
}

// BenchmarkSparkPutNewNote sends a note never sent before on every call:
// no cache helps, the body and the answer are validated in full.
func BenchmarkSparkPutNewNote(b *testing.B) {
	var buf []byte
	next := func(i int) []byte {
		buf = append(append(buf[:0], `{"D":{"Note":"note number `...), strconv.Itoa(i)...)
		return append(buf, `"}}`...)
	}
	benchHandler(b, newServer(b, mockserver.Options{}), spark("PUT", notesPath, "spark-vow-token", "-"), 200, next)
}

func BenchmarkSparkMethodNotAllowed(b *testing.B) {
	benchHandler(b, newServer(b, mockserver.Options{}), spark("PATCH", notesPath, "spark-vow-token", ""), 405, nil)
}

func BenchmarkSparkRefusedRole(b *testing.B) {
	benchHandler(b, newServer(b, mockserver.Options{}), spark("PUT", notesPath, "spark-idx-token", `{"D":{"Note":"x"}}`), 405, nil)
}

func BenchmarkOpenToCloseList(b *testing.B) {
	benchHandler(b, newServer(b, mockserver.Options{}), otc("GET", "/properties/123/contacts", ""), 200, nil)
}

// BenchmarkOpenToCloseCreate links a new contact on every call; the store
// is reset every 512 calls so the property's list stays short.
func BenchmarkOpenToCloseCreate(b *testing.B) {
	s := newServer(b, mockserver.Options{})
	var buf []byte
	next := func(i int) []byte {
		if i%512 == 0 {
			if err := s.Reset(); err != nil {
				b.Fatal(err)
			}
		}
		buf = append(append(buf[:0], `{"contact_id":`...), strconv.Itoa(1000+i%512)...)
		return append(buf, `,"role":"Buyer"}`...)
	}
	benchHandler(b, s, otc("POST", "/properties/124/contacts", "-"), 201, next)
}

// BenchmarkNewServer is the cost of one isolated instance on the shared,
// already compiled specs: what a test pays per mockservertest.New.
func BenchmarkNewServer(b *testing.B) {
	newServer(b, mockserver.Options{}) // compile the specs and load the scenarios once
	cpu := startCPU(b)
	for b.Loop() {
		if _, err := bundled.New(mockserver.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

// benchHandler serves c through h again and again. With next, each call
// sends the body next returns instead of c's.
func benchHandler(b *testing.B, h http.Handler, c bt.Req, status int, next func(int) []byte) {
	b.Helper()
	built := c.Build(b, "")
	tmpl := httptest.NewRequest(c.Method, c.Target, nil).WithContext(context.Background())
	tmpl.Header = built.Header
	var fixed []byte
	if built.Body != nil {
		var err error
		if fixed, err = io.ReadAll(built.Body); err != nil {
			b.Fatal(err)
		}
	}
	body := &benchBody{}
	w := &sinkWriter{header: http.Header{}}
	cpu := startCPU(b)
	for i := 0; b.Loop(); i++ {
		r := *tmpl
		r.Body, r.ContentLength = http.NoBody, 0
		switch {
		case next != nil:
			body.Reset(next(i))
		case len(fixed) > 0:
			body.Reset(fixed)
		}
		if next != nil || len(fixed) > 0 {
			r.Body, r.ContentLength = body, int64(body.Len())
		}
		clear(w.header)
		w.status = 0
		h.ServeHTTP(w, &r)
		if w.status != status {
			b.Fatalf("status %d, want %d", w.status, status)
		}
	}
	cpu.report(b)
}

// benchBody is a request body reused across calls.
type benchBody struct{ bytes.Reader }

func (*benchBody) Close() error { return nil }

// sinkWriter keeps the status and drops the body. It takes read
// deadlines, as a server connection's writer does, so the body-deadline
// step costs here what it costs in a real server.
type sinkWriter struct {
	header http.Header
	status int
}

func (w *sinkWriter) Header() http.Header { return w.header }
func (w *sinkWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (*sinkWriter) SetReadDeadline(time.Time) error { return nil }

func (w *sinkWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(p), nil
}

// cpuClock measures the process's CPU time (user+system) over a loop.
type cpuClock struct{ start time.Duration }

func startCPU(b *testing.B) cpuClock {
	b.ReportAllocs()
	return cpuClock{processCPU()}
}

func (c cpuClock) report(b *testing.B) {
	if b.N > 0 {
		b.ReportMetric(float64(processCPU()-c.start)/float64(b.N), "cpu-ns/op")
	}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// The loopback benchmarks are a load run in miniature: real sockets,
// keep-alive clients in parallel, the server in the same process. Compare
// BenchmarkLoopbackSparkGetNote with BenchmarkLoopbackBaseline; make
// bench-load runs the built binary instead.
func BenchmarkLoopbackBaseline(b *testing.B) {
	benchLoopback(b, http.HandlerFunc(bareHandler))
}

func BenchmarkLoopbackSparkGetNote(b *testing.B) {
	benchLoopback(b, newServer(b, mockserver.Options{JournalSize: 64}))
}

func benchLoopback(b *testing.B, h http.Handler) {
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.Cleanup(client.CloseIdleConnections)
	c := spark("GET", notesPath, "spark-vow-token", "")
	cpu := startCPU(b)
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(c.Method, srv.URL+c.Target, nil)
			for k, v := range c.Header {
				req.Header.Set(k, v)
			}
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	cpu.report(b)
}
