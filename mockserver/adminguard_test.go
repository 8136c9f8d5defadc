package mockserver_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/dashboard"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// TestAdminNeverGetsCORS: with CORS on for the APIs, a page on another
// origin still cannot read the journal or pass a preflight for a write.
func TestAdminNeverGetsCORS(t *testing.T) {
	s := newServer(t, mockserver.Options{CORS: true})
	origin := "http://evil.example"
	get := bt.Req{Method: "GET", Target: "/__mock/requests", Header: map[string]string{"Origin": origin}}
	if a := bt.SendJSON(t, s, get); a.Status != 200 || a.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("GET /__mock/requests from another origin: %d, Access-Control-Allow-Origin %q", a.Status, a.Header.Get("Access-Control-Allow-Origin"))
	}
	preflight := bt.Req{Method: "OPTIONS", Target: "/__mock/scenario", Header: map[string]string{
		"Origin": origin, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type",
	}}
	if a := bt.SendJSON(t, s, preflight); a.Status < 400 || a.Header.Get("Access-Control-Allow-Origin") != "" || a.Header.Get("Access-Control-Allow-Methods") != "" {
		t.Errorf("admin preflight: %d %v", a.Status, a.Header)
	}
	api := spark("GET", notesPath, "spark-vow-token", "")
	api.Header["Origin"] = origin
	if a := bt.SendJSON(t, s, api); a.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("the APIs lost CORS: %v", a.Header)
	}
}

// TestAdminWritesNeedJSONOrHeader: the writes a cross-site form or simple
// fetch can send are refused; a JSON Content-Type or X-Mock-Admin passes.
func TestAdminWritesNeedJSONOrHeader(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	tests := []struct {
		name   string
		c      bt.Req
		status int
	}{
		{"reset with no Content-Type", bt.Req{Method: "POST", Target: "/__mock/reset"}, 415},
		{"reset as a form", bt.Req{Method: "POST", Target: "/__mock/reset", Body: "a=b", Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}, 415},
		{"switch as text/plain", bt.Req{Method: "PUT", Target: "/__mock/scenario", Body: `{"name":"empty"}`, Header: map[string]string{"Content-Type": "text/plain"}}, 415},
		{"clear the journal with no Content-Type", bt.Req{Method: "DELETE", Target: "/__mock/requests"}, 415},
		{"reset with JSON", bt.Req{Method: "POST", Target: "/__mock/reset", Header: map[string]string{"Content-Type": "application/json"}}, 200},
		{"reset with the admin header", bt.Req{Method: "POST", Target: "/__mock/reset", Header: map[string]string{mockserver.AdminHeader: "1"}}, 200},
		{"switch with JSON", bt.Req{Method: "PUT", Target: "/__mock/scenario", Body: `{"name":"empty"}`, Header: map[string]string{"Content-Type": "application/json; charset=utf-8"}}, 200},
		{"reads need nothing", bt.Req{Method: "GET", Target: "/__mock/health"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := bt.SendJSON(t, s, tt.c)
			if a.Status != tt.status {
				t.Fatalf("got %d, want %d: %s", a.Status, tt.status, string(a.Body))
			}
			if tt.status == 415 && !strings.Contains(a.Message(t), mockserver.AdminHeader) {
				t.Errorf("the refusal does not say what to send: %s", string(a.Body))
			}
		})
	}
}

// TestAdminHostCheck: with AdminHosts and no token, a Host that is not
// this machine is refused (DNS rebinding); with a token it is not checked.
func TestAdminHostCheck(t *testing.T) {
	guarded := newServer(t, mockserver.Options{AdminHosts: []string{"mock.internal"}, AdminUI: dashboard.Handler})
	tokened := newServer(t, mockserver.Options{AdminHosts: []string{"mock.internal"}, AdminToken: "s3cret"})
	tests := []struct {
		host   string
		status int
	}{
		{"127.0.0.1:8080", 200}, {"localhost:8080", 200}, {"[::1]:8080", 200}, {"app.localhost", 200},
		{"mock.internal:8080", 200}, {"MOCK.internal", 200},
		{"evil.example:8080", 403}, {"127.0.0.1.evil.example", 403}, {"10.0.0.5:8080", 403}, {"", 403},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/__mock/health", nil)
		r.Host = tt.host
		w := httptest.NewRecorder()
		guarded.ServeHTTP(w, r)
		if w.Code != tt.status {
			t.Errorf("Host %q: %d, want %d: %s", tt.host, w.Code, tt.status, w.Body)
		}
		// The dashboard shows the same data, so it is guarded the same way.
		ui := httptest.NewRequest("GET", mockserver.UIPath, nil)
		ui.Host = tt.host
		w = httptest.NewRecorder()
		guarded.ServeHTTP(w, ui)
		if (w.Code == http.StatusForbidden) != (tt.status == http.StatusForbidden) {
			t.Errorf("dashboard under Host %q: %d", tt.host, w.Code)
		}
		r.Header.Set("Authorization", "Bearer s3cret")
		w = httptest.NewRecorder()
		tokened.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Errorf("Host %q with the token: %d", tt.host, w.Code)
		}
	}
	// The APIs are not guarded: a mock may sit behind any name.
	r := httptest.NewRequest("GET", notesPath, nil)
	r.Host = "evil.example"
	r.Header.Set("Authorization", "Bearer spark-vow-token")
	r.Header.Set("X-SparkApi-User-Agent", "t")
	w := httptest.NewRecorder()
	guarded.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Errorf("API call under another Host: %d", w.Code)
	}
}

// TestAdminHostRefusalNamesEachHostOnce: serve lists the address it
// listens on, often 127.0.0.1 again; the refusal names each Host once.
func TestAdminHostRefusalNamesEachHostOnce(t *testing.T) {
	s := newServer(t, mockserver.Options{AdminHosts: []string{"127.0.0.1", "LOCALHOST", "mock.internal"}})
	r := httptest.NewRequest("GET", "/__mock/health", nil)
	r.Host = "evil.example"
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	_, listed, _ := strings.Cut(w.Body.String(), "answers only to Host ")
	listed, _, _ = strings.Cut(listed, " (a guard")
	if got, want := strings.Split(listed, ", "), []string{"localhost", "127.0.0.1", "[::1]", "mock.internal"}; !slices.Equal(got, want) {
		t.Errorf("the refusal names %q, want %q: %s", got, want, w.Body)
	}
}
