package dashboard

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// defaultRows is how many of the newest matching entries a page shows:
// enough to scroll through, few enough for the page to stay fast with a
// journal of ten thousand.
const defaultRows = 300

// maxRows caps ?limit=.
const maxRows = 5000

// filter is what the requests page's form selects; the zero value shows
// everything.
type filter struct {
	API, Operation string
	// Status is a status class ("2xx"…"5xx"), or "none" for requests
	// that got no answer (the client went away).
	Status string
	// Text matches, case-insensitively, the path, query, operation, rule,
	// bodies and errors.
	Text  string
	Limit int
	// After keeps entries newer than this seq: the live updates.
	After int64
}

func parseFilter(q url.Values) filter {
	f := filter{API: q.Get("api"), Operation: q.Get("operation"), Status: q.Get("status"), Text: strings.TrimSpace(q.Get("q")), Limit: defaultRows}
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 {
		f.Limit = min(n, maxRows)
	}
	if n, err := strconv.ParseInt(q.Get("after"), 10, 64); err == nil {
		f.After = n
	}
	return f
}

// Active reports whether anything narrows the list.
func (f filter) Active() bool {
	return f.API != "" || f.Operation != "" || f.Status != "" || f.Text != ""
}

func (f filter) match(e *mockserver.Entry, text string) bool {
	if e.Seq <= f.After {
		return false
	}
	if f.Status != "" && statusClass(e.Status) != f.Status {
		return false
	}
	return text == "" || entryContains(e, text)
}

func entryContains(e *mockserver.Entry, lower string) bool {
	for _, s := range []string{e.Path, e.Query, e.Operation, e.Rule, e.Body, e.ResponseBody, e.Method + " ", strconv.Itoa(e.Status)} {
		if containsFold(s, lower) {
			return true
		}
	}
	return slices.ContainsFunc(e.Errors, func(s string) bool { return containsFold(s, lower) })
}

// containsFold avoids lowering whole bodies for the common ASCII case.
func containsFold(s, lower string) bool {
	return strings.Contains(s, lower) || strings.Contains(strings.ToLower(s), lower)
}

func statusClass(status int) string {
	if status < 100 || status > 599 {
		return "none"
	}
	return strconv.Itoa(status/100) + "xx"
}

// requestsPage is the requests page's data.
type requestsPage struct {
	Filter filter
	// Rows are the newest matching entries, newest first.
	Rows []mockserver.Entry
	// Matched counts every matching entry; Total the journal.
	Matched, Total int
	// Last is the newest seq in the journal, where live updates start.
	Last       int64
	APIs       []string
	Operations []string
	Statuses   []string
}

func (u *ui) requests(_ http.ResponseWriter, r *http.Request) any {
	f := parseFilter(r.URL.Query())
	entries := u.s.Requests(mockserver.Filter{API: f.API, Operation: f.Operation})
	p := &requestsPage{Filter: f, APIs: u.s.APINames(), Statuses: []string{"2xx", "3xx", "4xx", "5xx", "none"}}
	p.Operations = u.operations(f.API)
	if len(entries) > 0 {
		p.Last = entries[len(entries)-1].Seq
	}
	p.Total = len(entries)
	if f.API != "" || f.Operation != "" {
		p.Total = len(u.s.Requests(mockserver.Filter{}))
	}
	text := strings.ToLower(f.Text)
	for i := len(entries) - 1; i >= 0; i-- {
		if !f.match(&entries[i], text) {
			continue
		}
		p.Matched++
		if len(p.Rows) < f.Limit {
			p.Rows = append(p.Rows, entries[i])
		}
	}
	return p
}

// operations lists the operations of one API, or of all, for the filter.
func (u *ui) operations(api string) []string {
	var ops []string
	for _, name := range u.s.APINames() {
		if api != "" && name != api {
			continue
		}
		for _, op := range u.s.API(name).Operations {
			ops = append(ops, operationKey(op.ID, op.Method, op.Path))
		}
	}
	slices.Sort(ops)
	return slices.Compact(ops)
}

// operationKey is how the journal names an operation.
func operationKey(id, method, path string) string {
	if id != "" {
		return id
	}
	return method + " " + path
}

// detailPage is one journal entry in full.
type detailPage struct {
	Entry mockserver.Entry
	Curl  string
}

func (u *ui) detail(w http.ResponseWriter, r *http.Request) any {
	seq, err := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, Base+"requests/"), 10, 64)
	if err != nil {
		http.Error(w, "a request is named by its journal seq: "+Base+"requests/<seq>", http.StatusNotFound)
		return nil
	}
	if e, ok := u.s.Request(seq); ok {
		return &detailPage{Entry: e, Curl: u.curl(&e, origin(r))}
	}
	http.Error(w, "request "+strconv.FormatInt(seq, 10)+" is not in the journal (any more)", http.StatusNotFound)
	return nil
}

// origin is the scheme and host the browser reached the mock at.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
