package contracts

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/realestate-mocks/mockserver/spec"
)

// Target is the backend a suite checks: where it is, how to reach it, and
// the tokens and record ids it holds.
type Target struct {
	// API names the bundled spec the backend implements ("spark",
	// "opentoclose"); Do reads from it where a token goes.
	API string
	// BaseURL is the root of the API's operations, without a trailing
	// slash: the spec's paths are appended to it.
	BaseURL string
	// Client sends every request.
	Client *http.Client
	// Header is sent with every request, before the options of a call
	// (Spark's X-Sparkapi-User-Agent).
	Header http.Header

	values map[string]string
}

// NewTarget is a backend known to hold the default scenario, such as an
// in-process mock: every value is the scenario's, the mock-only ones too.
func NewTarget(api, baseURL string, client *http.Client) Target {
	return newTarget(api, baseURL, client, func(s setting) string { return s.Value })
}

// TargetFromEnv is the backend that CONTRACT_<API>_URL names, with
// CONTRACT_<API>_<KEY> overriding each value; ok is false when the URL
// variable is unset, and the suite then runs against an in-process mock.
// CONTRACT_INSECURE_TLS=1 skips TLS certificate checks, for a mock serving
// a self-signed certificate.
func TargetFromEnv(api string) (t Target, ok bool) {
	prefix := "CONTRACT_" + strings.ToUpper(api) + "_"
	baseURL := os.Getenv(prefix + "URL")
	if baseURL == "" {
		return Target{}, false
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	if os.Getenv("CONTRACT_INSECURE_TLS") == "1" {
		transport.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for, to trust a test certificate
	}
	// The timeout only keeps a hung backend from hanging the suite.
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	return newTarget(api, baseURL, client, func(s setting) string {
		if v := os.Getenv(prefix + s.Key); v != "" {
			return v
		}
		if s.MockOnly {
			return ""
		}
		return s.Value
	}), true
}

func newTarget(api, baseURL string, client *http.Client, value func(setting) string) Target {
	t := Target{
		API:     api,
		BaseURL: strings.TrimRight(baseURL, "/"),
		Client:  client,
		Header:  http.Header{},
		values:  map[string]string{},
	}
	for _, s := range settings(api) {
		v := value(s)
		t.values[s.Key] = v
		if s.Header != "" && v != "" {
			t.Header[s.Header] = []string{v}
		}
	}
	return t
}

// Value returns a token or record id by its key, as listed in the package
// documentation ("VOW_TOKEN", "PROPERTY_ID"); "" for a mock-only value the
// environment does not set. An unknown key is a bug in the suite, so it
// panics, naming the key.
func (t Target) Value(key string) string {
	v, ok := t.values[key]
	if !ok {
		panic(fmt.Sprintf("contracts: the %s target has no value %q", t.API, key))
	}
	return v
}

// Option adjusts one request made by Do.
type Option func(*call)

// call is a request being built by Do.
type call struct {
	header      http.Header
	token       string
	hasToken    bool
	body        []byte
	jsonValue   any
	hasJSON     bool
	contentType string
}

// WithToken authenticates the request where the API's security scheme
// says: "Authorization: Bearer <token>" for Spark, the api_token query
// parameter for Open To Close.
func WithToken(token string) Option {
	return func(c *call) { c.token, c.hasToken = token, true }
}

// WithHeader sends a header under exactly this name, replacing any header
// whose name differs only in case, so a spec can check that a backend
// reads header names case-insensitively.
func WithHeader(name, value string) Option {
	return func(c *call) {
		deleteHeader(c.header, name)
		c.header[name] = []string{value}
	}
}

// WithoutHeader drops a header the target sends by default.
func WithoutHeader(name string) Option {
	return func(c *call) { deleteHeader(c.header, name) }
}

// WithJSON sends v encoded as JSON, with Content-Type application/json.
func WithJSON(v any) Option {
	return func(c *call) { c.jsonValue, c.hasJSON = v, true }
}

// WithBody sends body as is, under the given Content-Type ("" sends none).
func WithBody(contentType string, body []byte) Option {
	return func(c *call) { c.body, c.contentType, c.hasJSON = body, contentType, false }
}

func deleteHeader(h http.Header, name string) {
	for k := range h {
		if strings.EqualFold(k, name) {
			delete(h, k)
		}
	}
}

// Do sends method to BaseURL+path (path may carry a query string) and
// returns the whole response, its body read and closed. The error is a
// transport failure or a bad option, never an HTTP status.
func (t Target) Do(method, path string, opts ...Option) (*Response, error) {
	c := &call{header: t.Header.Clone()}
	if c.header == nil {
		c.header = http.Header{}
	}
	for _, o := range opts {
		o(c)
	}
	if c.hasJSON {
		body, err := json.Marshal(c.jsonValue)
		if err != nil {
			return nil, fmt.Errorf("contracts: %s %s: encode the JSON body: %w", method, path, err)
		}
		c.body, c.contentType = body, "application/json"
	}
	u, err := url.Parse(t.BaseURL + path)
	if err != nil {
		return nil, fmt.Errorf("contracts: %s %s: %w", method, path, err)
	}
	if c.hasToken {
		api, err := spec.Load(t.API)
		if err != nil {
			return nil, fmt.Errorf("contracts: %s %s: where does the token go? %w", method, path, err)
		}
		if err := placeToken(api.Auth, u, c.header, c.token); err != nil {
			return nil, fmt.Errorf("contracts: %s %s: %w", method, path, err)
		}
	}
	var body io.Reader
	if c.body != nil {
		body = bytes.NewReader(c.body)
	}
	req, err := http.NewRequest(method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("contracts: %s %s: %w", method, path, err)
	}
	req.Header = c.header
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	resp, err := t.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("contracts: %w", err)
	}
	return ReadResponse(resp)
}

