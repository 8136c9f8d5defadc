package mockserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/spec"
)

// ValidationMode says what happens to a response that breaks the spec.
type ValidationMode int

const (
	// Strict replaces it with a 500 that says which rule broke.
	Strict ValidationMode = iota
	// Lenient sends it, logs it and flags it in the X-Mock-Violation header.
	Lenient
)

// ViolationHeader flags, in Lenient mode, a response that broke the spec.
const ViolationHeader = "X-Mock-Violation"

// DefaultMaxBodyBytes bounds request bodies unless Options says otherwise.
const DefaultMaxBodyBytes = 1 << 20

// DefaultJournalSize bounds the request journal unless Options says otherwise.
const DefaultJournalSize = 1000

// Options configure a Server. The zero value serves every bundled API with
// the bundled "default" scenario in strict mode.
type Options struct {
	// APIs are the documents to serve; nil serves every bundled spec.
	APIs []*spec.API
	// Mounts maps an API name to the prefix its server path is served
	// under; the default is "/<name>", and "/" serves the API at the root
	// (Spark's /v1/... where its Ruby client expects it).
	Mounts map[string]string
	// Scenarios are the scenarios to choose from; nil means fixtures.Default().
	Scenarios *fixtures.Set
	// Scenario is the one active at start; "" means "default".
	Scenario string
	// Validation is what to do with responses that break the spec.
	Validation ValidationMode
	// MaxBodyBytes bounds request bodies (413 beyond); 0 means 1 MiB.
	MaxBodyBytes int64
	// JournalSize bounds the request journal; 0 means 1000, negative keeps none.
	JournalSize int
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// AdminToken, when set, is required by the admin API, as
	// "Authorization: Bearer <token>".
	AdminToken string
	// OnSnapshot is run by POST /__mock/snapshot; nil answers 501 there.
	OnSnapshot func(*Server) error
	// Latency is added to every API call, on top of the scenario's and its
	// rules' latency: a slow backend for any scenario, without a file.
	Latency time.Duration
	// CORS lets browser apps call the mock from another origin: preflight
	// OPTIONS requests answer 204 before the pipeline, and every answer
	// carries Access-Control-Allow-Origin. The real services may not do
	// this, so it is off unless asked for.
	CORS bool
}

// Server is the mock: an http.Handler serving every mounted API plus the
// admin API. It is safe for concurrent use.
type Server struct {
	opts     Options
	set      *fixtures.Set
	mounts   []*mounted // longest prefix first, so nested mounts win
	byName   map[string]*mounted
	journal  *journal
	coverage coverage
	log      *slog.Logger

	switchMu sync.Mutex // serialises scenario switches and resets
	active   atomic.Pointer[activeScenario]
}

// mounted is one API as one Server serves it.
type mounted struct {
	name   string
	prefix string // "" at the root
	c      *compiledAPI
	store  Store // nil when the API has no built-in behaviours

	mu        sync.RWMutex
	behaviors map[string]Behavior
}

// activeScenario pairs a scenario with this Server's rule hit counts, so
// "times: 1" counts per Server and restarts on reset.
type activeScenario struct {
	scenario *fixtures.Scenario
	hits     map[string][]atomic.Int64 // API name -> per-rule counts
}

