package pact

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

var genNow = time.Date(2024, 2, 9, 7, 5, 3, 45_000_000, time.FixedZone("AEST", 10*3600))

func TestGenerateProviderState(t *testing.T) {
	r := Request{
		Method:  "POST",
		Path:    "/v1/properties/1/contacts",
		Query:   map[string][]string{"id": {"1"}},
		Headers: map[string][]string{"X-Owner": {"old"}},
		Body:    Body{Present: true, JSON: json.RawMessage(`{"id":1,"name":"x","items":[{"ref":"a"},{"ref":"b"}]}`)},
		Generators: Generators{
			"path":   {"": {"type": "ProviderState", "expression": "/v1/properties/${id}/contacts"}},
			"query":  {"id": {"type": "ProviderState", "expression": "${id}"}},
			"header": {"x-owner": {"type": "ProviderState", "expression": "${first} ${last}"}},
			"body": {
				"$.id":           {"type": "ProviderState", "expression": "${id}"},
				"$.name":         {"type": "ProviderState", "expression": "${id}", "dataType": "STRING"},
				"$.items[*].ref": {"type": "ProviderState", "expression": "ref-${id}"},
			},
		},
	}
	params := map[string]any{"id": float64(42), "first": "Ada", "last": "Lovelace"}
	unsupported, err := r.Generate(GenerateContext{StateParams: params, Now: genNow})
	if err != nil || len(unsupported) > 0 {
		t.Fatalf("unsupported %v, err %v", unsupported, err)
	}
	if r.Path != "/v1/properties/42/contacts" || !reflect.DeepEqual(r.Query["id"], []string{"42"}) || !reflect.DeepEqual(r.Headers["X-Owner"], []string{"Ada Lovelace"}) {
		t.Errorf("path %q, query %v, headers %v", r.Path, r.Query, r.Headers)
	}
	if want := `{"id":42,"items":[{"ref":"ref-42"},{"ref":"ref-42"}],"name":"42"}`; string(r.Body.JSON) != want {
		t.Errorf("body %s, want %s", r.Body.JSON, want)
	}
}

