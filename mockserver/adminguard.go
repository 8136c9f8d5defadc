package mockserver

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
)

// AdminHeader marks an admin write as sent on purpose, for a client that
// sends no JSON body. A browser page on another site can send neither it
// nor a JSON Content-Type without a preflight, which the admin API never
// grants.
const AdminHeader = "X-Mock-Admin"

// foreignHost refuses, reporting whether it answered, an admin request
// (the dashboard's pages included) whose Host does not name this machine,
// when there is no admin token: DNS rebinding gives a page of the
// attacker's domain the mock's address, and without a token nothing else
// tells it from the user. With a token, the token decides: a page cannot
// know it.
func (s *Server) foreignHost(w http.ResponseWriter, r *http.Request) bool {
	if s.opts.AdminToken != "" || len(s.opts.AdminHosts) == 0 || s.adminHostAllowed(r.Host) {
		return false
	}
	adminError(w, http.StatusForbidden, fmt.Sprintf("the admin API answers only to Host %s (a guard against DNS rebinding); call it by one of those names, or start the server with an admin token", strings.Join(s.adminHosts(), ", ")))
	return true
}

// simpleWrite refuses, reporting whether it answered, an admin write a
// cross-site form or simple fetch could send: one with neither a JSON
// Content-Type nor the AdminHeader, both of which need a preflight the
// admin API never grants. Only writes the admin API offers come here: a
// 404 or 405 changes nothing.
func (s *Server) simpleWrite(w http.ResponseWriter, r *http.Request) bool {
	if !isWrite(r.Method) || isJSONMedia(r.Header.Get("Content-Type")) || r.Header.Get(AdminHeader) != "" {
		return false
	}
	adminError(w, http.StatusUnsupportedMediaType, fmt.Sprintf("admin writes need Content-Type: application/json or an %s header, which a page on another site cannot send", AdminHeader))
	return true
}

// adminHostAllowed reports whether host (a Host header, with or without a
// port) names this machine: a loopback address, localhost, or one of
// Options.AdminHosts.
func (s *Server) adminHostAllowed(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return true
	}
	return slices.ContainsFunc(s.opts.AdminHosts, func(h string) bool { return strings.EqualFold(h, host) })
}

// adminHosts names the Hosts adminHostAllowed takes, each once (serve
// also lists the address it listens on, often 127.0.0.1).
func (s *Server) adminHosts() []string {
	hosts := []string{"localhost", "127.0.0.1", "[::1]"}
	for _, h := range s.opts.AdminHosts {
		if !slices.ContainsFunc(hosts, func(k string) bool { return strings.EqualFold(k, h) }) {
			hosts = append(hosts, h)
		}
	}
	return hosts
}

// isAdminPath reports whether an escaped path is the admin API's.
func isAdminPath(path string) bool {
	return path == adminPrefix || strings.HasPrefix(path, adminPrefix+"/")
}

// AdminAuthorized reports whether r may use the admin API: it carries
// "Authorization: Bearer <admin token>", or the Server has no token.
func (s *Server) AdminAuthorized(r *http.Request) bool {
	if s.opts.AdminToken == "" {
		return true
	}
	got, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return bearer && subtle.ConstantTimeCompare([]byte(got), []byte(s.opts.AdminToken)) == 1
}
