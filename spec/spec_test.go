package spec_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/pb33f/libopenapi"

	"github.com/realestate-mocks/mockserver/spec"
)

// The exact operation set of each bundled API: method, path, operationId,
// the status a caller gets when all is well, and the x-roles.
func TestBundledOperations(t *testing.T) {
	type row struct {
		method, path, id string
		status           int
		roles            []string
	}
	const notes = "/listings/{ListingId}/shared/notes"
	vowPortal, private := []string{"VOW", "Portal"}, []string{"Private"}
	want := map[string][]row{
		"opentoclose": {
			{"GET", "/properties/{property_id}/contacts", "listPropertyContacts", 200, nil},
			{"POST", "/properties/{property_id}/contacts", "createPropertyContact", 201, nil},
			{"GET", "/properties/{property_id}/contacts/{contact_id}", "retrievePropertyContact", 200, nil},
			{"PUT", "/properties/{property_id}/contacts/{contact_id}", "updatePropertyContact", 200, nil},
			{"DELETE", "/properties/{property_id}/contacts/{contact_id}", "deletePropertyContact", 204, nil},
		},
		"spark": {
			{"GET", notes, "getSharedNote", 200, vowPortal},
			{"POST", notes, "postSharedNote", 405, vowPortal},
			{"PUT", notes, "replaceSharedNote", 200, vowPortal},
			{"DELETE", notes, "deleteSharedNote", 200, vowPortal},
			{"GET", notes + "/contacts", "listContactSharedNotes", 200, private},
			{"POST", notes + "/contacts", "postContactSharedNotes", 405, private},
			{"PUT", notes + "/contacts", "replaceContactSharedNotes", 405, private},
			{"DELETE", notes + "/contacts", "deleteContactSharedNotes", 405, private},
			{"GET", notes + "/contacts/{ContactId}", "getContactSharedNote", 200, private},
			{"POST", notes + "/contacts/{ContactId}", "postContactSharedNote", 405, private},
			{"PUT", notes + "/contacts/{ContactId}", "replaceContactSharedNote", 200, private},
			{"DELETE", notes + "/contacts/{ContactId}", "deleteContactSharedNote", 200, private},
		},
	}
	for name, rows := range want {
		t.Run(name, func(t *testing.T) {
			api, err := spec.Load(name)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(api.Operations); got != len(rows) {
				t.Fatalf("%d operations, want %d", got, len(rows))
			}
			for i, w := range rows {
				op := api.Operations[i]
				if op.Method != w.method || op.Path != w.path || op.ID != w.id {
					t.Errorf("operation %d = %s %s (%s), want %s %s (%s)", i, op.Method, op.Path, op.ID, w.method, w.path, w.id)
				}
				success := op.Statuses[0]
				if success != w.status {
					t.Errorf("%s: first status %d, want %d", op.ID, success, w.status)
				}
				if op.NotImplemented != (w.status == http.StatusMethodNotAllowed) {
					t.Errorf("%s: NotImplemented = %v", op.ID, op.NotImplemented)
				}
				if !slices.Equal(op.Roles, w.roles) {
					t.Errorf("%s: x-roles %v, want %v", op.ID, op.Roles, w.roles)
				}
				if name == "spark" && op.Op.Extensions["x-roles"] == nil {
					t.Errorf("%s: no x-roles extension", op.ID)
				}
			}
		})
	}
}

func TestSparkRolesAndAuth(t *testing.T) {
	api := spec.MustLoad("spark")
	writes := map[string]bool{"IDX": false, "Public": false, "VOW": true, "Portal": true, "Private": true}
	if len(api.Roles) != len(writes) {
		t.Fatalf("role catalog %v, want the five roles of the seed", api.Roles)
	}
	for role, w := range writes {
		if api.Roles[role].Writes != w {
			t.Errorf("role %s writes = %v, want %v", role, api.Roles[role].Writes, w)
		}
	}
	if !slices.Equal(api.Auth.Prefixes, []string{"Bearer", "OAuth"}) {
		t.Errorf("token prefixes %v", api.Auth.Prefixes)
	}
	for _, op := range api.Operations {
		// 405-only operations answer before any header is looked at
		// (issue 10), so they require none.
		want := []string{"X-Sparkapi-User-Agent"}
		if op.NotImplemented {
			want = nil
		}
		if !slices.Equal(op.PrecheckHeaders, want) {
			t.Errorf("%s: precheck headers %v, want %v", op.ID, op.PrecheckHeaders, want)
		}
	}
	if got := api.Allow("/listings/{ListingId}/shared/notes/contacts"); !slices.Equal(got, []string{"GET"}) {
		t.Errorf("Allow = %v", got)
	}
	if got := api.Allow("/listings/{ListingId}/shared/notes"); !slices.Equal(got, []string{"GET", "PUT", "DELETE"}) {
		t.Errorf("Allow = %v", got)
	}
	otc := spec.MustLoad("opentoclose")
	if otc.Auth.In != "query" || otc.Auth.Name != "api_token" || otc.BasePath != "/v1" {
		t.Errorf("opentoclose auth %+v base %q", otc.Auth, otc.BasePath)
	}
}