// placeToken puts the credential where auth says. A query token goes
// last, after the path's own parameters, as the Open To Close SDK sends it.
func placeToken(auth *spec.Auth, u *url.URL, h http.Header, token string) error {
	switch {
	case auth == nil:
		return fmt.Errorf("the API takes no token")
	case auth.In == "query":
		param := url.QueryEscape(auth.Name) + "=" + url.QueryEscape(token)
		if u.RawQuery == "" {
			u.RawQuery = param
		} else {
			u.RawQuery += "&" + param
		}
	case auth.In == "header" && len(auth.Prefixes) > 0:
		h.Set(auth.Name, auth.Prefixes[0]+" "+token)
	case auth.In == "header":
		h.Set(auth.Name, token)
	default:
		return fmt.Errorf("a token in a %s is not supported", auth.In)
	}
	return nil
}

// Response is an HTTP response with its body already read, and the
// request it answers, which the matchers need to find the operation.
type Response struct {
	Request    *http.Request
	StatusCode int
	Header     http.Header
	Body       []byte
}

// ReadResponse reads and closes resp's body, for a response that did not
// come from Do.
func ReadResponse(resp *http.Response) (*Response, error) {
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("contracts: read the body of %s %s: %w", resp.Request.Method, resp.Request.URL.Redacted(), err)
	}
	return &Response{Request: resp.Request, StatusCode: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// String shows the whole response, as the matchers print it: the status
// and the request it answers, every header in name order, then the body.
// Query parameters whose names contain "token" are masked, so a failure
// log does not leak Open To Close's api_token.
func (r *Response) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d %s", r.StatusCode, http.StatusText(r.StatusCode))
	if r.Request != nil && r.Request.URL != nil {
		fmt.Fprintf(&b, " (%s %s)", r.Request.Method, maskTokens(r.Request.URL))
	}
	b.WriteString("\n")
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range r.Header[name] {
			fmt.Fprintf(&b, "%s: %s\n", name, v)
		}
	}
	b.WriteString("\n")
	if len(r.Body) == 0 {
		b.WriteString("(no body)")
	} else {
		b.Write(r.Body)
	}
	return b.String()
}

func maskTokens(u *url.URL) string {
	masked := *u
	q := u.Query()
	changed := false
	for name := range q {
		if strings.Contains(strings.ToLower(name), "token") {
			q[name] = slices.Repeat([]string{"REDACTED"}, len(q[name]))
			changed = true
		}
	}
	if changed {
		masked.RawQuery = q.Encode()
	}
	return masked.Redacted()
}
