package mockserver

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/realestate-mocks/mockserver/spec"
)

// DefaultUpstreamTimeout bounds a proxied call unless ProxyOptions says otherwise.
const DefaultUpstreamTimeout = 30 * time.Second

// DefaultMaxCheckedResponse is the largest upstream body the proxy holds
// to check before sending it on; larger ones stream through with only
// their status and headers checked.
const DefaultMaxCheckedResponse = 8 << 20

// ProxyOptions make a Server forward some of its APIs to the real service
// instead of answering them: every request and every real response is
// checked against the spec, and nothing the check finds changes what the
// client receives except the X-Mock-Violation header.
type ProxyOptions struct {
	// Upstreams maps an API name to the real service's base URL, the one
	// the spec's servers list gives (https://sparkapi.com/v1): the path
	// below the API's base path is appended to it.
	Upstreams map[string]string
	// Timeout bounds each forwarded call, answer included; 0 means 30s.
	// Past it the client gets a 504 in the API's envelope.
	Timeout time.Duration
	// Transport sends the forwarded calls; nil uses a keep-alive transport
	// of the Server's own.
	Transport http.RoundTripper
	// MaxCheckedResponse bounds the bodies held for checking; 0 means 8 MiB.
	MaxCheckedResponse int64
	// OnExchange, when set, receives every forwarded call whose request
	// matched an operation, after the answer was sent (a recorder).
	OnExchange func(*Exchange)
}

// Exchange is one forwarded call, as OnExchange receives it. It holds no
// credential: the parameters and headers that carry one are left out.
type Exchange struct {
	API       string
	Operation *spec.Operation
	Method    string
	// PathParams are the request's path parameters, unescaped.
	PathParams map[string]string
	// Query is the request's query without credential parameters.
	Query url.Values
	// RequestBody is nil when the body was over MaxBodyBytes.
	RequestBody []byte
	Status      int
	Header      http.Header
	// Body is the real answer's body, nil when it was too large to check.
	Body []byte
	// Violations are the rules the request or the answer broke; an
	// exchange without any passed every check.
	Violations []Violation
}

// UpstreamCall is what the real service did with a proxied call, as the
// journal keeps it.
type UpstreamCall struct {
	// URL is the upstream's base URL (no path, query or credentials).
	URL     string   `json:"url"`
	Status  int      `json:"status,omitempty"`
	Latency Duration `json:"latency"`
	// Error says why there was no answer (502 or 504 to the client).
	Error string `json:"error,omitempty"`
	// Unchecked says what could not be checked, such as a body over the limit.
	Unchecked string `json:"unchecked,omitempty"`
}

// upstream is one API's real service.
type upstream struct {
	base      *url.URL
	redacted  string // base without its credentials, as the journal shows it
	transport http.RoundTripper
	timeout   time.Duration
}

// proxyCall carries one forwarded call through the proxy.
type proxyCall struct {
	ex         *exchange
	up         *upstream
	client     context.Context // the client's, to tell a client that left from a slow upstream
	violations []Violation
	missing    []string      // precheck headers the request lacks
	rest       io.ReadCloser // the client's body past what was read, when over the limit
	body       *clientBody   // the client's body, nil when it sent none
	bodyClock  bodyClock
	sent       time.Time
	call       UpstreamCall
	resBody    []byte
	resHeader  http.Header
	gateway    bool // the proxy answered 502/504 itself
	// url and limited live here to spare the forwarded call two allocations.
	url     url.URL
	limited io.LimitedReader
}

// mountUpstreams gives each API named in Options.Proxy its upstream.
func (s *Server) mountUpstreams() error {
	p := s.opts.Proxy
	if p == nil || len(p.Upstreams) == 0 {
		return nil
	}
	transport := p.Transport
	if transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// The client's Accept-Encoding goes through as it is; the
		// transport must not add gzip and decode it behind its back.
		t.DisableCompression = true
		t.MaxIdleConnsPerHost = 64
		transport = t
	}
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultUpstreamTimeout
	}
	for name, raw := range p.Upstreams {
		m := s.byName[name]
		if m == nil {
			return fmt.Errorf("upstream for %q: no such API is served (served: %s)", name, strings.Join(s.APINames(), ", "))
		}
		u, err := parseUpstream(raw)
		if err != nil {
			return fmt.Errorf("upstream for %q: %w", name, err)
		}
		m.up = &upstream{base: u, redacted: u.Redacted(), timeout: timeout, transport: transport}
		m.coverage.forwarded(m.c)
	}
	return nil
}

