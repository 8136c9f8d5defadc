package spec_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/realestate-mocks/mockserver/spec"
)

// freshAPI parses a bundled document anew, so its memos start empty and
// no other test shares them.
func freshAPI(t *testing.T, name string) *spec.API {
	t.Helper()
	data, err := spec.Embedded(name)
	if err != nil {
		t.Fatal(err)
	}
	api, err := spec.Parse(name, name, data)
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// otcCall is one Open To Close request as CheckRequest sees it.
type otcCall struct {
	op          string
	target      string // path and query below the server URL
	params      map[string]string
	contentType string
	body        string
}

func (c otcCall) check(api *spec.API) (any, error) {
	var body []byte
	r := httptest.NewRequest(http.MethodGet, c.target, nil)
	op := api.Operation(c.op)
	r.Method = op.Method
	if c.body != "" {
		body = []byte(c.body)
		r = httptest.NewRequest(op.Method, c.target, strings.NewReader(c.body))
		r.Header.Set("Content-Type", c.contentType)
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: c.params}
	return api.CheckRequest(context.Background(), op, spec.Request{Input: in, Body: body})
}

// CheckRequest remembers what it found valid, but a remembered body or
// parameter value never lets through a different one: each row runs
// after the rows before it, on the same API, so every refusal comes
// after a valid call that a too-broad memo would wrongly reuse.
func TestCheckRequestMemos(t *testing.T) {
	api := freshAPI(t, "opentoclose")
	list := map[string]string{"property_id": "123"}
	item := map[string]string{"property_id": "123", "contact_id": "456"}
	const json = "application/json"
	tests := []struct {
		name string
		call otcCall
		err  string // in the error; "" when the request conforms
	}{
		{"a valid create", otcCall{"createPropertyContact", "/properties/123/contacts", list, json, `{"contact_id":456}`}, ""},
		{"the same create again (remembered)", otcCall{"createPropertyContact", "/properties/123/contacts", list, json, `{"contact_id":456}`}, ""},
		{"a different body for the same operation", otcCall{"createPropertyContact", "/properties/123/contacts", list, json, `{"contact_id":"456"}`}, "contact_id"},
		{"the same bytes as another content type", otcCall{"createPropertyContact", "/properties/123/contacts", list, "text/plain", `{"contact_id":456}`}, "Content-Type"},
		{"a valid update", otcCall{"updatePropertyContact", "/properties/123/contacts/456", item, json, `{"notes":"x"}`}, ""},
		{"the update's body for another operation", otcCall{"createPropertyContact", "/properties/123/contacts", list, json, `{"notes":"x"}`}, `"contact_id" is missing`},
		{"a valid path parameter", otcCall{"listPropertyContacts", "/properties/123/contacts", list, "", ""}, ""},
		{"another path parameter value", otcCall{"listPropertyContacts", "/properties/abc/contacts", map[string]string{"property_id": "abc"}, "", ""}, "property_id"},
		{"a valid query parameter", otcCall{"listPropertyContacts", "/properties/123/contacts?limit=5", list, "", ""}, ""},
		{"another query parameter value", otcCall{"listPropertyContacts", "/properties/123/contacts?limit=500", list, "", ""}, "limit"},
		{"the valid query again (remembered)", otcCall{"listPropertyContacts", "/properties/123/contacts?limit=5", list, "", ""}, ""},
	}
	for _, tt := range tests {
		_, err := tt.call.check(api)
		switch {
		case tt.err == "" && err != nil:
			t.Fatalf("%s: want no error, got %v", tt.name, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Fatalf("%s: want an error with %q, got %v", tt.name, tt.err, err)
		}
	}
}

// A remembered body's decoded value is the caller's to change: the next
// call with the same bytes gets the value as sent, not as changed.
func TestCheckRequestValueIsACopy(t *testing.T) {
	api := freshAPI(t, "opentoclose")
	call := otcCall{"createPropertyContact", "/properties/123/contacts", map[string]string{"property_id": "123"}, "application/json", `{"contact_id":456,"role":"Buyer"}`}
	for i := range 3 {
		v, err := call.check(api)
		if err != nil {
			t.Fatal(err)
		}
		obj, ok := v.(map[string]any)
		if !ok || obj["role"] != "Buyer" || fmt.Sprint(obj["contact_id"]) != "456" {
			t.Fatalf("call %d: value %#v", i+1, v)
		}
		obj["role"] = "changed by the caller"
		delete(obj, "contact_id")
	}
}
