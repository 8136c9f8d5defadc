package spec_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"

	"github.com/realestate-mocks/mockserver/spec"
)

// walk calls fn on every mapping of a document, with its JSON-pointer-ish
// location, so a rule about schemas reaches inline ones too.
func walk(t *testing.T, name string, fn func(where string, node map[string]any)) {
	t.Helper()
	data, err := spec.Embedded(name)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var visit func(where string, v any)
	visit = func(where string, v any) {
		switch n := v.(type) {
		case map[string]any:
			fn(where, n)
			for k, child := range n {
				visit(where+"/"+k, child)
			}
		case []any:
			for i, child := range n {
				visit(fmt.Sprintf("%s/%d", where, i), child)
			}
		}
	}
	visit("", doc)
}

// ECMA-262 tools (Specmatic) read a pattern whose first character, after
// an anchor, is an unescaped "/" as a /regex/ literal and refuse it.
func TestNoPatternStartsWithASlash(t *testing.T) {
	leading := regexp.MustCompile(`^\^?/`)
	for _, name := range spec.Bundled() {
		n := 0
		walk(t, name, func(where string, node map[string]any) {
			p, ok := node["pattern"].(string)
			if !ok {
				return
			}
			n++
			if leading.MatchString(p) {
				t.Errorf("%s %s: pattern %q starts with an unescaped /; write \\/", name, where, p)
			}
			if _, err := regexp.Compile(p); err != nil {
				t.Errorf("%s %s: pattern %q is not RE2: %v", name, where, p, err)
			}
		})
		if n == 0 {
			t.Errorf("%s: no pattern found: the walk is broken", name)
		}
	}
}

// Generators send the largest value a schema admits; without a maximum
// that is a 20-digit number the server refuses.
func TestEveryIntegerHasAMaximum(t *testing.T) {
	for _, name := range spec.Bundled() {
		n := 0
		walk(t, name, func(where string, node map[string]any) {
			if node["type"] != "integer" {
				return
			}
			n++
			if _, ok := node["maximum"]; !ok {
				t.Errorf("%s %s: an integer without a maximum", name, where)
			}
		})
		if n == 0 {
			t.Errorf("%s: no integer found: the walk is broken", name)
		}
	}
}

// The server answers a 405-only operation before it looks at a header or
// a credential, so the document must not ask for either.
func TestNotImplementedOperationsAskForNothing(t *testing.T) {
	for _, name := range spec.Bundled() {
		api := spec.MustLoad(name)
		for _, op := range api.Operations {
			if !op.NotImplemented {
				if !op.Secured {
					t.Errorf("%s %s: an implemented operation without security", name, op.ID)
				}
				continue
			}
			if op.Op.Security == nil || len(*op.Op.Security) != 0 || op.Secured {
				t.Errorf("%s %s: a 405-only operation must declare security: []", name, op.ID)
			}
			for _, params := range []openapi3.Parameters{op.PathItem.Parameters, op.Op.Parameters} {
				for _, p := range params {
					if p.Value.In == openapi3.ParameterInHeader && p.Value.Required {
						t.Errorf("%s %s: a 405-only operation requires header %s", name, op.ID, p.Value.Name)
					}
				}
			}
		}
	}
}

// Every link names a real operation, gives each of its path parameters,
// and takes values from what the source operation really has. An
// operation that writes a resource links to every implemented operation
// on that resource's path, so stateful testers chain instead of guessing.
func TestLinks(t *testing.T) {
	for _, name := range spec.Bundled() {
		api := spec.MustLoad(name)
		for _, op := range api.Operations {
			for status, ref := range op.Op.Responses.Map() {
				for linkName, l := range ref.Value.Links {
					checkLink(t, api, op, status, linkName, l.Value)
				}
			}
			if op.NotImplemented || (op.Method != http.MethodPost && op.Method != http.MethodPut) {
				continue
			}
			for _, target := range resourceOperations(api, op) {
				if !linksTo(op, target.ID) {
					t.Errorf("%s %s: no link to %s (%s %s)", name, op.ID, target.ID, target.Method, target.Path)
				}
			}
		}
	}
}

// resourceOperations are the implemented reads and writes of what op
// writes: the item path below a POST's collection, or a PUT's own path.
func resourceOperations(api *spec.API, op *spec.Operation) []*spec.Operation {
	var out []*spec.Operation
	for _, other := range api.Operations {
		if other == op || other.NotImplemented || other.Method == http.MethodPost {
			continue
		}
		item := other.Path == op.Path && op.Method == http.MethodPut && other.Method != http.MethodPut
		below := op.Method == http.MethodPost && strings.HasPrefix(other.Path, op.Path+"/{") && strings.Count(other.Path[len(op.Path)+1:], "/") == 0
		if item || below {
			out = append(out, other)
		}
	}
	return out
}

func linksTo(op *spec.Operation, id string) bool {
	for _, ref := range op.Op.Responses.Map() {
		for _, l := range ref.Value.Links {
			if l.Value.OperationID == id {
				return true
			}
		}
	}
	return false
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

func checkLink(t *testing.T, api *spec.API, from *spec.Operation, status, name string, l *openapi3.Link) {
	t.Helper()
	where := fmt.Sprintf("%s %s %s link %s", api.Name, from.ID, status, name)
	target := api.Operation(l.OperationID)
	if target == nil {
		t.Errorf("%s: no operation %q", where, l.OperationID)
		return
	}
	var want []string
	for _, m := range pathParam.FindAllStringSubmatch(target.Path, -1) {
		want = append(want, m[1])
	}
	var got []string
	for param, expr := range l.Parameters {
		got = append(got, param)
		s, _ := expr.(string)
		switch {
		case strings.HasPrefix(s, "$request.path."):
			if !strings.Contains(from.Path, "{"+strings.TrimPrefix(s, "$request.path.")+"}") {
				t.Errorf("%s: %s = %s, which %s's path does not have", where, param, s, from.ID)
			}
		case strings.HasPrefix(s, "$response.body#/"):
			field := strings.TrimPrefix(s, "$response.body#/")
			media := from.Op.Responses.Value(status).Value.Content.Get("application/json")
			if media == nil || media.Schema.Value.Properties[field] == nil {
				t.Errorf("%s: %s = %s, which the %s answer does not carry", where, param, s, status)
			}
		default:
			t.Errorf("%s: %s = %v, want a $request.path or $response.body expression", where, param, expr)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%s: gives %v, %s takes %v", where, got, target.ID, want)
	}
}
