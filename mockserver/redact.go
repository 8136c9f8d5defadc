package mockserver

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/realestate-mocks/mockserver/spec"
)

// A request's credentials (spec.Credentials: the Authorization header,
// apiKey headers and query parameters) are redacted once, as the request
// enters the journal, in the style of its mount: nothing else (the
// journal, events, the dashboard, reports, recordings) ever sees them.
type redaction int

const (
	// hint keeps a little of a mocked API's credential, a fixture token,
	// so a failing test shows which one it sent.
	hint redaction = iota
	// hide keeps nothing of a proxied API's credential, a real secret.
	hide
)

// redacted stands for a hidden credential.
const redacted = "[redacted]"

// anyCredential is what is redacted of a request that reaches no API
// (a CORS preflight).
var anyCredential = spec.Credentials{Headers: []string{"Authorization"}}

// journalRequest is what the journal keeps of a request's headers and
// query, its credentials redacted in the mount's style.
func (s *Server) journalRequest(m *mounted, r *http.Request) (http.Header, string) {
	style := redactor{style: hint, memo: &m.hints}
	if m.up != nil {
		style = redactor{style: hide}
	}
	return s.journalHeader(r.Header, m.c.creds, style), redactQuery(r.URL.RawQuery, m.c.creds, style)
}

// redactor redacts in a style, remembering its answers when memo is set.
type redactor struct {
	style redaction
	memo  *hints
}

// hints remembers what a mocked API's credentials redact to: its clients
// send the same few fixture tokens again and again, so each is redacted
// once, and every journal entry shares the answer. It keeps at most
// maxHints values, starting over when full. A proxied API's credentials,
// real secrets, are never remembered.
type hints struct {
	mu     sync.RWMutex
	header map[string][]string // header value -> its redaction, as journal values
	query  map[string]string   // escaped query value -> its redaction, escaped
	// last is the journal header built last: clients send the same
	// headers call after call, and entries share one map when they match.
	last atomic.Pointer[http.Header]
}

const maxHints = 256

func (r redactor) header(v string) []string {
	redact := func() []string { return []string{r.style.header(v)} }
	if r.memo == nil {
		return redact()
	}
	return recall(r.memo, &r.memo.header, v, redact)
}

func (r redactor) query(escaped string) string {
	redact := func() string { return url.QueryEscape(r.style.query(escaped)) }
	if r.memo == nil {
		return redact()
	}
	return recall(r.memo, &r.memo.query, escaped, redact)
}

// recall answers k from one of h's maps, working the answer out and
// remembering it the first time (starting the map over once full).
func recall[V any](h *hints, m *map[string]V, k string, work func() V) V {
	h.mu.RLock()
	v, ok := (*m)[k]
	h.mu.RUnlock()
	if ok {
		return v
	}
	v = work()
	h.mu.Lock()
	defer h.mu.Unlock()
	if *m == nil || len(*m) >= maxHints {
		*m = make(map[string]V)
	}
	(*m)[k] = v
	return v
}

// journalHeader keeps the journaled headers the request carries, in one
// map sized for them (nil when it carries none); a credential keeps its
// first value, redacted.
func (s *Server) journalHeader(h http.Header, creds spec.Credentials, r redactor) http.Header {
	if r.memo == nil {
		return s.buildJournalHeader(h, creds, r)
	}
	if last := r.memo.last.Load(); last != nil && s.sameJournalHeader(*last, h, creds, r) {
		return *last
	}
	out := s.buildJournalHeader(h, creds, r)
	r.memo.last.Store(&out)
	return out
}

// sameJournalHeader says whether h's journaled headers are those kept
// in last, credentials compared by what they redact to (r remembers it).
func (s *Server) sameJournalHeader(last, h http.Header, creds spec.Credentials, r redactor) bool {
	for _, name := range s.journaled {
		v, kept := h[name], last[name]
		if len(v) == 0 || len(kept) == 0 {
			if len(v) != len(kept) {
				return false
			}
			continue
		}
		if creds.IsHeader(name) {
			v = r.header(v[0])
		}
		if !slices.Equal(v, kept) {
			return false
		}
	}
	return true
}

// buildJournalHeader builds what journalHeader keeps, in a new map.
func (s *Server) buildJournalHeader(h http.Header, creds spec.Credentials, r redactor) http.Header {
	n := 0
	for _, name := range s.journaled {
		if len(h[name]) > 0 {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make(http.Header, n)
	for _, name := range s.journaled {
		v := h[name]
		if len(v) == 0 {
			continue
		}
		if creds.IsHeader(name) {
			v = r.header(v[0])
		}
		out[name] = v
	}
	return out
}

// header redacts a header credential. An Authorization scheme ("OAuth",
// "Bearer") is kept in both styles: it tells clients apart.
func (style redaction) header(v string) string {
	if style == hint {
		return hintOf(v)
	}
	if scheme, _, ok := strings.Cut(strings.TrimSpace(v), " "); ok && scheme != "" && !strings.ContainsAny(scheme, "=:") {
		return scheme + " " + redacted
	}
	return redacted
}

// hintOf keeps the scheme and a hint of the token: enough to tell which
// fixture token was used, not enough to leak a real one.
func hintOf(v string) string {
	scheme, token, ok := strings.Cut(v, " ")
	if !ok {
		scheme, token = "", v
	}
	if len(token) > 8 {
		token = token[:4] + "…" + token[len(token)-2:]
	}
	return strings.TrimSpace(scheme + " " + token)
}

// redactQuery redacts the value of every credential parameter, keeping
// the order and encoding of the rest as the client wrote them; a query
// with no credential is returned as it came, without a copy.
func redactQuery(raw string, creds spec.Credentials, r redactor) string {
	if raw == "" || len(creds.Query) == 0 {
		return raw
	}
	var b strings.Builder
	done := 0 // raw[:done] is in b, or needs no change while b is empty
	for start := 0; start <= len(raw); {
		end := strings.IndexByte(raw[start:], '&')
		if end < 0 {
			end = len(raw)
		} else {
			end += start
		}
		key, value, _ := strings.Cut(raw[start:end], "=")
		if name, err := url.QueryUnescape(key); err == nil && creds.IsQuery(name) {
			if b.Len() == 0 {
				b.Grow(len(raw) + len(redacted))
			}
			b.WriteString(raw[done : start+len(key)])
			b.WriteString("=")
			b.WriteString(r.query(value))
			done = end
		}
		start = end + 1
	}
	if b.Len() == 0 {
		return raw
	}
	b.WriteString(raw[done:])
	return b.String()
}

// query redacts a query credential, given as the client escaped it.
func (style redaction) query(escaped string) string {
	if style == hide {
		return redacted
	}
	v, err := url.QueryUnescape(escaped)
	if err != nil {
		return redacted
	}
	return hintOf(v)
}
