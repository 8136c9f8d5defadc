package mockserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/gorilla/mux"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/spec"
)

// requestOptions are shared by every request validation: security is
// checked before kin-openapi, and the validated body is kept so
// behaviours do not decode it twice.
var requestOptions = &openapi3filter.Options{
	AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
	SkipSettingDefaults: true,
	KeepValidatedValue:  true,
}

// responseOptions make an undocumented status a violation too.
var responseOptions = &openapi3filter.Options{
	AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	IncludeResponseStatus: true,
}

// exchange carries one request through the pipeline.
type exchange struct {
	w      http.ResponseWriter
	r      *http.Request
	m      *mounted
	start  time.Time
	entry  Entry
	path   *compiledPath
	op     *compiledOp
	params map[string]string
	input  *openapi3filter.RequestValidationInput
	body   []byte
	// bodyErr is why the body could not be read (too large, cut short);
	// it is reported at step 6, in its place in the pipeline order.
	bodyErr error
	// principal is who the credential belongs to, once authenticated.
	principal fixtures.Principal
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, m *mounted, rest string) {
	ex := &exchange{w: w, r: r, m: m, start: time.Now()}
	ex.entry = Entry{
		Time: ex.start, API: m.name, Method: r.Method, Path: r.URL.EscapedPath(),
		Query: s.journalQuery(m, r.URL), Header: journalHeader(r.Header),
	}
	active := s.active.Load()
	part := active.scenario.API(m.name)
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler { //nolint:errorlint // a sentinel panic value, never wrapped
				s.record(ex, 0)
				panic(v)
			}
			s.log.Error("behaviour panicked", "api", m.name, "operation", ex.entry.Operation, "panic", v)
			s.respond(ex, Fail(spec.KindInternal, fmt.Sprintf("the mock failed: %v", v)))
		}
	}()
	s.readBody(ex)
	if reply := s.admit(ex, rest, part); reply != nil {
		s.respond(ex, reply)
		return
	}
	s.respond(ex, s.answer(ex, active, part))
}

// admit runs pipeline steps 1 to 6; a non-nil reply ends the request.
func (s *Server) admit(ex *exchange, rest string, part *fixtures.APIScenario) *Reply {
	c, r := ex.m.c, ex.r

	// 1. Route, against the path below the mount.
	routed := *r
	u := *r.URL
	u.RawPath = rest
	if p, err := url.PathUnescape(rest); err == nil {
		u.Path = p
	} else {
		return Fail(spec.KindNotFound, "the path is not validly escaped")
	}
	routed.URL = &u
	var match mux.RouteMatch
	if !c.router.Match(&routed, &match) {
		nearest := c.nearestPaths(rest, 3)
		for i := range nearest {
			nearest[i] = ex.m.prefix + nearest[i]
		}
		return Fail(spec.KindNotFound, fmt.Sprintf("no path %s in the %s API; nearest: %s", ex.entry.Path, ex.m.name, strings.Join(nearest, ", ")))
	}
	ex.path = c.paths[match.Route.GetName()]
	ex.params = make(map[string]string, len(match.Vars))
	for k, v := range match.Vars {
		if p, err := url.PathUnescape(v); err == nil {
			v = p
		}
		ex.params[k] = v
	}

	// 2. Method. The seed says these answer 405, whoever asks, so this
	// comes before authentication.
	ex.op = ex.path.methods[r.Method]
	if ex.op != nil {
		ex.entry.Operation = opKey(ex.op.op)
	}
	if ex.op == nil || ex.op.op.NotImplemented {
		return Fail(spec.KindMethodNotAllowed, fmt.Sprintf("%s is not offered on %s; use %s", r.Method, ex.path.template, ex.path.allow))
	}
	op := ex.op.op

	// 3. Headers the API checks before anything else.
	for _, h := range op.PrecheckHeaders {
		if r.Header.Get(h) != "" {
			continue
		}
		if part.SkipPrecheckHeaders {
			r.Header.Set(h, "mockserver (check switched off by the scenario)")
			continue
		}
		msg := c.api.Envelope.Kinds[spec.KindMissingHeader].Message
		if strings.Contains(strings.ToLower(msg), strings.ToLower(h)) {
			return Fail(spec.KindMissingHeader, "")
		}
		return Fail(spec.KindMissingHeader, h)
	}

	// 4. Authentication.
	if auth := c.api.Auth; auth != nil {
		cred := auth.Credential(r)
		if cred == "" {
			return Fail(spec.KindUnauthenticated, "no credential: send "+describeAuth(auth))
		}
		p, ok := part.Principals[cred]
		if !ok {
			return Fail(spec.KindUnauthenticated, "the token is not one this scenario knows")
		}
		if p.Expired {
			return Fail(spec.KindExpiredToken, "")
		}
		ex.principal = p
		ex.entry.Role = p.Role
	}
	ex.input = &openapi3filter.RequestValidationInput{Request: r, PathParams: ex.params, Route: ex.op.route, Options: requestOptions}

	// 5. Authorization from x-roles: a read-only role writing first (the
	// seed's role table), then a role the path does not serve.
	if len(op.Roles) > 0 {
		role := ex.principal.Role
		if isWrite(r.Method) && !c.api.Roles[role].Writes {
			return Fail(spec.KindReadOnlyRole, fmt.Sprintf("the %s role may only read", roleName(role)))
		}
		if !slices.Contains(op.Roles, role) {
			return Fail(spec.KindForbiddenRole, fmt.Sprintf("%s is served to %s sessions, not to %s", ex.path.template, strings.Join(op.Roles, "/"), roleName(role)))
		}
	}

	// 6. The body (read up front, so the journal shows it even for
	// requests refused earlier), then kin-openapi's validation.
	if ex.bodyErr != nil {
		var tooBig *http.MaxBytesError
		if errors.As(ex.bodyErr, &tooBig) {
			return Fail(spec.KindBodyTooLarge, fmt.Sprintf("the body is over %d bytes", tooBig.Limit))
		}
		return Fail(spec.KindMalformedBody, "the body could not be read")
	}
	if err := openapi3filter.ValidateRequest(r.Context(), ex.input); err != nil {
		kind, detail, fields := classify(err)
		ex.entry.Errors = append(ex.entry.Errors, detail)
		return &Reply{Kind: kind, Detail: detail, Fields: fields}
	}
	return nil
}

