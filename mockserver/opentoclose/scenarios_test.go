package opentoclose_test

import (
	"reflect"
	"testing"

	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// TestBundledScenarios shows, through the handler, that each bundled
// scenario keeps the promise its description makes for Open To Close. Each row
// gets its own Server, so rows that write do not disturb others.
func TestBundledScenarios(t *testing.T) {
	t.Parallel()
	bt.RunScenarios(t, []bt.ScenarioRow{
		{Name: "default/OTC property 123 has contact 456 as primary Buyer", Scenario: "default", Steps: []bt.Step{
			{Req: bt.OTC("GET", "/properties/123/contacts"), Status: 200, Check: bt.WantSeedLink},
			{Req: bt.OTC("GET", "/properties/123/contacts/456"), Status: 200, Check: func(t testing.TB, r bt.Resp) {
				bt.WantBuyerLink(t, r.Object(t))
			}},
		}},
		{Name: "default/OTC property 124 has no contacts", Scenario: "default", Steps: []bt.Step{
			{Req: bt.OTC("GET", "/properties/124/contacts"), Status: 200, Check: bt.WantEmptyList},
		}},
		{Name: "default/OTC property 999 does not exist", Scenario: "default", Steps: []bt.Step{
			{Req: bt.OTC("GET", "/properties/999/contacts"), Status: 404, Message: "Not found"},
		}},
		{Name: "default/OTC unknown token: 401", Scenario: "default", Steps: []bt.Step{
			{Req: bt.Req{Method: "GET", Target: "/opentoclose/v1/properties/123/contacts?api_token=nope"}, Status: 401, Message: "api_token"},
		}},

		{Name: "empty/OTC properties are gone", Scenario: "empty", Steps: []bt.Step{
			{Req: bt.OTC("GET", "/properties/123/contacts"), Status: 404},
			{Req: bt.OTC("GET", "/properties/124/contacts"), Status: 404},
			{Req: bt.OTC("GET", "/properties/123/contacts/456"), Status: 404},
		}},

		{Name: "errors/property-124-rate-limited", Scenario: "errors", Steps: []bt.Step{
			{Req: bt.OTC("GET", "/properties/124/contacts"), Status: 429, Message: "Too many requests",
				Header: map[string]string{"Retry-After": "2"}},
			{Req: bt.OTC("GET", "/properties/124/contacts"), Status: 429, Header: map[string]string{"Retry-After": "2"}},
			{Req: bt.OTC("GET", "/properties/123/contacts"), Status: 200, Check: bt.WantSeedLink},
		}},
		{Name: "errors/first-create-fails", Scenario: "errors", Steps: []bt.Step{
			{Req: bt.OTC("POST", "/properties/124/contacts").With(map[string]any{"contact_id": 789}), Status: 500, Message: "Internal server error"},
			{Req: bt.OTC("GET", "/properties/123/contacts/789"), Status: 404},
			{Req: bt.OTC("POST", "/properties/123/contacts").With(map[string]any{"contact_id": 789, "role": "Seller"}), Status: 201},
			{Req: bt.OTC("GET", "/properties/123/contacts/789"), Status: 200},
			{Req: bt.OTC("POST", "/properties/123/contacts").With(map[string]any{"contact_id": 790}), Status: 201},
			// A reset restarts the rule's count.
			{Req: bt.Admin("POST", "/reset"), Status: 200},
			{Req: bt.OTC("POST", "/properties/123/contacts").With(map[string]any{"contact_id": 789}), Status: 500},
			{Req: bt.OTC("POST", "/properties/123/contacts").With(map[string]any{"contact_id": 789}), Status: 201},
		}},
		{Name: "errors/other calls are untouched", Scenario: "errors", Steps: []bt.Step{
			{Req: bt.OTC("GET", "/properties/123/contacts/456"), Status: 200},
		}},

		{Name: "opentoclose-live/PUT and DELETE answer 405 with Allow", Scenario: "opentoclose-live", Steps: []bt.Step{
			{Req: bt.OTC("PUT", "/properties/123/contacts/456").With(map[string]any{"role": "Seller"}), Status: 405,
				Message: "Method not allowed", Header: map[string]string{"Allow": "GET"}},
			{Req: bt.OTC("DELETE", "/properties/123/contacts/456"), Status: 405,
				Message: "Method not allowed", Header: map[string]string{"Allow": "GET"}},
			{Req: bt.OTC("GET", "/properties/123/contacts"), Status: 200, Check: bt.WantSeedLink},
		}},
		{Name: "opentoclose-live/create keeps only contact_id", Scenario: "opentoclose-live", Steps: []bt.Step{
			{Req: bt.OTC("POST", "/properties/124/contacts").With(map[string]any{
				"contact_id": 789, "role": "Buyer", "primary": true, "start_date": "2024-02-01", "notes": "dropped",
			}), Status: 201, Check: func(t testing.TB, r bt.Resp) { wantBareLink(t, r.Object(t)) }},
			{Req: bt.OTC("GET", "/properties/124/contacts"), Status: 200, Check: func(t testing.TB, r bt.Resp) {
				links := r.OTCLinks(t)
				if len(links) != 1 {
					t.Fatalf("got %d links, want 1: %s", len(links), r.Body)
				}
				wantBareLink(t, links[0])
			}},
		}},
	})
}

// TestErrorsScenarioRulesCovered fails when fixtures/errors.yaml gains or
// renames a rule of Open To Close, so that TestBundledScenarios is extended with it.
func TestErrorsScenarioRulesCovered(t *testing.T) {
	t.Parallel()
	bt.WantRules(t, "errors", "opentoclose", "property-124-rate-limited", "first-create-fails")
}

// wantBareLink checks a link created under the
// create-honours-only-contact-id quirk.
func wantBareLink(t testing.TB, l map[string]any) {
	t.Helper()
	want := map[string]any{
		"contact_id": 789.0, "role": nil, "primary": false, "start_date": nil, "notes": nil,
		"contact_role": []any{},
	}
	for k, v := range want {
		got, present := l[k]
		if !present || !reflect.DeepEqual(got, v) {
			t.Errorf("link %s = %#v (present %v), want %#v", k, got, present, v)
		}
	}
}
