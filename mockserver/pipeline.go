package mockserver

import (
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/spec"
)

// A step is one stage of answering an API call: it returns nil to pass
// the call on, or the reply that ends it.
type step struct {
	name string
	run  func(*Server, *exchange) *Reply
	// kinds are the failures the step answers with, in the order it
	// checks them (the README's precedence table is held to them).
	kinds []spec.Kind
	// reach is the part of kinds, and for the answer step the behaviour's
	// declared failures, that a call to the operation can meet: what
	// Server.Reachable counts. Nil meets none: a call that reached an
	// operation has passed route, and method only refuses other methods.
	reach func(*mounted, *spec.Operation) []spec.Kind
}

// pipeline is the order in which the mock answers an API call, written
// here once; the package documentation explains each step. The first
// step that replies answers the call; then every reply, whichever step
// made it, is checked against the spec (checkResponse), written, and
// recorded.
var pipeline = []step{
	{"route", (*Server).route, []spec.Kind{spec.KindNotFound}, nil},
	{"method", (*Server).method, []spec.Kind{spec.KindMethodNotAllowed}, nil},
	{"precheck", (*Server).precheckHeaders, []spec.Kind{spec.KindMissingHeader}, precheckKinds},
	{"authenticate", (*Server).authenticate, []spec.Kind{spec.KindUnauthenticated, spec.KindExpiredToken}, authKinds},
	// The body is read once the caller is known (an anonymous client
	// cannot make the mock wait on its body) but before authorization, so
	// the journal shows what a refused role tried to write; a body that
	// could not be read is reported in its place, at validate.
	{"read body", (*Server).readBody, nil, nil},
	{"authorize", (*Server).authorize, []spec.Kind{spec.KindReadOnlyRole, spec.KindForbiddenRole}, roleKinds},
	{"validate", (*Server).validateRequest, requestKinds(true, true), validateKinds},
	// Rules stand for the live service's rate limit, and a store can be
	// full or fail; a behaviour adds what it declares (Declare).
	{"answer", (*Server).answer, []spec.Kind{spec.KindBadPrefer, spec.KindStoreFull, spec.KindRateLimited, spec.KindInternal}, answerKinds},
}

// exchange carries one API call through the pipeline.
type exchange struct {
	w     http.ResponseWriter
	r     *http.Request
	m     *mounted
	rest  string // the escaped path below the mount
	start time.Time
	entry Entry

	active *activeScenario
	part   *fixtures.APIScenario

	path      *compiledPath
	op        *compiledOp
	params    map[string]string
	principal fixtures.Principal // who the credential belongs to, once authenticated
	body      []byte
	// bodyErr is why the body could not be read (too large, cut short);
	// it is reported at validate, in its place in the pipeline order.
	bodyErr error
	input   openapi3filter.RequestValidationInput // kin-openapi's, kept here to spare an allocation
	value   any                                   // the validated body, decoded
	proxy   *proxyCall                            // set when the call is forwarded (proxy.go)
}

// clientGone is the reply of a call whose client left while the answer
// was delayed: nothing is written.
var clientGone = &Reply{}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, m *mounted, rest string) {
	if m.up != nil {
		s.serveProxied(w, r, m, rest)
		return
	}
	ex := s.newExchange(w, r, m, rest)
	defer s.recoverBehavior(ex)
	reply := s.run(ex, pipeline)
	s.write(ex, s.checkResponse(ex, s.render(ex, reply)))
	s.record(ex)
	releaseExchange(ex)
}

// exchanges recycles the exchanges of mocked calls: one is most of a
// call's allocation. Only serveAPI gives one back, once the call is
// recorded and nothing holds it (the journal keeps a copy of the entry;
// a call that panicked is not given back).
var exchanges = sync.Pool{New: func() any { return new(exchange) }}

func releaseExchange(ex *exchange) {
	*ex = exchange{}
	exchanges.Put(ex)
}