// readBody reads the body within the limit and puts it back for
// kin-openapi, which reads it again.
func (s *Server) readBody(ex *exchange) {
	r := ex.r
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(ex.w, r.Body, s.opts.MaxBodyBytes))
	ex.body, ex.bodyErr = body, err
	ex.entry.Body = journalBody(body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
}

// answer runs step 7: the scenario's rules, Prefer, then the behaviour or
// the spec's examples.
func (s *Server) answer(ex *exchange, active *activeScenario, part *fixtures.APIScenario) *Reply {
	ctx := ex.r.Context()
	if !sleep(ctx, part.Latency+s.opts.Latency) {
		return nil
	}
	rule, index := matchRule(ex, part, active.hits[ex.m.name])
	if rule != nil {
		ex.entry.Rule = ruleName(rule, index)
		if !sleep(ctx, rule.Latency) {
			return nil
		}
		switch rule.Fault {
		case fixtures.FaultHang:
			<-ctx.Done()
			panic(http.ErrAbortHandler)
		case fixtures.FaultClose:
			panic(http.ErrAbortHandler)
		}
		if rule.Respond != nil {
			return ruleReply(ex, rule.Respond)
		}
	}
	if reply := preferReply(ex); reply != nil {
		return reply
	}
	if b := ex.m.behavior(ex.op.op.ID); b != nil {
		var body any
		if v, ok := ex.r.Body.(interface{ ValidatedValue() any }); ok {
			body = v.ValidatedValue()
		}
		return b.Serve(&Call{
			Request: ex.r, API: ex.m.c.api, Operation: ex.op.op, PathParams: ex.params,
			Principal: ex.principal, Body: body, Store: ex.m.store, Scenario: part,
		})
	}
	return exampleReply(ex, ex.op.success, "", false)
}

