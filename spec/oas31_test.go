package spec_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/realestate-mocks/mockserver/spec"
)

func loadViewings(t *testing.T) *spec.API {
	t.Helper()
	api, err := spec.LoadFile("viewings", "testdata/viewings31.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// The 3.1 document of our own loads with both libraries: its paths are
// served, its webhook listed, and its schemas checked as JSON Schema
// 2020-12.
func TestParse31(t *testing.T) {
	api := loadViewings(t)
	if got := len(api.Operations); got != 5 {
		t.Errorf("%d operations, want 5", got)
	}
	if want := []spec.Webhook{{Name: "viewingBooked", Method: "POST", ID: "viewingBooked"}}; len(api.Webhooks) != 1 || api.Webhooks[0] != want[0] {
		t.Errorf("webhooks = %+v, want %+v", api.Webhooks, want)
	}
	if len(api.SchemaOptions()) != 1 {
		t.Errorf("a 3.1 document's values are not checked as 2020-12")
	}
	if _, err := api.Model(); err != nil {
		t.Errorf("libopenapi: %v", err)
	}
	if len(spec.MustLoad("spark").SchemaOptions()) != 0 {
		t.Errorf("a 3.0 document's values are checked as 2020-12")
	}
}

// Which versions and dialects are served, and how the others are refused.
func TestParseVersions(t *testing.T) {
	const ping = "info: {title: Ping, version: \"1\"}\npaths:\n  /ping:\n    get:\n      responses: {\"204\": {description: pong}}\n"
	const hook = "info: {title: Hooks, version: \"1\"}\nwebhooks:\n  pinged:\n    post:\n      responses: {\"204\": {description: received}}\n"
	tests := []struct {
		name, doc  string
		ops, hooks int
		err        string // "" when it loads
	}{
		{"3.0.3", "openapi: 3.0.3\n" + ping, 1, 0, ""},
		{"3.1.0", "openapi: 3.1.0\n" + ping, 1, 0, ""},
		{"3.1.1", "openapi: 3.1.1\n" + ping, 1, 0, ""},
		{"3.2.0", "openapi: 3.2.0\n" + ping, 1, 0, ""},
		{"3.3.0", "openapi: 3.3.0\n" + ping, 0, 0, `openapi "3.3.0": the versions served are OpenAPI 3.0.x, 3.1.x and 3.2.x`},
		{"webhooks only", "openapi: 3.1.0\n" + hook, 0, 1, ""},
		{"webhooks beside paths", "openapi: 3.1.0\n" + ping + strings.TrimPrefix(hook, "info: {title: Hooks, version: \"1\"}\n"), 1, 1, ""},
		{"webhooks in 3.0", "openapi: 3.0.3\n" + ping + strings.TrimPrefix(hook, "info: {title: Hooks, version: \"1\"}\n"), 0, 0, "webhooks"},
		{"2020-12 dialect", "openapi: 3.1.0\njsonSchemaDialect: https://json-schema.org/draft/2020-12/schema\n" + ping, 1, 0, ""},
		{"OpenAPI base dialect", "openapi: 3.1.0\njsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base\n" + ping, 1, 0, ""},
		{"draft-07 dialect", "openapi: 3.1.0\njsonSchemaDialect: http://json-schema.org/draft-07/schema#\n" + ping, 0, 0,
			`jsonSchemaDialect "http://json-schema.org/draft-07/schema#": schemas are validated as JSON Schema 2020-12 only`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api, err := spec.Parse("doc", "doc.yaml", []byte(tt.doc))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(api.Operations) != tt.ops || len(api.Webhooks) != tt.hooks {
				t.Errorf("%d operations and %d webhooks, want %d and %d", len(api.Operations), len(api.Webhooks), tt.ops, tt.hooks)
			}
		})
	}
}

// Each body is judged by one 2020-12 keyword. The same schema read the
// OpenAPI 3.0 way (kin-openapi's validator without 2020-12) decides
// otherwise for the keywords it ignores, so each row shows that the
// document's version, not its schema alone, decides.
func TestJSONSchema2020Keywords(t *testing.T) {
	schema := loadViewings(t).Doc.Components.Schemas["NewViewing"].Value
	const base = `"kind":"viewing","listingRef":"MLS-1","price":10`
	tests := []struct {
		name, body string
		want       string // the first failure, pointer and keyword; "" when valid
		legacyOK   bool   // the 3.0 reading accepts it
	}{
		{"type array admits null", `{` + base + `,"notes":null}`, "", true},
		{"type array refuses a number", `{` + base + `,"notes":5}`, "/notes type", false},
		{"const", `{"kind":"open-house","listingRef":"MLS-1","price":10}`, "/kind const", true},
		{"numeric exclusiveMinimum", `{"kind":"viewing","listingRef":"MLS-1","price":0}`, "/price exclusiveMinimum", false},
		{"numeric exclusiveMaximum", `{"kind":"viewing","listingRef":"MLS-1","price":100000000}`, "/price exclusiveMaximum", false},
		{"prefixItems in order", `{` + base + `,"window":["2026-12-05T10:00:00Z",30]}`, "", true},
		{"prefixItems out of order", `{` + base + `,"window":[30,"2026-12-05T10:00:00Z"]}`, "/window/0 type", true},
		{"items: false after the tuple", `{` + base + `,"window":["2026-12-05T10:00:00Z",30,"extra"]}`, "/window/2 items", false},
		{"dependentRequired", `{` + base + `,"contactPhone":"+1 555 0100"}`, "/contactName dependentRequired", true},
		{"dependentRequired met", `{` + base + `,"contactPhone":"+1 555 0100","contactName":"Ann"}`, "", true},
		{"unevaluatedProperties admits allOf's properties", `{` + base + `}`, "", true},
		{"unevaluatedProperties refuses others", `{` + base + `,"parking":true}`, "/parking unevaluatedProperties", true},
		{"$ref sibling required", `{` + base + `,"agent":{"name":"Bo"}}`, "/agent/phone required", false},
		{"contentMediaType is an annotation", `{` + base + `,"floorPlan":"not svg at all"}`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var value any
			if err := json.Unmarshal([]byte(tt.body), &value); err != nil {
				t.Fatal(err)
			}
			err := schema.VisitJSON(value, openapi3.EnableJSONSchema2020(), openapi3.MultiErrors())
			got := ""
			if err != nil {
				var se *openapi3.SchemaError
				if !errors.As(err, &se) {
					t.Fatalf("not a schema error: %v", err)
				}
				f := spec.SchemaFailures(se)[0]
				got = "/" + strings.Join(f.Pointer, "/") + " " + f.Keyword
				if f.Reason == "" || strings.Contains(f.Reason, "\n") {
					t.Errorf("reason %q is not one line", f.Reason)
				}
			}
			if got != tt.want {
				t.Errorf("2020-12: %q, want %q (%v)", got, tt.want, err)
			}
			if legacyOK := schema.VisitJSON(value) == nil; legacyOK != tt.legacyOK {
				t.Errorf("the 3.0 reading accepts it: %v, want %v", legacyOK, tt.legacyOK)
			}
		})
	}
}

// A 3.0 document republished as 3.1 is not a breaking change; removing
// a path from the 3.1 version still is.
func TestDiff30To31(t *testing.T) {
	old, err := os.ReadFile("testdata/petstore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	as31 := strings.Replace(string(old), "openapi: 3.0.3", "openapi: 3.1.0", 1)
	report, err := spec.Diff(old, []byte(as31))
	if err != nil {
		t.Fatal(err)
	}
	if report.HasBreaking() || len(report.Changes) != 1 || report.Changes[0].String() != `modified openapi: "3.0.3" -> "3.1.0"` {
		t.Errorf("the version change alone: %v", report.Changes)
	}
	i := strings.Index(as31, "  /pets/{petId}:")
	j := strings.Index(as31, "components:")
	report, err = spec.Diff(old, []byte(as31[:i]+as31[j:]))
	if err != nil {
		t.Fatal(err)
	}
	var removed bool
	for _, c := range report.Breaking() {
		removed = removed || c.Path == "paths./pets/{petId}" && c.Kind == "removed"
	}
	if !removed {
		t.Errorf("a removed path is not breaking: %v", report.Changes)
	}
}
