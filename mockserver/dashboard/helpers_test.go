package dashboard_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/dashboard"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

const (
	notesPath = bt.SparkBase + bt.NotesPath
	otcPath   = bt.OTCBase + "/properties/123/contacts"
	otcToken  = bt.OTCToken
)

// newMock is a Server with the dashboard wired as the command wires it.
func newMock(t testing.TB, opts mockserver.Options) *mockserver.Server {
	t.Helper()
	opts.AdminUI = dashboard.Handler
	return bt.New(t, opts)
}

type result struct {
	status int
	header http.Header
	body   string
}

func send(t testing.TB, h http.Handler, method, path, body string, header map[string]string) result {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return result{w.Code, w.Header(), w.Body.String()}
}

func get(t testing.TB, h http.Handler, path string, header map[string]string) result {
	t.Helper()
	return send(t, h, "GET", path, "", header)
}

// sparkGet reads the VOW contact's note, answered 200 by the behaviour.
func sparkGet(t testing.TB, h http.Handler) {
	t.Helper()
	send(t, h, "GET", notesPath, "", map[string]string{"X-SparkApi-User-Agent": "dashboard-tests", "Authorization": "Bearer spark-vow-token"})
}

// otcPost links a contact with the given JSON body.
func otcPost(t testing.TB, h http.Handler, body string) result {
	t.Helper()
	return send(t, h, "POST", otcPath+"?api_token="+otcToken, body, map[string]string{"Content-Type": "application/json"})
}

func mustContain(t testing.TB, what, body string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("%s does not contain %q", what, want)
		}
	}
}

func mustNotContain(t testing.TB, what, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("%s contains %q", what, u)
		}
	}
}
