package spec_test

import (
	"context"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/spec"
)

// BenchmarkSpecLoad parses and checks both bundled documents, as a
// process does once at start.
func BenchmarkSpecLoad(b *testing.B) {
	docs := map[string][]byte{}
	for _, name := range spec.Bundled() {
		data, err := spec.Embedded(name)
		if err != nil {
			b.Fatal(err)
		}
		docs[name] = data
	}
	benchLoad(b, docs)
}

// BenchmarkSpecLoadViewings30 and BenchmarkSpecLoadViewings31 load one
// API written as OpenAPI 3.0.3 and as 3.1.0 (JSON Schema 2020-12): make
// bench shows the second as a ratio of the first.
func BenchmarkSpecLoadViewings30(b *testing.B) { benchLoadFile(b, "testdata/viewings30.yaml") }
func BenchmarkSpecLoadViewings31(b *testing.B) { benchLoadFile(b, "testdata/viewings31.yaml") }

func benchLoadFile(b *testing.B, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	benchLoad(b, map[string][]byte{path: data})
}

func benchLoad(b *testing.B, docs map[string][]byte) {
	cpu := startCPU(b)
	for b.Loop() {
		for name, data := range docs {
			if _, err := spec.Parse(name, name, data); err != nil {
				b.Fatal(err)
			}
		}
	}
	cpu.report(b)
}

// BenchmarkCheckRequestViewings30 and 31 check a booking never sent
// before on every call (the price changes), so no memo helps: the cost of
// validating one request body in full, 3.0 semantics against 2020-12.
func BenchmarkCheckRequestViewings30(b *testing.B) { benchCheckRequest(b, 0) }
func BenchmarkCheckRequestViewings31(b *testing.B) { benchCheckRequest(b, 1) }

func benchCheckRequest(b *testing.B, which int) {
	api := [2]*spec.API{}
	api[0], api[1] = loadTwins(b)
	ctx := context.Background()
	var body []byte
	cpu := startCPU(b)
	for i := 0; b.Loop(); i++ {
		body = append(append(body[:0], `{"kind":"viewing","listingRef":"MLS-1042","notes":null,"window":["2026-12-05T10:00:00Z",30],"agent":{"name":"Bo","phone":"1"},"price":`...), strconv.Itoa(i+1)...)
		body = append(body, '}')
		op, req := viewingCall(api[which], "createViewing", "/viewings", nil, body)
		if _, err := api[which].CheckRequest(ctx, op, req); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

// cpuClock measures the process's CPU time (user+system) over a loop,
// which a shared machine disturbs less than wall time.
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
