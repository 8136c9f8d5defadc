package mockserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// TestStoreLimitOpenToClose: once an API's records reach Options.StoreBytes, a write that adds
// records answers 413 in that API's envelope (the response check passes:
// the specs document 413 on their writes); deleting makes room again,
// and the other API is not affected.
func TestStoreLimitOpenToClose(t *testing.T) {
	note := strings.Repeat("n", 20_000)
	tests := []struct {
		name    string
		write   func(i int) bt.Req
		free    bt.Req
		refused func(a bt.Resp) bool
	}{
		{"opentoclose",
			func(i int) bt.Req {
				return otc("POST", "/properties/123/contacts", fmt.Sprintf(`{"contact_id":%d,"role":"Buyer","notes":%q}`, 1000+i, note))
			},
			otc("DELETE", "/properties/123/contacts/456", ""),
			func(a bt.Resp) bool {
				return strings.Contains(a.Message(t), "store is full") && strings.Contains(a.Message(t), "at most 200000 bytes")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, mockserver.Options{StoreBytes: 200_000})
			var full bt.Resp
			for i := range 20 {
				a := bt.SendJSON(t, s, tt.write(i))
				if a.Status == http.StatusRequestEntityTooLarge {
					full = a
					break
				}
				if a.Status/100 != 2 {
					t.Fatalf("write %d: %d %s", i, a.Status, string(a.Body))
				}
			}
			if full.Status != http.StatusRequestEntityTooLarge || !tt.refused(full) {
				t.Fatalf("20 writes of 20 KB under a 200 KB limit: last %d %s", full.Status, string(full.Body))
			}
			if a := bt.SendJSON(t, s, tt.write(99)); a.Status != http.StatusRequestEntityTooLarge {
				t.Errorf("a full store took another write: %d", a.Status)
			}
			if a := bt.SendJSON(t, s, tt.free); a.Status/100 != 2 {
				t.Fatalf("delete: %d %s", a.Status, string(a.Body))
			}
			if err := s.Reset(); err != nil {
				t.Fatal(err)
			}
			if a := bt.SendJSON(t, s, tt.write(0)); a.Status/100 != 2 {
				t.Errorf("after a reset: %d %s", a.Status, string(a.Body))
			}
		})
	}
}
