package pact

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds Parse broken, huge and deeply nested input: it must
// answer a File or an error, never panic.
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
		if err == nil && file == nil {
			t.Fatal("no file and no error")
		}
	})
}
