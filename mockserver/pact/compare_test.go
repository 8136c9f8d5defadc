package pact

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// bodyResponse builds a response expecting body with V3/V4 body rules
// ({path: ruleset}).
func bodyResponse(t *testing.T, body, rules string) Response {
	t.Helper()
	r := Response{Status: 200, Body: Body{Present: true, ContentType: "application/json", JSON: json.RawMessage(body)}}
	if rules != "" {
		var sets map[string]RuleSet
		mustUnmarshal(t, rules, &sets)
		r.Rules = Rules{"body": sets}
	}
	return r
}

func TestCompareMatchers(t *testing.T) {
	cases := []struct {
		name, rules, expected, actual string
		want                          string // "" for a match, else part of the first mismatch
	}{
		{"integer", `{"$.n":{"matchers":[{"match":"integer"}]}}`, `{"n":1}`, `{"n":42}`, ""},
		{"integer refuses a decimal", `{"$.n":{"matchers":[{"match":"integer"}]}}`, `{"n":1}`, `{"n":4.2}`, "$.n: expected an integer but was 4.2 (number)"},
		{"integer refuses a string", `{"$.n":{"matchers":[{"match":"integer"}]}}`, `{"n":1}`, `{"n":"1"}`, `expected an integer but was "1" (string)`},
		{"decimal", `{"$.n":{"matchers":[{"match":"decimal"}]}}`, `{"n":1.5}`, `{"n":0.25}`, ""},
		{"decimal refuses an integer", `{"$.n":{"matchers":[{"match":"decimal"}]}}`, `{"n":1.5}`, `{"n":2}`, "expected a decimal number"},
		{"number", `{"$.n":{"matchers":[{"match":"number"}]}}`, `{"n":1}`, `{"n":2.5}`, ""},
		{"number refuses a string", `{"$.n":{"matchers":[{"match":"number"}]}}`, `{"n":1}`, `{"n":"2"}`, "expected a number"},
		{"boolean", `{"$.b":{"matchers":[{"match":"boolean"}]}}`, `{"b":true}`, `{"b":false}`, ""},
		{"boolean as text", `{"$.b":{"matchers":[{"match":"boolean"}]}}`, `{"b":true}`, `{"b":"true"}`, ""},
		{"boolean refuses a number", `{"$.b":{"matchers":[{"match":"boolean"}]}}`, `{"b":true}`, `{"b":1}`, "expected a boolean"},
		{"null", `{"$.x":{"matchers":[{"match":"null"}]}}`, `{"x":null}`, `{"x":null}`, ""},
		{"null refuses a value", `{"$.x":{"matchers":[{"match":"null"}]}}`, `{"x":null}`, `{"x":"a"}`, `expected null but was "a" (string)`},
		{"include", `{"$.s":{"matchers":[{"match":"include","value":"lo w"}]}}`, `{"s":"hello world"}`, `{"s":"jello world"}`, ""},
		{"include fails", `{"$.s":{"matchers":[{"match":"include","value":"lo w"}]}}`, `{"s":"hello world"}`, `{"s":"hello"}`, `expected a value including "lo w"`},
		{"equality beats a parent's type", `{"$":{"matchers":[{"match":"type"}]},"$.id":{"matchers":[{"match":"equality"}]}}`, `{"id":1,"n":"a"}`, `{"id":2,"n":"b"}`, "$.id: expected 1 (number) but was 2 (number)"},
		{"equality compares numbers by value", `{"$.n":{"matchers":[{"match":"equality"}]}}`, `{"n":1}`, `{"n":1.0}`, ""},
		{"type max", `{"$.l":{"matchers":[{"match":"type","max":2}]}}`, `{"l":[1]}`, `{"l":[1,2,3]}`, "$.l: expected at most 2 item(s) but had 3"},
		{"type min 1 with none", `{"$.l":{"matchers":[{"match":"type","min":1}]}}`, `{"l":[1]}`, `{"l":[]}`, "expected at least 1 item(s) but had 0"},
		{"type min allows fewer examples", `{"$.l":{"matchers":[{"match":"type","min":0}]}}`, `{"l":[1,2]}`, `{"l":[]}`, ""},
		{"the brief's example", `{"$.D.Code":{"matchers":[{"match":"type"}]}}`, `{"D":{"Code":1017}}`, `{"D":{"Code":"x"}}`, `$.D.Code: expected 1017 (number) to match type but was "x" (string)`},
		{"date by default pattern", `{"$.d":{"matchers":[{"match":"date"}]}}`, `{"d":"2020-01-01"}`, `{"d":"2024-02-29"}`, ""},
		{"date that does not exist", `{"$.d":{"matchers":[{"match":"date"}]}}`, `{"d":"2020-01-01"}`, `{"d":"2023-02-29"}`, `expected a date formatted "yyyy-MM-dd"`},
		{"date with month 13", `{"$.d":{"matchers":[{"match":"date","format":"yyyy-MM-dd"}]}}`, `{"d":"2020-01-01"}`, `{"d":"2024-13-01"}`, "expected a date"},
		{"date with a day-first format", `{"$.d":{"matchers":[{"match":"date","format":"dd/MM/yyyy"}]}}`, `{"d":"01/01/2020"}`, `{"d":"31/12/2020"}`, ""},
		{"date format in pact-jvm's key", `{"$.d":{"matchers":[{"match":"date","date":"MM/dd/yyyy"}]}}`, `{"d":"01/01/2020"}`, `{"d":"31/12/2020"}`, `formatted "MM/dd/yyyy"`},
		{"time", `{"$.t":{"matchers":[{"match":"time"}]}}`, `{"t":"10:00:00"}`, `{"t":"23:59:59"}`, ""},
		{"time out of range", `{"$.t":{"matchers":[{"match":"time","format":"HH:mm"}]}}`, `{"t":"10:00"}`, `{"t":"24:00"}`, "expected a time"},
		{"datetime with millis and zone", `{"$.t":{"matchers":[{"match":"datetime","format":"yyyy-MM-dd'T'HH:mm:ss.SSSXXX"}]}}`, `{"t":"x"}`, `{"t":"2024-01-02T03:04:05.123+01:00"}`, ""},
		{"datetime with Z", `{"$.t":{"matchers":[{"match":"datetime","format":"yyyy-MM-dd'T'HH:mm:ss.SSSXXX"}]}}`, `{"t":"x"}`, `{"t":"2024-01-02T03:04:05.1Z"}`, ""},
		{"datetime without the millis it requires", `{"$.t":{"matchers":[{"match":"datetime","format":"yyyy-MM-dd'T'HH:mm:ss.SSSXXX"}]}}`, `{"t":"x"}`, `{"t":"2024-01-02T03:04:05Z"}`, "expected a datetime"},
		{"datetime with an optional section", `{"$.t":{"matchers":[{"match":"datetime","format":"yyyy-MM-dd'T'HH:mm:ss[.SSS]XXX"}]}}`, `{"t":"x"}`, `{"t":"2024-01-02T03:04:05Z"}`, ""},
		{"timestamp by default pattern", `{"$.t":{"matchers":[{"match":"timestamp"}]}}`, `{"t":"x"}`, `{"t":"2024-01-02T03:04:05+10:00"}`, ""},
		{"RFC 1123 datetime", `{"$.t":{"matchers":[{"match":"datetime","format":"EEE, dd MMM yyyy HH:mm:ss z"}]}}`, `{"t":"x"}`, `{"t":"Tue, 02 Jan 2024 03:04:05 GMT"}`, ""},
		{"twelve-hour clock", `{"$.t":{"matchers":[{"match":"time","format":"hh:mm a"}]}}`, `{"t":"x"}`, `{"t":"13:00 PM"}`, "expected a time"},
		{"unsupported pattern letter", `{"$.t":{"matchers":[{"match":"date","format":"yyyy B"}]}}`, `{"t":"x"}`, `{"t":"2024 x"}`, `pattern letter "B" is not supported`},
		{"values ignores keys", `{"$.m":{"matchers":[{"match":"values"}]},"$.m.*":{"matchers":[{"match":"type"}]}}`, `{"m":{"x":{"n":1}}}`, `{"m":{"y":{"n":2},"z":{"n":3}}}`, ""},
		{"values still types each value", `{"$.m":{"matchers":[{"match":"values"}]},"$.m.*":{"matchers":[{"match":"type"}]}}`, `{"m":{"x":{"n":1}}}`, `{"m":{"y":{"n":"2"}}}`, "$.m.y.n"},
		{"eachKey", `{"$.m":{"matchers":[{"match":"eachKey","rules":[{"match":"regex","regex":"[a-z]+"}]}]}}`, `{"m":{"a":1}}`, `{"m":{"a":1,"bc":2}}`, ""},
		{"eachKey refuses a key", `{"$.m":{"matchers":[{"match":"eachKey","rules":[{"match":"regex","regex":"[a-z]+"}]}]}}`, `{"m":{"a":1}}`, `{"m":{"a":1,"B1":2}}`, `$.m.B1: key "B1": expected a value matching /[a-z]+/`},
		{"eachValue", `{"$.m":{"matchers":[{"match":"eachValue","rules":[{"match":"type"}]}]}}`, `{"m":{"a":"x"}}`, `{"m":{"b":"y","c":"z"}}`, ""},
		{"eachValue refuses a value", `{"$.m":{"matchers":[{"match":"eachValue","rules":[{"match":"type"}]}]}}`, `{"m":{"a":"x"}}`, `{"m":{"b":"y","c":3}}`, `$.m.c: expected "x" (string) to match type but was 3 (number)`},
		{"eachValue on an array", `{"$.l":{"matchers":[{"match":"eachValue","rules":[{"match":"regex","regex":"\\d+"}]}]}}`, `{"l":["1"]}`, `{"l":["2","x"]}`, `$.l[1]: expected a value matching /\d+/`},
		{"arrayContains with a variant", `{"$.l":{"matchers":[{"match":"arrayContains","variants":[{"index":0,"rules":{"$.id":{"matchers":[{"match":"integer"}]}}}]}]}}`,
			`{"l":[{"id":1,"kind":"a"}]}`, `{"l":[{"id":"x","kind":"a"},{"id":7,"kind":"a"}]}`, ""},
		{"arrayContains finds none", `{"$.l":{"matchers":[{"match":"arrayContains","variants":[{"index":0,"rules":{"$.id":{"matchers":[{"match":"integer"}]}}}]}]}}`,
			`{"l":[{"id":1,"kind":"a"}]}`, `{"l":[{"id":7,"kind":"b"}]}`, `$.l: expected an item like {"id":1,"kind":"a"} (object) but none of the 1 matched`},
		{"arrayContains without variants", `{"$.l":{"matchers":[{"match":"arrayContains"}]}}`, `{"l":["b"]}`, `{"l":["a","b","c"]}`, ""},
		{"contentType", `{"$.doc":{"matchers":[{"match":"contentType","value":"application/json"}]}}`, `{"doc":"{}"}`, `{"doc":"{\"a\":1}"}`, ""},
		{"contentType that differs", `{"$.doc":{"matchers":[{"match":"contentType","value":"application/json"}]}}`, `{"doc":"{}"}`, `{"doc":"<html><body></body></html>"}`, "expected content of type application/json but it looks like text/html"},
		{"semver", `{"$.v":{"matchers":[{"match":"semver"}]}}`, `{"v":"1.0.0"}`, `{"v":"2.10.3-rc.1+build.5"}`, ""},
		{"semver refuses two parts", `{"$.v":{"matchers":[{"match":"semver"}]}}`, `{"v":"1.0.0"}`, `{"v":"1.2"}`, "expected a semantic version"},
		{"notEmpty", `{"$.s":{"matchers":[{"match":"notEmpty"}]}}`, `{"s":"a"}`, `{"s":"b"}`, ""},
		{"notEmpty refuses an empty array", `{"$.s":{"matchers":[{"match":"notEmpty"}]}}`, `{"s":["a"]}`, `{"s":[]}`, "expected a value that is not empty"},
		{"combine OR", `{"$.x":{"combine":"OR","matchers":[{"match":"integer"},{"match":"null"}]}}`, `{"x":1}`, `{"x":null}`, ""},
		{"combine OR where neither holds", `{"$.x":{"combine":"OR","matchers":[{"match":"integer"},{"match":"null"}]}}`, `{"x":1}`, `{"x":"1"}`, `expected an integer but was "1" (string); or expected null`},
		{"combine AND", `{"$.x":{"matchers":[{"match":"type"},{"match":"regex","regex":"a.*"}]}}`, `{"x":"abc"}`, `{"x":"bcd"}`, "expected a value matching /a.*/"},
		{"nullable object", `{"$.o":{"combine":"OR","matchers":[{"match":"type"},{"match":"null"}]}}`, `{"o":{"a":1}}`, `{"o":null}`, ""},
		{"object answered with a string", ``, `{"o":{"a":1}}`, `{"o":"a"}`, `$.o: expected {"a":1} (object) to match type but was "a" (string)`},
		{"most specific path wins", `{"$.a.*":{"matchers":[{"match":"type"}]},"$.a.b":{"matchers":[{"match":"equality"}]}}`, `{"a":{"b":1,"c":2}}`, `{"a":{"b":3,"c":4}}`, "$.a.b: expected 1 (number) but was 3 (number)"},
		{"an index beats [*]", `{"$.l":{"matchers":[{"match":"type"}]},"$.l[*].n":{"matchers":[{"match":"type"}]},"$.l[1].n":{"matchers":[{"match":"regex","regex":"z"}]}}`, `{"l":[{"n":"a"}]}`, `{"l":[{"n":"b"},{"n":"c"}]}`, `$.l[1].n: expected a value matching /z/ but was "c"`},
		{"type cascades to children", `{"$.D":{"matchers":[{"match":"type"}]}}`, `{"D":{"Results":[{"Id":"1","N":2}]}}`, `{"D":{"Results":[{"Id":"9","N":5},{"Id":"8","N":6}]}}`, ""},
		{"a cascaded type still checks kinds", `{"$.D":{"matchers":[{"match":"type"}]}}`, `{"D":{"Results":[{"Id":"1"}]}}`, `{"D":{"Results":[{"Id":9}]}}`, "$.D.Results[0].Id"},
		{"regex matches the whole value", `{"$.s":{"matchers":[{"match":"regex","regex":"\\d+"}]}}`, `{"s":"1"}`, `{"s":"abc123"}`, `expected a value matching /\d+/ but was "abc123"`},
		{"a regex Go cannot run", `{"$.s":{"matchers":[{"match":"regex","regex":"(?=a)a"}]}}`, `{"s":"a"}`, `{"s":"a"}`, "cannot be checked (Go's RE2 syntax)"},
		{"unknown matcher", `{"$.s":{"matchers":[{"match":"wobbly"}]}}`, `{"s":"a"}`, `{"s":"a"}`, `matcher "wobbly" is not supported`},
		{"bad rule path", `{"$.s[":{"matchers":[{"match":"type"}]}}`, `{"s":"a"}`, `{"s":"a"}`, "matching rule not applied"},
		{"quoted keys", `{"$['a b'].c":{"matchers":[{"match":"integer"}]}}`, `{"a b":{"c":1}}`, `{"a b":{"c":"x"}}`, `$['a b'].c: expected an integer`},
		{"not JSON", ``, `{"a":1}`, `<html>`, "expected a JSON body but it is not JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Compare(bodyResponse(t, c.expected, c.rules), Actual{Status: 200, Body: []byte(c.actual)})
			if c.want == "" {
				if len(got) > 0 {
					t.Fatalf("want a match, got %v", got)
				}
				return
			}
			if len(got) == 0 || !strings.Contains(got[0].String(), c.want) {
				t.Fatalf("mismatches %v, want the first to contain %q", got, c.want)
			}
		})
	}
}

