package mockserver

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gorilla/mux"
)

const adminPrefix = "/__mock"

//go:embed admin.yaml
var adminSpec []byte

// adminRoute is one endpoint of the admin API, as admin.yaml documents it.
type adminRoute struct {
	path    string
	methods []string
	serve   func(*Server, http.ResponseWriter, *http.Request)
}

// adminRoutes is the admin API, written once: the router serves it, and
// a method it does not offer answers 405 with these methods as Allow.
var adminRoutes = []adminRoute{
	{"/health", []string{http.MethodGet}, (*Server).adminHealth},
	{"/scenarios", []string{http.MethodGet}, (*Server).adminScenarios},
	{"/scenario", []string{http.MethodPut}, (*Server).adminSwitch},
	{"/reset", []string{http.MethodPost}, (*Server).adminReset},
	{"/requests", []string{http.MethodGet, http.MethodDelete}, (*Server).adminRequests},
	{"/requests/{seq}", []string{http.MethodGet}, (*Server).adminRequest},
	{"/state", []string{http.MethodGet}, (*Server).adminState},
	{"/coverage", []string{http.MethodGet}, func(s *Server, w http.ResponseWriter, _ *http.Request) {
		adminJSON(w, http.StatusOK, s.Coverage())
	}},
	{"/violations", []string{http.MethodGet}, func(s *Server, w http.ResponseWriter, _ *http.Request) {
		adminJSON(w, http.StatusOK, s.Violations())
	}},
	{"/snapshot", []string{http.MethodPost}, (*Server).adminSnapshot},
	{"/pact/state", []string{http.MethodPost}, (*Server).adminPactState},
	{"/pact", []string{http.MethodGet}, (*Server).adminPact},
	{"/events", []string{http.MethodGet}, (*Server).adminEvents},
	{"/specs/{api}", []string{http.MethodGet}, (*Server).adminSpec},
	{"/openapi.yaml", []string{http.MethodGet}, func(_ *Server, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(adminSpec)
	}},
}

// adminRouter is built once per process and shared by every Server: each
// request carries its Server in the context. Building it per Server
// (regexp compilation for every route) was most of a new Server's cost.
var adminRouter = sync.OnceValue(func() *mux.Router {
	r := mux.NewRouter().UseEncodedPath()
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		adminError(w, http.StatusNotFound, fmt.Sprintf("no admin endpoint %s; see GET %s/openapi.yaml", r.URL.Path, adminPrefix))
	})
	// Routes carry the full path rather than sit in a PathPrefix
	// subrouter: gorilla/mux v1.8.1 answers 404 instead of 405 for a wrong
	// method on all but the last route of a subrouter (gorilla/mux#751).
	for _, route := range adminRoutes {
		r.HandleFunc(adminPrefix+route.path, func(w http.ResponseWriter, r *http.Request) {
			s := r.Context().Value(serverKey{}).(*Server)
			if s.simpleWrite(w, r) {
				return
			}
			route.serve(s, w, r)
		}).Methods(route.methods...)
		// Any other method on the path comes next: a 405 naming these.
		allow := strings.Join(route.methods, ", ")
		r.HandleFunc(adminPrefix+route.path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			adminError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s is not offered on %s", r.Method, r.URL.Path))
		})
	}
	return r
})

type serverKey struct{}