func parseUpstream(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q: want an http or https URL with a host, such as https://sparkapi.com/v1", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q: the base URL takes no query or fragment", raw)
	}
	return u, nil
}

// Upstream is the base URL an API is forwarded to, "" when it is mocked.
func (s *Server) Upstream(api string) string {
	if m := s.byName[api]; m != nil && m.up != nil {
		return m.up.redacted
	}
	return ""
}

// serveProxied checks the request, forwards it, checks the answer on its
// way back, and records the exchange. Its exchange goes back to the pool
// once recorded, as a mocked call's does: nothing holds it then (the
// journal and OnExchange get copies of what they keep, and the forwarded
// request references the body, not the exchange); never after a panic.
func (s *Server) serveProxied(w http.ResponseWriter, r *http.Request, m *mounted, rest string) {
	ex := s.newExchange(w, r, m, rest)
	pc := &proxyCall{ex: ex, up: m.up, client: r.Context(), call: UpstreamCall{URL: m.up.redacted}}
	ex.entry.Step = "proxy"
	s.watchBody(pc)
	s.checkRequest(pc)
	if ex.bodyErr != nil {
		s.refuseBody(pc, ex.bodyErr)
		s.finishProxied(pc)
		releaseExchange(ex)
		return
	}
	recorded := false
	defer func() {
		if recorded {
			return
		}
		if v := recover(); v != nil {
			pc.call.Error = "the answer was cut short"
			s.finishProxied(pc)
			panic(v)
		}
	}()
	ctx, cancel := s.upstreamContext(pc)
	cut := s.forward(ctx, pc)
	cancel()
	s.finishProxied(pc)
	recorded = true
	releaseExchange(ex)
	if cut && r.Context().Value(http.ServerContextKey) != nil {
		// As httputil.ReverseProxy does: the client must not take a
		// truncated answer for a whole one, so net/http drops the connection.
		panic(http.ErrAbortHandler)
	}
}

// upstreamContext bounds the forwarded call by the upstream's timeout.
// net/http cancels the request's context when the client leaves, and also
// when a read of its body fails: the call is cancelled for the first
// only, and the second is answered (upstreamFailed, refuseBody). A call
// without a body can only see the first, and takes the client's context
// as it is.
func (s *Server) upstreamContext(pc *proxyCall) (context.Context, context.CancelFunc) {
	r := pc.ex.r
	if pc.body == nil {
		return context.WithTimeout(r.Context(), pc.up.timeout)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), pc.up.timeout)
	stop := context.AfterFunc(r.Context(), func() {
		if _, finished := pc.body.state(); finished {
			cancel()
		}
	})
	return ctx, func() { stop(); cancel() }
}

// proxySteps check a request on its way to the real service: the mock's
// own steps, less authentication and authorization (the real service
// knows its tokens; the scenario's principals do not) and less the
// answer. A refusal is noted, not sent.
var proxySteps = []step{
	{name: "route", run: (*Server).route},
	{name: "method", run: (*Server).method},
	{name: "precheck", run: (*Server).proxyPrecheck},
	{name: "read body", run: (*Server).proxyReadBody},
	{name: "validate", run: (*Server).proxyValidate},
}

func (s *Server) checkRequest(pc *proxyCall) {
	ex := pc.ex
	ex.proxy = pc
	for _, st := range proxySteps {
		reply := st.run(s, ex)
		if reply == nil {
			continue
		}
		if st.name == "method" && ex.op != nil {
			// Documented as answering 405 only: calling it is no fault,
			// and the answer is held to that 405.
			continue
		}
		pc.violations = append(pc.violations, requestViolation(ex.m.c.api.Envelope, reply))
		if ex.op == nil {
			return
		}
	}
}

// proxyPrecheck is precheck without the scenario's switch, which would
// add the header to a request the real service must see unchanged.
func (s *Server) proxyPrecheck(ex *exchange) *Reply {
	var reply *Reply
	for _, h := range ex.op.op.PrecheckHeaders {
		if ex.r.Header.Get(h) == "" {
			ex.proxy.missing = append(ex.proxy.missing, h)
			if reply == nil {
				reply = Fail(spec.KindMissingHeader, ex.m.c.missingHeaderDetail(h))
			}
		}
	}
	return reply
}

