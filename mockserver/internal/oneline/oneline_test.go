package oneline_test

import (
	"fmt"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver/internal/oneline"
)

func TestCut(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"a\n\tb  c\r\n", 10, "a b c"},
		{"", 3, ""},
		{"abcdef", 6, "abcdef"},
		{"abcdef", 4, "abcd…"},
		{"  ab   cd  ", 4, "ab c…"},
	}
	for _, tt := range tests {
		if got := oneline.Cut(tt.in, tt.max); got != tt.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func ExampleCut() {
	fmt.Println(oneline.Cut("value 7 is\n  not one of\t[a b]", 16))
	// Output: value 7 is not o…
}
