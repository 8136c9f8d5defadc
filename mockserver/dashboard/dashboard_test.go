package dashboard_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

func TestPagesRender(t *testing.T) {
	s := newMock(t, mockserver.Options{})
	sparkGet(t, s)
	otcPost(t, s, `{"contact_id": 101, "role": "Seller"}`)
	for _, c := range []struct {
		path  string
		wants []string
	}{
		{"/__mock/ui/", []string{`aria-current="page">Requests`, notesPath, "getSharedNote", `class="badge st-2xx">200`, `data-last="2"`, "answer"}},
		{"/__mock/ui/requests?api=spark", []string{notesPath, `<option selected>spark</option>`}},
		{"/__mock/ui/requests/2", []string{"createPropertyContact", `&#34;contact_id&#34;: 101`, "Copy as curl", "Response", "Content-Type"}},
		{"/__mock/ui/coverage", []string{"listPropertyContacts", `class="cell answered st-2xx"`, "documented statuses answered", `class="cell missing"`}},
		{"/__mock/ui/scenarios", []string{`data-scenario="default" class="active"`, `data-action="switch" data-name="empty"`, "Reset state", "Snapshot", "Seller", "hot tub"}},
		{"/__mock/ui/violations", []string{"No violations since the start"}},
	} {
		t.Run(c.path, func(t *testing.T) {
			r := get(t, s, c.path, nil)
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Fatalf("status %d, Content-Type %q: %s", r.status, r.header.Get("Content-Type"), r.body)
			}
			mustContain(t, c.path, r.body, c.wants...)
			mustContain(t, c.path, r.body, "<!doctype html>", "/__mock/ui/static/app.js")
			if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
				t.Errorf("Content-Security-Policy %q does not keep the page to its own origin", csp)
			}
		})
	}
}

func TestFragmentsAndRows(t *testing.T) {
	s := newMock(t, mockserver.Options{})
	for range 3 {
		sparkGet(t, s)
	}
	frag := get(t, s, "/__mock/ui/coverage", map[string]string{"X-Mock-UI": "fragment"})
	if frag.status != 200 || strings.Contains(frag.body, "<!doctype") || !strings.Contains(frag.body, `class="coverage"`) {
		t.Errorf("fragment: status %d, want the content without the frame: %.200s", frag.status, frag.body)
	}
	rows := get(t, s, "/__mock/ui/requests?after=1", map[string]string{"X-Mock-UI": "rows"})
	if got := regexp.MustCompile(`data-seq="(\d+)"`).FindAllStringSubmatch(rows.body, -1); len(got) != 2 || got[0][1] != "3" || got[1][1] != "2" {
		t.Errorf("rows after 1 = %v, want 3 then 2 and nothing else", got)
	}
}