// proxyReadBody holds up to MaxBodyBytes of the body to check it; a
// larger body is forwarded whole, unchecked, rather than refused: the
// real service, not the proxy, decides what it accepts. A body that could
// not be read is never forwarded (serveProxied refuses it).
func (s *Server) proxyReadBody(ex *exchange) *Reply {
	r, pc := ex.r, ex.proxy
	if pc.body == nil {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, s.opts.MaxBodyBytes+1))
	ex.body, ex.entry.Body, ex.bodyErr = body, journalBody(body), err
	if err != nil {
		return nil
	}
	if int64(len(body)) > s.opts.MaxBodyBytes {
		pc.rest = r.Body
		pc.call.Unchecked = fmt.Sprintf("the request body is over %d bytes (%s)", s.opts.MaxBodyBytes, s.option("MaxBodyBytes"))
		return nil
	}
	pc.bodyClock.end(nil)
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return nil
}

// proxyValidate validates the request with the headers precheck already
// reported filled in for the time of the check, so that one missing
// header is one violation.
func (s *Server) proxyValidate(ex *exchange) *Reply {
	if ex.proxy.rest != nil || ex.bodyErr != nil {
		return nil
	}
	for _, h := range ex.proxy.missing {
		ex.r.Header.Set(h, "mockserver (reported missing)")
	}
	defer func() {
		for _, h := range ex.proxy.missing {
			ex.r.Header.Del(h)
		}
	}()
	return s.validateRequest(ex)
}

// checkUpstream reads the real answer, up to the limit, and holds it to
// the spec. The answer's header is the journal's and OnExchange's as it
// is: the client gets a copy (sendAnswer), so nothing changes it after.
func (s *Server) checkUpstream(pc *proxyCall, res *http.Response) (body []byte, complete bool, err error) {
	pc.call.Status = res.StatusCode
	limit := s.opts.Proxy.MaxCheckedResponse
	if limit <= 0 {
		limit = DefaultMaxCheckedResponse
	}
	// Sized by Content-Length when it fits, so a checked answer is one
	// allocation rather than io.ReadAll's doublings.
	pc.limited = io.LimitedReader{R: res.Body, N: limit + 1}
	body, err = readAll(&pc.limited, res.ContentLength, limit)
	pc.call.Latency = Duration(time.Since(pc.sent))
	if err != nil {
		return nil, false, fmt.Errorf("reading the answer: %w", err)
	}
	complete = int64(len(body)) <= limit
	if complete {
		pc.resBody = body
	} else {
		pc.call.Unchecked = fmt.Sprintf("the answer's body is over %d bytes", limit)
	}
	pc.resHeader = res.Header
	pc.violations = append(pc.violations, s.checkAnswer(pc, res, body, complete, limit)...)
	return body, complete, nil
}

// checkAnswer is the one response check, plus HTTP's own rule that a 405
// names the allowed methods.
func (s *Server) checkAnswer(pc *proxyCall, res *http.Response, body []byte, complete bool, limit int64) []Violation {
	ex := pc.ex
	var out []Violation
	if ex.op != nil {
		checked, why := decodedBody(res, body, complete, limit)
		if why != "" {
			pc.call.Unchecked = why
		}
		if checked == nil && why != "" {
			if !ex.op.op.Documents(res.StatusCode) && ex.op.op.Op.Responses.Default() == nil {
				out = append(out, Violation{Rule: "response:status", Message: fmt.Sprintf("status %d is not documented for %s", res.StatusCode, ex.op.op.Key())})
			}
		} else if err := ex.m.c.api.CheckResponse(res.Request.Context(), ex.op.op, spec.Response{
			Request: ex.r, PathParams: ex.params, Status: res.StatusCode, Header: res.Header, Body: checked,
		}); err != nil {
			out = append(out, responseViolations(err)...)
		}
	}
	if res.StatusCode == http.StatusMethodNotAllowed && res.Header.Get("Allow") == "" && !mentionsAllow(out) {
		out = append(out, Violation{Rule: "response:allow", Message: "a 405 must carry an Allow header naming the methods the path offers"})
	}
	return out
}

