package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
)

// target is one request of the load, as the default scenario answers it.
type target struct {
	method, path string
	header       http.Header
	body         []byte
	want         int
}

const (
	sparkNotes = "/spark/v1/listings/20100815153524571646000000/shared/notes"
	otcToken   = "?api_token=otc-demo-token"
)

var sparkHeader = http.Header{
	"Authorization":         {"Bearer spark-vow-token"},
	"X-Sparkapi-User-Agent": {"loadtest/1.0"},
	"Content-Type":          {"application/json"},
}

var otcHeader = http.Header{"Accept": {"application/json"}, "Content-Type": {"application/json"}}

var (
	sparkGet   = target{"GET", sparkNotes, sparkHeader, nil, 200}
	sparkPut   = target{"PUT", sparkNotes, sparkHeader, []byte(`{"D":{"Note":"Great home, wondering if seller is willing to include hot tub."}}`), 200}
	otcList    = target{"GET", "/opentoclose/v1/properties/123/contacts" + otcToken, otcHeader, nil, 200}
	otcGet     = target{"GET", "/opentoclose/v1/properties/123/contacts/7484664" + otcToken, otcHeader, nil, 200}
	otcUpdate  = target{"PUT", "/opentoclose/v1/properties/123/contacts/7484664" + otcToken, otcHeader, []byte(`{"notes":"Primary decision maker"}`), 200}
	allTargets = []target{sparkGet, sparkPut, otcList, otcGet, otcUpdate}
)

// phase is one kind of load; its targets are sent round robin, so the
// repeats set the mix. Writes are idempotent, so state never grows.
//
// A phase runs as fast as the server answers, unless pacedBy names an
// earlier phase: then both servers get the same fixed rate, pace times
// the bare server's throughput there. At full speed 32 connections queue
// (latency is 32 / throughput, whatever the server does), so latency is
// read at a set rate, where it is the server's own.
type phase struct {
	name    string
	targets []target
	pacedBy string
	pace    float64
}

var mix = []target{sparkGet, otcList, sparkGet, otcGet, sparkPut, sparkGet, otcList, otcUpdate, sparkGet, otcList}

// mixPhase is the phase whose rate sizes the soak's runs.
const mixPhase = "mix: 80% reads, both APIs"

var phases = []phase{
	{name: "Spark GET note", targets: []target{sparkGet}},
	{name: "Spark PUT note", targets: []target{sparkPut}},
	{name: mixPhase, targets: mix},
	{name: "Spark GET note, half the bare rate", targets: []target{sparkGet}, pacedBy: "Spark GET note", pace: 0.5},
}

// answer is what the bare server sends back for a request (see bare).
type answer struct {
	Status      int    `json:"status"`
	ContentType string `json:"contentType"`
	Body        []byte `json:"body"`
}

// record asks the mock each target once and writes its answers for the
// bare server, so both send the same bytes.
func record(ctx context.Context, base, file string) error {
	answers := map[string]answer{}
	for _, t := range allTargets {
		req, err := http.NewRequestWithContext(ctx, t.method, base+t.path, bytes.NewReader(t.body))
		if err != nil {
			return err
		}
		req.Header = t.header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return fmt.Errorf("record %s %s: %w", t.method, t.path, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != t.want {
			return fmt.Errorf("record %s %s: status %d (%v): %s", t.method, t.path, resp.StatusCode, err, body)
		}
		answers[t.method+" "+t.path] = answer{resp.StatusCode, resp.Header.Get("Content-Type"), body}
	}
	data, err := json.Marshal(answers)
	if err != nil {
		return err
	}
	return os.WriteFile(file, data, 0o600)
}