// serveAdmin answers /__mock/. The Host check (adminguard.go) and the
// token guard every answer there, 404s and 405s included; the guard
// against cross-site writes (simpleWrite), every write offered.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if s.foreignHost(w, r) || s.serveUI(w, r) {
		return
	}
	if !s.AdminAuthorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="mockserver admin"`)
		adminError(w, http.StatusUnauthorized, "the admin API needs Authorization: Bearer <admin token>")
		return
	}
	adminRouter().ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), serverKey{}, s)))
}

func adminJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		adminError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, status, body)
}

func adminError(w http.ResponseWriter, status int, message string) {
	body, _ := json.Marshal(map[string]string{"message": message})
	writeJSON(w, status, body)
}

func (s *Server) adminHealth(w http.ResponseWriter, _ *http.Request) {
	apis := map[string]string{}
	for _, name := range s.APINames() {
		apis[name] = s.BasePath(name)
	}
	adminJSON(w, http.StatusOK, map[string]any{"status": "ok", "scenario": s.Scenario(), "apis": apis})
}

type scenarioInfo struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Extends     string `json:"extends,omitempty"`
	Active      bool   `json:"active"`
}

func (s *Server) adminScenarios(w http.ResponseWriter, _ *http.Request) {
	active := s.Scenario()
	list := []scenarioInfo{}
	for _, name := range s.set.Names() {
		sc, err := s.set.Get(name)
		if err != nil {
			continue
		}
		list = append(list, scenarioInfo{Name: name, Description: sc.Description, Extends: sc.Extends, Active: name == active})
	}
	adminJSON(w, http.StatusOK, map[string]any{"active": active, "scenarios": list})
}

func (s *Server) adminSwitch(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string `json:"name"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || req.Name == "" {
		adminError(w, http.StatusBadRequest, `send {"name": "<scenario>"}; scenarios: `+strings.Join(s.set.Names(), ", "))
		return
	}
	if _, err := s.set.Get(req.Name); err != nil {
		adminError(w, http.StatusNotFound, err.Error())
		return
	}
	if err := s.SwitchScenario(req.Name); err != nil {
		adminError(w, http.StatusInternalServerError, err.Error())
		return
	}
	adminJSON(w, http.StatusOK, map[string]string{"active": req.Name})
}

func (s *Server) adminReset(w http.ResponseWriter, _ *http.Request) {
	if err := s.Reset(); err != nil {
		adminError(w, http.StatusInternalServerError, err.Error())
		return
	}
	adminJSON(w, http.StatusOK, map[string]string{"active": s.Scenario()})
}

func (s *Server) adminRequests(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodDelete {
		s.ClearRequests()
		w.WriteHeader(http.StatusNoContent)
		return
	}
	q := r.URL.Query()
	page, err := pageRequests(s.journal.list(Filter{API: q.Get("api"), Operation: q.Get("operation")}), q.Get("limit"), q.Get("cursor"))
	if err != nil {
		adminError(w, http.StatusBadRequest, err.Error())
		return
	}
	adminJSON(w, http.StatusOK, page)
}

func (s *Server) adminRequest(w http.ResponseWriter, r *http.Request) {
	raw := mux.Vars(r)["seq"]
	seq, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || seq < 1 {
		adminError(w, http.StatusBadRequest, fmt.Sprintf("a request is named by its journal seq, a positive integer, not %q", raw))
		return
	}
	e, ok := s.journal.get(seq)
	if !ok {
		adminError(w, http.StatusNotFound, fmt.Sprintf("request %d is not in the journal: it keeps the newest %d entries and %d bytes", seq, s.opts.JournalSize, s.opts.JournalBytes))
		return
	}
	adminJSON(w, http.StatusOK, e)
}

func (s *Server) adminState(w http.ResponseWriter, _ *http.Request) {
	adminJSON(w, http.StatusOK, s.State())
}

func (s *Server) adminSnapshot(w http.ResponseWriter, _ *http.Request) {
	if s.opts.OnSnapshot == nil {
		adminError(w, http.StatusNotImplemented, "this server has no snapshot target: start it with "+s.option("OnSnapshot"))
		return
	}
	if err := s.opts.OnSnapshot(s); err != nil {
		adminError(w, http.StatusInternalServerError, fmt.Errorf("snapshot: %w", err).Error())
		return
	}
	adminJSON(w, http.StatusOK, map[string]string{"status": "saved"})
}

func (s *Server) adminSpec(w http.ResponseWriter, r *http.Request) {
	name := mux.Vars(r)["api"]
	api := s.API(name)
	if api == nil {
		adminError(w, http.StatusNotFound, fmt.Sprintf("no API %q is served; served: %s", name, strings.Join(s.APINames(), ", ")))
		return
	}
	w.Header().Set("Content-Type", "application/yaml")
	_, _ = w.Write(api.Raw)
}
