package pact

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// specCase is one behaviour the Pact specification's test cases
// (pact-foundation/pact-specification, testcases/ on the version-2,
// version-3 and version-4 branches) establish for response matching,
// written once in a version-neutral form and run in the shape of every
// version that has it. Request-body cases that exercise matchers are
// included as responses where they do not depend on a request's
// stricter handling of unexpected keys.
type specCase struct {
	name string
	// since is the first specification with the case: 2, 3 or 4.
	since int
	// status, headers (a JSON object), body (a JSON value, "" for none)
	// and rules ({path: [matchers]} for the body, V3's shape) expected.
	status  int
	headers string
	body    string
	rules   string
	// headerRules is {name: [matchers]}.
	headerRules string
	// the answer
	aStatus  int
	aHeaders map[string]string
	aBody    string
	match    bool
	// want is part of the first mismatch's String() when !match.
	want string
}

var jsonCT = map[string]string{"Content-Type": "application/json"}

const alligator = `{"alligator":{"name":"Mary","feet":4,"favouriteColours":["red","blue"]}}`

var specCases = []specCase{
	// status
	{name: "status matches", since: 2, status: 202, aStatus: 202, match: true},
	{name: "different status", since: 2, status: 202, aStatus: 400, want: "expected 202 but was 400"},

	// headers
	{name: "empty headers", since: 2, headers: `{}`, match: true},
	{name: "header name is case-insensitive", since: 2, headers: `{"Accept":"alligators"}`, aHeaders: map[string]string{"ACCEPT": "alligators"}, match: true},
	{name: "header value is case-sensitive", since: 2, headers: `{"Accept":"alligators"}`, aHeaders: map[string]string{"Accept": "Alligators"}, want: `header Accept: expected "alligators" but was "Alligators"`},
	{name: "header by regex", since: 2, headers: `{"Accept":"alligators","Content-Type":"hippos"}`, headerRules: `{"Accept":[{"match":"regex","regex":"\\w+"}]}`,
		aHeaders: map[string]string{"Content-Type": "hippos", "Accept": "godzilla"}, match: true},
	{name: "header regex that fails", since: 2, headers: `{"Accept":"alligators"}`, headerRules: `{"Accept":[{"match":"regex","regex":"\\w+"}]}`,
		aHeaders: map[string]string{"Accept": "god zilla"}, want: `header Accept: expected a value matching /\w+/`},
	{name: "headers match", since: 2, headers: `{"Accept":"alligators","Content-Type":"hippos"}`, aHeaders: map[string]string{"Content-Type": "hippos", "Accept": "alligators"}, match: true},
	{name: "comma-separated values in another order", since: 2, headers: `{"Accept":"alligators, hippos"}`, aHeaders: map[string]string{"Accept": "hippos, alligators"}, want: "header Accept"},
	{name: "extra headers allowed", since: 2, headers: `{}`, aHeaders: map[string]string{"Accept": "alligators"}, match: true},
	{name: "whitespace after a comma ignored", since: 2, headers: `{"Accept":"alligators,hippos"}`, aHeaders: map[string]string{"Accept": "alligators, hippos"}, match: true},
	{name: "missing header", since: 2, headers: `{"X-Id":"1"}`, want: `header X-Id: expected "1" but the header was missing`},
	{name: "content type parameters differ", since: 3, headers: `{"Content-Type":"application/json; charset=UTF-16"}`,
		aHeaders: map[string]string{"Content-Type": "application/json; charset=UTF-8"}, want: "header Content-Type"},
	{name: "charset differs in case", since: 3, headers: `{"Accept":"application/json;charset=utf-8","Content-Type":"application/json;charset=utf-8"}`,
		aHeaders: map[string]string{"Accept": "application/json; charset=UTF-8", "Content-Type": "application/json; charset=UTF-8"}, match: true},
	{name: "answer adds a charset", since: 3, headers: `{"Content-Type":"application/json"}`, aHeaders: map[string]string{"Content-Type": "application/json; charset=UTF-8"}, match: true},
	{name: "content type parameters in another order", since: 3, headers: `{"Content-Type":"Text/x-Okie; charset=iso-8859-1;\n    declaration=\"<950118.AEB0@XIson.com>\""}`,
		aHeaders: map[string]string{"Content-Type": "Text/x-Okie; declaration=\"<950118.AEB0@XIson.com>\";\n    charset=iso-8859-1"}, match: true},

	// bodies: presence
	{name: "empty body", since: 2, body: `""`, aBody: "", match: true},
	{name: "null body expects no content", since: 2, body: `null`, aBody: "", match: true},
	{name: "no body expected, any answered", since: 2, aHeaders: jsonCT, aBody: alligator, match: true},
	{name: "non-empty body when an empty one is expected", since: 2, headers: `{"Content-Type":"application/json"}`, body: `null`,
		aHeaders: jsonCT, aBody: alligator, want: "expected an empty body but it had"},
	{name: "JSON expected, nothing answered", since: 2, body: `{"a":1}`, want: "$: expected {\"a\":1} (object) but the body was empty"},

	// bodies: equality where no rule applies
	{name: "bodies match", since: 2, body: alligator, aBody: `{"alligator":{"feet":4,"name":"Mary","favouriteColours":["red","blue"]}}`, match: true},
	{name: "top-level array", since: 2, body: `[{"dob":"06/10/2015","id":1014753708},{"dob":"06/10/2015","id":8858030303}]`,
		aBody: `[{"dob":"06/10/2015","id":1014753708},{"dob":"06/10/2015","id":8858030303}]`, match: true},
	{name: "array in another order", since: 2, body: `{"a":{"colours":["red","blue"]}}`, aBody: `{"a":{"colours":["blue","red"]}}`, want: `$.a.colours[0]: expected "red" (string) but was "blue" (string)`},
	{name: "nested objects with extra keys", since: 2, body: `{"o1":{"o2":{"o4":{"o5":{"name":"Mary","friends":["Fred","John"]},"o6":{"phone":1234567890}}}}}`,
		aBody: `{"o1":{"o2":{"o4":{"o5":{"name":"Mary","friends":["Fred","John"],"gender":"F"},"o6":{"phone":1234567890}}},"color":"red"}}`, match: true},
	{name: "different value at an index", since: 2, body: `{"a":{"c":["red","blue"]}}`, aBody: `{"a":{"c":["red","taupe"]}}`, want: "$.a.c[1]"},
	{name: "different value at a key", since: 2, body: `{"a":{"name":"Mary"}}`, aBody: `{"a":{"name":"Fred"}}`, want: `$.a.name: expected "Mary" (string) but was "Fred" (string)`},
	{name: "keys in another order", since: 2, body: `{"n":7,"c":["red","blue"]}`, aBody: `{"c":["red","blue"],"n":7}`, match: true},
	{name: "missing index", since: 2, body: `{"a":{"c":["red","blue"]}}`, aBody: `{"a":{"c":["red"]}}`, want: "$.a.c[1]: expected \"blue\" (string) but the array had no item here"},
	{name: "missing key", since: 2, body: `{"a":{"name":"Mary","age":3}}`, aBody: `{"a":{"age":3}}`, want: `$.a.name: expected "Mary" (string) but the key was missing`},
	{name: "not null where null expected", since: 2, body: `{"a":{"name":null}}`, aBody: `{"a":{"name":"Fred"}}`, want: "$.a.name"},
	{name: "not null in an array where null expected", since: 2, body: `{"n":["1",null,"3"]}`, aBody: `{"n":["1","2","3"]}`, want: "$.n[1]"},
	{name: "null where not null expected", since: 2, body: `{"a":{"name":"Mary"}}`, aBody: `{"a":{"name":null}}`, want: "$.a.name"},
	{name: "null in an array where not null expected", since: 2, body: `{"n":["1","2","3"]}`, aBody: `{"n":["1",null,"3"]}`, want: "$.n[1]"},
	{name: "number where a string is expected", since: 2, body: `{"a":{"feet":"4"}}`, aBody: `{"a":{"feet":4}}`, want: `$.a.feet: expected "4" (string) but was 4 (number)`},
	{name: "number in an array where strings are expected", since: 2, body: `{"n":["1","2","3"]}`, aBody: `{"n":["1",2,"3"]}`, want: "$.n[1]"},
	{name: "string where a number is expected", since: 2, body: `{"a":{"feet":4}}`, aBody: `{"a":{"feet":"4"}}`, want: "$.a.feet"},
	{name: "string in an array where numbers are expected", since: 2, body: `{"n":[1,2,3]}`, aBody: `{"n":[1,"2",3]}`, want: "$.n[1]"},
	{name: "objects in array: unexpected second element", since: 2, body: `[{"colour":"red"}]`, aBody: `[{"colour":"red","n":2},{"colour":"blue","n":2}]`, want: "$: expected 1 item(s) but had 2"},
	{name: "objects in array: properties on the wrong objects", since: 2, body: `[{"colour":"red"},{"n":2}]`, aBody: `[{"colour":"blue","n":4},{"colour":"red","n":2}]`, want: "$[0].colour"},
	{name: "objects in array: second matches", since: 2, body: `[{"colour":"red"}]`, aBody: `[{"colour":"blue","n":4},{"colour":"red","n":2}]`, want: "$[0].colour"},
	{name: "property names are case-sensitive", since: 2, body: `{"a":{"FavouriteColour":"red"}}`, aBody: `{"a":{"favouritecolour":"red"}}`, want: "$.a.FavouriteColour: expected \"red\" (string) but the key was missing"},
	{name: "unexpected index", since: 2, body: `{"c":["red","blue"]}`, aBody: `{"c":["red","blue","taupe"]}`, want: "$.c: expected 2 item(s) but had 3"},
	{name: "unexpected index with null", since: 2, body: `{"c":["red","blue"]}`, aBody: `{"c":["red","blue",null]}`, want: "$.c: expected 2 item(s) but had 3"},
	{name: "unexpected key", since: 2, body: `{"a":{"name":"Mary"}}`, aBody: `{"a":{"name":"Mary","phone":"12345678"}}`, match: true},
	{name: "unexpected key with null", since: 2, body: `{"a":{"name":"Mary"}}`, aBody: `{"a":{"name":"Mary","phone":null}}`, match: true},

	// bodies: rules
	{name: "wildcard type rule over extra keys", since: 2, body: `{"p":{"name":"Any name"}}`, rules: `{"$.p.*":[{"match":"type"}]}`,
		aBody: `{"p":{"name":"Jon","age":"39","nationality":"AU"}}`, match: true},
	{name: "wildcard type rule that fails", since: 2, body: `{"p":{"name":"Any name"}}`, rules: `{"$.p.*":[{"match":"type"}]}`,
		aBody: `{"p":{"name":39,"age":39}}`, want: `$.p.name: expected "Any name" (string) to match type but was 39 (number)`},
	{name: "top-level array by index rules", since: 2, body: `[{"dob":"06/11/2015","id":3380634027,"ts":"2015-06-11T13:17:29"},{"dob":"06/11/2015","id":1284270029,"ts":"2015-06-11T13:17:29"}]`,
		rules: `{"$[0].id":[{"match":"type"}],"$[1].id":[{"match":"type"}],"$[0].dob":[{"match":"regex","regex":"\\d{2}/\\d{2}/\\d{4}"}],"$[1].dob":[{"match":"regex","regex":"\\d{2}/\\d{2}/\\d{4}"}],"$[0].ts":[{"match":"regex","regex":"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}"}],"$[1].ts":[{"match":"regex","regex":"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}"}]}`,
		aBody: `[{"dob":"11/06/2015","id":1234567890,"ts":"2000-06-10T20:41:37"},{"dob":"12/10/2000","id":6677889900,"ts":"2015-06-10T22:98:78"}]`, match: true},
	{name: "type on array, regex on items", since: 2, body: `{"d":["29/10/2015"]}`, rules: `{"$.d":[{"match":"type"}],"$.d[*]":[{"match":"regex","regex":"\\d{2}/\\d{2}/\\d{4}"}]}`,
		aBody: `{"d":["01/11/2010","15/12/2014","30/06/2015"]}`, match: true},
	{name: "type on items only keeps the length", since: 2, body: `{"d":[10]}`, rules: `{"$.d[*]":[{"match":"type"}]}`,
		aBody: `{"d":[20,5,"100299"]}`, want: "$.d"},
	{name: "type on array and items", since: 2, body: `{"d":[10]}`, rules: `{"$.d":[{"match":"type"}],"$.d[*]":[{"match":"type"}]}`,
		aBody: `{"d":[20,5,1910]}`, match: true},
	{name: "rule path that does not apply leaves equality", since: 2, body: `[{"p":{"price":500.55}}]`, rules: `{"$.p.price":[{"match":"regex","regex":"\\d(\\.\\d{1,2})"}]}`,
		aBody: `[{"p":{"price":500.55}}]`, match: true},
	{name: "regex on a number", since: 2, body: alligator, rules: `{"$.alligator.feet":[{"match":"regex","regex":"[0-9]"}]}`,
		aBody: alligator, match: true},
	{name: "regex on a string", since: 2, body: alligator, rules: `{"$.alligator.name":[{"match":"regex","regex":"\\w+"}]}`,
		aBody: `{"alligator":{"feet":4,"name":"Harry","favouriteColours":["red","blue"]}}`, match: true},
	{name: "type rules on leaves", since: 2, body: alligator, rules: `{"$.alligator.name":[{"match":"type"}],"$.alligator.feet":[{"match":"type"}]}`,
		aBody: `{"alligator":{"feet":5,"name":"Harry the very hungry alligator","favouriteColours":["red","blue"]}}`, match: true},
	{name: "root and items typed", since: 2, body: `[{"name":"John Smith","age":50}]`, rules: `{"$":[{"match":"type"}],"$[*]":[{"match":"type"}]}`,
		aBody: `[{"name":"Peter","age":22,"gender":"Male"},{"name":"John","age":64}]`, match: true},
	{name: "items typed but keys differ", since: 2, body: `[{"Name":"John Smith","Age":50}]`, rules: `{"$[*]":[{"match":"type"}],"$[*].*":[{"match":"type"}]}`,
		aBody: `[{"name":"Peter","age":22},{}]`, want: "$[0].Age"},
	{name: "array shorter than min", since: 3, body: `{"animals":[{"name":"Fred"}]}`, rules: `{"$.animals":[{"min":2}]}`,
		aBody: `{"animals":[{"name":"Fred"}]}`, want: "$.animals: expected at least 2 item(s) but had 1"},
	{name: "each item like the example", since: 3, body: `{"animals":[{"name":"Fred"}]}`, rules: `{"$.animals":[{"min":1,"match":"type"}],"$.animals[*].*":[{"match":"type"}]}`,
		aBody: `{"animals":[{"name":"Mary"},{"name":"Susan"}]}`, match: true},
	{name: "an item not like the example", since: 3, body: `{"animals":[{"name":"Fred"}]}`, rules: `{"$.animals":[{"min":1,"match":"type"}],"$.animals[*].*":[{"match":"type"}]}`,
		aBody: `{"animals":[{"name":"Mary"},{"name":1}]}`, want: "$.animals[1].name"},
	{name: "nested arrays that match", since: 3, body: `{"animals":[{"name":"Fred","children":[{"age":9}]}]}`,
		rules: `{"$.animals":[{"min":1,"match":"type"}],"$.animals[*].*":[{"match":"type"}],"$.animals[*].children":[{"min":1,"match":"type"}],"$.animals[*].children[*].*":[{"match":"type"}]}`,
		aBody: `{"animals":[{"name":"Mary","children":[{"age":3},{"age":5},{"age":5456}]},{"name":"Jo","children":[{"age":0}]}]}`, match: true},
	{name: "nested arrays that do not match", since: 3, body: `{"animals":[{"name":"Fred","children":[{"age":9}]}]}`,
		rules: `{"$.animals":[{"min":1,"match":"type"}],"$.animals[*].*":[{"match":"type"}],"$.animals[*].children":[{"min":1}],"$.animals[*].children[*].*":[{"match":"type"}]}`,
		aBody: `{"animals":[{"name":"Mary","children":[{"age":"9"}]}]}`, want: "$.animals[0].children[0].age"},
	{name: "regex in every element", since: 3, body: `{"animals":[{"phone":"0415674567"}]}`,
		rules: `{"$.animals":[{"min":1,"match":"type"}],"$.animals[*].*":[{"match":"type"}],"$.animals[*].phone":[{"match":"regex","regex":"\\d+"}]}`,
		aBody: `{"animals":[{"phone":"333"},{"phone":"983479823479283478923"}]}`, match: true},
	{name: "regex that fails in one element", since: 3, body: `{"animals":[{"phone":"0415674567"}]}`,
		rules: `{"$.animals":[{"min":1,"match":"type"}],"$.animals[*].*":[{"match":"type"}],"$.animals[*].phone":[{"match":"regex","regex":"\\d+"}]}`,
		aBody: `{"animals":[{"phone":"333"},{"phone":"abc"}]}`, want: `$.animals[1].phone: expected a value matching /\d+/ but was "abc" (string)`},
	{name: "bracket notation", since: 3, body: `{"2":{"str":"jildrdmxddnVzcQZfjCA"}}`, rules: `{"$['2'].str":[{"match":"regex","regex":"\\w+"}]}`,
		aBody: `{"2":{"str":"saldfhksajdhffdskkjh"}}`, match: true},
	{name: "regex by index", since: 3, body: alligator, rules: `{"$.alligator.favouriteColours[0]":[{"match":"regex","regex":"red|blue"}],"$.alligator.favouriteColours[1]":[{"match":"regex","regex":"red|blue"}]}`,
		aBody: `{"alligator":{"feet":4,"name":"Mary","favouriteColours":["blue","red"]}}`, match: true},

	// plain text
	{name: "plain text that matches", since: 2, headers: `{"Content-Type":"text/plain"}`, body: `"alligator named mary"`,
		aHeaders: map[string]string{"Content-Type": "text/plain"}, aBody: "alligator named mary", match: true},
	{name: "plain text that does not match", since: 2, headers: `{"Content-Type":"text/plain"}`, body: `"alligator named mary"`,
		aHeaders: map[string]string{"Content-Type": "text/plain"}, aBody: "alligator named fred", want: `$: expected "alligator named mary" (string) but was "alligator named fred" (string)`},
	{name: "plain text by regex", since: 3, headers: `{"Content-Type":"text/plain"}`, body: `"alligator named mary"`, rules: `{"$":[{"match":"regex","regex":"alligator.*"}]}`,
		aHeaders: map[string]string{"Content-Type": "text/plain"}, aBody: "alligator named brent", match: true},
	{name: "plain text regex must match all of it", since: 3, headers: `{"Content-Type":"text/plain"}`, body: `"alligator named mary"`, rules: `{"$":[{"match":"regex","regex":"alligator named .{4}"}]}`,
		aHeaders: map[string]string{"Content-Type": "text/plain"}, aBody: "alligator named brent", want: "expected a value matching /alligator named .{4}/"},
	{name: "plain text regex with no body", since: 3, headers: `{"Content-Type":"text/plain"}`, body: `"alligator named mary"`, rules: `{"$":[{"match":"regex","regex":"alligator named .{4}"}]}`,
		aHeaders: map[string]string{"Content-Type": "text/plain"}, want: "expected a body but it was empty"},
	{name: "plain text empty body", since: 3, headers: `{"Content-Type":"text/plain"}`, body: `""`, aHeaders: map[string]string{"Content-Type": "text/plain"}, match: true},
	{name: "plain text, no body expected", since: 3, headers: `{"Content-Type":"text/plain"}`, aHeaders: map[string]string{"Content-Type": "text/plain"}, aBody: "anything", match: true},
}

