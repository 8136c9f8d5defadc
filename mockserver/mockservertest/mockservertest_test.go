package mockservertest_test

import (
	"net/http"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/mockservertest"
)

func TestIsolationAndCleanup(t *testing.T) {
	a := mockservertest.New(t)
	b := mockservertest.New(t, mockservertest.WithScenario("empty"))
	if a.Server.Scenario() != "default" || b.Server.Scenario() != "empty" {
		t.Fatalf("scenarios %q %q", a.Server.Scenario(), b.Server.Scenario())
	}
	get := func(m *mockservertest.Mock) int {
		resp, err := m.Client().Get(m.URL("opentoclose") + "/properties/123/contacts?api_token=otc-demo-token")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get(a); got != http.StatusOK {
		t.Errorf("default scenario: property 123 answered %d", got)
	}
	if got := get(b); got != http.StatusNotFound {
		t.Errorf("empty scenario: property 123 answered %d, want 404", got)
	}
	if n := len(a.Server.Requests(mockserver.Filter{})); n != 1 {
		t.Errorf("journal of a holds %d entries, want 1 (b's request must not leak into it)", n)
	}
}

func TestTLS(t *testing.T) {
	m := mockservertest.New(t, mockservertest.WithTLS())
	resp, err := m.Client().Get(m.URL("opentoclose") + "/properties/124/contacts?api_token=otc-demo-token")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil {
		t.Fatalf("status %d, TLS %v", resp.StatusCode, resp.TLS != nil)
	}
}

type fatalRecorder struct {
	testing.TB
	fatal string
}

func (f *fatalRecorder) Fatalf(format string, args ...any) { f.fatal = format }

func TestNewReportsBadOptions(t *testing.T) {
	rec := &fatalRecorder{TB: t}
	m := mockservertest.New(rec, mockservertest.WithScenario("no-such-scenario"))
	if m != nil || rec.fatal == "" {
		t.Fatalf("New with an unknown scenario: mock %v, Fatalf called %v", m, rec.fatal != "")
	}
}

func TestWithStateless(t *testing.T) {
	m := mockservertest.New(t, mockservertest.WithStateless())
	link := m.URL("opentoclose") + "/properties/123/contacts/456?api_token=otc-demo-token"
	for i, want := range []struct {
		method string
		status int
	}{
		{http.MethodDelete, http.StatusNoContent},
		{http.MethodGet, http.StatusOK}, // the delete was answered, not kept
		{http.MethodDelete, http.StatusNoContent},
	} {
		req, _ := http.NewRequest(want.method, link, nil)
		resp, err := m.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want.status {
			t.Fatalf("call %d: %s answered %d, want %d", i, want.method, resp.StatusCode, want.status)
		}
	}
	if n := len(m.Server.Requests(mockserver.Filter{Operation: "deletePropertyContact"})); n != 2 {
		t.Errorf("journal holds %d deletes, want 2", n)
	}
}