func TestRequestFilters(t *testing.T) {
	s := newMock(t, mockserver.Options{})
	sparkGet(t, s)                                        // 1: spark 200
	otcPost(t, s, `{"contact_id": "not a number"}`)       // 2: otc 400
	send(t, s, "GET", "/spark/v1/nowhere", "", nil)       // 3: spark 404
	otcPost(t, s, `{"contact_id": 101, "role": "Buyer"}`) // 4: otc 201
	seqs := func(body string) string {
		var out []string
		for _, m := range regexp.MustCompile(`<tr data-seq="(\d+)"`).FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct{ query, want string }{
		{"", "4,3,2,1"},
		{"api=spark", "3,1"},
		{"operation=createPropertyContact", "4,2"},
		{"status=4xx", "3,2"},
		{"status=2xx&api=opentoclose", "4"},
		{"q=NOT+A+NUMBER", "2"},
		{"q=nowhere", "3"},
		{"q=Buyer", "4"},
		{"limit=2", "4,3"},
		{"after=2", "4,3"},
		{"status=5xx", ""},
	} {
		t.Run(c.query, func(t *testing.T) {
			r := get(t, s, "/__mock/ui/requests?"+c.query, nil)
			if got := seqs(r.body); got != c.want {
				t.Errorf("rows %q, want %q", got, c.want)
			}
		})
	}
}

// TestRequestDataIsEscaped sends request data that is HTML: every page
// that shows it must show it as text.
func TestRequestDataIsEscaped(t *testing.T) {
	s := newMock(t, mockserver.Options{})
	const attack = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	otcPost(t, s, `{"contact_id": 101, "role": "`+strings.ReplaceAll(attack, `"`, `\"`)+`"}`)
	send(t, s, "GET", "/spark/v1/<script>alert(2)</script>", "", map[string]string{"User-Agent": attack})
	for _, path := range []string{"/__mock/ui/requests", "/__mock/ui/requests?q=script", "/__mock/ui/requests/1", "/__mock/ui/requests/2", "/__mock/ui/violations", "/__mock/ui/scenarios"} {
		r := get(t, s, path, nil)
		mustNotContain(t, path, r.body, "<script>alert", "<img src=x", "<script>alert(2)")
	}
	detail := get(t, s, "/__mock/ui/requests/1", nil).body
	mustContain(t, "detail", detail, `&lt;script&gt;alert(\&#34;x\&#34;)&lt;/script&gt;`)
	mustContain(t, "scenarios", get(t, s, "/__mock/ui/scenarios", nil).body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`)
}

func TestTokenRule(t *testing.T) {
	s := newMock(t, mockserver.Options{AdminToken: "s3cret"})
	sparkGet(t, s)
	bearer := map[string]string{"Authorization": "Bearer s3cret"}
	for _, c := range []struct {
		name, path string
		header     map[string]string
		status     int
		wants      []string
		unwanted   []string
	}{
		{"frame without token asks for it", "/__mock/ui/requests", nil, 200,
			[]string{"data-locked", `id="token-form"`, "--admin-token"}, []string{notesPath, "default", "getSharedNote"}},
		{"detail frame without token", "/__mock/ui/requests/1", nil, 200, []string{`id="token-form"`}, []string{notesPath}},
		{"fragment without token", "/__mock/ui/requests", map[string]string{"X-Mock-UI": "fragment"}, 401, nil, []string{notesPath}},
		{"fragment with a wrong token", "/__mock/ui/requests", map[string]string{"X-Mock-UI": "fragment", "Authorization": "Bearer nope"}, 401, nil, nil},
		{"fragment with the token", "/__mock/ui/requests", map[string]string{"X-Mock-UI": "fragment", "Authorization": "Bearer s3cret"}, 200, []string{notesPath}, []string{"token-form"}},
		{"page with the token", "/__mock/ui/coverage", bearer, 200, []string{"getSharedNote"}, []string{"token-form"}},
		{"script needs no token", "/__mock/ui/static/app.js", nil, 200, []string{"sessionStorage"}, nil},
		{"style needs no token", "/__mock/ui/static/app.css", nil, 200, []string{"--s2"}, nil},
		{"events need the token", "/__mock/events", nil, 401, nil, nil},
		{"the JSON API still needs it", "/__mock/requests", nil, 401, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := get(t, s, c.path, c.header)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, c.status, r.body)
			}
			mustContain(t, c.path, r.body, c.wants...)
			mustNotContain(t, c.path, r.body, c.unwanted...)
		})
	}
}

func TestUIRouting(t *testing.T) {
	s := newMock(t, mockserver.Options{})
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/__mock/ui", http.StatusMovedPermanently},
		{"GET", "/__mock/ui/nope", 404},
		{"GET", "/__mock/ui/requests/999", 404},
		{"GET", "/__mock/ui/requests/abc", 404},
		{"POST", "/__mock/ui/requests", 405},
		{"GET", "/__mock/ui/static/missing.js", 404},
	} {
		if r := send(t, s, c.method, c.path, "", nil); r.status != c.status {
			t.Errorf("%s %s: status %d, want %d", c.method, c.path, r.status, c.status)
		}
	}
	plain := bt.New(t, mockserver.Options{})
	if r := get(t, plain, "/__mock/ui/", nil); r.status != 404 || !strings.Contains(r.body, "no admin endpoint") {
		t.Errorf("without AdminUI: status %d %s, want the admin API's 404", r.status, r.body)
	}
}

func TestViolationsGrouped(t *testing.T) {
	s := newMock(t, mockserver.Options{Validation: mockserver.Lenient})
	// A behaviour that breaks the spec: the note is a number.
	err := s.Handle("spark", "getSharedNote", mockserver.BehaviorFunc(func(*mockserver.Call) *mockserver.Reply {
		return mockserver.JSON(200, map[string]any{"D": map[string]any{"Success": true, "Results": []any{map[string]any{"Note": 42}}}})
	}))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		sparkGet(t, s)
	}
	otcPost(t, s, `{"contact_id": "x"}`)
	r := get(t, s, "/__mock/ui/violations", nil)
	mustContain(t, "violations", r.body, "getSharedNote", "createPropertyContact", "/D/Results/0/Note", "/contact_id", `tag-response`, `tag-request`, "<b>3</b>")
	if strings.Index(r.body, "getSharedNote") > strings.Index(r.body, "createPropertyContact") {
		t.Error("operations are not sorted by count, most first")
	}
	only := get(t, s, "/__mock/ui/violations?in=request", nil).body
	mustNotContain(t, "request violations", only, "getSharedNote")
	mustContain(t, "request violations", only, "createPropertyContact")
	detail := get(t, s, "/__mock/ui/requests/1", nil).body
	mustContain(t, "detail", detail, "2 violations", "/D/Results/0/ResourceUri", "/D/Results/0/Note", "response", "answer")
}

func TestCoverageMatrix(t *testing.T) {
	s := newMock(t, mockserver.Options{})
	sparkGet(t, s)
	sparkGet(t, s)
	send(t, s, "GET", otcPath+"?api_token="+otcToken, "", map[string]string{"Prefer": "code=500"})
	body := get(t, s, "/__mock/ui/coverage", nil).body
	mustContain(t, "coverage", body, `title="200 answered 2×">2</span>`, `title="500 answered 1×">1</span>`, `title="404 is documented and was never answered"`)
	cov := s.Coverage()
	covered, documented := 0, 0
	for _, a := range cov.APIs {
		covered += a.CoveredStatuses
		documented += a.DocumentedStatuses
	}
	mustContain(t, "coverage", body, fmt.Sprintf(`<div class="pct" id="coverage-pct">%d<small>%%</small>`, covered*100/documented))
}

func TestScenarioSwitchShowsNewState(t *testing.T) {
	s := newMock(t, mockserver.Options{})
	before := get(t, s, "/__mock/ui/scenarios", nil).body
	mustContain(t, "default", before, "Primary decision maker", "7484664")
	if r := send(t, s, "PUT", "/__mock/scenario", `{"name":"empty"}`, map[string]string{"Content-Type": "application/json"}); r.status != 200 {
		t.Fatalf("switch: %d %s", r.status, r.body)
	}
	after := get(t, s, "/__mock/ui/scenarios", nil).body
	mustContain(t, "empty", after, `data-scenario="empty" class="active"`, "No records.")
	mustNotContain(t, "empty", after, "Primary decision maker")
}

func TestLargeStoreShowsTheFirstRecords(t *testing.T) {
	s := newMock(t, mockserver.Options{})
	for i := range 600 {
		otcPost(t, s, fmt.Sprintf(`{"contact_id": %d, "role": "Buyer"}`, 5000+i))
	}
	body := get(t, s, "/__mock/ui/scenarios", nil).body
	// The seed's one link of property 123 and the 600 new: 500 shown.
	mustContain(t, "scenarios", body, "and 101 more (<code>GET /__mock/state</code> has them all)")
}
