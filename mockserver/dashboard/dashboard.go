package dashboard

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/realestate-mocks/mockserver/mockserver"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Base is where the dashboard is served.
const Base = mockserver.UIPath

// fragmentHeader asks for a page's content without the frame around it:
// what the page's script fetches once it holds the token, or to refresh.
const fragmentHeader = "X-Mock-UI"

var templates = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/*.html"))
})

var static = sync.OnceValue(func() http.Handler {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err)
	}
	return http.StripPrefix(Base+"static/", http.FileServerFS(sub))
})

// Handler serves the dashboard of s. It is cheap: the templates are
// parsed once per process.
func Handler(s *mockserver.Server) http.Handler { return &ui{s: s} }

type ui struct{ s *mockserver.Server }

// page is what the frame template needs, with the page's own data.
type page struct {
	Name     string // template and nav key
	Title    string
	Scenario string
	// Locked is true when the data needs the admin token the request did
	// not carry: the frame is served empty and the script fetches the rest.
	Locked bool
	Data   any
}

func (u *ui) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, Base)
	if strings.HasPrefix(path, "static/") {
		w.Header().Set("Cache-Control", "no-cache")
		static().ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "the dashboard is read-only; its buttons call the admin API", http.StatusMethodNotAllowed)
		return
	}
	build, title, name := u.route(path)
	if build == nil {
		http.Error(w, "no dashboard page "+r.URL.Path, http.StatusNotFound)
		return
	}
	u.serve(w, r, name, title, build)
}

// builder makes a page's data, or answers the request itself (a 404 for
// an unknown entry) and returns nil.
type builder func(w http.ResponseWriter, r *http.Request) any

func (u *ui) route(path string) (builder, string, string) {
	switch {
	case path == "" || path == "requests":
		return u.requests, "Requests", "requests"
	case strings.HasPrefix(path, "requests/"):
		return u.detail, "Request", "detail"
	case path == "violations":
		return u.violations, "Violations", "violations"
	case path == "coverage":
		return u.coverage, "Coverage", "coverage"
	case path == "scenarios":
		return u.scenarios, "Scenarios", "scenarios"
	}
	return nil, "", ""
}

// serve renders the full page, the content alone for a fragment request,
// the rows alone for a live update, or the empty frame for a browser that
// has yet to send the token.
func (u *ui) serve(w http.ResponseWriter, r *http.Request, name, title string, build builder) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", fragmentHeader+", Authorization")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	mode := r.Header.Get(fragmentHeader)
	authorized := u.s.AdminAuthorized(r)
	if !authorized && mode != "" {
		h.Set("WWW-Authenticate", `Bearer realm="mockserver admin"`)
		http.Error(w, "the admin API needs Authorization: Bearer <admin token>", http.StatusUnauthorized)
		return
	}
	p := page{Name: name, Title: title, Scenario: u.s.Scenario(), Locked: !authorized}
	if authorized {
		if p.Data = build(w, r); p.Data == nil {
			return
		}
	}
	tmpl := "frame"
	switch mode {
	case "fragment":
		tmpl = name
	case "rows":
		tmpl = "rows"
	}
	var buf bytes.Buffer
	if err := templates().ExecuteTemplate(&buf, tmpl, p); err != nil {
		slog.Error("dashboard template", "page", name, "err", err)
		http.Error(w, "the dashboard failed to render: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}
