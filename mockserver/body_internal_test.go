package mockserver

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// canonicalIntegers rewrites whole numbers at integer schemas, however
// deep, and names the first that does not fit an int64 by its full path.
func TestCanonicalIntegers(t *testing.T) {
	var schema openapi3.SchemaRef
	if err := json.Unmarshal([]byte(`{"type":"object","properties":{
		"id":{"type":"integer"},"name":{"type":"string"},
		"pets":{"type":"array","items":{"type":"object","properties":{"age":{"type":"integer"},"weight":{"type":"number"}}}}}}`), &schema); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, body, want, field, bad string
	}{
		{"plain digits stay", `{"id":7484664,"name":"1e3","pets":[{"age":-3,"weight":1e3}]}`, `{"id":7484664,"name":"1e3","pets":[{"age":-3,"weight":1e3}]}`, "", ""},
		{"exponents and fractions of whole numbers", `{"id":1e3,"pets":[{"age":2.0},{"age":-0}]}`, `{"id":1000,"pets":[{"age":2},{"age":0}]}`, "", ""},
		{"nineteen digits within range", `{"id":9223372036854775807}`, `{"id":9223372036854775807}`, "", ""},
		{"beyond int64, top level", `{"id":9223372036854775808}`, "", "id", "9223372036854775808"},
		{"beyond int64, in an array", `{"pets":[{"age":1},{"age":-1e19}]}`, "", "pets.1.age", "-1e19"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dec := json.NewDecoder(bytes.NewReader([]byte(tc.body)))
			dec.UseNumber()
			var value any
			if err := dec.Decode(&value); err != nil {
				t.Fatal(err)
			}
			field, bad := canonicalIntegers(&schema, value)
			if field != tc.field || bad != tc.bad {
				t.Fatalf("refused %q at %q, want %q at %q", bad, field, tc.bad, tc.field)
			}
			if tc.want == "" {
				return
			}
			var want any
			wdec := json.NewDecoder(bytes.NewReader([]byte(tc.want)))
			wdec.UseNumber()
			if err := wdec.Decode(&want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(value, want) {
				t.Errorf("rewritten to %v, want %v", value, want)
			}
		})
	}
}
