package pact

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

const notesDoc = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Envelope:
      type: object
      properties:
        D:
          type: object
          properties:
            Success: {type: boolean}
            Count: {type: integer}
            Rank: {type: integer, nullable: true}
            Flag: {type: boolean, nullable: true}
            Score: {type: number}
            Results:
              type: array
              minItems: 1
              items: {$ref: '#/components/schemas/Note'}
            Tags:
              type: object
              additionalProperties: {type: string}
    Note:
      allOf:
        - type: object
          properties:
            Id: {type: string, pattern: '^\d+$'}
            Note: {type: string}
            Kind: {type: string, enum: [public, private]}
            Day: {type: string, format: date}
            Modified: {type: string, format: date-time}
            Parent:
              nullable: true
              allOf: [{$ref: '#/components/schemas/Ref'}]
            Code: {type: string, pattern: 'N-\d'}
            Ref: {type: string, format: uuid}
            "Odd name": {type: string, nullable: true}
            Children:
              type: array
              items: {$ref: '#/components/schemas/Note'}
    Ref:
      type: object
      properties:
        Uri: {type: string}
`

func loadSchema(t *testing.T, name string) *openapi3.Schema {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(notesDoc))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return doc.Components.Schemas[name].Value
}

const notesExample = `{"D":{"Success":true,"Count":1,"Rank":null,"Flag":null,"Score":1.5,"Tags":{"a":"x"},"Results":[
 {"Id":"1","Note":"hi","Kind":"public","Day":"2024-01-02","Modified":"2024-01-02T03:04:05Z","Parent":{"Uri":"/p"},"Code":"N-1","Ref":"0e8b7a5c-51f4-4c8e-9b0a-2f6f1b6a9d11","Odd name":"o","Children":[{"Id":"2","Note":"n"}]}]}}`

func TestSchemaRulesLetOtherDataPass(t *testing.T) {
	rules := SchemaRules(loadSchema(t, "Envelope"), "$")
	expected := Response{Status: 200, Body: Body{Present: true, JSON: json.RawMessage(notesExample)}, Rules: Rules{"body": rules}}
	other := `{"D":{"Success":false,"Count":7,"Rank":3,"Flag":false,"Score":3,"Extra":1,"Tags":{"b":"y","c":"z"},"Results":[
 {"Id":"42","Note":"other","Kind":"private","Day":"2023-12-31","Modified":"2023-12-31T23:59:59.123456+10:00","Parent":{"Uri":"/q","More":1},"Code":"xN-2y","Ref":"A0E8B7A5-51F4-4C8E-9B0A-2F6F1B6A9D12","Odd name":null,
  "Children":[{"Id":"43","Note":"c","Kind":"public","Day":"2020-02-29","Modified":"2020-02-29T00:00:00.1Z","Parent":null,"Code":"N-3","Odd name":"p","Children":[]}]},
 {"Id":"44","Note":"","Kind":"public","Day":"2024-02-01","Modified":"2024-02-01T00:00:00-05:00","Parent":{"Uri":"/r"},"Code":"N-4","Ref":"00000000-0000-4000-8000-000000000000","Odd name":"q","Children":[]}]}}`
	if got := Compare(expected, Actual{Status: 200, Body: []byte(other)}); len(got) > 0 {
		t.Fatalf("valid data with other values: %v\nrules: %v", got, rules)
	}
	wrong := []struct{ name, body, want string }{
		{"a boolean as a string", `{"D":{"Success":"yes"}}`, "$.D.Success"},
		{"a decimal count", `{"D":{"Count":1.5}}`, "$.D.Count: expected an integer"},
		{"a rank that is a string", `{"D":{"Rank":"3"}}`, "$.D.Rank"},
		{"a score that is a string", `{"D":{"Score":"3"}}`, "$.D.Score: expected a number"},
		{"no results", `{"D":{"Results":[]}}`, "$.D.Results: expected at least 1 item(s) but had 0"},
		{"an id off pattern", `{"D":{"Results":[{"Id":"x1"}]}}`, `$.D.Results[0].Id: expected a value matching /\d+/`},
		{"a ref that is no uuid", `{"D":{"Results":[{"Ref":"0e8b7a5c"}]}}`, "$.D.Results[0].Ref"},
		{"a kind off enum", `{"D":{"Results":[{"Kind":"secret"}]}}`, "$.D.Results[0].Kind"},
		{"a day that is not a date", `{"D":{"Results":[{"Day":"2024-02-30"}]}}`, "$.D.Results[0].Day"},
		{"a timestamp without a zone", `{"D":{"Results":[{"Modified":"2024-01-02T03:04:05"}]}}`, "$.D.Results[0].Modified"},
		{"a map value of another type", `{"D":{"Tags":{"a":1}}}`, "$.D.Tags.a"},
		{"a nested child of another type", `{"D":{"Results":[{"Children":[{"Note":5}]}]}}`, "$.D.Results[0].Children[0].Note"},
		// Pact cannot say "this object or null" (see isContainer).
		{"a null parent where the example has one", `{"D":{"Results":[{"Parent":null}]}}`, "$.D.Results[0].Parent: expected {\"Uri\":\"/p\"} (object) to match type but was null"},
		{"a parent that is a string", `{"D":{"Results":[{"Parent":"x"}]}}`, "$.D.Results[0].Parent"},
	}
	for _, c := range wrong {
		t.Run(c.name, func(t *testing.T) {
			body := mergeJSON(t, other, c.body)
			got := Compare(expected, Actual{Status: 200, Body: body})
			found := false
			for _, m := range got {
				found = found || len(m.String()) >= len(c.want) && m.String()[:len(c.want)] == c.want
			}
			if !found {
				t.Errorf("mismatches %v, want one starting %q", got, c.want)
			}
		})
	}
}

// mergeJSON overlays patch on base: objects merge key by key, arrays item
// by item.
func mergeJSON(t *testing.T, base, patch string) []byte {
	var b, p any
	mustUnmarshal(t, base, &b)
	mustUnmarshal(t, patch, &p)
	out, err := json.Marshal(overlay(b, p))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func overlay(b, p any) any {
	switch pv := p.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok {
			return p
		}
		for k, v := range pv {
			bm[k] = overlay(bm[k], v)
		}
		return bm
	case []any:
		bl, ok := b.([]any)
		if !ok || len(pv) == 0 {
			return p
		}
		for i, v := range pv {
			bl[i] = overlay(bl[i], v)
		}
		return bl
	}
	return p
}

func TestSchemaRulesShape(t *testing.T) {
	rules := SchemaRules(loadSchema(t, "Envelope"), "$")
	want := map[string]RuleSet{
		"$.D.Success":                {Matchers: []Matcher{{"match": "type"}}},
		"$.D.Count":                  {Matchers: []Matcher{{"match": "integer"}}},
		"$.D.Results":                {Matchers: []Matcher{{"match": "type", "min": float64(1)}}},
		"$.D.Results[*].Id":          {Matchers: []Matcher{{"match": "regex", "regex": `\d+`}}},
		"$.D.Results[*].Code":        {Matchers: []Matcher{{"match": "regex", "regex": `.*(?:N-\d).*`}}},
		"$.D.Results[*].Kind":        {Matchers: []Matcher{{"match": "regex", "regex": "public|private"}}},
		"$.D.Results[*].Day":         {Matchers: []Matcher{{"match": "date", "format": "yyyy-MM-dd"}}},
		"$.D.Results[*].Modified":    {Combine: "OR", Matchers: []Matcher{{"match": "datetime", "format": rfc3339Seconds}, {"match": "datetime", "format": rfc3339Fraction}}},
		"$.D.Results[*]['Odd name']": {Combine: "OR", Matchers: []Matcher{{"match": "type"}, {"match": "null"}}},
		"$.D.Tags":                   {Matchers: []Matcher{{"match": "values"}}},
		"$.D.Tags.*":                 {Matchers: []Matcher{{"match": "type"}}},
		"$.D.Results[*].Children":    {Matchers: []Matcher{{"match": "type"}}},
	}
	for path, rs := range want {
		if !reflect.DeepEqual(rules[path], rs) {
			t.Errorf("%s: %+v, want %+v", path, rules[path], rs)
		}
	}
	if rs, ok := rules["$.D.Results[*].Parent"]; ok {
		t.Errorf("a nullable object got %+v; pact-reference cannot combine it with null", rs)
	}
	if _, recursed := rules["$.D.Results[*].Children[*].Id"]; recursed {
		t.Error("the recursive Note schema was walked again inside itself")
	}
	if got := SchemaRules(nil, "$"); len(got) != 0 {
		t.Errorf("nil schema: %v", got)
	}
}