func mentionsAllow(list []Violation) bool {
	for _, v := range list {
		if v.Rule == "response:header" && strings.Contains(v.Message, "Allow") {
			return true
		}
	}
	return false
}

// decodedBody is the body as the spec describes it: gzip undone, up to
// limit bytes; nil with a reason when it cannot be checked.
func decodedBody(res *http.Response, body []byte, complete bool, limit int64) ([]byte, string) {
	switch {
	case !complete:
		return nil, "the answer's body is over the check limit"
	case res.Request.Method == http.MethodHead:
		return nil, "a HEAD answer has no body"
	}
	switch enc := strings.ToLower(res.Header.Get("Content-Encoding")); enc {
	case "", "identity":
		return body, ""
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, "the gzip body could not be decoded"
		}
		plain, err := io.ReadAll(io.LimitReader(zr, limit+1))
		switch {
		case err != nil:
			return nil, "the gzip body could not be decoded"
		case int64(len(plain)) > limit:
			return nil, fmt.Sprintf("the answer's body is over %d bytes once decoded", limit)
		}
		return plain, ""
	default:
		return nil, "the body is " + enc + "-encoded"
	}
}

// upstreamFailed answers, in the API's own envelope, when the upstream
// could not be reached (502) or did not answer in time (504). Nothing is
// written to a client that left.
func (s *Server) upstreamFailed(pc *proxyCall, err error) {
	ex := pc.ex
	w := ex.w
	if err, _ := pc.body.state(); err != nil {
		s.refuseBody(pc, err)
		return
	}
	pc.gateway = true
	if pc.call.Latency == 0 && !pc.sent.IsZero() {
		pc.call.Latency = Duration(time.Since(pc.sent))
	}
	if pc.client.Err() != nil {
		pc.call.Error = "the client left before the answer"
		return
	}
	status, msg := http.StatusBadGateway, fmt.Sprintf("the upstream %s could not be reached: %s", pc.call.URL, upstreamCause(err))
	if errors.Is(err, context.DeadlineExceeded) {
		status, msg = http.StatusGatewayTimeout, fmt.Sprintf("the upstream %s did not answer within %s", pc.call.URL, pc.up.timeout)
	}
	pc.call.Error = msg
	s.log.Warn("upstream failed", "api", ex.m.name, "upstream", pc.call.URL, "operation", ex.entry.Operation, "error", msg)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if len(pc.violations) > 0 {
		h.Set(ViolationHeader, violationHeader(pc.violations))
	}
	w.WriteHeader(status)
	_, _ = w.Write(ex.m.c.api.Envelope.Gateway(status, msg))
	ex.entry.Status = status
}

// upstreamCause says why a call failed without the request's URL, whose
// query may hold a credential.
func upstreamCause(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// finishProxied journals the exchange and hands it to OnExchange.
func (s *Server) finishProxied(pc *proxyCall) {
	ex := pc.ex
	if !pc.gateway {
		ex.entry.Status = pc.call.Status
		ex.entry.ResponseHeader, ex.entry.ResponseBody = pc.resHeader, sharedJournalBody(pc.resBody)
	}
	call := pc.call
	ex.entry.Upstream = &call
	ex.entry.Violations = pc.violations
	ex.entry.Errors = append(ex.entry.Errors, describeViolations(pc.violations)...)
	if pc.gateway {
		// No answer of the API's came back: coverage counts answers.
		ex.op = nil
	}
	s.record(ex)
	if hook := s.opts.Proxy.OnExchange; hook != nil && ex.op != nil && !pc.gateway {
		hook(pc.exchange())
	}
}

func (pc *proxyCall) exchange() *Exchange {
	ex := pc.ex
	creds := ex.m.c.creds
	query := url.Values{}
	for k, v := range ex.r.URL.Query() {
		if !creds.IsQuery(k) {
			query[k] = v
		}
	}
	x := &Exchange{
		API: ex.m.name, Operation: ex.op.op, Method: ex.r.Method, PathParams: ex.params, Query: query,
		Status: pc.call.Status, Header: pc.resHeader, Body: pc.resBody, Violations: pc.violations,
	}
	if pc.rest == nil {
		x.RequestBody = ex.body
	}
	return x
}
