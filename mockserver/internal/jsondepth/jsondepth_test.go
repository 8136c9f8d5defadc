package jsondepth

import (
	"strings"
	"testing"
)

func TestExceeds(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		limit int
		want  int
	}{
		{"flat", `{"a":1}`, 1, -1},
		{"at the limit", `[[{"a":[]}]]`, 4, -1},
		{"one past the limit", `[[{"a":[]}]]`, 3, 7},
		{"brackets in a string", `{"a":"[[[[{{{{"}`, 1, -1},
		{"an escaped quote keeps the string open", `{"a":"\"[[[["}`, 1, -1},
		{"an escaped backslash ends before the quote", `{"a":"\\"}`, 1, -1},
		{"deep", strings.Repeat("[", 10000), 128, 128},
		{"not JSON at all", `]]]}}}`, 0, -1},
	}
	for _, tt := range tests {
		if got := Exceeds([]byte(tt.data), tt.limit); got != tt.want {
			t.Errorf("%s: Exceeds(%.40q, %d) = %d, want %d", tt.name, tt.data, tt.limit, got, tt.want)
		}
	}
}

func FuzzExceeds(f *testing.F) {
	f.Add([]byte(`{"a":["[",{"b":"\\"}]}`), 2)
	f.Fuzz(func(t *testing.T, data []byte, limit int) {
		at := Exceeds(data, limit)
		if at >= len(data) || at < -1 || (at >= 0 && data[at] != '{' && data[at] != '[') {
			t.Fatalf("Exceeds = %d for %q", at, data)
		}
	})
}
