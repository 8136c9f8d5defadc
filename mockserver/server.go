package mockserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
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

// Options configure a Server. The engine knows no API of its own: give
// Packs (mockserver/bundled.Packs() for the built-in APIs, with
// bundled.Scenarios() as Scenarios), APIs, or both. With neither, New
// fails rather than serve nothing.
type Options struct {
	// Packs are the APIs served with their stores and behaviours. Each
	// Server gets its own stores: packs are not registered process-wide.
	Packs []*Pack
	// APIs are documents served from their examples alone, without a
	// store. A document named like a pack replaces the pack's document and
	// keeps the pack's behaviours for the operationIds it still declares.
	APIs []*spec.API
	// Mounts maps an API name to the prefix its server path is served
	// under; the default is "/<name>", and "/" serves the API at the root
	// (Spark's /v1/... where its Ruby client expects it).
	Mounts map[string]string
	// Scenarios are the scenarios to choose from; nil means
	// fixtures.Empty(): one "default" with no principals, records or rules.
	Scenarios *fixtures.Set
	// Scenario is the one active at start; "" means "default".
	Scenario string
	// Validation is what to do with responses that break the spec.
	Validation ValidationMode
	// MaxBodyBytes bounds request bodies (413 beyond); 0 means 1 MiB.
	MaxBodyBytes int64
	// BodyTimeout bounds the reading of each request body, from the end
	// of its headers (400 beyond); 0 means 30s, negative means no bound.
	// The deadline is lifted once the body is read, so latency and
	// `fault: hang` rules still wait as long as they say.
	BodyTimeout time.Duration
	// JournalSize bounds the request journal; 0 means 1000, negative keeps none.
	JournalSize int
	// StoreBytes bounds each API's records, as JSON: a write that adds
	// records answers 413 in the API's envelope once they and its body
	// would pass it; 0 means 64 MiB, negative means no bound.
	StoreBytes int64
	// JournalBytes bounds the journal's stored text (each field is cut
	// too, so one huge request cannot fill it); 0 means 16 MiB.
	JournalBytes int
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// AdminToken, when set, is required by the admin API, as
	// "Authorization: Bearer <token>".
	AdminToken string
	// OnSnapshot is run by POST /__mock/snapshot; nil answers 501 there.
	OnSnapshot func(*Server) error
	// AdminUI, when set, serves the pages under /__mock/ui/ (the
	// dashboard package's Handler); nil answers 404 there.
	AdminUI func(*Server) http.Handler
	// Latency is added to every API call, on top of the scenario's and its
	// rules' latency: a slow backend for any scenario, without a file.
	Latency time.Duration
	// CORS lets browser apps call the mock from another origin: preflight
	// OPTIONS requests answer 204 before the pipeline, and every API answer
	// carries Access-Control-Allow-Origin. The real services may not do
	// this, so it is off unless asked for. The admin API never gets CORS.
	CORS bool
	// AdminHosts, when set and AdminToken is not, are the Host names (with
	// localhost and loopback addresses) the admin API and the dashboard
	// answer to; others get 403, so a page on a rebound DNS name cannot
	// drive the mock.
	AdminHosts []string
	// Stateless answers writes as usual but keeps nothing they change, so
	// every request sees the same records (the scenario's, or those a
	// state file or RestoreState loaded): what example-driven contract
	// testers expect. Reset, scenario switches and the journal work as
	// usual.
	Stateless bool
	// Proxy, when set, forwards the APIs it names to their real service.
	Proxy *ProxyOptions
	// PactStates maps a Pact provider state to the scenario it puts the
	// mock in (EnterPactState, POST /__mock/pact/state); a state not
	// listed picks the scenario of its own name, else "default".
	PactStates map[string]string
	// OptionNames, when set, say how this Server's user sets an Options
	// field (a command's flag, by field name), for the messages that point
	// at one; a field not named is called Options.<Field>.
	OptionNames map[string]string
}

// Server is the mock: an http.Handler serving every mounted API plus the
// admin API. It is safe for concurrent use.
type Server struct {
	opts       Options
	set        *fixtures.Set
	mounts     []*mounted // longest prefix first, so nested mounts win
	byName     map[string]*mounted
	journal    *journal
	violations violations
	log        *slog.Logger
	// journaled are the request headers the journal keeps.
	journaled []string

	switchMu sync.Mutex // serialises scenario switches and resets
	active   atomic.Pointer[activeScenario]
	// replaying is set on the mock a pact writer replays a journal on
	// (pactrecords.go): it answers without the scenario's latency.
	replaying bool
}

