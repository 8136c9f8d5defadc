package mockserver

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/realestate-mocks/mockserver/spec"
)

// route finds the path template below the mount.
func (s *Server) route(ex *exchange) *Reply {
	if _, err := url.PathUnescape(ex.rest); err != nil {
		return Fail(spec.KindNotFound, "the path is not validly escaped")
	}
	c := ex.m.c
	match, ok := c.matches.get(ex.rest)
	if !ok {
		if match, ok = c.api.MatchPath(ex.rest); ok {
			c.matches.add(ex.rest, match)
		}
	}
	if !ok {
		nearest := c.nearestPaths(ex.rest, 3)
		for i := range nearest {
			nearest[i] = ex.m.prefix + nearest[i]
		}
		return Fail(spec.KindNotFound, fmt.Sprintf("no path %s in the %s API; nearest: %s", ex.entry.Path, ex.m.name, strings.Join(nearest, ", ")))
	}
	ex.path, ex.params = c.paths[match.Template], match.Params
	return nil
}

// routeMemo remembers the match of each path already routed: clients
// call the same few paths again and again, and each match's parameter
// map is shared by the calls to it, read and never changed (Call's
// PathParams says so). It keeps at most maxRoutes paths, starting over
// when full.
type routeMemo struct {
	mu      sync.RWMutex
	matches map[string]spec.PathMatch // escaped path below the mount -> its match
}

const maxRoutes = 256

func (m *routeMemo) get(path string) (spec.PathMatch, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	match, ok := m.matches[path]
	return match, ok
}

func (m *routeMemo) add(path string, match spec.PathMatch) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.matches == nil || len(m.matches) >= maxRoutes {
		m.matches = make(map[string]spec.PathMatch)
	}
	m.matches[strings.Clone(path)] = match
}

// method finds the path's operation. The seed says undocumented methods
// and those documented only as 405 answer 405 whoever asks, so this comes
// before authentication.
func (s *Server) method(ex *exchange) *Reply {
	ex.op = ex.path.methods[ex.r.Method]
	if ex.op != nil {
		ex.entry.Operation = ex.op.op.Key()
	}
	if ex.op == nil || ex.op.op.NotImplemented {
		return Fail(spec.KindMethodNotAllowed, fmt.Sprintf("%s is not offered on %s; use %s", ex.r.Method, ex.path.template, ex.path.allow))
	}
	return nil
}

// precheckHeaders checks the required headers the API looks at before
// anything else (x-checked-before-auth).
func (s *Server) precheckHeaders(ex *exchange) *Reply {
	for _, h := range ex.op.op.PrecheckHeaders {
		if ex.r.Header.Get(h) != "" {
			continue
		}
		if ex.part.SkipPrecheckHeaders {
			// kin-openapi still validates the header as required.
			ex.r.Header.Set(h, "mockserver (check switched off by the scenario)")
			continue
		}
		return Fail(spec.KindMissingHeader, ex.m.c.missingHeaderDetail(h))
	}
	return nil
}

// authenticate finds who the credential belongs to among the active
// scenario's principals.
func (s *Server) authenticate(ex *exchange) *Reply {
	auth := ex.m.c.api.Auth
	if auth == nil || !ex.op.op.Secured {
		return nil
	}
	cred := auth.Credential(ex.r)
	if cred == "" {
		return Fail(spec.KindUnauthenticated, "no credential: send "+describeAuth(auth))
	}
	p, ok := ex.part.Principals[cred]
	if !ok {
		return Fail(spec.KindUnauthenticated, "the token is not one this scenario knows")
	}
	ex.entry.credential = cred
	if p.Expired {
		return Fail(spec.KindExpiredToken, "")
	}
	ex.principal = p
	ex.entry.Role = p.Role
	return nil
}

// readBody reads the body within the limit and puts it back for
// kin-openapi, which reads it again. It never replies: a body that could
// not be read is refused at validate.
func (s *Server) readBody(ex *exchange) *Reply {
	r := ex.r
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	clock := startBodyClock(ex.w, s.opts.BodyTimeout)
	body, err := readAll(http.MaxBytesReader(ex.w, r.Body, s.opts.MaxBodyBytes), r.ContentLength, s.opts.MaxBodyBytes)
	clock.end(err)
	if err != nil {
		// What is left of the body must not be read as the next request,
		// nor waited for (bodyClock makes net/http's drain fail at once).
		ex.w.Header().Set("Connection", "close")
	}
	ex.body, ex.bodyErr = body, err
	ex.entry.Body = journalBody(body)
	rb := &bodyReader{}
	rb.Reset(body)
	r.Body = rb // for kin-openapi and behaviours that read it again
	return nil
}

// bodyReader gives back a body already read, in one allocation.
type bodyReader struct{ bytes.Reader }

func (*bodyReader) Close() error { return nil }

// authorize applies x-roles: a read-only role writing first (the seed's
// role table), then a role the path does not serve.
func (s *Server) authorize(ex *exchange) *Reply {
	op := ex.op.op
	if len(op.Roles) == 0 {
		return nil
	}
	role := ex.principal.Role
	if isWrite(ex.r.Method) && !ex.m.c.api.Roles[role].Writes {
		return Fail(spec.KindReadOnlyRole, fmt.Sprintf("the %s role may only read", roleName(role)))
	}
	if !slices.Contains(op.Roles, role) {
		return Fail(spec.KindForbiddenRole, fmt.Sprintf("%s is served to %s sessions, not to %s", ex.path.template, strings.Join(op.Roles, "/"), roleName(role)))
	}
	return nil
}

// readAll reads a body of a declared length in one allocation; a body
// longer than it declared is cut short by net/http, not here.
func readAll(r io.Reader, length, limit int64) ([]byte, error) {
	if length < 0 || length > limit {
		return io.ReadAll(r)
	}
	buf := make([]byte, 0, length+1) // +1: io.EOF fits without growing
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) {
			return io.ReadAll(io.MultiReader(bytes.NewReader(buf), r))
		}
	}
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

func roleName(role string) string {
	if role == "" {
		return "an unnamed"
	}
	return role
}

func describeAuth(a *spec.Auth) string {
	if len(a.Prefixes) > 0 {
		return fmt.Sprintf("an Authorization header (%s <token>)", strings.Join(a.Prefixes, " or "))
	}
	return fmt.Sprintf("the %s %s parameter", a.Name, a.In)
}
