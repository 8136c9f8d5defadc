package mockserver_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/crud"
	"github.com/realestate-mocks/mockserver/mockserver/mockservertest"
	"github.com/realestate-mocks/mockserver/spec"
)

// An answer that breaks a 3.1 schema is caught by the 2020-12 response
// check, as for 3.0: a 500 naming the field and the keyword (strict), a
// flagged answer (lenient). The scenario loader refuses such a body in a
// rule (cmd/mockserver's TestInspect31), so a behaviour stands in for it.
func TestResponseValidation31(t *testing.T) {
	api, err := spec.LoadFile("viewings", "../spec/testdata/viewings31.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		body   map[string]any
		mode   mockserver.ValidationMode
		status int
		want   string
	}{
		{"const", map[string]any{"id": 1, "kind": "open-house", "listingRef": "MLS-1", "price": 10}, mockserver.Strict, 500, `kind value must be 'viewing' (schema rule \"const\")`},
		{"null outside the type array", map[string]any{"id": 1, "kind": "viewing", "listingRef": "MLS-1", "price": nil}, mockserver.Strict, 500, `price got null, want number (schema rule \"type\")`},
		{"unevaluatedProperties", map[string]any{"id": 1, "kind": "viewing", "listingRef": "MLS-1", "price": 10, "parking": true}, mockserver.Strict, 500, `parking is not allowed here (unevaluatedProperties: false)`},
		{"lenient", map[string]any{"id": 1, "kind": "open-house", "listingRef": "MLS-1", "price": 10}, mockserver.Lenient, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pack, err := crud.Pack(api)
			if err != nil {
				t.Fatal(err)
			}
			m := mockservertest.New(t, mockservertest.WithPack(pack), mockservertest.WithOptions(func(o *mockserver.Options) { o.Validation = tt.mode }))
			if err := m.Server.Handle("viewings", "showViewing", mockserver.BehaviorFunc(func(*mockserver.Call) *mockserver.Reply {
				return mockserver.JSON(http.StatusOK, tt.body)
			})); err != nil {
				t.Fatal(err)
			}
			resp, err := m.Client().Get(m.URL("viewings") + "/viewings/1")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
				t.Errorf("%d %s, want %d naming %s", resp.StatusCode, body, tt.status, tt.want)
			}
			if tt.mode == mockserver.Lenient && resp.Header.Get(mockserver.ViolationHeader) != `kind value must be 'viewing' (schema rule "const")` {
				t.Errorf("lenient answer flagged %q", resp.Header.Get(mockserver.ViolationHeader))
			}
		})
	}
}
