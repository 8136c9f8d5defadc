package mockservertest

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
)

// T is what New needs from a test: *testing.T and GinkgoT() both have it.
type T interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
}

// Mock is a running mock server for one test. Server gives the journal
// (Requests), Reset, SwitchScenario, Handle and State.
type Mock struct {
	// Server is the mock itself, as the test sees it.
	Server *mockserver.Server
	// HTTP is the underlying test server; its URL is the root of every mount.
	HTTP *httptest.Server
}

// Option configures New.
type Option func(*config)

type config struct {
	opts  mockserver.Options
	tls   bool
	packs []*mockserver.Pack
}

// WithScenario starts the mock on another bundled (or given) scenario.
func WithScenario(name string) Option { return func(c *config) { c.opts.Scenario = name } }

// WithTLS serves HTTPS with httptest's certificate; Client trusts it.
func WithTLS() Option { return func(c *config) { c.tls = true } }

// WithPack serves one more API with its store and behaviours, such as
// crud.Pack(api) for a document of the test's own; a pack named like a
// bundled API replaces it.
func WithPack(p *mockserver.Pack) Option { return func(c *config) { c.packs = append(c.packs, p) } }

// WithStateless answers writes as usual but keeps nothing they change,
// so every request sees the scenario's records.
func WithStateless() Option { return func(c *config) { c.opts.Stateless = true } }

// WithOptions edits the mockserver.Options directly, for anything else
// (extra specs, mounts, lenient validation, body limit).
func WithOptions(edit func(*mockserver.Options)) Option { return func(c *config) { edit(&c.opts) } }

// New starts an isolated mock server and closes it when the test ends.
func New(t T, options ...Option) *Mock {
	t.Helper()
	var c config
	for _, o := range options {
		o(&c)
	}
	logs := &testLog{t: t}
	if c.opts.Logger == nil {
		c.opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv, err := c.server()
	if err != nil {
		t.Fatalf("mockservertest: %v", err)
		return nil
	}
	m := &Mock{Server: srv}
	if c.tls {
		m.HTTP = httptest.NewTLSServer(srv)
	} else {
		m.HTTP = httptest.NewServer(srv)
	}
	t.Cleanup(func() {
		m.HTTP.Close()
		logs.stop()
	})
	return m
}

// server builds the mock: the bundled packs and scenarios unless the
// Options name their own, plus the packs of WithPack.
func (c *config) server() (*mockserver.Server, error) {
	opts, err := bundled.Options(c.opts)
	if err != nil {
		return nil, err
	}
	opts.Packs = slices.Clone(opts.Packs)
	for _, p := range c.packs {
		opts.Packs = slices.DeleteFunc(opts.Packs, func(b *mockserver.Pack) bool { return b.API.Name == p.API.Name })
		opts.Packs = append(opts.Packs, p)
	}
	return mockserver.New(opts)
}

// URL is the base URL of an API's operations, such as
// "http://127.0.0.1:PORT/spark/v1"; a client appends the spec's paths.
func (m *Mock) URL(api string) string { return m.HTTP.URL + m.Server.BasePath(api) }

// Client is an *http.Client for this server (it trusts the TLS certificate).
func (m *Mock) Client() *http.Client { return m.HTTP.Client() }

// testLog forwards log lines to t.Logf until the test's cleanup runs:
// logging after a test has finished makes the testing package panic.
type testLog struct {
	mu      sync.Mutex
	t       T
	stopped bool
}

func (l *testLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.t.Logf("mockserver: %s", strings.TrimRight(string(bytes.TrimSpace(p)), "\n"))
	}
	return len(p), nil
}

func (l *testLog) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
}
