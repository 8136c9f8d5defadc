package mockserver_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// The engine's messages name the Options field to change, or what the
// Server's user calls it (a command's flag) when OptionNames says.
func TestMessagesNameOptions(t *testing.T) {
	for _, tt := range []struct {
		names map[string]string
		want  string
	}{
		{nil, "start it with Options.OnSnapshot"},
		{map[string]string{"OnSnapshot": "--state-file"}, "start it with --state-file"},
	} {
		s := newServer(t, mockserver.Options{OptionNames: tt.names})
		r := httptest.NewRequest(http.MethodPost, "/__mock/snapshot", nil)
		r.Header.Set(mockserver.AdminHeader, "1")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusNotImplemented || !strings.Contains(w.Body.String(), tt.want) {
			t.Errorf("OptionNames %v: %d %s, want 501 naming %q", tt.names, w.Code, w.Body, tt.want)
		}
	}
}
