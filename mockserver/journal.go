package mockserver

import (
	"cmp"
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
	// Scenario is the scenario active when the call was answered: the
	// provider state of the call in a pact (Server.Pact).
	Scenario string `json:"scenario,omitempty"`
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

	// credential is the credential sent, kept only when the active
	// scenario knew it (a public fixture token): a pact must carry it to
	// replay against the mock. Never marshalled.
	credential string
}

// ownHeaders gives e copies of its header maps, which the journal shares.
func (e *Entry) ownHeaders() {
	e.Header, e.ResponseHeader = e.Header.Clone(), e.ResponseHeader.Clone()
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

// journal is a bounded queue of entries, oldest dropped first, so a
// long-running server's memory stays flat: at most size entries and
// maxBytes bytes of stored text (each field cut by boundEntry first).
type journal struct {
	mu       sync.Mutex
	entries  []Entry // entries[head:] are kept, oldest first
	sizes    []int   // each entry's entrySize, for the byte bound
	head     int
	total    int
	size     int
	maxBytes int
	seq      int64
	subs     subscribers
}

func newJournal(size, maxBytes int) *journal { return &journal{size: size, maxBytes: maxBytes} }

// add keeps e, cut to the journal's caps, and returns its sequence
// number. The entry is copied once, into its place in the queue, and cut
// there: it is a few hundred bytes, one call's most copied value.
func (j *journal) add(e *Entry) int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	if j.size <= 0 {
		kept := *e
		boundEntry(&kept)
		kept.Seq = j.seq
		j.subs.publish(&kept)
		return kept.Seq
	}
	j.entries = append(j.entries, *e)
	kept := &j.entries[len(j.entries)-1]
	boundEntry(kept)
	kept.Seq = j.seq
	n := entrySize(kept)
	j.subs.publish(kept)
	j.sizes = append(j.sizes, n)
	j.total += n
	for stored := len(j.entries) - j.head; stored > 1 && (stored > j.size || j.total > j.maxBytes); stored-- {
		j.total -= j.sizes[j.head]
		j.entries[j.head] = Entry{} // let the dropped text go
		j.head++
	}
	if j.head > 0 && j.head >= len(j.entries)/2 {
		// Moving the kept half down now and then keeps add O(1) on
		// average and the arrays from growing without bound.
		stored := copy(j.entries, j.entries[j.head:])
		copy(j.sizes, j.sizes[j.head:])
		clear(j.entries[stored:])
		j.entries, j.sizes, j.head = j.entries[:stored], j.sizes[:stored], 0
	}
	return j.seq
}

func (j *journal) list(f Filter) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []Entry{}
	for i := j.head; i < len(j.entries); i++ {
		if f.match(&j.entries[i]) {
			out = append(out, j.entries[i])
		}
	}
	return out
}

// get returns the entry numbered seq while the journal still keeps it.
// Entries are kept in seq order, so it is a binary search.
func (j *journal) get(seq int64) (Entry, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	kept := j.entries[j.head:]
	i, found := slices.BinarySearchFunc(kept, seq, func(e Entry, seq int64) int { return cmp.Compare(e.Seq, seq) })
	if !found {
		return Entry{}, false
	}
	return kept[i], true
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries, j.sizes, j.head, j.total = nil, nil, 0, 0
}

func journalBody(b []byte) string {
	if len(b) > maxJournaledBody {
		return truncate(string(b[:maxJournaledBody+1]), maxJournaledBody)
	}
	return string(b)
}
