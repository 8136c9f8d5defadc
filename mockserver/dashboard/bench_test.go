package dashboard_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// BenchmarkPages renders each page with a full journal of 10 000 entries,
// the size the dashboard promises to stay under 100 ms at. Compare each
// page's ns/op with BenchmarkPages/json-requests, the admin API's own
// answer for the same journal, from the same run.
func BenchmarkPages(b *testing.B) {
	s := newMock(b, mockserver.Options{JournalSize: 10_000, Validation: mockserver.Lenient})
	for i := range 10_000 {
		switch i % 4 {
		case 0:
			sparkGet(b, s)
		case 1:
			otcPost(b, s, fmt.Sprintf(`{"contact_id": %d, "role": "Buyer"}`, 1000+i))
		case 2:
			otcPost(b, s, `{"contact_id": "bad"}`)
		default:
			send(b, s, "GET", "/spark/v1/nowhere", "", nil)
		}
	}
	if n := len(s.Requests(mockserver.Filter{})); n != 10_000 {
		b.Fatalf("journal holds %d entries", n)
	}
	for _, page := range []struct{ name, path string }{
		{"json-requests", "/__mock/requests"},
		{"requests", "/__mock/ui/requests"},
		{"requests-text-filter", "/__mock/ui/requests?q=Buyer&status=2xx"},
		{"requests-live-rows", "/__mock/ui/requests?after=9990"},
		{"detail", "/__mock/ui/requests/9999"},
		{"violations", "/__mock/ui/violations"},
		{"coverage", "/__mock/ui/coverage"},
		{"scenarios", "/__mock/ui/scenarios"},
	} {
		b.Run(page.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", page.path, nil)
			for b.Loop() {
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
