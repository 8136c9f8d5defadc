package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver/pact"
	"github.com/realestate-mocks/mockserver/spec"
)

// maxAnswerBytes bounds an answer read from the provider.
const maxAnswerBytes = 16 << 20

// provider is where requests are replayed: the in-process mock or a
// target, reached through one RoundTripper, so both take the same path
// (state setup through the admin API included).
type provider struct {
	rt     http.RoundTripper
	origin string // scheme://host
	// prefix is what goes before a real-service path: the API's mount
	// on a mockserver ("/spark"), the target URL's path otherwise.
	prefix map[string]string
	// userPrefix is the target URL's own path, which wins when given.
	userPrefix string
	mock       bool // answers the mockserver admin API
	states     bool // POST /__mock/pact/state works
	opts       *Options
	report     *Report
}

// newProvider builds the in-process mock, or probes the target: a
// mockserver says so at GET /__mock/health, with each API's base path.
func newProvider(ctx context.Context, opts Options, report *Report) (*provider, error) {
	p := &provider{opts: &opts, report: report, prefix: map[string]string{}}
	if opts.Target == "" {
		if opts.NewMock == nil {
			return nil, fmt.Errorf("no provider: give Options.Target or Options.NewMock")
		}
		srv, err := opts.NewMock()
		if err != nil {
			return nil, fmt.Errorf("in-process mock: %w", err)
		}
		p.rt, p.origin = handlerTransport{srv}, "http://mockserver.invalid"
	} else {
		u, err := url.Parse(opts.Target)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("--target %q: want an http:// or https:// URL", opts.Target)
		}
		p.rt, p.origin, p.userPrefix = http.DefaultTransport, u.Scheme+"://"+u.Host, strings.TrimSuffix(u.Path, "/")
	}
	p.probe(ctx)
	return p, nil
}

// probe asks GET /__mock/health who the provider is.
func (p *provider) probe(ctx context.Context) {
	res, body, err := p.do(ctx, http.MethodGet, p.origin+"/__mock/health", nil, p.adminHeader())
	if err != nil || res.StatusCode != http.StatusOK {
		return
	}
	var health struct {
		APIs map[string]string `json:"apis"`
	}
	if json.Unmarshal(body, &health) != nil || health.APIs == nil {
		return
	}
	p.mock, p.states = true, true
	for _, api := range p.opts.APIs {
		if base, ok := health.APIs[api.Name]; ok {
			p.prefix[api.Name] = strings.TrimSuffix(base, api.BasePath)
		}
	}
}

func (p *provider) adminHeader() http.Header {
	h := http.Header{}
	if p.opts.AdminToken != "" {
		h.Set("Authorization", "Bearer "+p.opts.AdminToken)
	}
	return h
}

// replay puts the provider in the interaction's states, sends its
// request and compares the answer with the pact's response.
func (p *provider) replay(ctx context.Context, api *spec.API, it *pact.Interaction, path string) []Problem {
	params, prob := p.enterStates(ctx, it)
	if prob != nil {
		return []Problem{*prob}
	}
	req := cloneRequest(&it.Request)
	var problems []Problem
	unsupported, err := req.Generate(pact.GenerateContext{StateParams: params, Now: p.now()})
	if err != nil {
		return []Problem{dynamic("request", "cannot apply the pact's generators: "+err.Error())}
	}
	for _, u := range unsupported {
		problems = append(problems, dynamic("request", "generator not applied (the pact's value was sent): "+u))
	}
	if req.Path != it.Request.Path {
		_, path, _ = resolvePath(api, req.Path)
	}
	res, body, err := p.send(ctx, api, req, path)
	if err != nil {
		return append(problems, dynamic("request", err.Error()))
	}
	for _, m := range pact.Compare(it.Response, pact.Actual{Status: res.StatusCode, Header: res.Header, Body: body}) {
		problems = append(problems, p.mismatch(api, m, res.StatusCode, body))
	}
	return problems
}

func (p *provider) now() time.Time {
	if p.opts.Now != nil {
		return p.opts.Now()
	}
	return time.Now()
}

func dynamic(where, message string) Problem {
	return Problem{Check: Dynamic, Where: where, Message: message}
}

