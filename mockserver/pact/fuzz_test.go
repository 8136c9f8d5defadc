package pact

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds Parse broken, huge and deeply nested input: it must
// answer a File or an error, never panic, and what it reads must survive
// Marshal and a second Parse.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"v2.json", "v3.json", "v4.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"interactions":[{"request":{"body":"\u0000"},"response":{"body":{"content":null}}}]}`))
	f.Add([]byte(`{"interactions":` + strings.Repeat("[", 300) + `}`))
	f.Add([]byte(`{"metadata":{"pactSpecification":{"version":"4.0"}},"interactions":[{"type":"Synchronous/HTTP","request":{},"response":{"body":{"encoded":true,"content":"e30="},"matchingRules":{"$.body":{}}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			return
		}
		// What Parse accepts, Marshal writes and Parse reads again.
		out, err := file.Marshal()
		if err != nil {
			return // a body marked JSON that is not, say: refused, not written
		}
		if _, err := Parse(out); err != nil {
			t.Fatalf("Parse(Marshal()) failed: %v\n%s", err, out)
		}
	})
}

// FuzzCompare feeds Compare arbitrary rules, examples and answers: it
// must report mismatches or none, never panic or hang.
func FuzzCompare(f *testing.F) {
	f.Add(`{"$.a":{"matchers":[{"match":"type","min":1}]},"$.a[*].b":{"matchers":[{"match":"regex","regex":"\\d+"}]}}`, `{"a":[{"b":"1"}]}`, `{"a":[{"b":"2"},{"b":"x"}]}`)
	f.Add(`{"$":{"matchers":[{"match":"eachValue","rules":[{"match":"date","format":"yyyy-MM-dd[ HH:mm]"}]}]}}`, `{"k":"2020-01-01"}`, `{"k":"2020-02-30","j":1}`)
	f.Add(`{"$.l":{"matchers":[{"match":"arrayContains","variants":[{"index":3,"rules":{"$.x[":{}}}]}]}}`, `{"l":[1]}`, `{"l":{}}`)
	f.Add(`{"$['a b'].*":{"combine":"OR","matchers":[{"match":"null"},{"match":"semver"},{"match":"statusCode","status":[200]}]}}`, `{"a b":{"c":1e999999999}}`, `{"a b":{"c":null}}`)
	f.Fuzz(func(t *testing.T, rules, expected, actual string) {
		var sets map[string]RuleSet
		if json.Unmarshal([]byte(rules), &sets) != nil {
			sets = nil
		}
		r := Response{Status: 200, Body: Body{Present: true, JSON: json.RawMessage(expected)}, Rules: Rules{"body": sets}}
		for _, m := range Compare(r, Actual{Status: 200, Body: []byte(actual)}) {
			if m.Where == "" || m.Message == "" {
				t.Fatalf("mismatch without a place or a message: %#v", m)
			}
		}
	})
}
