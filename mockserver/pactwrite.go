package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/realestate-mocks/mockserver/mockserver/pact"
)

// DefaultConsumer names the consumer of a pact written without one.
const DefaultConsumer = "consumer"

// Pact writes what the journal holds of the calls to api as a pact of
// consumer ("" is DefaultConsumer) with api as the provider: one
// interaction per operation, status and request shape (method, path
// template, and which query parameters, headers and body fields were
// sent), the newest of each. An interaction is what the real service
// would see: its path below the mount prefix, the fixture credentials of
// the scenario as sent (other credentials as placeholders, such as
// "Bearer <token>" or "<api_token>", for a verifier to replace), the
// scenario active at the time as its provider state, and the answer with
// matching rules derived from the documented response schema. Refusals
// are kept (the app relied on them); an answer that broke the spec, and
// one whose text the journal cut, are not, and are listed in the
// metadata under mockserver.skipped.
func (s *Server) Pact(api, consumer string) (*pact.File, error) {
	m := s.byName[api]
	if m == nil {
		return nil, fmt.Errorf("no API %q is served (served: %s)", api, strings.Join(s.APINames(), ", "))
	}
	if consumer == "" {
		consumer = DefaultConsumer
	}
	w := pactWriter{m: m, seen: map[string]bool{}, skipped: map[string]pactSkip{}}
	entries := s.journal.list(Filter{API: api})
	for i := len(entries) - 1; i >= 0; i-- {
		w.add(&entries[i])
	}
	replayNote, err := s.attachRecords(&w, entries)
	if err != nil {
		return nil, err
	}
	f := &pact.File{Consumer: consumer, Provider: api, Version: pact.V4, Interactions: w.interactions()}
	meta := map[string]any{}
	if skipped := w.skips(); len(skipped) > 0 {
		meta["skipped"] = skipped
	}
	if replayNote != "" {
		meta["records"] = replayNote
	}
	if len(meta) > 0 {
		f.Metadata = map[string]any{"mockserver": meta}
	}
	return f, nil
}

// pactWriter gathers the interactions of one API, newest entry first.
type pactWriter struct {
	m       *mounted
	seen    map[string]bool // shape keys written
	kept    []keptInteraction
	skipped map[string]pactSkip // by shape key, while none of that shape is written
}

type keptInteraction struct {
	seq   int64
	shape string
	it    pact.Interaction
}

// pactSkip is an entry left out of a pact, and why.
type pactSkip struct {
	Seq     int64  `json:"seq"`
	Request string `json:"request"`
	Reason  string `json:"reason"`
}

func (w *pactWriter) add(e *Entry) {
	rest := strings.TrimPrefix(e.Path, w.m.prefix)
	template := rest
	if match, ok := w.m.c.api.MatchPath(rest); ok {
		template = match.Template
	}
	shape := requestShape(e, template)
	if w.seen[shape] {
		return
	}
	it, reason := w.interaction(e, rest, template)
	if reason != "" {
		if _, older := w.skipped[shape]; !older {
			w.skipped[shape] = pactSkip{Seq: e.Seq, Request: e.Method + " " + e.Path, Reason: reason}
		}
		return
	}
	w.seen[shape] = true
	delete(w.skipped, shape)
	w.kept = append(w.kept, keptInteraction{seq: e.Seq, shape: shape, it: it})
}

// interactions are the kept ones in the order they were made, each with
// a description of its own.
func (w *pactWriter) interactions() []pact.Interaction {
	slices.SortFunc(w.kept, func(a, b keptInteraction) int { return int(a.seq - b.seq) })
	count := map[string]int{}
	for _, k := range w.kept {
		count[k.it.Description]++
	}
	out := make([]pact.Interaction, len(w.kept))
	for i, k := range w.kept {
		if count[k.it.Description] > 1 {
			k.it.Description += " (" + shapeDetail(k.shape) + ")"
		}
		out[i] = k.it
	}
	return out
}

// shapeDetail is the part of a shape key after method, template and
// status: which query parameters, headers and body fields were sent.
func shapeDetail(shape string) string {
	_, detail, _ := strings.Cut(shape, "|")
	if detail == "" {
		return "nothing else sent"
	}
	return detail
}

func (w *pactWriter) skips() []pactSkip {
	out := make([]pactSkip, 0, len(w.skipped))
	for _, s := range w.skipped {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b pactSkip) int { return int(a.Seq - b.Seq) })
	return out
}