func TestCredential(t *testing.T) {
	spark := spec.MustLoad("spark").Auth
	otc := spec.MustLoad("opentoclose").Auth
	tests := []struct {
		name   string
		auth   *spec.Auth
		header string
		url    string
		want   string
	}{
		{"bearer", spark, "Bearer tok", "/", "tok"},
		{"oauth legacy prefix", spark, "OAuth tok", "/", "tok"},
		{"prefix case-insensitive", spark, "bearer tok", "/", "tok"},
		{"no prefix", spark, "tok", "/", ""},
		{"unknown prefix", spark, "Basic dG9r", "/", ""},
		{"query token", otc, "", "/?role=Buyer&api_token=abc", "abc"},
		{"query token missing", otc, "Bearer abc", "/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest(http.MethodGet, tt.url, nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			if got := tt.auth.Credential(r); got != tt.want {
				t.Errorf("Credential = %q, want %q", got, tt.want)
			}
		})
	}
}

// Both libraries must accept both documents without a single complaint.
func TestBothLibrariesAccept(t *testing.T) {
	for _, name := range spec.Bundled() {
		t.Run(name, func(t *testing.T) {
			data, err := spec.Embedded(name)
			if err != nil {
				t.Fatal(err)
			}
			loader := openapi3.NewLoader()
			doc, err := loader.LoadFromData(data)
			if err != nil {
				t.Fatalf("kin-openapi load: %v", err)
			}
			if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation(), openapi3.EnableSchemaFormatValidation()); err != nil {
				t.Fatalf("kin-openapi validate: %v", err)
			}
			libDoc, err := libopenapi.NewDocument(data)
			if err != nil {
				t.Fatalf("libopenapi: %v", err)
			}
			if _, err := libDoc.BuildV3Model(); err != nil {
				t.Fatalf("libopenapi model: %v", err)
			}
			if idx := libDoc.GetRolodex(); idx != nil {
				if errs := idx.GetCaughtErrors(); len(errs) > 0 {
					t.Fatalf("libopenapi index errors: %v", errs)
				}
			}
		})
	}
}

// Every example in both documents validates against the schema it sits
// beside; kin's Validate does this too, but this walk proves none is
// skipped and reports each failure by location.
func TestExamplesMatchSchemas(t *testing.T) {
	for _, name := range spec.Bundled() {
		t.Run(name, func(t *testing.T) {
			api := spec.MustLoad(name)
			count := 0
			check := func(where string, schema *openapi3.SchemaRef, value any) {
				t.Helper()
				count++
				if schema == nil || schema.Value == nil {
					t.Errorf("%s: example without a schema", where)
					return
				}
				if err := schema.Value.VisitJSON(value); err != nil {
					t.Errorf("%s: %v", where, err)
				}
			}
			content := func(where string, c openapi3.Content) {
				for mt, media := range c {
					if media.Example != nil {
						check(where+" "+mt+" example", media.Schema, media.Example)
					}
					for exName, ex := range media.Examples {
						check(fmt.Sprintf("%s %s examples.%s", where, mt, exName), media.Schema, ex.Value.Value)
					}
				}
			}
			for _, op := range api.Operations {
				where := op.Method + " " + op.Path
				for _, p := range append(slices.Clone(op.PathItem.Parameters), op.Op.Parameters...) {
					if p.Value.Example != nil {
						check(where+" parameter "+p.Value.Name, p.Value.Schema, p.Value.Example)
					}
				}
				if op.Op.RequestBody != nil {
					content(where+" request", op.Op.RequestBody.Value.Content)
				}
				for code, resp := range op.Op.Responses.Map() {
					content(where+" response "+code, resp.Value.Content)
				}
			}
			if count < 10 {
				t.Errorf("only %d examples walked; the seeds' examples are missing", count)
			}
		})
	}
}

