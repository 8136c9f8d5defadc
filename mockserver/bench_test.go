package mockserver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// The benchmarks measure the handler alone (no socket). BenchmarkBaseline
// is a bare net/http handler answering the same bytes: report the others
// as ratios against it from the same run (make bench), never as absolute
// times, since these machines are shared and noisy.

var seedNoteBody = []byte(`{"D":{"Success":true,"Results":[{"ResourceUri":"/v1/listings/20100815153524571646000000/shared/notes/contacts/20100912536192756362000000","ContactId":"20100912536192756362000000","Note":"Great home, wondering if seller is willing to include hot tub."}]}}`)

func BenchmarkBaseline(b *testing.B) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(seedNoteBody)
	})
	benchHandler(b, h, spark("GET", notesPath, "spark-vow-token", ""), 200)
}

func BenchmarkSparkGetNote(b *testing.B) {
	benchHandler(b, newServer(b, mockserver.Options{}), spark("GET", notesPath, "spark-vow-token", ""), 200)
}

func BenchmarkSparkPutNote(b *testing.B) {
	benchHandler(b, newServer(b, mockserver.Options{}), spark("PUT", notesPath, "spark-vow-token", `{"D":{"Note":"Great home."}}`), 200)
}

func BenchmarkOpenToCloseList(b *testing.B) {
	benchHandler(b, newServer(b, mockserver.Options{}), otc("GET", "/properties/123/contacts", ""), 200)
}

func BenchmarkSparkRefusedRole(b *testing.B) {
	benchHandler(b, newServer(b, mockserver.Options{}), spark("PUT", notesPath, "spark-idx-token", `{"D":{"Note":"x"}}`), 405)
}

// BenchmarkNewServer is the cost of one isolated instance on the shared,
// already compiled specs: what a test pays per mockservertest.New.
func BenchmarkNewServer(b *testing.B) {
	newServer(b, mockserver.Options{}) // compile the specs and load the scenarios once
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mockserver.New(withBundled(b, mockserver.Options{})); err != nil {
			b.Fatal(err)
		}
	}
}

func benchHandler(b *testing.B, h http.Handler, c call, status int) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
		for k, v := range c.header {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != status {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// The loopback benchmarks are a load run in miniature: real sockets,
// keep-alive clients in parallel, the server in the same process. Compare
// BenchmarkLoopbackSparkGetNote with BenchmarkLoopbackBaseline.
func BenchmarkLoopbackBaseline(b *testing.B) {
	benchLoopback(b, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(seedNoteBody)
	}))
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
	b.ReportAllocs()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
			for k, v := range c.header {
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
}