func TestCompareLocatesMismatches(t *testing.T) {
	got := Compare(bodyResponse(t, `{"D":{"Results":[{"Note":"a","a/b":1}]}}`, ""),
		Actual{Status: 200, Body: []byte(`{"D":{"Results":[{"Note":"b","a/b":2}]}}`)})
	want := []Mismatch{
		{Where: "body", Path: "$.D.Results[0].Note", Pointer: "/D/Results/0/Note", Message: `expected "a" (string) but was "b" (string)`},
		{Where: "body", Path: "$.D.Results[0]['a/b']", Pointer: "/D/Results/0/a~1b", Message: "expected 1 (number) but was 2 (number)"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}

func TestCompareStatusAndHeaderRules(t *testing.T) {
	r := Response{
		Status:  403,
		Headers: map[string][]string{"X-Request-Id": {"abc"}, "Vary": {"Accept", "Origin"}},
		Rules: Rules{
			"status": {"": {Matchers: []Matcher{{"match": "statusCode", "status": "clientError"}}}},
			"header": {"x-request-id": {Matchers: []Matcher{{"match": "regex", "regex": "[a-z0-9]+"}}}},
		},
	}
	ok := Actual{Status: 405, Header: http.Header{"X-Request-Id": {"f00"}, "Vary": {"Accept, Origin"}}}
	if got := Compare(r, ok); len(got) > 0 {
		t.Errorf("want a match, got %v", got)
	}
	bad := Actual{Status: 201, Header: http.Header{"X-Request-Id": {"F00"}, "Vary": {"Origin"}}}
	got := Compare(r, bad)
	var lines []string
	for _, m := range got {
		lines = append(lines, m.Where+"|"+m.String())
	}
	want := []string{
		"status|expected a status that is clientError but was 201",
		`header|header Vary: expected "Accept, Origin" but was "Origin"`,
		`header|header X-Request-Id: expected a value matching /[a-z0-9]+/ but was "F00" (string)`,
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("got  %q\nwant %q", lines, want)
	}
	codes := Response{Status: 200, Rules: Rules{"status": {"": {Matchers: []Matcher{{"match": "statusCode", "status": []any{float64(200), float64(204)}}}}}}}
	if got := Compare(codes, Actual{Status: 204}); len(got) > 0 {
		t.Errorf("status list: %v", got)
	}
}
