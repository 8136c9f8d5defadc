package spec_test

import (
	"maps"
	"os"
	"regexp"
	"testing"

	"github.com/realestate-mocks/mockserver/spec"
)

func loadTestdata(t testing.TB, name, file string) *spec.API {
	t.Helper()
	data, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	api, err := spec.Parse(name, file, data)
	if err != nil {
		t.Fatal(err)
	}
	return api
}

func TestMatchPath(t *testing.T) {
	api := loadTestdata(t, "routes", "routes.yaml")
	tests := []struct {
		path     string
		template string // "" for no match
		params   map[string]string
	}{
		{"/api/v2/things", "/things", nil},
		{"/api/v2/things/mine", "/things/mine", nil}, // a literal segment beats a parameter
		{"/api/v2/things/42", "/things/{id}", map[string]string{"id": "42"}},
		{"/api/v2/things/a%2Fb", "/things/{id}", map[string]string{"id": "a/b"}},
		{"/api/v2/things/42/parts/x", "/things/{id}/parts/{part}", map[string]string{"id": "42", "part": "x"}},
		{"/api/v2/files/report.json", "/files/{name}.json", map[string]string{"name": "report"}},
		{"/api/v2/files/report.xml", "", nil},
		{"/api/v2/things/", "", nil}, // an empty parameter is no parameter
		{"/api/v2/things//parts/x", "", nil},
		{"/api/v2", "", nil},
		{"/api/v2things", "", nil},
		{"/things/42", "", nil}, // the base path is part of the path
		{"/api/v2/things/42/parts", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			m, ok := api.MatchPath(tt.path)
			if ok != (tt.template != "") || m.Template != tt.template || !maps.Equal(m.Params, tt.params) {
				t.Errorf("MatchPath(%q) = %+v, %v; want %q %v", tt.path, m, ok, tt.template, tt.params)
			}
		})
	}
}

// The contract matchers find the operation whatever prefix a backend
// serves the API under.
func TestMatchPathSuffix(t *testing.T) {
	api := loadTestdata(t, "routes", "routes.yaml")
	tests := []struct {
		path, template string
		params         map[string]string
	}{
		{"/anything/v9/things/7", "/things/{id}", map[string]string{"id": "7"}},
		{"/things/7/parts/3", "/things/{id}/parts/{part}", map[string]string{"id": "7", "part": "3"}},
		{"/mount/things/mine", "/things/mine", nil},
		{"/mount/thing", "", nil},
	}
	for _, tt := range tests {
		m, ok := api.MatchPathSuffix(tt.path)
		if ok != (tt.template != "") || m.Template != tt.template || !maps.Equal(m.Params, tt.params) {
			t.Errorf("MatchPathSuffix(%q) = %+v, %v; want %q %v", tt.path, m, ok, tt.template, tt.params)
		}
	}
}

// MatchPath parses whatever path a client sends: it must never panic, and
// what it binds must come from the path.
func FuzzMatchPath(f *testing.F) {
	api := loadTestdata(f, "routes", "routes.yaml")
	for _, seed := range []string{"/api/v2/things/1", "/api/v2/files/a.json", "/api/v2/things/%zz", "//", ""} {
		f.Add(seed)
	}
	param := regexp.MustCompile(`\{([^}]+)\}`)
	f.Fuzz(func(t *testing.T, path string) {
		for _, match := range []func(string) (spec.PathMatch, bool){api.MatchPath, api.MatchPathSuffix} {
			m, ok := match(path)
			if !ok {
				continue
			}
			names := param.FindAllStringSubmatch(m.Template, -1)
			if len(names) != len(m.Params) {
				t.Fatalf("%q matched %s with params %v", path, m.Template, m.Params)
			}
			for _, n := range names {
				if _, bound := m.Params[n[1]]; !bound {
					t.Fatalf("%q matched %s without binding %s", path, m.Template, n[1])
				}
			}
		}
	})
}
