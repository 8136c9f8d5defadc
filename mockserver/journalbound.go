package mockserver

import (
	"net/http"
	"unicode/utf8"
)

// DefaultJournalBytes bounds the journal's stored text unless Options says
// otherwise.
const DefaultJournalBytes = 16 << 20

// Per-field caps: the journal is for reading what a client sent, not for
// replay, and one request with a 1 MB header must not cost 1 MB per entry.
const (
	maxJournaledPath   = 2 << 10
	maxJournaledValue  = 1 << 10 // each header value, the query, each error
	maxJournaledValues = 8       // values kept per header
	maxJournaledErrors = 16
)

// maxJournaledViolations caps the violations kept per entry; the
// violations report (GET /__mock/violations) counts them all.
const maxJournaledViolations = 64

// boundEntry cuts every stored field of e to its cap, in place; what it
// shares with others (headers, violations, the upstream call) it replaces
// rather than changes.
func boundEntry(e *Entry) {
	e.Path = truncate(e.Path, maxJournaledPath)
	e.Query = truncate(e.Query, maxJournaledValue)
	e.Header = boundHeader(e.Header)
	e.ResponseHeader = boundHeader(e.ResponseHeader)
	e.Body = truncate(e.Body, maxJournaledBody)
	e.ResponseBody = truncate(e.ResponseBody, maxJournaledBody)
	e.Errors = boundStrings(e.Errors, maxJournaledErrors)
	if len(e.Violations) > 0 {
		vs := make([]Violation, min(len(e.Violations), maxJournaledViolations))
		for i := range vs {
			v := e.Violations[i]
			v.Pointer, v.Message = truncate(v.Pointer, maxJournaledValue), truncate(v.Message, maxJournaledValue)
			vs[i] = v
		}
		e.Violations = vs
	}
	if e.Upstream != nil {
		up := *e.Upstream
		up.Error, up.Unchecked = truncate(up.Error, maxJournaledValue), truncate(up.Unchecked, maxJournaledValue)
		e.Upstream = &up
	}
}

// boundHeader copies h with at most maxJournaledValues values per name,
// each cut to its cap; h itself when it is already within them, as
// nearly every header is (the journal never changes a stored header).
func boundHeader(h http.Header) http.Header {
	if headerWithinCaps(h) {
		return h
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		out[truncate(k, maxJournaledValue)] = boundStrings(vs, maxJournaledValues)
	}
	return out
}

func headerWithinCaps(h http.Header) bool {
	for k, vs := range h {
		if len(k) > maxJournaledValue || !stringsWithinCaps(vs, maxJournaledValues) {
			return false
		}
	}
	return true
}

// boundStrings copies the first n of ss, each cut to maxJournaledValue;
// ss itself when it is already within those caps.
func boundStrings(ss []string, n int) []string {
	if stringsWithinCaps(ss, n) {
		return ss
	}
	out := make([]string, min(len(ss), n))
	for i := range out {
		out[i] = truncate(ss[i], maxJournaledValue)
	}
	return out
}

func stringsWithinCaps(ss []string, n int) bool {
	if len(ss) > n {
		return false
	}
	for _, s := range ss {
		if len(s) > maxJournaledValue {
			return false
		}
	}
	return true
}

// entrySize is about what e costs in memory: its text plus a fixed
// overhead for the struct, maps and slices.
func entrySize(e *Entry) int {
	n := 320 + len(e.API) + len(e.Method) + len(e.Path) + len(e.Query) + len(e.Body) + len(e.ResponseBody) +
		len(e.Operation) + len(e.Role) + len(e.Rule) + len(e.Step)
	n += headerSize(e.Header) + headerSize(e.ResponseHeader)
	for _, msg := range e.Errors {
		n += len(msg) + 16
	}
	for _, v := range e.Violations {
		n += len(v.Rule) + len(v.Pointer) + len(v.Message) + 48
	}
	if e.Upstream != nil {
		n += 64 + len(e.Upstream.URL) + len(e.Upstream.Error) + len(e.Upstream.Unchecked)
	}
	return n
}

func headerSize(h http.Header) int {
	n := 0
	for k, vs := range h {
		n += len(k) + 48
		for _, v := range vs {
			n += len(v) + 16
		}
	}
	return n
}

// truncate cuts s to at most limit bytes, on a rune boundary, and says so.
func truncate(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…(truncated)"
}
