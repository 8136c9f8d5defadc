package pact

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkCompare judges a 100-item answer by a typical interaction's
// rules (the verifier does this once per interaction).
func BenchmarkCompare(b *testing.B) {
	f, err := ReadFile("testdata/v2.json")
	if err != nil {
		b.Fatal(err)
	}
	expected := f.Interactions[0].Response
	items := make([]string, 100)
	for i := range items {
		items[i] = fmt.Sprintf(`{"Id":"%d","Note":"note %d","Extra":{"a":[1,2,3]}}`, i, i)
	}
	actual := Actual{
		Status: 200,
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:   []byte(`{"D":{"Success":true,"Results":[` + strings.Join(items, ",") + `]}}`),
	}
	b.ReportAllocs()
	for b.Loop() {
		if m := Compare(expected, actual); len(m) > 0 {
			b.Fatal(m)
		}
	}
}