// New builds a Server. It fails on a mount clash, an unknown scenario, or
// a scenario whose state a store refuses.
func New(opts Options) (*Server, error) {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.JournalSize == 0 {
		opts.JournalSize = DefaultJournalSize
	}
	if opts.Scenario == "" {
		opts.Scenario = "default"
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	apis := opts.APIs
	if apis == nil {
		for _, name := range spec.Bundled() {
			api, err := spec.Load(name)
			if err != nil {
				return nil, err
			}
			apis = append(apis, api)
		}
	}
	set := opts.Scenarios
	if set == nil {
		var err error
		if set, err = fixtures.Default(); err != nil {
			return nil, fmt.Errorf("load bundled scenarios: %w", err)
		}
	}
	s := &Server{opts: opts, set: set, byName: map[string]*mounted{}, journal: newJournal(opts.JournalSize), log: logger}
	for _, api := range apis {
		if _, dup := s.byName[api.Name]; dup {
			return nil, fmt.Errorf("API %q is given twice", api.Name)
		}
		c, err := compile(api)
		if err != nil {
			return nil, err
		}
		m := &mounted{name: api.Name, prefix: mountPrefix(api.Name, opts.Mounts), c: c, behaviors: map[string]Behavior{}}
		if b, ok := builtins[api.Name]; ok {
			m.store = b.newStore()
			for id, beh := range b.behaviors {
				if api.Operation(id) != nil {
					m.behaviors[id] = beh
				}
			}
		}
		s.mounts = append(s.mounts, m)
		s.byName[api.Name] = m
	}
	for name := range opts.Mounts {
		if s.byName[name] == nil {
			return nil, fmt.Errorf("mount for %q: no such API is served (served: %s)", name, strings.Join(s.APINames(), ", "))
		}
	}
	if err := s.checkMounts(); err != nil {
		return nil, err
	}
	sort.SliceStable(s.mounts, func(i, j int) bool { return len(s.mounts[i].prefix) > len(s.mounts[j].prefix) })
	if err := s.SwitchScenario(opts.Scenario); err != nil {
		return nil, err
	}
	return s, nil
}

func mountPrefix(name string, mounts map[string]string) string {
	prefix, ok := mounts[name]
	if !ok {
		prefix = "/" + name
	}
	prefix = "/" + strings.Trim(prefix, "/")
	if prefix == "/" {
		return ""
	}
	return prefix
}

// checkMounts refuses two APIs whose full base paths coincide: one would
// silently shadow the other.
func (s *Server) checkMounts() error {
	seen := map[string]string{}
	for _, m := range s.mounts {
		base := m.prefix + m.c.api.BasePath
		if other, dup := seen[base]; dup {
			return fmt.Errorf("APIs %q and %q would both be served at %q: give one another mount prefix", other, m.name, base+"/")
		}
		seen[base] = m.name
	}
	return nil
}

// APINames lists the served APIs, sorted.
func (s *Server) APINames() []string {
	names := make([]string, 0, len(s.byName))
	for name := range s.byName {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// BasePath is the path under which an API's operations are served, such
// as "/spark/v1"; "" when the API is not served.
func (s *Server) BasePath(api string) string {
	m := s.byName[api]
	if m == nil {
		return ""
	}
	return m.prefix + m.c.api.BasePath
}

// API returns a served API's document, or nil.
func (s *Server) API(name string) *spec.API {
	if m := s.byName[name]; m != nil {
		return m.c.api
	}
	return nil
}

// Handle replaces the behaviour of one operation on this Server only, so
// a test can make one call answer its own way.
func (s *Server) Handle(api, operationID string, b Behavior) error {
	m := s.byName[api]
	if m == nil {
		return fmt.Errorf("no API %q is served (served: %s)", api, strings.Join(s.APINames(), ", "))
	}
	if m.c.api.Operation(operationID) == nil {
		return fmt.Errorf("API %q has no operation %q", api, operationID)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.behaviors[operationID] = b
	return nil
}

func (m *mounted) behavior(id string) Behavior {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.behaviors[id]
}

// Scenarios lists the scenarios this Server can switch to.
func (s *Server) Scenarios() *fixtures.Set { return s.set }

// Scenario is the name of the active scenario.
func (s *Server) Scenario() string { return s.active.Load().scenario.Name }

// SwitchScenario makes another scenario active and resets every store to
// its starting records.
func (s *Server) SwitchScenario(name string) error {
	sc, err := s.set.Get(name)
	if err != nil {
		return err
	}
	s.switchMu.Lock()
	defer s.switchMu.Unlock()
	return s.activate(sc)
}

// Reset puts every store back to the active scenario's starting records
// and restarts the rules' "times" counts. The journal is kept.
func (s *Server) Reset() error {
	s.switchMu.Lock()
	defer s.switchMu.Unlock()
	return s.activate(s.active.Load().scenario)
}

func (s *Server) activate(sc *fixtures.Scenario) error {
	as := &activeScenario{scenario: sc, hits: map[string][]atomic.Int64{}}
	for _, m := range s.mounts {
		part := sc.API(m.name)
		as.hits[m.name] = make([]atomic.Int64, len(part.Rules))
		if m.store != nil {
			if err := m.store.Reset(part.State); err != nil {
				return fmt.Errorf("scenario %q: %w", sc.Name, err)
			}
		} else if part.State != nil {
			return fmt.Errorf("scenario %q has records for %q, which has no store", sc.Name, m.name)
		}
	}
	s.active.Store(as)
	return nil
}

// State returns every store's current records, keyed by API name, in the
// fixtures package's types.
func (s *Server) State() map[string]any {
	out := map[string]any{}
	for _, m := range s.mounts {
		if m.store != nil {
			out[m.name] = m.store.Snapshot()
		}
	}
	return out
}

// RestoreState loads records saved from State (as JSON, keyed by API
// name) into the stores. APIs absent from saved keep their records.
func (s *Server) RestoreState(saved map[string]json.RawMessage) error {
	s.switchMu.Lock()
	defer s.switchMu.Unlock()
	for name, raw := range saved {
		m := s.byName[name]
		if m == nil || m.store == nil {
			return fmt.Errorf("saved state for %q: no such API with a store is served", name)
		}
		state := m.store.Snapshot() // a value of the right type to decode into
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(state); err != nil {
			return fmt.Errorf("saved state for %q: %w", name, err)
		}
		if err := m.store.Reset(state); err != nil {
			return fmt.Errorf("saved state for %q: %w", name, err)
		}
	}
	return nil
}

// Requests returns the journal's entries that match f, oldest first.
func (s *Server) Requests(f Filter) []Entry { return s.journal.list(f) }

// ClearRequests empties the journal and restarts the coverage counts.
func (s *Server) ClearRequests() {
	s.journal.clear()
	s.coverage.clear()
}

// ServeHTTP answers one request: the admin API under /__mock/, an API
// under its mount, or a 404 that lists the mounts.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opts.CORS && r.Header.Get("Origin") != "" && allowCORS(w, r) {
		s.journal.add(Entry{Time: time.Now(), Method: r.Method, Path: r.URL.EscapedPath(), Status: http.StatusNoContent, Header: journalHeader(r.Header)})
		return
	}
	path := r.URL.EscapedPath()
	if path == adminPrefix || strings.HasPrefix(path, adminPrefix+"/") {
		s.serveAdmin(w, r)
		return
	}
	for _, m := range s.mounts {
		if m.prefix == "" || path == m.prefix || strings.HasPrefix(path, m.prefix+"/") {
			s.serveAPI(w, r, m, strings.TrimPrefix(path, m.prefix))
			return
		}
	}
	mounted := map[string]string{}
	for _, m := range s.mounts {
		mounted[m.name] = s.BasePath(m.name)
	}
	body, _ := json.Marshal(map[string]any{
		"message": fmt.Sprintf("no API is mounted at %s", path),
		"mounted": mounted,
	})
	s.journal.add(Entry{Time: time.Now(), Method: r.Method, Path: path, Status: http.StatusNotFound})
	writeJSON(w, http.StatusNotFound, body)
}

// corsExposed are the response headers a browser app may need to read.
const corsExposed = "Allow, Retry-After, Preference-Applied, " + ViolationHeader

// allowCORS adds the CORS headers to every cross-origin answer and
// answers a preflight itself, reporting whether it did.
func allowCORS(w http.ResponseWriter, r *http.Request) bool {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", corsExposed)
	h.Add("Vary", "Origin")
	method := r.Header.Get("Access-Control-Request-Method")
	if r.Method != http.MethodOptions || method == "" {
		return false
	}
	// The preflight allows what the browser asks; the real request then
	// goes through the pipeline, which answers 405 or 401 as usual.
	h.Set("Access-Control-Allow-Methods", method)
	if headers := r.Header.Get("Access-Control-Request-Headers"); headers != "" {
		h.Set("Access-Control-Allow-Headers", headers)
	}
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

var errNoSnapshot = errors.New("this server has no snapshot target: start it with --state-file")
