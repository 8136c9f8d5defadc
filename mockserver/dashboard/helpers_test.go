package dashboard_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	"github.com/realestate-mocks/mockserver/mockserver/dashboard"
)

const (
	listing   = "20100815153524571646000000"
	notesPath = "/spark/v1/listings/" + listing + "/shared/notes"
	otcPath   = "/opentoclose/v1/properties/123/contacts"
	otcToken  = "otc-demo-token"
)

// newMock is a Server with the dashboard wired as the command wires it.
func newMock(t testing.TB, opts mockserver.Options) *mockserver.Server {
	t.Helper()
	opts.AdminUI = dashboard.Handler
	if opts.Packs == nil && opts.APIs == nil {
		opts.Packs = packs(t)
		set, err := bundled.Default()
		if err != nil {
			t.Fatal(err)
		}
		opts.Scenarios = set
	}
	s, err := mockserver.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// packs are the built-in APIs.
func packs(t testing.TB) []*mockserver.Pack {
	t.Helper()
	p, err := bundled.Packs()
	if err != nil {
		t.Fatal(err)
	}
	return p
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