// mismatch turns a Compare mismatch into a problem; a wrong status
// quotes the provider's error body, which says why in the API's words,
// and names paths as the pact does.
func (p *provider) mismatch(api *spec.API, m pact.Mismatch, status int, body []byte) Problem {
	prob := Problem{Check: Dynamic, Where: "response " + m.Where, Message: m.Message, Pointer: m.Pointer, Path: m.Path}
	switch m.Where {
	case "header":
		prob.Where += " " + m.Path
		prob.Path = ""
	case "status":
		if status >= 400 && len(body) > 0 {
			prob.Message += "; the provider answered " + clip(p.unmount(api, body), 240)
		}
	}
	return prob
}

// unmount rewrites the paths a mockserver names in its words
// ("/spark/v1/...") as the pact writes them ("/v1/..."): the mount is
// where this provider put the API, which the pact never sees. A --target
// URL's own path is the user's choice and stays.
func (p *provider) unmount(api *spec.API, answer []byte) []byte {
	mount := p.prefix[api.Name]
	if p.userPrefix != "" || mount == "" {
		return answer
	}
	return bytes.ReplaceAll(answer, []byte(mount+api.BasePath+"/"), []byte(api.BasePath+"/"))
}

func clip(b []byte, n int) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

// enterStates asks the mockserver to enter the interaction's states (no
// state: the default scenario), each interaction from a reset scenario.
// A 404 there means no state control: noted once, not asked again.
func (p *provider) enterStates(ctx context.Context, it *pact.Interaction) (map[string]any, *Problem) {
	params := map[string]any{}
	names := make([]string, len(it.States))
	for i, s := range it.States {
		names[i] = s.Name
		maps.Copy(params, s.Params)
	}
	if !p.states {
		return params, nil
	}
	body, _ := json.Marshal(map[string]any{"states": names, "params": params, "action": "setup"}) // strings and decoded JSON
	h := p.adminHeader()
	h.Set("Content-Type", "application/json")
	res, answer, err := p.do(ctx, http.MethodPost, p.origin+"/__mock/pact/state", body, h)
	switch {
	case err != nil:
		prob := dynamic("provider state", err.Error())
		return nil, &prob
	case res.StatusCode == http.StatusNotFound:
		p.states = false
		p.report.Notes = append(p.report.Notes, "the provider has no POST /__mock/pact/state: provider states were not set up")
		return params, nil
	case res.StatusCode != http.StatusOK:
		prob := dynamic("provider state", fmt.Sprintf("%q: the mock answered %d: %s", names, res.StatusCode, clip(answer, 240)))
		return nil, &prob
	}
	return params, nil
}

// send replays the request with the overrides, below the API's prefix.
func (p *provider) send(ctx context.Context, api *spec.API, req *pact.Request, path string) (*http.Response, []byte, error) {
	prefix := p.userPrefix
	if prefix == "" {
		prefix = p.prefix[api.Name]
	}
	query := make(url.Values, len(req.Query)+len(p.opts.Query))
	maps.Copy(query, req.Query)
	for k, vs := range p.opts.Query {
		query[k] = vs
	}
	u := p.origin + (&url.URL{Path: prefix + path}).EscapedPath()
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	h := requestHeader(req)
	for k, vs := range p.opts.Header {
		h[http.CanonicalHeaderKey(k)] = vs
	}
	return p.do(ctx, strings.ToUpper(req.Method), u, requestBody(req.Body), h)
}

// do sends one request within the timeout and reads the answer.
func (p *provider) do(ctx context.Context, method, u string, body []byte, h http.Header) (*http.Response, []byte, error) {
	timeout := p.opts.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", method, u, err)
	}
	if body == nil {
		r.Body = http.NoBody
	}
	r.Header = h
	res, err := p.rt.RoundTrip(r)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", method, u, err)
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(res.Body, maxAnswerBytes))
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: reading the answer: %w", method, u, err)
	}
	return res, answer, nil
}

// cloneRequest copies what Generate changes in place.
func cloneRequest(r *pact.Request) *pact.Request {
	c := *r
	c.Query = cloneValues(r.Query)
	c.Headers = cloneValues(r.Headers)
	return &c
}

func cloneValues(m map[string][]string) map[string][]string {
	if m == nil {
		return nil
	}
	out := make(map[string][]string, len(m))
	for k, vs := range m {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// handlerTransport hands requests to the in-process mock, as a server
// would receive them, with no network in between.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r.RequestURI = r.URL.RequestURI()
	r.RemoteAddr = "127.0.0.1:1"
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}
