package spec_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/realestate-mocks/mockserver/spec"
)

// loadTwins loads the 3.1 viewings document and its 3.0.3 twin.
func loadTwins(t testing.TB) (v30, v31 *spec.API) {
	t.Helper()
	var err error
	if v30, err = spec.LoadFile("viewings30", "testdata/viewings30.yaml"); err != nil {
		t.Fatal(err)
	}
	if v31, err = spec.LoadFile("viewings31", "testdata/viewings31.yaml"); err != nil {
		t.Fatal(err)
	}
	return v30, v31
}

// The twin documents one API: the same operations on the same paths,
// answering the same statuses, so what BenchmarkSpecLoadViewings30 and
// 31 compare is the OpenAPI version, not the API.
func TestViewingsTwinsMatch(t *testing.T) {
	v30, v31 := loadTwins(t)
	if !v30.Doc.IsOpenAPI30() || !v31.Doc.IsOpenAPI31OrLater() {
		t.Fatalf("versions %q and %q, want 3.0 and 3.1", v30.Doc.OpenAPI, v31.Doc.OpenAPI)
	}
	describe := func(api *spec.API) []string {
		var out []string
		for _, op := range api.Operations {
			out = append(out, fmt.Sprintf("%s %s %s %v", op.ID, op.Method, op.Path, op.Statuses))
		}
		return out
	}
	got, want := describe(v30), describe(v31)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("3.0 twin's operations:\n%s\nthe 3.1 document's:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if v30.BasePath != v31.BasePath {
		t.Errorf("base paths %q and %q", v30.BasePath, v31.BasePath)
	}
	for name := range v31.Doc.Components.Schemas {
		if v30.Doc.Components.Schemas[name] == nil {
			t.Errorf("schema %s is missing from the 3.0 twin", name)
		}
	}
}

// viewingCall is one request to a viewings document, as CheckRequest
// sees it.
func viewingCall(api *spec.API, opID, target string, params map[string]string, body []byte) (*spec.Operation, spec.Request) {
	op := api.Operation(opID)
	r := httptest.NewRequest(op.Method, target, nil)
	if body != nil {
		r = httptest.NewRequest(op.Method, target, strings.NewReader(string(body)))
		r.Header.Set("Content-Type", "application/json")
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params}
	return op, spec.Request{Input: in, Body: body}
}

// Where 3.0 can say what the 3.1 document says, both refuse and accept
// the same requests.
func TestViewingsTwinsAgree(t *testing.T) {
	v30, v31 := loadTwins(t)
	const base = `"kind":"viewing","listingRef":"MLS-1","price":10`
	tests := []struct {
		name, body string
		valid      bool
	}{
		{"minimal", `{` + base + `}`, true},
		{"null notes", `{` + base + `,"notes":null}`, true},
		{"numeric notes", `{` + base + `,"notes":5}`, false},
		{"another kind", `{"kind":"open-house","listingRef":"MLS-1","price":10}`, false},
		{"price at the exclusive minimum", `{"kind":"viewing","listingRef":"MLS-1","price":0}`, false},
		{"price at the exclusive maximum", `{"kind":"viewing","listingRef":"MLS-1","price":100000000}`, false},
		{"a window", `{` + base + `,"window":["2026-12-05T10:00:00Z",30]}`, true},
		{"a window too long", `{` + base + `,"window":["2026-12-05T10:00:00Z",30,45]}`, false},
		{"an agent without a phone", `{` + base + `,"agent":{"name":"Bo"}}`, false},
		{"an agent with a phone", `{` + base + `,"agent":{"name":"Bo","phone":"1"}}`, true},
		{"a phone without a name", `{` + base + `,"contactPhone":"+1 555 0100"}`, false},
		{"a phone with a name", `{` + base + `,"contactPhone":"+1 555 0100","contactName":"Ann"}`, true},
		{"no price", `{"kind":"viewing","listingRef":"MLS-1"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !json.Valid([]byte(tt.body)) {
				t.Fatalf("not JSON: %s", tt.body)
			}
			for _, api := range []*spec.API{v30, v31} {
				op, req := viewingCall(api, "createViewing", "/viewings", nil, []byte(tt.body))
				_, err := api.CheckRequest(context.Background(), op, req)
				if (err == nil) != tt.valid {
					t.Errorf("%s: valid %v, want %v (%v)", api.Name, err == nil, tt.valid, err)
				}
			}
		})
	}
	for _, api := range []*spec.API{v30, v31} {
		op, req := viewingCall(api, "showViewing", "/viewings/0", map[string]string{"viewingId": "0"}, nil)
		if _, err := api.CheckRequest(context.Background(), op, req); err == nil {
			t.Errorf("%s: viewing id 0 is accepted; the exclusive minimum refuses it", api.Name)
		}
	}
}
