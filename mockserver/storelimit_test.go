package mockserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// TestStoreLimitOpenToClose: once an API's records reach Options.StoreBytes, a write that adds
// records answers 413 in that API's envelope (the response check passes:
// the specs document 413 on their writes); deleting makes room again,
// and the other API is not affected.
func TestStoreLimitOpenToClose(t *testing.T) {
	note := strings.Repeat("n", 20_000)
	tests := []struct {
		name    string
		write   func(i int) call
		free    call
		refused func(a answer) bool
	}{
		{"opentoclose",
			func(i int) call {
				return otc("POST", "/properties/123/contacts", fmt.Sprintf(`{"contact_id":%d,"role":"Buyer","notes":%q}`, 1000+i, note))
			},
			otc("DELETE", "/properties/123/contacts/456", ""),
			func(a answer) bool {
				return strings.Contains(a.message(), "store is full") && strings.Contains(a.message(), "at most 200000 bytes")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, mockserver.Options{StoreBytes: 200_000})
			var full answer
			for i := range 20 {
				a := do(t, s, tt.write(i))
				if a.status == http.StatusRequestEntityTooLarge {
					full = a
					break
				}
				if a.status/100 != 2 {
					t.Fatalf("write %d: %d %s", i, a.status, a.raw)
				}
			}
			if full.status != http.StatusRequestEntityTooLarge || !tt.refused(full) {
				t.Fatalf("20 writes of 20 KB under a 200 KB limit: last %d %s", full.status, full.raw)
			}
			if a := do(t, s, tt.write(99)); a.status != http.StatusRequestEntityTooLarge {
				t.Errorf("a full store took another write: %d", a.status)
			}
			if a := do(t, s, tt.free); a.status/100 != 2 {
				t.Fatalf("delete: %d %s", a.status, a.raw)
			}
			if err := s.Reset(); err != nil {
				t.Fatal(err)
			}
			if a := do(t, s, tt.write(0)); a.status/100 != 2 {
				t.Errorf("after a reset: %d %s", a.status, a.raw)
			}
		})
	}
}
