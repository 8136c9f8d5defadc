package mockserver

import (
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/realestate-mocks/mockserver/spec"
)

// Entry is one request the Server handled, as the journal keeps it.
type Entry struct {
	Seq       int64       `json:"seq"`
	Time      time.Time   `json:"time"`
	API       string      `json:"api,omitempty"`
	Method    string      `json:"method"`
	Path      string      `json:"path"`
	Query     string      `json:"query,omitempty"`
	Header    http.Header `json:"header,omitempty"`
	Body      string      `json:"body,omitempty"`
	Operation string      `json:"operation,omitempty"`
	Role      string      `json:"role,omitempty"`
	Rule      string      `json:"rule,omitempty"`
	// Step is the pipeline step that answered ("route", "authenticate",
	// ..., "answer"); see pipeline in pipeline.go.
	Step     string   `json:"step,omitempty"`
	Status   int      `json:"status"`
	Duration Duration `json:"duration"`
	// Errors are the validation failures the request or the response met.
	Errors []string `json:"errors,omitempty"`
	// Upstream is, for a proxied call, what the real service did.
	Upstream *UpstreamCall `json:"upstream,omitempty"`
	// Violations are the spec's rules a proxied call broke.
	Violations []Violation `json:"violations,omitempty"`
	// ResponseHeader and ResponseBody are what the client was sent.
	ResponseHeader http.Header `json:"responseHeader,omitempty"`
	ResponseBody   string      `json:"responseBody,omitempty"`
}

// Duration marshals as a Go duration string ("1.5ms"), which people read.
type Duration time.Duration

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	*d = Duration(v)
	return err
}

// Filter selects journal entries; empty fields match everything.
type Filter struct {
	API       string
	Operation string
}

func (f Filter) match(e *Entry) bool {
	return (f.API == "" || f.API == e.API) && (f.Operation == "" || f.Operation == e.Operation)
}

// journaledHeaders are the request headers worth seeing when a test fails:
// what decides routing, auth, validation and Prefer, and the headers the
// APIs check before auth (x-checked-before-auth). Others are dropped to
// keep the journal small. The names are canonical, as the journal's
// http.Header keys must be, and as credential headers are redacted.
func journaledHeaders(apis []*spec.API) []string {
	names := []string{"Accept", "Authorization", "Content-Type", "Prefer", "User-Agent"}
	for _, api := range apis {
		for _, op := range api.Operations {
			for _, h := range op.PrecheckHeaders {
				if h = http.CanonicalHeaderKey(h); !slices.Contains(names, h) {
					names = append(names, h)
				}
			}
		}
	}
	return names
}

// maxJournaledBody caps each stored body; the journal is for reading, not replay.
const maxJournaledBody = 16 << 10

// journal is a bounded ring of entries, oldest dropped first, so a
// long-running server's memory stays flat.
type journal struct {
	mu      sync.Mutex
	entries []Entry
	start   int // index of the oldest entry once the ring is full
	size    int
	seq     int64
	subs    subscribers
}

func newJournal(size int) *journal { return &journal{size: size} }

// add keeps e and returns its sequence number.
func (j *journal) add(e Entry) int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.Seq = j.seq
	j.subs.publish(e)
	if j.size <= 0 {
		return e.Seq
	}
	if len(j.entries) < j.size {
		j.entries = append(j.entries, e)
		return e.Seq
	}
	j.entries[j.start] = e
	j.start = (j.start + 1) % j.size
	return e.Seq
}

func (j *journal) list(f Filter) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []Entry{}
	for i := range j.entries {
		e := &j.entries[(j.start+i)%len(j.entries)]
		if f.match(e) {
			out = append(out, *e)
		}
	}
	return out
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries, j.start = nil, 0
}

func journalBody(b []byte) string {
	if len(b) > maxJournaledBody {
		return string(b[:maxJournaledBody]) + "…(truncated)"
	}
	return string(b)
}
