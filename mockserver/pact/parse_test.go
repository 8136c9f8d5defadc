package pact

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func mustRead(t *testing.T, name string) *File {
	t.Helper()
	f, err := ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestParseV2(t *testing.T) {
	f := mustRead(t, "v2.json")
	if f.Version != V2 || f.Consumer != "notes-app" || f.Provider != "spark" || len(f.Interactions) != 1 {
		t.Fatalf("file = %+v", f)
	}
	if _, ok := f.Metadata["pactSpecification"]; ok || f.Metadata["pact-js"] == nil {
		t.Errorf("metadata = %v, want pact-js kept and pactSpecification dropped", f.Metadata)
	}
	it := f.Interactions[0]
	if it.Type != HTTPInteraction || it.Skip != "" || !reflect.DeepEqual(it.States, []ProviderState{{Name: "a listing with notes"}}) {
		t.Errorf("interaction = %+v", it)
	}
	if it.Request.Method != "GET" || it.Request.Path != "/v1/listings/20100101/notes" {
		t.Errorf("request = %s %s", it.Request.Method, it.Request.Path)
	}
	wantQuery := map[string][]string{"_limit": {"10"}, "_page": {"1"}, "tag": {"a", "b"}}
	if !reflect.DeepEqual(it.Request.Query, wantQuery) {
		t.Errorf("query = %v, want %v", it.Request.Query, wantQuery)
	}
	if got := it.Request.Headers["X-SparkApi-User-Agent"]; !reflect.DeepEqual(got, []string{"notes-app"}) {
		t.Errorf("header = %v", got)
	}
	r := it.Response
	if r.Status != 200 || !r.Body.Present || string(r.Body.JSON) != `{"D":{"Success":true,"Results":[{"Id":"1","Note":"hi"}]}}` {
		t.Errorf("response = %d %+v", r.Status, r.Body)
	}
	wantRules := Rules{
		"body": {
			"$.D.Results":         {Matchers: []Matcher{{"min": float64(1), "match": "type"}}},
			"$.D.Results[*].Id":   {Matchers: []Matcher{{"match": "regex", "regex": `\d+`}}},
			"$.D.Results[*].Note": {Matchers: []Matcher{{"match": "type"}}},
		},
		"header": {
			"Content-Type": {Matchers: []Matcher{{"match": "regex", "regex": "application/json.*"}}},
			"X-Request-Id": {Matchers: []Matcher{{"match": "type"}}},
		},
		"query": {"tag": {Matchers: []Matcher{{"match": "type"}}}},
	}
	if !reflect.DeepEqual(r.Rules, wantRules) {
		t.Errorf("rules =\n%v\nwant\n%v", r.Rules, wantRules)
	}
}

func TestParseV3(t *testing.T) {
	f := mustRead(t, "v3.json")
	if f.Version != V3 || len(f.Interactions) != 3 {
		t.Fatalf("version %s, %d interactions", f.Version, len(f.Interactions))
	}
	it := f.Interactions[0]
	want := []ProviderState{{Name: "a property", Params: map[string]any{"id": float64(42), "name": "x"}}}
	if !reflect.DeepEqual(it.States, want) {
		t.Errorf("states = %v", it.States)
	}
	if !reflect.DeepEqual(it.Request.Query, map[string][]string{"api_token": {"t"}}) {
		t.Errorf("query = %v", it.Request.Query)
	}
	if string(it.Request.Body.JSON) != `{"contact_id":7}` || it.Request.Body.ContentType != "application/json; charset=utf-8" {
		t.Errorf("request body = %+v", it.Request.Body)
	}
	if g := it.Request.Generators; g["path"][""]["type"] != "ProviderState" || g["body"]["$.contact_id"]["max"] != float64(9) {
		t.Errorf("generators = %v", g)
	}
	rules := it.Response.Rules
	if rs := rules["body"]["$.contact_id"]; rs.Combine != "OR" || len(rs.Matchers) != 2 {
		t.Errorf("combined rule = %+v", rs)
	}
	if rs := rules["path"][""]; len(rs.Matchers) != 1 || rs.Matchers[0]["match"] != "regex" {
		t.Errorf("path rule = %+v", rules["path"])
	}
	text := f.Interactions[1].Response.Body
	if string(text.Raw) != "ok" || text.JSON != nil || text.ContentType != "text/plain" {
		t.Errorf("text body = %+v", text)
	}
	msg := f.Interactions[2]
	if msg.Skip == "" || msg.Description != "a note was added" || msg.Type == HTTPInteraction {
		t.Errorf("message = %+v, want it skipped", msg)
	}
}

func TestParseV4(t *testing.T) {
	f := mustRead(t, "v4.json")
	if f.Version != V4 || len(f.Interactions) != 3 {
		t.Fatalf("version %s, %d interactions", f.Version, len(f.Interactions))
	}
	it := f.Interactions[0]
	if it.Key != "abc123" || !it.Pending || it.Skip != "" {
		t.Errorf("interaction = %+v", it)
	}
	if got := it.Request.Headers["Accept"]; !reflect.DeepEqual(got, []string{"application/json", "text/plain"}) {
		t.Errorf("accept = %v", got)
	}
	if string(it.Request.Body.JSON) != `{"D":{"Note":"x"}}` {
		t.Errorf("request body = %s", it.Request.Body.JSON)
	}
	if got := string(it.Response.Body.JSON); got != `{"D":{"Code":1017}}` {
		t.Errorf("base64 body = %s", got)
	}
	if rs := it.Response.Rules["status"][""]; len(rs.Matchers) != 1 || rs.Matchers[0]["status"] != "clientError" {
		t.Errorf("status rule = %v", it.Response.Rules["status"])
	}
	if msg := f.Interactions[1]; msg.Skip == "" || msg.Type != "Asynchronous/Messages" {
		t.Errorf("message = %+v, want skipped", msg)
	}
	if bin := f.Interactions[2].Response.Body; !reflect.DeepEqual(bin.Raw, []byte{0, 1, 2}) || bin.ContentType != "image/png" {
		t.Errorf("binary body = %+v", bin)
	}
}

func TestParseBodies(t *testing.T) {
	const head = `{"metadata":{"pactSpecification":{"version":"%s"}},"interactions":[{"description":"d","request":{"method":"GET","path":"/"},"response":{`
	cases := []struct {
		name, version, response string
		want                    Body
	}{
		{"no body", "2.0.0", `"status":200`, Body{}},
		{"null body", "2.0.0", `"body":null`, Body{Present: true}},
		{"empty string", "3.0.0", `"body":""`, Body{Present: true}},
		{"JSON text in a JSON string", "3.0.0", `"headers":{"Content-Type":"application/json"},"body":"{\"a\": 1}"`,
			Body{Present: true, ContentType: "application/json", JSON: []byte(`{"a":1}`)}},
		{"plain string with JSON type", "3.0.0", `"headers":{"Content-Type":"application/json"},"body":"hello"`,
			Body{Present: true, ContentType: "application/json", JSON: []byte(`"hello"`)}},
		{"text without type", "2.0.0", `"body":"hello"`, Body{Present: true, Raw: []byte("hello")}},
		{"array without type", "2.0.0", `"body":[1, 2]`, Body{Present: true, ContentType: "application/json", JSON: []byte(`[1,2]`)}},
		{"V4 text", "4.0", `"body":{"content":"<a/>","contentType":"application/xml","encoded":false}`,
			Body{Present: true, ContentType: "application/xml", Raw: []byte("<a/>")}},
		{"V4 encoded json", "4.0", `"body":{"content":{"a":[true]},"contentType":"application/vnd.x+json","encoded":"json"}`,
			Body{Present: true, ContentType: "application/vnd.x+json", JSON: []byte(`{"a":[true]}`)}},
		{"V4 plain object", "4.0", `"body":{"a":1}`, Body{Present: true, ContentType: "application/json", JSON: []byte(`{"a":1}`)}},
		{"V4 empty content", "4.0", `"body":{"content":"","contentType":"text/plain"}`, Body{Present: true, ContentType: "text/plain"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := strings.Replace(head, "%s", c.version, 1) + c.response + `}}]}`
			f, err := Parse([]byte(data))
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Interactions[0].Response.Body; !reflect.DeepEqual(got, c.want) {
				t.Errorf("body = %+v (%s), want %+v (%s)", got, got.JSON, c.want, c.want.JSON)
			}
		})
	}
}

func TestParseVersions(t *testing.T) {
	cases := []struct{ meta, want string }{
		{`{}`, V2},
		{`{"pactSpecification":{"version":"1.0.0"}}`, V2},
		{`{"pact-specification":{"version":"1.1.0"}}`, V2},
		{`{"pactSpecificationVersion":"3.0.0"}`, V3},
		{`{"pactSpecification":{"version":"4.0"}}`, V4},
		{`{"pactSpecification":{"version":"v3"}}`, V3},
	}
	for _, c := range cases {
		f, err := Parse([]byte(`{"interactions":[],"metadata":` + c.meta + `}`))
		if err != nil || f.Version != c.want {
			t.Errorf("metadata %s: version %v, err %v; want %s", c.meta, f, err, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	interaction := func(s string) string { return `{"interactions":[` + s + `]}` }
	cases := []struct{ name, data, want string }{
		{"not JSON", `{"interactions": [`, "not a pact: invalid JSON at line 1"},
		{"not an object", `[1,2]`, "not a pact"},
		{"no interactions", `{"consumer":{"name":"a"}}`, `not a pact: no "interactions"`},
		{"interactions not an array", `{"interactions":{}}`, "interactions must be an array"},
		{"version 5", `{"interactions":[],"metadata":{"pactSpecification":{"version":"5.0.0"}}}`, `pact specification "5.0.0" is not supported`},
		{"no response", interaction(`{"description":"d","request":{}}`), `interaction 0: "d": an HTTP interaction needs a "request" and a "response"`},
		{"bad status", interaction(`{"description":"d","request":{},"response":{"status":9000}}`), "status 9000 is not an HTTP status"},
		{"bad header", interaction(`{"description":"d","request":{"headers":{"A":1}},"response":{}}`), `request: headers: "A" must be a string or an array of strings`},
		{"bad query", interaction(`{"description":"d","request":{"query":"a=%zz"},"response":{}}`), `query string "a=%zz"`},
		{"bad combine", interaction(`{"description":"d","request":{},"response":{"matchingRules":{"body":{"$.a":{"combine":"XOR","matchers":[]}}}}}`), `combine "XOR" is neither AND nor OR`},
		{"matcher without kind", interaction(`{"description":"d","request":{},"response":{"matchingRules":{"body":{"$.a":{"matchers":[{"value":1}]}}}}}`), `no "match" naming its kind`},
		{"bad V2 rule path", interaction(`{"description":"d","request":{},"response":{"matchingRules":{"$.cookies.a":{"match":"type"}}}}`), `"$.cookies.a": a V2 rule path starts with`},
		{"bad base64", `{"metadata":{"pactSpecification":{"version":"4.0"}},"interactions":[{"description":"d","request":{},"response":{"body":{"content":"!!","encoded":"base64"}}}]}`, "content is not base64"},
		{"bad generator", interaction(`{"description":"d","request":{"generators":{"body":{"$.a":{"min":1}}}},"response":{}}`), `body "$.a": a generator is an object with a "type"`},
		{"too deep", `{"interactions":` + strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1) + `}`, "nested deeper than 256 levels"},
		{"too big", string(make([]byte, MaxSize+1)), "input is over 64 MiB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestParseDepthInStrings(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth*2)
	data := `{"interactions":[{"description":"` + deep + `","request":{},"response":{}}]}`
	if _, err := Parse([]byte(data)); err != nil {
		t.Fatalf("brackets inside a string counted as nesting: %v", err)
	}
}

func TestReadFileNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(bad)
	if err == nil || !strings.Contains(err.Error(), bad) || !errors.Is(err, ErrNotPact) {
		t.Errorf("err = %v, want it to name %s and wrap ErrNotPact", err, bad)
	}
	_, err = ReadFile(filepath.Join(dir, "missing.json"))
	if err == nil || !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("err = %v, want not-exist naming the file", err)
	}
}