func (s *Server) newExchange(w http.ResponseWriter, r *http.Request, m *mounted, rest string) *exchange {
	ex := exchanges.Get().(*exchange)
	*ex = exchange{w: w, r: r, m: m, rest: rest, start: time.Now()}
	ex.active = s.active.Load()
	ex.part = ex.active.scenario.API(m.name)
	ex.entry = Entry{Time: ex.start, API: m.name, Method: r.Method, Path: r.URL.EscapedPath(), Scenario: ex.active.scenario.Name}
	ex.entry.Header, ex.entry.Query = s.journalRequest(m, r)
	return ex
}

// run runs steps in order until one replies, and notes which did.
func (s *Server) run(ex *exchange, steps []step) *Reply {
	for _, st := range steps {
		if reply := st.run(s, ex); reply != nil {
			ex.entry.Step = st.name
			return reply
		}
	}
	return Fail(spec.KindInternal, "no step answered")
}

// keepKnownCredential notes, for a call refused before authentication,
// the credential it sent when the active scenario knows it, as
// authenticate does for the others.
func keepKnownCredential(ex *exchange) {
	auth := ex.m.c.api.Auth
	if auth == nil || ex.m.up != nil {
		return
	}
	if cred := auth.Credential(ex.r); cred != "" {
		if _, ok := ex.part.Principals[cred]; ok {
			ex.entry.credential = cred
		}
	}
}

// recoverBehavior turns a behaviour's panic into a 500 in the API's
// envelope; the fault rules' http.ErrAbortHandler goes on up, so that
// net/http drops the connection as the rule asks.
func (s *Server) recoverBehavior(ex *exchange) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler { //nolint:errorlint // a sentinel panic value, never wrapped
		ex.entry.Status = 0
		s.record(ex)
		panic(v)
	}
	s.log.Error("behaviour panicked", "api", ex.m.name, "operation", ex.entry.Operation, "panic", v)
	reply := Fail(spec.KindInternal, fmt.Sprintf("the mock failed: %v", v))
	s.write(ex, s.checkResponse(ex, s.render(ex, reply)))
	s.record(ex)
}

func (s *Server) record(ex *exchange) {
	switch ex.entry.Step {
	case "route", "method", "precheck":
		keepKnownCredential(ex)
	}
	status := ex.entry.Status
	if ex.op != nil && status != 0 {
		ex.m.coverage.add(ex.op, status)
	}
	if up := ex.entry.Upstream; up != nil && up.Status != 0 && ex.op != nil {
		ex.m.coverage.addUpstream(ex.op, time.Duration(up.Latency))
	}
	end := time.Now()
	ex.entry.Duration = Duration(end.Sub(ex.start))
	ex.entry.Seq = s.journal.add(&ex.entry)
	s.violations.add(ex.m.name, &ex.entry, ex.entry.Violations)
	if !s.log.Enabled(ex.r.Context(), slog.LevelInfo) {
		return
	}
	s.logRequest(ex, end)
}

// logRequest writes the request's one info line; a fixed array keeps the
// attributes off the heap. The record goes straight to the handler with no
// source position: Logger.LogAttrs would walk the stack for one, and it
// would always name this function.
func (s *Server) logRequest(ex *exchange, end time.Time) {
	var buf [9]slog.Attr
	attrs := append(buf[:0], slog.String("api", ex.m.name), slog.String("method", ex.entry.Method),
		slog.String("path", ex.entry.Path), slog.String("operation", ex.entry.Operation),
		slog.Int("status", ex.entry.Status), slog.Duration("duration", time.Duration(ex.entry.Duration)))
	if ex.entry.Upstream != nil {
		attrs = append(attrs, slog.Int("upstream_status", ex.entry.Upstream.Status), slog.Int("violations", len(ex.entry.Violations)))
	}
	if ex.entry.Rule != "" {
		attrs = append(attrs, slog.String("rule", ex.entry.Rule))
	}
	rec := slog.NewRecord(end, slog.LevelInfo, "request", 0)
	rec.AddAttrs(attrs...)
	_ = s.log.Handler().Handle(ex.r.Context(), rec)
}