// New builds a Server. It fails when there is nothing to serve, on a
// mount clash, an unknown scenario, or a scenario whose state a store
// refuses.
func New(opts Options) (*Server, error) {
	opts, logger := opts.withDefaults()
	apis, packs, err := served(opts)
	if err != nil {
		return nil, err
	}
	set := opts.Scenarios
	if set == nil {
		set = fixtures.Empty()
	}
	s := &Server{opts: opts, set: set, byName: map[string]*mounted{}, journal: newJournal(opts.JournalSize, opts.JournalBytes), log: logger}
	for _, api := range apis {
		if err := s.mount(api, packs[api.Name]); err != nil {
			return nil, err
		}
	}
	for name := range opts.Mounts {
		if s.byName[name] == nil {
			return nil, fmt.Errorf("mount for %q: no such API is served (served: %s)", name, strings.Join(s.APINames(), ", "))
		}
	}
	if err := s.mountUpstreams(); err != nil {
		return nil, err
	}
	if err := s.checkMounts(); err != nil {
		return nil, err
	}
	sort.SliceStable(s.mounts, func(i, j int) bool { return len(s.mounts[i].prefix) > len(s.mounts[j].prefix) })
	s.journaled = journaledHeaders(apis)
	if err := s.checkPactStates(); err != nil {
		return nil, err
	}
	if err := s.SwitchScenario(opts.Scenario); err != nil {
		return nil, err
	}
	return s, nil
}

func (opts Options) withDefaults() (Options, *slog.Logger) {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.BodyTimeout == 0 {
		opts.BodyTimeout = DefaultBodyTimeout
	}
	if opts.JournalSize == 0 {
		opts.JournalSize = DefaultJournalSize
	}
	if opts.StoreBytes == 0 {
		opts.StoreBytes = DefaultStoreBytes
	}
	if opts.JournalBytes <= 0 {
		opts.JournalBytes = DefaultJournalBytes
	}
	if opts.Scenario == "" {
		opts.Scenario = "default"
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return opts, logger
}

// served lists the documents to serve, each pack's (or the document of
// opts.APIs replacing it) then the other documents, with the packs by name.
func served(opts Options) ([]*spec.API, map[string]*Pack, error) {
	packs := map[string]*Pack{}
	var apis []*spec.API
	for _, p := range opts.Packs {
		if p == nil || p.API == nil {
			return nil, nil, errors.New("a Pack has no API document")
		}
		if packs[p.API.Name] != nil {
			return nil, nil, fmt.Errorf("API %q is given twice", p.API.Name)
		}
		packs[p.API.Name] = p
		apis = append(apis, p.API)
	}
	given := map[string]bool{}
	for _, api := range opts.APIs {
		if given[api.Name] {
			return nil, nil, fmt.Errorf("API %q is given twice", api.Name)
		}
		given[api.Name] = true
		if i := slices.IndexFunc(apis, func(a *spec.API) bool { return a.Name == api.Name }); i >= 0 {
			apis[i] = api
		} else {
			apis = append(apis, api)
		}
	}
	if len(apis) == 0 {
		return nil, nil, errors.New("nothing to serve: give Options.Packs (mockserver/bundled.Packs() for the built-in APIs) or Options.APIs")
	}
	return apis, packs, nil
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

// Requests returns the journal's entries that match f, oldest first.
// Their header maps are the caller's own: the journal shares one map
// between the entries of calls that sent the same headers, and with the
// answers it writes, so it copies them here, on the reader's side, and
// not on each call.
func (s *Server) Requests(f Filter) []Entry {
	entries := s.journal.list(f)
	for i := range entries {
		entries[i].ownHeaders()
	}
	return entries
}

// Request returns the journal entry numbered seq (Entry.Seq), while the
// journal still keeps it, with header maps of its own (see Requests).
func (s *Server) Request(seq int64) (Entry, bool) {
	e, ok := s.journal.get(seq)
	e.ownHeaders()
	return e, ok
}

// ClearRequests empties the journal and restarts the coverage counts.
func (s *Server) ClearRequests() {
	s.journal.clear()
	for _, m := range s.mounts {
		m.coverage.clear()
	}
	s.violations.clear()
}

// ServeHTTP answers one request: the admin API under /__mock/, an API
// under its mount, or a 404 that lists the mounts.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opts.CORS && r.Header.Get("Origin") != "" && !isAdminPath(r.URL.EscapedPath()) && allowCORS(w, r) {
		s.journal.add(&Entry{Time: time.Now(), Method: r.Method, Path: r.URL.EscapedPath(), Status: http.StatusNoContent, Header: s.journalHeader(r.Header, anyCredential, redactor{style: hide})})
		return
	}
	path := r.URL.EscapedPath()
	if isAdminPath(path) {
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
	s.journal.add(&Entry{Time: time.Now(), Method: r.Method, Path: path, Status: http.StatusNotFound})
	writeJSON(w, http.StatusNotFound, body)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// option names an Options field as this Server's user sets it.
func (s *Server) option(field string) string {
	if name, ok := s.opts.OptionNames[field]; ok {
		return name
	}
	return "Options." + field
}
