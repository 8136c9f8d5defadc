package mockserver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// The journal keeps a hint of a mocked API's credentials, wherever the
// client puts them, and the rest of the query as the client wrote it.
func TestJournalRedactsCredentials(t *testing.T) {
	tests := []struct {
		name   string
		target string
		auth   []string
		query  string // the journal's, "" when the request has none
		header string // the journal's Authorization, "" when none is kept
	}{
		{"the query's only parameter", "/opentoclose/v1/properties/123/contacts?api_token=otc-demo-token", nil, "api_token=otc-%E2%80%A6en", ""},
		{"among others, in their order", "/opentoclose/v1/properties/123/contacts?role=Buyer&api_token=otc-demo-token&limit=2", nil, "role=Buyer&api_token=otc-%E2%80%A6en&limit=2", ""},
		{"given twice", "/opentoclose/v1/properties/123/contacts?api_token=first-token-1&api_token=second-token-2", nil, "api_token=firs%E2%80%A6-1&api_token=seco%E2%80%A6-2", ""},
		{"with an escaped value", "/opentoclose/v1/properties/123/contacts?api_token=otc%2Ddemo%2Dtoken", nil, "api_token=otc-%E2%80%A6en", ""},
		{"with an escaped name", "/opentoclose/v1/properties/123/contacts?api%5Ftoken=otc-demo-token&x=1", nil, "api%5Ftoken=otc-%E2%80%A6en&x=1", ""},
		{"with no value", "/opentoclose/v1/properties/123/contacts?api_token&role=Buyer", nil, "api_token=&role=Buyer", ""},
		{"no credential: the query as it came", "/opentoclose/v1/properties/123/contacts?role=Buy%65r&limit=2", nil, "role=Buy%65r&limit=2", ""},
		{"an Authorization header", "/v1/listings/20100815153524571646000000/shared/notes", []string{"Bearer spark-vow-token"}, "", "Bearer spar…en"},
		{"an Authorization header given twice keeps the first, redacted", "/v1/listings/20100815153524571646000000/shared/notes", []string{"Bearer spark-vow-token", "Bearer other-secret"}, "", "Bearer spar…en"},
	}
	s := newServer(t, mockserver.Options{Mounts: map[string]string{"spark": "/"}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.ClearRequests()
			r := httptest.NewRequest(http.MethodGet, tt.target, nil)
			r.Header["Authorization"] = tt.auth
			s.ServeHTTP(httptest.NewRecorder(), r)
			entries := s.Requests(mockserver.Filter{})
			if len(entries) != 1 {
				t.Fatalf("%d entries", len(entries))
			}
			e := entries[0]
			if e.Query != tt.query {
				t.Errorf("query %q, want %q", e.Query, tt.query)
			}
			if got := e.Header.Values("Authorization"); (tt.header == "" && got != nil) || (tt.header != "" && (len(got) != 1 || got[0] != tt.header)) {
				t.Errorf("Authorization %q, want %q", got, tt.header)
			}
		})
	}
}

// Each client's credential keeps its own hint, however many distinct
// ones the mock sees (the hints it remembers are bounded).
func TestJournalHintsStayTheirOwn(t *testing.T) {
	s := newServer(t, mockserver.Options{JournalSize: 1000})
	const distinct = 600
	// The hint keeps the first four and last two characters: distinct here.
	token := func(i int) string { return fmt.Sprintf("%03d-token-%03d", i, i) }
	for round := range 2 {
		s.ClearRequests()
		for i := range distinct {
			bt.SendJSON(t, s, spark("GET", notesPath, token(i), ""))
		}
		for i, e := range s.Requests(mockserver.Filter{}) {
			tok := token(i)
			want := "Bearer " + tok[:4] + "…" + tok[len(tok)-2:]
			if got := e.Header.Get("Authorization"); got != want {
				t.Fatalf("round %d, entry %d: Authorization %q, want %q", round+1, i, got, want)
			}
		}
	}
}

// Calls in a row share a journal header only when what it keeps is the
// same: each entry still shows its own call's headers.
func TestJournalHeaderIsEachCallsOwn(t *testing.T) {
	calls := []struct {
		name   string
		header http.Header
	}{
		{"first", http.Header{"Authorization": {"Bearer spark-vow-token"}, "Accept": {"application/json"}}},
		{"same again", http.Header{"Authorization": {"Bearer spark-vow-token"}, "Accept": {"application/json"}}},
		{"another Accept", http.Header{"Authorization": {"Bearer spark-vow-token"}, "Accept": {"*/*"}}},
		{"Accept given twice", http.Header{"Authorization": {"Bearer spark-vow-token"}, "Accept": {"*/*", "text/plain"}}},
		{"a User-Agent more", http.Header{"Authorization": {"Bearer spark-vow-token"}, "Accept": {"*/*", "text/plain"}, "User-Agent": {"test"}}},
		{"another token", http.Header{"Authorization": {"Bearer spark-idx-token"}, "Accept": {"*/*", "text/plain"}, "User-Agent": {"test"}}},
		{"no header at all", http.Header{}},
		{"the first again", http.Header{"Authorization": {"Bearer spark-vow-token"}, "Accept": {"application/json"}}},
	}
	s := newServer(t, mockserver.Options{})
	for _, c := range calls {
		r := httptest.NewRequest(http.MethodGet, notesPath, nil)
		r.Header = c.header.Clone()
		s.ServeHTTP(httptest.NewRecorder(), r)
	}
	entries := s.Requests(mockserver.Filter{})
	if len(entries) != len(calls) {
		t.Fatalf("%d entries, want %d", len(entries), len(calls))
	}
	for i, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			got := entries[i].Header
			for _, name := range []string{"Accept", "User-Agent"} {
				if fmt.Sprint(got[name]) != fmt.Sprint(c.header[name]) {
					t.Errorf("%s: journal has %q, the call sent %q", name, got[name], c.header[name])
				}
			}
			if auth := c.header.Get("Authorization"); auth != "" {
				if want := auth[:11] + "…en"; got.Get("Authorization") != want {
					t.Errorf("Authorization: journal has %q, want %q", got.Get("Authorization"), want)
				}
			} else if len(got["Authorization"]) != 0 {
				t.Errorf("Authorization: journal has %q for a call without one", got["Authorization"])
			}
		})
	}
}
