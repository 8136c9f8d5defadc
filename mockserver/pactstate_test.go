package mockserver_test

import (
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
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
			m := bt.New(t, mapped)
			got, err := m.EnterPactState(row.state)
			if err != nil || got != row.want || m.Scenario() != row.want {
				t.Errorf("EnterPactState(%q) = %q, %v (active %q), want %q", row.state, got, err, m.Scenario(), row.want)
			}
		})
	}
	t.Run("resets the records each time", func(t *testing.T) {
		t.Parallel()
		m := bt.New(t, mockserver.Options{})
		bt.Run(t, m,
			bt.Step{Req: bt.OTC("POST", "/properties/124/contacts").With(map[string]any{"contact_id": 789, "role": "Seller"}), Status: 201},
			bt.Step{Req: bt.OTC("GET", "/properties/124/contacts"), Status: 200, Check: func(t testing.TB, r bt.Resp) {
				if n := len(r.OTCLinks(t)); n != 1 {
					t.Fatalf("property 124 has %d contacts after the create, want 1", n)
				}
			}},
		)
		if _, err := m.EnterPactState("default"); err != nil {
			t.Fatal(err)
		}
		bt.Run(t, m, bt.Step{Req: bt.OTC("GET", "/properties/124/contacts"), Status: 200, Check: func(t testing.TB, r bt.Resp) {
			if list, _ := r.Value(t).([]any); len(list) != 0 {
				t.Errorf("after EnterPactState, property 124 has contacts %s: want the scenario's none", r.Body)
			}
		}})
	})
	t.Run("a mapping to an unknown scenario is refused by New", func(t *testing.T) {
		t.Parallel()
		_, err := bundled.New(mockserver.Options{PactStates: map[string]string{"a listing": "nope"}})
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
	post := func(body any) bt.Req { return bt.Admin("POST", "/pact/state").With(body) }
	want := func(fields map[string]any) func(testing.TB, bt.Resp) {
		return func(t testing.TB, r bt.Resp) {
			t.Helper()
			obj := r.Object(t)
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
	scenario := func(name string) func(testing.TB, bt.Resp) { return want(map[string]any{"scenario": name}) }
	rows := []struct {
		name     string
		step     bt.Step
		active   string // the scenario active after the call
		unrouted bool
	}{
		{name: "setup, mapped", step: bt.Step{Req: post(map[string]any{"state": "no contacts", "action": "setup"}), Status: 200, Check: scenario("empty")}, active: "empty"},
		{name: "setup, the scenario of the same name", step: bt.Step{Req: post(map[string]any{"state": "errors"}), Status: 200, Check: scenario("errors")}, active: "errors"},
		{name: "setup, unknown state", step: bt.Step{Req: post(map[string]any{"state": "a listing with notes", "params": nil}), Status: 200, Check: scenario("default")}, active: "default"},
		{name: "params are answered for injection", step: bt.Step{Req: post(map[string]any{"state": "errors", "params": map[string]any{"listingId": "L1", "scenario": "theirs"}}),
			Status: 200, Check: want(map[string]any{"listingId": "L1", "scenario": "theirs"})}, active: "errors"},
		{name: "teardown changes nothing", step: bt.Step{Req: post(map[string]any{"state": "errors", "action": "teardown", "params": map[string]any{"n": 1}}),
			Status: 200, Check: want(map[string]any{"scenario": "slow", "n": float64(1)})}, active: "slow"},
		{name: "older consumer and state", step: bt.Step{Req: post(map[string]any{"consumer": "app", "state": "empty"}), Status: 200, Check: scenario("empty")}, active: "empty"},
		{name: "older states agree", step: bt.Step{Req: post(map[string]any{"consumer": "app", "states": []string{"a listing", "errors", "errors"}}), Status: 200, Check: scenario("errors")}, active: "errors"},
		{name: "older states, none named", step: bt.Step{Req: post(map[string]any{"consumer": "app", "states": []string{}}), Status: 200, Check: scenario("default")}, active: "default"},
		{name: "older states disagree", step: bt.Step{Req: post(map[string]any{"states": []string{"errors", "no contacts"}}), Status: 400,
			Message: `provider states "errors" and "no contacts" pick scenarios "errors" and "empty"`}, active: "slow"},
		{name: "X-Mock-Admin instead of JSON", step: bt.Step{Req: post(`{"state":"empty"}`).Hdr("Content-Type", "").Hdr(mockserver.AdminHeader, "1"), Status: 200, Check: scenario("empty")}, active: "empty"},
		{name: "not JSON", step: bt.Step{Req: post(`{"state":`), Status: 400, Message: `not JSON`}, active: "slow"},
		{name: "no state", step: bt.Step{Req: post(map[string]any{"consumer": "app"}), Status: 400, Message: `no state: send {"state"`}, active: "slow"},
		{name: "a state that is not a string", step: bt.Step{Req: post(`{"state": 3}`), Status: 400, Message: "not JSON"}, active: "slow"},
		{name: "unknown action", step: bt.Step{Req: post(map[string]any{"state": "errors", "action": "begin"}), Status: 400, Message: `action "begin": want setup or teardown`}, active: "slow"},
		{name: "params not an object", step: bt.Step{Req: post(`{"state": "errors", "params": [1]}`), Status: 400, Message: "params must be a JSON object"}, active: "slow"},
		{name: "a cross-site form is refused", step: bt.Step{Req: post(`state=errors`).Hdr("Content-Type", "application/x-www-form-urlencoded"), Status: 415}, active: "slow"},
		{name: "GET", unrouted: true, step: bt.Step{Req: bt.Admin("GET", "/pact/state"), Status: 405, Header: map[string]string{"Allow": "POST"}}, active: "slow"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			m := bt.New(t, opts)
			req, r := admSend(t, m, row.step.Req)
			bt.Check(t, 0, row.step, r)
			if !row.unrouted {
				admValidate(t, router, req, r)
			}
			if got := m.Scenario(); got != row.active {
				t.Errorf("active scenario %q, want %q", got, row.active)
			}
		})
	}
}
