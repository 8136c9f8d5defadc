package mockserver

import (
	"net/http"
	"strings"
)

// UIPath is where Options.AdminUI is served.
const UIPath = adminPrefix + "/ui/"

// serveUI hands /__mock/ui/... to Options.AdminUI, before the token
// check: a browser cannot send the token with the page that asks for it,
// so the UI checks AdminAuthorized itself for anything that shows data.
func (s *Server) serveUI(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.AdminUI == nil || !strings.HasPrefix(r.URL.Path+"/", UIPath) {
		return false
	}
	if r.URL.Path+"/" == UIPath {
		http.Redirect(w, r, UIPath, http.StatusMovedPermanently)
		return true
	}
	s.opts.AdminUI(s).ServeHTTP(w, r)
	return true
}
