package mockserver_test

import (
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// TestEnterPactState shows how a provider state picks a scenario and that
// each entry starts from the scenario's starting records.
func TestEnterPactState(t *testing.T) {
	t.Parallel()
	mapped := mockserver.Options{Scenario: "slow", PactStates: map[string]string{"no contacts": "empty", "errors": "slow"}}
	rows := []struct {
		name, state, want string
	}{
		{"mapped", "no contacts", "empty"},
		{"a mapping wins over the scenario of the same name", "errors", "slow"},
		{"the scenario of the same name", "empty", "empty"},
		{"unknown: default", "a listing with notes", "default"},
		{"empty: default", "", "default"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			m := newSCMock(t, mapped)
			got, err := m.srv.EnterPactState(row.state)
			if err != nil || got != row.want || m.srv.Scenario() != row.want {
				t.Errorf("EnterPactState(%q) = %q, %v (active %q), want %q", row.state, got, err, m.srv.Scenario(), row.want)
			}
		})
	}
	t.Run("resets the records each time", func(t *testing.T) {
		t.Parallel()
		m := newSCMock(t, mockserver.Options{})
		m.run(t,
			scStep{req: scOTC("POST", "/properties/124/contacts").with(map[string]any{"contact_id": 789, "role": "Seller"}), status: 201},
			scStep{req: scOTC("GET", "/properties/124/contacts"), status: 200, check: func(t *testing.T, r scResp) {
				if n := len(r.otcLinks(t)); n != 1 {
					t.Fatalf("property 124 has %d contacts after the create, want 1", n)
				}
			}},
		)
		if _, err := m.srv.EnterPactState("default"); err != nil {
			t.Fatal(err)
		}
		m.run(t, scStep{req: scOTC("GET", "/properties/124/contacts"), status: 200, check: func(t *testing.T, r scResp) {
			if list, _ := r.value(t).([]any); len(list) != 0 {
				t.Errorf("after EnterPactState, property 124 has contacts %s: want the scenario's none", r.Body)
			}
		}})
	})
	t.Run("a mapping to an unknown scenario is refused by New", func(t *testing.T) {
		t.Parallel()
		_, err := mockserver.New(withBundled(t, mockserver.Options{PactStates: map[string]string{"a listing": "nope"}}))
		if err == nil || !strings.Contains(err.Error(), `pact state "a listing": no scenario named "nope"`) {
			t.Errorf("New = %v, want the unknown scenario named", err)
		}
	})
}

// TestAdminPactState drives POST /__mock/pact/state with the bodies Pact
// verifiers send and validates each answer against mockserver.AdminSpec.
func TestAdminPactState(t *testing.T) {
	t.Parallel()
	router := admRouter(t)
	opts := mockserver.Options{Scenario: "slow", PactStates: map[string]string{"no contacts": "empty"}}
	post := func(body any) scReq { return scAdmin("POST", "/pact/state").with(body) }
	want := func(fields map[string]any) func(*testing.T, scResp) {
		return func(t *testing.T, r scResp) {
			t.Helper()
			obj := r.object(t)
			if len(obj) != len(fields) {
				t.Errorf("answer %s, want exactly %v", r.Body, fields)
			}
			for k, v := range fields {
				if obj[k] != v {
					t.Errorf("answer %s: %s = %v, want %v", r.Body, k, obj[k], v)
				}
			}
		}
	}
	scenario := func(name string) func(*testing.T, scResp) { return want(map[string]any{"scenario": name}) }
	rows := []struct {
		name     string
		step     scStep
		active   string // the scenario active after the call
		unrouted bool
	}{
		{name: "setup, mapped", step: scStep{req: post(map[string]any{"state": "no contacts", "action": "setup"}), status: 200, check: scenario("empty")}, active: "empty"},
		{name: "setup, the scenario of the same name", step: scStep{req: post(map[string]any{"state": "errors"}), status: 200, check: scenario("errors")}, active: "errors"},
		{name: "setup, unknown state", step: scStep{req: post(map[string]any{"state": "a listing with notes", "params": nil}), status: 200, check: scenario("default")}, active: "default"},
		{name: "params are answered for injection", step: scStep{req: post(map[string]any{"state": "errors", "params": map[string]any{"listingId": "L1", "scenario": "theirs"}}),
			status: 200, check: want(map[string]any{"listingId": "L1", "scenario": "theirs"})}, active: "errors"},
		{name: "teardown changes nothing", step: scStep{req: post(map[string]any{"state": "errors", "action": "teardown", "params": map[string]any{"n": 1}}),
			status: 200, check: want(map[string]any{"scenario": "slow", "n": float64(1)})}, active: "slow"},
		{name: "older consumer and state", step: scStep{req: post(map[string]any{"consumer": "app", "state": "empty"}), status: 200, check: scenario("empty")}, active: "empty"},
		{name: "older states agree", step: scStep{req: post(map[string]any{"consumer": "app", "states": []string{"a listing", "errors", "errors"}}), status: 200, check: scenario("errors")}, active: "errors"},
		{name: "older states, none named", step: scStep{req: post(map[string]any{"consumer": "app", "states": []string{}}), status: 200, check: scenario("default")}, active: "default"},
		{name: "older states disagree", step: scStep{req: post(map[string]any{"states": []string{"errors", "no contacts"}}), status: 400,
			message: `provider states "errors" and "no contacts" pick scenarios "errors" and "empty"`}, active: "slow"},
		{name: "X-Mock-Admin instead of JSON", step: scStep{req: post(`{"state":"empty"}`).hdr("Content-Type", "").hdr(mockserver.AdminHeader, "1"), status: 200, check: scenario("empty")}, active: "empty"},
		{name: "not JSON", step: scStep{req: post(`{"state":`), status: 400, message: `not JSON`}, active: "slow"},
		{name: "no state", step: scStep{req: post(map[string]any{"consumer": "app"}), status: 400, message: `no state: send {"state"`}, active: "slow"},
		{name: "a state that is not a string", step: scStep{req: post(`{"state": 3}`), status: 400, message: "not JSON"}, active: "slow"},
		{name: "unknown action", step: scStep{req: post(map[string]any{"state": "errors", "action": "begin"}), status: 400, message: `action "begin": want setup or teardown`}, active: "slow"},
		{name: "params not an object", step: scStep{req: post(`{"state": "errors", "params": [1]}`), status: 400, message: "params must be a JSON object"}, active: "slow"},
		{name: "a cross-site form is refused", step: scStep{req: post(`state=errors`).hdr("Content-Type", "application/x-www-form-urlencoded"), status: 415}, active: "slow"},
		{name: "GET", unrouted: true, step: scStep{req: scAdmin("GET", "/pact/state"), status: 405, header: map[string]string{"Allow": "POST"}}, active: "slow"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			m := newSCMock(t, opts)
			req, r := m.admSend(t, row.step.req)
			scCheck(t, 0, row.step, r)
			if !row.unrouted {
				admValidate(t, router, req, r)
			}
			if got := m.srv.Scenario(); got != row.active {
				t.Errorf("active scenario %q, want %q", got, row.active)
			}
		})
	}
}