// The seeds' own values are in the documents as examples.
func TestSeedExamplesPresent(t *testing.T) {
	for name, needles := range map[string][]string{
		"opentoclose": {"contact_id: 456", "Primary decision maker", "role: Buyer", "{id: 123}", "role: Seller"},
		"spark": {"20100815153524571646000000", "20100912536192756362000000",
			"willing to include hot tub.", "hot tub and washer/dryer."},
	} {
		raw := string(spec.MustLoad(name).Raw)
		for _, n := range needles {
			if !strings.Contains(raw, n) {
				t.Errorf("%s: seed example %q missing", name, n)
			}
		}
	}
}

func TestEnvelopeRender(t *testing.T) {
	tests := []struct {
		api    string
		kind   spec.Kind
		detail string
		fields map[string][]string
		status int
		body   string
	}{
		{"spark", spec.KindUnauthenticated, "", nil, 401,
			`{"D":{"Code":1000,"Message":"Invalid API key and/or request signed improperly","Success":false}}`},
		{"spark", spec.KindMissingField, "Note", nil, 400,
			`{"D":{"Code":1050,"Message":"Required parameter missing: Note","Success":false}}`},
		{"opentoclose", spec.KindNotFound, "", nil, 404, `{"message":"Not found"}`},
		{"opentoclose", spec.KindMissingField, "contact_id is required", map[string][]string{"contact_id": {"is required"}}, 400,
			`{"errors":{"contact_id":["is required"]},"message":"Bad request - a required field is missing: contact_id is required"}`},
		{"opentoclose", spec.KindUnsupportedMediaType, "", nil, 415, `{"message":"Content-Type must be application/json"}`},
	}
	for _, tt := range tests {
		t.Run(tt.api+"/"+string(tt.kind), func(t *testing.T) {
			status, body := spec.MustLoad(tt.api).Envelope.Render(tt.kind, tt.detail, tt.fields)
			if status != tt.status || string(body) != tt.body {
				t.Errorf("Render = %d %s, want %d %s", status, body, tt.status, tt.body)
			}
		})
	}
}

func TestParseRefusals(t *testing.T) {
	base := `openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
`
	tests := []struct{ name, doc, want string }{
		{"not yaml", "openapi: [", "cannot load"},
		{"swagger 2", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n", "OpenAPI 3.0"},
		{"broken ref", base + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/Missing'}\n", "Missing"},
		{"unknown error kind", base + "x-error-envelope: {kinds: {oops: {status: 400, message: x}}}\n", `unknown kind "oops"`},
		{"role not in catalog", `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      x-roles: [Ghost]
      responses: {"200": {description: ok}}
`, `"Ghost"`},
		{"bad example", base + `components:
  schemas:
    N: {type: integer, example: "nope"}
`, "example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := spec.Parse("t", "inline", []byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Parse error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestLoadFileAndCache(t *testing.T) {
	api, err := spec.LoadFile("petstore", "testdata/petstore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if api.Operation("listPets") == nil || api.Auth != nil || api.BasePath != "/api" {
		t.Errorf("petstore: ops %v auth %v base %q", api.Operations, api.Auth, api.BasePath)
	}
	if a, b := spec.MustLoad("spark"), spec.MustLoad("spark"); a != b {
		t.Error("Load parses a bundled spec more than once")
	}
	if _, err := spec.Load("nope"); err == nil || !strings.Contains(err.Error(), "opentoclose, spark") {
		t.Errorf("Load(nope) = %v", err)
	}
}

func ExampleLoad() {
	api, err := spec.Load("spark")
	if err != nil {
		panic(err)
	}
	for _, op := range api.PathOperations("/listings/{ListingId}/shared/notes") {
		fmt.Println(op.Method, op.ID, op.Roles, op.NotImplemented)
	}
	// Output:
	// GET getSharedNote [VOW Portal] false
	// POST postSharedNote [VOW Portal] true
	// PUT replaceSharedNote [VOW Portal] false
	// DELETE deleteSharedNote [VOW Portal] false
}

// A refused document says where it goes wrong when libopenapi can tell.
func TestLoadErrorLocates(t *testing.T) {
	doc := `openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A:
      $ref: '#/components/schemas/Missing'
`
	_, err := spec.Parse("t", "broken.yaml", []byte(doc))
	var le *spec.LoadError
	if !errors.As(err, &le) || len(le.Problems) == 0 {
		t.Fatalf("Parse error = %v, want a *spec.LoadError with located problems", err)
	}
	if p := le.Problems[0]; p.Line != 7 || !strings.Contains(p.Message, "Missing") {
		t.Errorf("problem %+v, want line 7 naming the missing component", p)
	}
	if !strings.Contains(err.Error(), "broken.yaml:7:") {
		t.Errorf("message %q does not show file:line", err)
	}
}
