package mockserver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// The proxy benchmarks measure what the validating proxy adds to a local
// upstream's own latency for a 1 KB JSON answer, one call at a time.
// BenchmarkProxyUpstream is the client calling the upstream directly;
// BenchmarkProxySparkGetNote is the proxy's handler (request checks,
// forwarding over loopback, the answer streamed and checked, journal)
// called in process, so the difference is the proxy's own work;
// BenchmarkProxyLoopbackSparkGetNote adds the client's hop to the proxy
// over a socket as well. The upstream answers at once, so the ratios are
// the worst case; the Slow variants give it 1 ms of work of its own, still
// faster than any real service over a network. make bench prints each as
// a ratio to its BenchmarkProxyUpstream from the same run.

// proxiedNote is a valid answer of getSharedNote of about 1 KB.
var proxiedNote = []byte(`{"D":{"Success":true,"Results":[{"ResourceUri":"/v1/listings/20100815153524571646000000/shared/notes/contacts/20100912536192756362000000","ContactId":"20100912536192756362000000","Note":"` +
	strings.Repeat("Great home, wondering if seller is willing to include hot tub. ", 13) + `"}]}}`)

func proxyUpstream(b *testing.B, work time.Duration) *httptest.Server {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if work > 0 {
			time.Sleep(work)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(proxiedNote)
	}))
	b.Cleanup(up.Close)
	return up
}

func newProxy(b *testing.B, upstream string) *mockserver.Server {
	return newServer(b, mockserver.Options{JournalSize: 64, Proxy: &mockserver.ProxyOptions{
		Upstreams: map[string]string{"spark": upstream + "/v1"},
	}})
}

const slowUpstream = time.Millisecond

func BenchmarkProxyUpstream(b *testing.B)     { benchUpstream(b, 0) }
func BenchmarkProxySlowUpstream(b *testing.B) { benchUpstream(b, slowUpstream) }

func BenchmarkProxySparkGetNote(b *testing.B)     { benchProxyHandler(b, 0) }
func BenchmarkProxySlowSparkGetNote(b *testing.B) { benchProxyHandler(b, slowUpstream) }

func BenchmarkProxyLoopbackSparkGetNote(b *testing.B) {
	up := proxyUpstream(b, 0)
	proxy := httptest.NewServer(newProxy(b, up.URL))
	b.Cleanup(proxy.Close)
	benchClient(b, proxy.URL+notesPath)
}

func benchUpstream(b *testing.B, work time.Duration) {
	up := proxyUpstream(b, work)
	benchClient(b, up.URL+"/v1"+strings.TrimPrefix(notesPath, "/spark/v1"))
}

func benchProxyHandler(b *testing.B, work time.Duration) {
	up := proxyUpstream(b, work)
	b.SetBytes(int64(len(proxiedNote)))
	benchHandler(b, newProxy(b, up.URL), spark("GET", notesPath, "spark-vow-token", ""), 200, nil)
}

// benchClient calls url again and again with the VOW note's headers, one
// call at a time on one keep-alive connection, checking each answer.
func benchClient(b *testing.B, url string) {
	client := &http.Client{Transport: &http.Transport{}}
	b.Cleanup(client.CloseIdleConnections)
	c := spark("GET", notesPath, "spark-vow-token", "")
	b.SetBytes(int64(len(proxiedNote)))
	cpu := startCPU(b)
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		for k, v := range c.Header {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || n != int64(len(proxiedNote)) || resp.Header.Get(mockserver.ViolationHeader) != "" {
			b.Fatalf("status %d, %d bytes, violation %q", resp.StatusCode, n, resp.Header.Get(mockserver.ViolationHeader))
		}
	}
	cpu.report(b)
}
