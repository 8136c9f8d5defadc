package mockserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
	"github.com/realestate-mocks/mockserver/spec"
)

// fanOutSpec is a response schema with width required properties per
// object, depth levels deep, and no example: width^depth leaves, 10^7
// for 10 × 7, far past anything a mock should render.
func fanOutSpec(width, depth int) string {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: Fan-out, version: \"1\"}\npaths:\n  /x:\n    get:\n      operationId: getX\n")
	b.WriteString("      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/L0\"}\n")
	b.WriteString("        \"500\":\n          description: cannot generate\n          content:\n            application/json:\n              schema: {type: object}\n")
	b.WriteString("components:\n  schemas:\n")
	for level := range depth {
		fmt.Fprintf(&b, "    L%d:\n      type: object\n      required: [", level)
		for i := range width {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "p%d", i)
		}
		b.WriteString("]\n      properties:\n")
		for i := range width {
			if level == depth-1 {
				fmt.Fprintf(&b, "        p%d: {type: string, minLength: 20}\n", i)
			} else {
				fmt.Fprintf(&b, "        p%d: {$ref: \"#/components/schemas/L%d\"}\n", i, level+1)
			}
		}
	}
	return b.String()
}

// A schema too big to render is bounded at start and per call: the
// server starts, and the answer is the documented "cannot generate" 500
// in the envelope (or a body within the bound), never a crash.
func TestGenerationIsBounded(t *testing.T) {
	for _, depth := range []int{3, 7} {
		t.Run(fmt.Sprintf("10x%d", depth), func(t *testing.T) {
			api, err := spec.Parse("fan", "fan.yaml", []byte(fanOutSpec(10, depth)))
			if err != nil {
				t.Fatal(err)
			}
			s, err := mockserver.New(mockserver.Options{APIs: []*spec.API{api}})
			if err != nil {
				t.Fatal(err)
			}
			for _, prefer := range []string{"", "dynamic=true"} {
				a := bt.SendJSON(t, s, bt.Req{Method: "GET", Target: "/fan/x", Header: map[string]string{"Prefer": prefer}})
				switch {
				case len(string(a.Body)) > mockserver.MaxGeneratedBytes:
					t.Errorf("Prefer %q: %d bytes, over the %d bound", prefer, len(string(a.Body)), mockserver.MaxGeneratedBytes)
				case depth == 7 && (a.Status != http.StatusInternalServerError || !strings.Contains(a.Message(t), "cannot generate")):
					t.Errorf("Prefer %q: %d %.300s", prefer, a.Status, string(a.Body))
				case depth == 3 && a.Status != http.StatusOK:
					t.Errorf("Prefer %q: a 1 000-leaf body is within the bound, got %d %.300s", prefer, a.Status, string(a.Body))
				}
			}
		})
	}
}