// requestShape is the dedupe key of an entry: method, path template and
// status, then which query parameters, headers and body fields it sent.
func requestShape(e *Entry, template string) string {
	var b strings.Builder
	b.WriteString(e.Method + " " + template + " " + strconv.Itoa(e.Status) + "|")
	if q, err := url.ParseQuery(e.Query); err == nil && len(q) > 0 {
		b.WriteString("query " + strings.Join(slices.Sorted(mapKeys(q)), ",") + "; ")
	}
	var headers []string
	for name := range e.Header {
		if !skippedPactHeader(name) {
			headers = append(headers, name)
		}
	}
	if len(headers) > 0 {
		slices.Sort(headers)
		b.WriteString("headers " + strings.Join(headers, ",") + "; ")
	}
	if fields := bodyFields(e.Body); len(fields) > 0 {
		b.WriteString("body " + strings.Join(fields, ",") + "; ")
	}
	return strings.TrimSuffix(b.String(), "; ")
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// bodyFields lists the field paths of a JSON body ("D.Note",
// "items[].id"), sorted; none for another body.
func bodyFields(body string) []string {
	var v any
	if body == "" || json.Unmarshal([]byte(body), &v) != nil {
		return nil
	}
	set := map[string]bool{}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				p := k
				if path != "" {
					p = path + "." + k
				}
				set[p] = true
				walk(x, p)
			}
		case []any:
			for _, x := range v {
				walk(x, path+"[]")
			}
		}
	}
	walk(v, "")
	return slices.Sorted(mapKeys(set))
}

// skippedPactHeader is a journaled request header a pact leaves out: the
// client library's name is not part of the contract.
func skippedPactHeader(name string) bool { return name == "User-Agent" }

// journalCut is the mark truncate leaves on a field the journal cut.
const journalCut = "…(truncated)"

// interaction builds the interaction of one entry, or says why it cannot.
func (w *pactWriter) interaction(e *Entry, rest, template string) (pact.Interaction, string) {
	if reason := unwritable(e); reason != "" {
		return pact.Interaction{}, reason
	}
	req, reason := w.request(e, rest)
	if reason != "" {
		return pact.Interaction{}, reason
	}
	res, reason := w.response(e)
	if reason != "" {
		return pact.Interaction{}, reason
	}
	it := pact.Interaction{
		Description: pactDescription(e, template),
		Type:        pact.HTTPInteraction,
		Request:     req,
		Response:    res,
	}
	if e.Scenario != "" {
		it.States = []pact.ProviderState{{Name: e.Scenario}}
	}
	return it, ""
}

// unwritable says why an entry cannot be an expectation: no answer, an
// answer that broke the spec, or text the journal cut.
func unwritable(e *Entry) string {
	switch {
	case e.Status == 0:
		return "no answer was sent (the client left, or a fault rule dropped the connection)"
	case e.Step == "check response" || slices.ContainsFunc(e.Violations, func(v Violation) bool { return v.In() == "response" }):
		return "the answer broke the spec: " + strings.Join(e.Errors, "; ")
	case strings.HasSuffix(e.Path, journalCut) || strings.HasSuffix(e.Query, journalCut):
		return "the journal cut its path or query"
	case strings.HasSuffix(e.Body, journalCut):
		return "the journal cut its request body"
	case strings.HasSuffix(e.ResponseBody, journalCut):
		return "the journal cut its response body"
	}
	for _, vs := range e.Header {
		if slices.ContainsFunc(vs, func(v string) bool { return strings.HasSuffix(v, journalCut) }) {
			return "the journal cut a header"
		}
	}
	return ""
}

func pactDescription(e *Entry, template string) string {
	what := e.Operation
	if what == "" {
		what = e.Method + " " + template
	}
	d := what + " answers " + strconv.Itoa(e.Status)
	if e.Role != "" {
		d += " to " + e.Role
	}
	return d
}

// adminPact answers GET /__mock/pact?api=NAME&consumer=NAME with the
// Pact 4.0 file of Server.Pact.
func (s *Server) adminPact(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	api := q.Get("api")
	if api == "" {
		adminError(w, http.StatusBadRequest, "give the API: ?api=NAME (served: "+strings.Join(s.APINames(), ", ")+"), and ?consumer=NAME (default "+DefaultConsumer+")")
		return
	}
	f, err := s.Pact(api, q.Get("consumer"))
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	data, err := f.Marshal()
	if err != nil {
		adminError(w, http.StatusInternalServerError, fmt.Sprintf("write the pact: %v", err))
		return
	}
	writeJSON(w, http.StatusOK, data)
}
