package mockserver_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// Every admin path answers a method it does not offer with a 405 whose
// Allow names exactly the methods admin.yaml documents for it, the
// parametrised paths included.
func TestAdminMethodNotAllowedNamesItsMethods(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(mockserver.AdminSpec())
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(t, mockserver.Options{AdminUI: func(*mockserver.Server) http.Handler { return http.NotFoundHandler() }})
	for path, item := range doc.Paths.Map() {
		if strings.HasPrefix(path, "/ui/") {
			continue // Options.AdminUI's pages, before the admin router
		}
		t.Run(path, func(t *testing.T) {
			var documented []string
			for method := range item.Operations() {
				documented = append(documented, method)
			}
			concrete := strings.NewReplacer("{seq}", "1", "{api}", "spark").Replace(path)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(http.MethodPatch, "/__mock"+concrete, nil))
			if w.Code != http.StatusMethodNotAllowed {
				t.Fatalf("PATCH: %d %s", w.Code, w.Body)
			}
			allow := strings.Split(w.Header().Get("Allow"), ", ")
			slices.Sort(allow)
			slices.Sort(documented)
			if !slices.Equal(allow, documented) {
				t.Errorf("Allow %v, documented %v", allow, documented)
			}
		})
	}
}
