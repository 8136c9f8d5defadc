package bundledtest

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

// Resp is a finished response.
type Resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// Value decodes the body as JSON.
func (r Resp) Value(t testing.TB) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("body is not JSON (%v): %s", err, r.Body)
	}
	return v
}

// Object decodes a JSON object body.
func (r Resp) Object(t testing.TB) map[string]any {
	t.Helper()
	obj, ok := r.Value(t).(map[string]any)
	if !ok {
		t.Fatalf("body is not a JSON object: %s", r.Body)
	}
	return obj
}

// Message is a failure's message in either bundled envelope: Open To
// Close's "message" or Spark's D.Message; "" when the body has neither.
func (r Resp) Message(t testing.TB) string {
	t.Helper()
	var body struct {
		Message string
		D       struct{ Message string }
	}
	if json.Unmarshal(r.Body, &body) != nil {
		return ""
	}
	if body.Message != "" {
		return body.Message
	}
	return body.D.Message
}

// SparkD is the D object every Spark body is wrapped in.
func (r Resp) SparkD(t testing.TB) map[string]any {
	t.Helper()
	d, ok := r.Object(t)["D"].(map[string]any)
	if !ok {
		t.Fatalf("Spark body has no D object: %s", r.Body)
	}
	return d
}

// SparkCode is D.Code of a Spark failure, -1 when there is none.
func (r Resp) SparkCode(t testing.TB) int {
	t.Helper()
	if code, ok := r.SparkD(t)["Code"].(float64); ok {
		return int(code)
	}
	return -1
}

// SparkResults is D.Results of a successful Spark answer.
func (r Resp) SparkResults(t testing.TB) []any {
	t.Helper()
	d := r.SparkD(t)
	if d["Success"] != true {
		t.Fatalf("D.Success is not true: %s", r.Body)
	}
	res, ok := d["Results"].([]any)
	if !ok {
		t.Fatalf("D.Results is not an array: %s", r.Body)
	}
	return res
}

// OTCLinks is an Open To Close list body.
func (r Resp) OTCLinks(t testing.TB) []map[string]any {
	t.Helper()
	arr, ok := r.Value(t).([]any)
	if !ok {
		t.Fatalf("body is not a JSON array: %s", r.Body)
	}
	out := make([]map[string]any, len(arr))
	for i, v := range arr {
		if out[i], ok = v.(map[string]any); !ok {
			t.Fatalf("item %d is not an object: %s", i, r.Body)
		}
	}
	return out
}

// JSONEqual compares two JSON documents by value.
func JSONEqual(t testing.TB, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("not JSON (%v): %s", err, a)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("not JSON (%v): %s", err, b)
	}
	return reflect.DeepEqual(va, vb)
}