func TestGenerateValuesPassTheirMatchers(t *testing.T) {
	cases := []struct {
		gen     map[string]any
		matcher Matcher
	}{
		{map[string]any{"type": "RandomInt", "min": float64(3), "max": float64(5)}, Matcher{"match": "integer"}},
		{map[string]any{"type": "RandomDecimal", "digits": float64(6)}, Matcher{"match": "decimal"}},
		{map[string]any{"type": "RandomHexadecimal", "digits": float64(8)}, Matcher{"match": "regex", "regex": "[0-9a-f]{8}"}},
		{map[string]any{"type": "RandomString", "size": float64(12)}, Matcher{"match": "regex", "regex": "[A-Za-z0-9]{12}"}},
		{map[string]any{"type": "RandomBoolean"}, Matcher{"match": "boolean"}},
		{map[string]any{"type": "Uuid"}, Matcher{"match": "regex", "regex": "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"}},
		{map[string]any{"type": "Uuid", "format": "simple"}, Matcher{"match": "regex", "regex": "[0-9a-f]{32}"}},
		{map[string]any{"type": "Uuid", "format": "URN"}, Matcher{"match": "regex", "regex": "urn:uuid:[0-9a-f-]{36}"}},
		{map[string]any{"type": "Regex", "regex": `\d{3}-[A-Z]{2}(x|yz)+\.?`}, Matcher{"match": "regex", "regex": `\d{3}-[A-Z]{2}(x|yz)+\.?`}},
		{map[string]any{"type": "Regex", "regex": `^[^\s]+@example\.com$`}, Matcher{"match": "regex", "regex": `[^\s]+@example\.com`}},
		{map[string]any{"type": "Date"}, Matcher{"match": "date"}},
		{map[string]any{"type": "Time", "format": "hh:mm a"}, Matcher{"match": "time", "format": "hh:mm a"}},
		{map[string]any{"type": "DateTime"}, Matcher{"match": "datetime", "format": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"}},
		{map[string]any{"type": "DateTime", "format": "EEE, dd MMM yyyy HH:mm:ss Z"}, Matcher{"match": "datetime", "format": "EEE, dd MMM yyyy HH:mm:ss Z"}},
	}
	for _, c := range cases {
		for range 50 { // random generators: many draws, each must pass
			v, note := generateValue(c.gen, GenerateContext{Now: genNow}, nil)
			if note != "" {
				t.Fatalf("%v: %s", c.gen, note)
			}
			if msg := matchValue(c.matcher, false, v, roundTrip(t, v)); msg != "" {
				t.Fatalf("%v generated %v: %s", c.gen, v, msg)
			}
		}
	}
}

// roundTrip is the value as a provider would read it from JSON.
func roundTrip(t *testing.T, v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := decodeJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerateDates(t *testing.T) {
	cases := map[string]string{
		"yyyy-MM-dd":                       "2024-02-09",
		"dd/MM/yy HH:mm:ss.SSS":            "09/02/24 07:05:03.045",
		"yyyy-MM-dd'T'HH:mm:ssXXX":         "2024-02-09T07:05:03+10:00",
		"EEEE d MMMM yyyy, h a 'o''clock'": "Friday 9 February 2024, 7 AM o'clock",
		"DDD k K Z z":                      "040 7 7 +1000 AEST",
	}
	for pattern, want := range cases {
		got, err := formatJava(genNow, pattern)
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", pattern, got, err, want)
		}
	}
	utc, _ := formatJava(genNow.UTC(), "HH:mmX")
	if utc != "21:05Z" {
		t.Errorf("UTC offset: %q, want 21:05Z", utc)
	}
}

func TestGenerateReportsWhatItCannotDo(t *testing.T) {
	r := Request{
		Path:    "/a",
		Headers: map[string][]string{"A": {"1"}},
		Body:    Body{Present: true, JSON: json.RawMessage(`{"when":"x","n":1}`)},
		Generators: Generators{
			"path":   {"": {"type": "ProviderState", "expression": "/a/${missing}"}},
			"header": {"A": {"type": "MockServerURL", "example": "http://x"}, "B": {"type": "RandomInt"}},
			"body": {
				"$.when": {"type": "Date", "expression": "+1 day"},
				"$.n":    {"type": "RandomInt", "min": float64(9), "max": float64(1)},
			},
			"status": {"": {"type": "RandomInt"}},
		},
	}
	unsupported, err := r.Generate(GenerateContext{Now: genNow})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`body $.n: RandomInt min 9 is over max 1`,
		`body $.when: Date expression "+1 day" is not supported (value left as in the pact)`,
		`header A: generator type "MockServerURL" is not supported (value left as in the pact)`,
		`header B: no such parameter in the request`,
		`path (whole): ProviderState expression "/a/${missing}" needs state parameter(s) missing, which the state does not give`,
		`status (whole): generators for "status" are not applied to a request`,
	}
	if !reflect.DeepEqual(unsupported, want) {
		t.Errorf("unsupported:\n%s\nwant:\n%s", strings.Join(unsupported, "\n"), strings.Join(want, "\n"))
	}
	if r.Path != "/a" || string(r.Body.JSON) != `{"when":"x","n":1}` || r.Headers["A"][0] != "1" {
		t.Errorf("values changed: %q %s %v", r.Path, r.Body.JSON, r.Headers)
	}
	bad := Request{Body: Body{Present: true, JSON: json.RawMessage(`{`)}, Generators: Generators{"body": {"$.a": {"type": "RandomInt"}}}}
	if _, err := bad.Generate(GenerateContext{}); err == nil || !regexp.MustCompile(`generator body "\$\.a": request body`).MatchString(err.Error()) {
		t.Errorf("err = %v", err)
	}
}