// pactFor writes the case as a pact of the given version.
func (c specCase) pactFor(t *testing.T, version int) string {
	t.Helper()
	resp := map[string]any{}
	if c.status != 0 {
		resp["status"] = c.status
	}
	headers := map[string]any{}
	if c.headers != "" {
		mustUnmarshal(t, c.headers, &headers)
		resp["headers"] = headers
	}
	if c.body != "" {
		resp["body"] = c.bodyFor(t, version, headers)
	}
	if rules := c.rulesFor(t, version); rules != nil {
		resp["matchingRules"] = rules
	}
	meta := map[int]string{2: V2, 3: V3, 4: V4}[version]
	doc := map[string]any{
		"consumer": map[string]any{"name": "c"}, "provider": map[string]any{"name": "p"},
		"metadata":     map[string]any{"pactSpecification": map[string]any{"version": meta}},
		"interactions": []any{map[string]any{"description": c.name, "request": map[string]any{"path": "/"}, "response": resp}},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (c specCase) bodyFor(t *testing.T, version int, headers map[string]any) any {
	var body any
	mustUnmarshal(t, c.body, &body)
	if version < 4 {
		return body
	}
	ct, _ := headers["Content-Type"].(string)
	if ct == "" {
		ct = "application/json"
	}
	if body == nil {
		return map[string]any{"content": nil}
	}
	return map[string]any{"content": body, "contentType": ct, "encoded": false}
}

// rulesFor writes the rules in V2's flat shape or V3/V4's categories.
func (c specCase) rulesFor(t *testing.T, version int) map[string]any {
	var body, header map[string][]map[string]any
	if c.rules != "" {
		mustUnmarshal(t, c.rules, &body)
	}
	if c.headerRules != "" {
		mustUnmarshal(t, c.headerRules, &header)
	}
	if body == nil && header == nil {
		return nil
	}
	out := map[string]any{}
	if version == 2 {
		for path, ms := range body {
			out["$.body"+strings.TrimPrefix(path, "$")] = ms[0]
		}
		for name, ms := range header {
			out["$.headers."+name] = ms[0]
		}
		return out
	}
	cat := func(rules map[string][]map[string]any) map[string]any {
		m := map[string]any{}
		for path, ms := range rules {
			m[path] = map[string]any{"matchers": ms}
		}
		return m
	}
	if body != nil {
		out["body"] = cat(body)
	}
	if header != nil {
		out["header"] = cat(header)
	}
	return out
}

func mustUnmarshal(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
}

func (c specCase) actual() Actual {
	a := Actual{Status: c.aStatus, Header: http.Header{}, Body: []byte(c.aBody)}
	if a.Status == 0 {
		a.Status = 200
	}
	for k, v := range c.aHeaders {
		a.Header[k] = []string{v} // kept as sent, not canonicalised
	}
	return a
}

func TestCompareSpecificationCases(t *testing.T) {
	runs := 0
	for _, c := range specCases {
		for version := c.since; version <= 4; version++ {
			t.Run(fmt.Sprintf("V%d/%s", version, c.name), func(t *testing.T) {
				f, err := Parse([]byte(c.pactFor(t, version)))
				if err != nil {
					t.Fatal(err)
				}
				got := Compare(f.Interactions[0].Response, c.actual())
				if c.match {
					if len(got) > 0 {
						t.Fatalf("want a match, got %v", got)
					}
					return
				}
				if len(got) == 0 {
					t.Fatal("want a mismatch, got none")
				}
				if !strings.Contains(got[0].String(), c.want) {
					t.Errorf("first mismatch %q, want it to contain %q (all: %v)", got[0].String(), c.want, got)
				}
			})
			runs++
		}
	}
	t.Logf("%d cases, %d runs across specification versions", len(specCases), runs)
}