// respond runs step 8 and writes the answer. A nil reply means the client
// went away while the answer was delayed: nothing is written.
func (s *Server) respond(ex *exchange, reply *Reply) {
	if reply == nil {
		s.record(ex, 0)
		return
	}
	status, header, body := s.render(ex, reply)
	// The pipeline's own failures are checked where the operation
	// documents their status; a third-party spec that documents no 400
	// still gets its 400 rather than a 500 about the missing 400.
	if ex.op != nil && (reply.Kind == "" || ex.op.op.Documents(status)) {
		if violation := s.checkResponse(ex, status, header, body); violation != "" {
			ex.entry.Errors = append(ex.entry.Errors, "response: "+violation)
			s.log.Warn("response breaks the spec", "api", ex.m.name, "operation", ex.entry.Operation, "status", status, "violation", violation)
			if s.opts.Validation == Strict {
				status, body = ex.m.c.api.Envelope.Render(spec.KindInternal, "the mock's response broke the spec: "+violation, nil)
				header = http.Header{}
			} else {
				header.Set(ViolationHeader, oneLine(violation))
			}
		}
	}
	dst := ex.w.Header()
	for k, v := range header {
		dst[k] = v
	}
	if len(body) > 0 {
		dst.Set("Content-Type", "application/json")
	}
	ex.w.WriteHeader(status)
	if len(body) > 0 && ex.r.Method != http.MethodHead {
		_, _ = ex.w.Write(body)
	}
	s.record(ex, status)
}

func (s *Server) render(ex *exchange, reply *Reply) (int, http.Header, []byte) {
	header := http.Header{}
	for k, v := range reply.Header {
		header[http.CanonicalHeaderKey(k)] = v
	}
	status, body := reply.Status, reply.raw
	switch {
	case reply.Kind != "":
		status, body = ex.m.c.api.Envelope.Render(reply.Kind, reply.Detail, reply.Fields)
	case body == nil && reply.Body != nil:
		var err error
		if body, err = json.Marshal(reply.Body); err != nil {
			status, body = ex.m.c.api.Envelope.Render(spec.KindInternal, "the behaviour's body is not JSON: "+err.Error(), nil)
		}
	}
	if status == http.StatusMethodNotAllowed && header.Get("Allow") == "" && ex.path != nil {
		header.Set("Allow", ex.path.allow)
	}
	return status, header, body
}

// checkResponse validates an answer against the operation's responses,
// skipping bodies already found valid for the same operation and status.
func (s *Server) checkResponse(ex *exchange, status int, header http.Header, body []byte) string {
	key := ex.m.c.cache.key(ex.op, status, header, body)
	if ex.m.c.cache.seen(key, body) {
		return ""
	}
	input := ex.input
	if input == nil {
		input = &openapi3filter.RequestValidationInput{Request: ex.r, PathParams: ex.params, Route: ex.op.route, Options: requestOptions}
	}
	h := header.Clone()
	if len(body) > 0 {
		h.Set("Content-Type", "application/json")
	}
	err := openapi3filter.ValidateResponse(ex.r.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input, Status: status, Header: h,
		Body: io.NopCloser(bytes.NewReader(body)), Options: responseOptions,
	})
	if err != nil {
		if !ex.op.op.Documents(status) {
			return fmt.Sprintf("status %d is not documented for %s (documented: %s)", status, opKey(ex.op.op), joinInts(ex.op.op.Statuses))
		}
		return describeResponseError(err)
	}
	ex.m.c.cache.add(key, body)
	return ""
}

func (s *Server) record(ex *exchange, status int) {
	ex.entry.Status = status
	if ex.op != nil && status != 0 {
		s.coverage.add(ex.m.name, ex.entry.Operation, status)
	}
	ex.entry.Duration = Duration(time.Since(ex.start))
	s.journal.add(ex.entry)
	attrs := []any{"api", ex.m.name, "method", ex.entry.Method, "path", ex.entry.Path,
		"operation", ex.entry.Operation, "status", status, "duration", time.Since(ex.start)}
	if ex.entry.Rule != "" {
		attrs = append(attrs, "rule", ex.entry.Rule)
	}
	s.log.Info("request", attrs...)
}

// journalQuery keeps the query but hides a query-string credential.
func (s *Server) journalQuery(m *mounted, u *url.URL) string {
	auth := m.c.api.Auth
	if u.RawQuery == "" || auth == nil || auth.In != "query" {
		return u.RawQuery
	}
	q := u.Query()
	if v := q.Get(auth.Name); v != "" {
		q.Set(auth.Name, redact(v))
	}
	return q.Encode()
}

func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

func roleName(role string) string {
	if role == "" {
		return "an unnamed"
	}
	return role
}

func describeAuth(a *spec.Auth) string {
	if len(a.Prefixes) > 0 {
		return fmt.Sprintf("an Authorization header (%s <token>)", strings.Join(a.Prefixes, " or "))
	}
	return fmt.Sprintf("the %s %s parameter", a.Name, a.In)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
