package mockserver_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// Every operation of both documents lists exactly the statuses the
// pipeline can produce for it: what example-driven and property-based
// testers believe, and what the coverage report can reach.
func TestDocumentedStatusesAreReachable(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	for _, name := range s.APINames() {
		for _, op := range s.API(name).Operations {
			t.Run(name+"/"+op.ID, func(t *testing.T) {
				got := s.Reachable(name, op.ID)
				if !slices.Equal(got, op.Statuses) {
					t.Errorf("documented %v, the pipeline can answer %v", op.Statuses, got)
				}
			})
		}
	}
}

// Reachable reads the engine's facts, not the documented list: a role
// check, a request body or a rule adds its status; a 405-only operation
// answers nothing else.
func TestReachable(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	tests := []struct {
		api, op string
		want    string
	}{
		{"spark", "getSharedNote", "[200 400 401 403 404 429 500]"},             // a read: no 405/1017, no body
		{"spark", "replaceSharedNote", "[200 400 401 403 404 405 413 429 500]"}, // a write with a body
		{"spark", "deleteSharedNote", "[200 400 401 403 404 405 429 500]"},      // a write without one
		{"spark", "postSharedNote", "[405]"},
		{"opentoclose", "createPropertyContact", "[201 400 401 404 409 413 415 429 500]"},
		{"opentoclose", "deletePropertyContact", "[204 400 401 404 405 429 500]"}, // 405: opentoclose-live's rule
		{"opentoclose", "listPropertyContacts", "[200 400 401 404 429 500]"},
		{"opentoclose", "nope", "[]"},
		{"nope", "getSharedNote", "[]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(s.Reachable(tt.api, tt.op)); got != tt.want {
			t.Errorf("%s %s: %s, want %s", tt.api, tt.op, got, tt.want)
		}
	}
	// A behaviour set for one test declares nothing: only the pipeline's
	// own statuses remain.
	if err := s.Handle("opentoclose", "createPropertyContact", mockserver.BehaviorFunc(func(*mockserver.Call) *mockserver.Reply { return mockserver.Empty(201) })); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(s.Reachable("opentoclose", "createPropertyContact")); got != "[201 400 401 413 415 429 500]" {
		t.Errorf("undeclared behaviour: %s", got)
	}
}
