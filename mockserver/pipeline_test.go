package mockserver_test

import (
	"iter"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
	"github.com/realestate-mocks/mockserver/spec"
)

// One row per status and code of the pipeline, in pipeline order, named
// by the step that must answer it (checkRefusedBy). Each row also breaks
// every later step, so it proves the order: a request that is both
// unauthenticated and invalid must get the 401, and so on.
func TestPipelineSpark(t *testing.T) {
	s := newServer(t, mockserver.Options{MaxBodyBytes: 256})
	noUA := func(c bt.Req) bt.Req { delete(c.Header, "X-SparkApi-User-Agent"); return c }
	withCT := func(c bt.Req, ct string) bt.Req { c.Header["Content-Type"] = ct; return c }
	tests := []struct {
		name   string
		call   bt.Req
		status int
		code   int
		allow  string
		msg    string
	}{
		{"route: no route, naming the nearest paths", spark("GET", "/spark/v1/listings/"+listing+"/shared/other", "", ""), 404, 404, "", "nearest: /spark/v1/listings/{ListingId}/shared/notes, "},
		{"route: no route below the base path", spark("GET", "/spark/v2/listings", "", ""), 404, 404, "", ""},
		{"method: documented 405 comes before user agent and auth", noUA(spark("POST", notesPath, "", "{")), 405, 405, "GET, PUT, DELETE", "POST is not offered"},
		{"method: 405 on /contacts lists GET only", spark("DELETE", notesPath+"/contacts", "spark-private-token", ""), 405, 405, "GET", ""},
		{"method: method absent from the spec", spark("PATCH", notesPath, "spark-vow-token", ""), 405, 405, "GET, PUT, DELETE", ""},
		{"precheck: missing X-SparkApi-User-Agent comes before auth", noUA(spark("GET", notesPath, "", "")), 400, 1016, "", "X-SparkApi-User-Agent"},
		{"authenticate: no token", spark("GET", notesPath, "", ""), 401, 1000, "", "no credential"},
		{"authenticate: unknown token", spark("GET", notesPath, "nope", ""), 401, 1000, "", "not one this scenario knows"},
		{"authenticate: wrong scheme", bt.Req{Method: "GET", Target: notesPath, Header: map[string]string{"X-SparkApi-User-Agent": "t", "Authorization": "Basic c3Bhcms="}}, 401, 1000, "", ""},
		{"authenticate: expired token", spark("GET", notesPath, "spark-expired-token", ""), 401, 1020, "", "expired"},
		{"authorize: read-only role writing, before validation", spark("PUT", notesPath, "spark-idx-token", "not json"), 405, 1017, "GET, PUT, DELETE", "IDX role may only read"},
		{"authorize: Public writing", spark("DELETE", notesPath+"/contacts/"+vowContact, "spark-public-token", ""), 405, 1017, "", ""},
		{"authorize: IDX reading a VOW/Portal path", spark("GET", notesPath, "spark-idx-token", ""), 403, 1500, "", "served to VOW/Portal sessions, not to IDX"},
		{"authorize: Private on the VOW/Portal path", spark("PUT", notesPath, "spark-private-token", `{"D":{"Note":"x"}}`), 403, 1500, "", ""},
		{"authorize: VOW on the Private path", spark("GET", notesPath+"/contacts", "spark-vow-token", ""), 403, 1500, "", ""},
		{"validate: body over the limit", spark("PUT", notesPath, "spark-vow-token", `{"D":{"Note":"`+strings.Repeat("x", 300)+`"}}`), 413, 1053, "", "over 256 bytes"},
		{"validate: wrong content type", withCT(spark("PUT", notesPath, "spark-vow-token", `{"D":{"Note":"x"}}`), "text/plain"), 400, 1035, "", "text/plain"},
		{"validate: body not JSON", spark("PUT", notesPath, "spark-vow-token", `{"D":`), 400, 1035, "", "not valid JSON"},
		{"validate: no body", spark("PUT", notesPath, "spark-vow-token", ""), 400, 1035, "", "JSON body is required"},
		{"validate: Note missing", spark("PUT", notesPath, "spark-vow-token", `{"D":{}}`), 400, 1050, "", "D.Note"},
		{"validate: D missing", spark("PUT", notesPath, "spark-vow-token", `{"Note":"x"}`), 400, 1050, "", ": D"},
		{"validate: Note of the wrong type", spark("PUT", notesPath, "spark-vow-token", `{"D":{"Note":5}}`), 400, 1053, "", "D.Note"},
		{"validate: listing id not 26 digits", spark("GET", "/spark/v1/listings/123/shared/notes", "spark-vow-token", ""), 400, 1053, "", "ListingId"},
		{"answer: unknown listing", spark("GET", "/spark/v1/listings/20200101000000000000000000/shared/notes", "spark-vow-token", ""), 404, 404, "", "listing 20200101000000000000000000 does not exist"},
		{"answer: unknown contact", spark("GET", notesPath+"/contacts/20200101000000000000000000", "spark-private-token", ""), 404, 404, "", "contact"},
		{"answer: success", spark("GET", notesPath, "spark-vow-token", ""), 200, -1, "", ""},
		{"answer: OAuth prefix accepted", bt.Req{Method: "GET", Target: notesPath, Header: map[string]string{"X-Sparkapi-User-Agent": "gem", "Authorization": "OAuth spark-vow-token"}}, 200, -1, "", ""},
	}
	checkPipelineOrder(t, s, func(yield func(string) bool) {
		for _, tt := range tests {
			if !yield(tt.name) {
				return
			}
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := bt.SendJSON(t, s, tt.call)
			checkRefusedBy(t, s, tt.name)
			if a.Status != tt.status || a.SparkCode(t) != tt.code {
				t.Fatalf("got %d code %d, want %d code %d: %s", a.Status, a.SparkCode(t), tt.status, tt.code, string(a.Body))
			}
			if tt.allow != "" && a.Header.Get("Allow") != tt.allow {
				t.Errorf("Allow = %q, want %q", a.Header.Get("Allow"), tt.allow)
			}
			if tt.status == http.StatusMethodNotAllowed && a.Header.Get("Allow") == "" {
				t.Error("a 405 without Allow")
			}
			if !strings.Contains(a.Message(t), tt.msg) {
				t.Errorf("message %q does not mention %q", a.Message(t), tt.msg)
			}
			if tt.status >= 400 {
				if a.SparkD(t)["Success"] != false {
					t.Errorf("failure without D.Success=false: %s", string(a.Body))
				}
			}
		})
	}
}

func TestPipelineOpenToClose(t *testing.T) {
	s := newServer(t, mockserver.Options{MaxBodyBytes: 256})
	noToken := func(c bt.Req) bt.Req { c.Target = strings.Split(c.Target, "?")[0]; return c }
	withCT := func(c bt.Req, ct string) bt.Req { c.Header["Content-Type"] = ct; return c }
	tests := []struct {
		name   string
		call   bt.Req
		status int
		allow  string
		msg    string
	}{
		{"route: no route", otc("GET", "/properties/123/owners", ""), 404, "", "no path"},
		{"method: method absent from the spec, before auth", noToken(otc("PATCH", "/properties/123/contacts/456", "")), 405, "GET, PUT, DELETE", "PATCH is not offered"},
		{"method: POST on an item", otc("POST", "/properties/123/contacts/456", ""), 405, "GET, PUT, DELETE", ""},
		{"authenticate: no token", noToken(otc("GET", "/properties/123/contacts", "")), 401, "", "api_token"},
		{"authenticate: unknown token", bt.Req{Method: "GET", Target: "/opentoclose/v1/properties/123/contacts?api_token=nope"}, 401, "", "not one this scenario knows"},
		{"authenticate: bearer header is not how this API authenticates", bt.Req{Method: "GET", Target: "/opentoclose/v1/properties/123/contacts", Header: map[string]string{"Authorization": "Bearer otc-demo-token"}}, 401, "", ""},
		{"validate: body over the limit", otc("POST", "/properties/123/contacts", `{"contact_id":1,"notes":"`+strings.Repeat("x", 300)+`"}`), 413, "", "over 256 bytes"},
		{"validate: wrong content type", withCT(otc("POST", "/properties/123/contacts", `{"contact_id":1}`), "text/plain"), 415, "", "text/plain"},
		{"validate: body not JSON", otc("POST", "/properties/123/contacts", `{"contact_id":`), 400, "", "not valid JSON"},
		{"validate: contact_id missing", otc("POST", "/properties/123/contacts", `{"role":"Buyer"}`), 400, "", "contact_id"},
		{"validate: contact_id of the wrong type", otc("POST", "/properties/123/contacts", `{"contact_id":"abc"}`), 400, "", "contact_id"},
		{"validate: contact_id not positive", otc("POST", "/properties/123/contacts", `{"contact_id":0}`), 400, "", "contact_id"},
		{"validate: start_date not a date", otc("POST", "/properties/123/contacts", `{"contact_id":7,"start_date":"soon"}`), 400, "", "start_date"},
		{"validate: empty update", otc("PUT", "/properties/123/contacts/456", `{}`), 400, "", ""},
		{"validate: limit out of range", otc("GET", "/properties/123/contacts?limit=0", ""), 400, "", "limit"},
		{"validate: property id not an integer", otc("GET", "/properties/abc/contacts", ""), 400, "", "property_id"},
		{"answer: unknown property", otc("GET", "/properties/999/contacts", ""), 404, "", "property 999 does not exist"},
		{"answer: unknown link", otc("GET", "/properties/123/contacts/457", ""), 404, "", "457 is not linked"},
		{"answer: duplicate link", otc("POST", "/properties/123/contacts", `{"contact_id":456}`), 409, "", "already linked"},
		{"answer: success", otc("GET", "/properties/123/contacts", ""), 200, "", ""},
		{"answer: GET with a JSON content type and no body, as the SDK sends", otc("GET", "/properties/124/contacts", ""), 200, "", ""},
	}
	checkPipelineOrder(t, s, func(yield func(string) bool) {
		for _, tt := range tests {
			if !yield(tt.name) {
				return
			}
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := bt.SendJSON(t, s, tt.call)
			checkRefusedBy(t, s, tt.name)
			if a.Status != tt.status {
				t.Fatalf("got %d, want %d: %s", a.Status, tt.status, string(a.Body))
			}
			if tt.allow != "" && a.Header.Get("Allow") != tt.allow {
				t.Errorf("Allow = %q, want %q", a.Header.Get("Allow"), tt.allow)
			}
			if tt.status >= 400 && a.Message(t) == "" {
				t.Errorf("failure without a message: %s", string(a.Body))
			}
			if !strings.Contains(a.Message(t), tt.msg) {
				t.Errorf("message %q does not mention %q", a.Message(t), tt.msg)
			}
		})
	}
}

func TestUnmountedPath(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	a := bt.SendJSON(t, s, bt.Req{Method: "GET", Target: "/elsewhere"})
	if a.Status != http.StatusNotFound || !strings.Contains(a.Message(t), "no API is mounted at /elsewhere") {
		t.Fatalf("got %d %s", a.Status, string(a.Body))
	}
}

func TestMounts(t *testing.T) {
	s := newServer(t, mockserver.Options{Mounts: map[string]string{"spark": "/"}})
	if got := bt.SendJSON(t, s, spark("GET", "/v1/listings/"+listing+"/shared/notes", "spark-vow-token", "")); got.Status != 200 {
		t.Errorf("spark at the root: %d %s", got.Status, string(got.Body))
	}
	if got := bt.SendJSON(t, s, otc("GET", "/properties/123/contacts", "")); got.Status != 200 {
		t.Errorf("opentoclose under its prefix beside a root mount: %d %s", got.Status, string(got.Body))
	}
	if got := bt.SendJSON(t, s, spark("GET", "/spark/v1/listings/"+listing+"/shared/notes", "spark-vow-token", "")); got.Status != 404 || got.SparkCode(t) != 404 {
		t.Errorf("old spark prefix still answers: %d %s", got.Status, string(got.Body))
	}
	for name, opts := range map[string]mockserver.Options{
		"clash":         {Mounts: map[string]string{"spark": "/x", "opentoclose": "/x"}},
		"unknown API":   {Mounts: map[string]string{"zillow": "/z"}},
		"unknown start": {Scenario: "nope"},
	} {
		if _, err := bundled.New(opts); err == nil {
			t.Errorf("%s: New accepted %+v", name, opts)
		}
	}
}

// A scenario can switch the pre-auth header check off, for clients that
// never send X-SparkApi-User-Agent; the rest of the pipeline still runs.
func TestPrecheckSwitchedOff(t *testing.T) {
	set, err := bundled.Scenarios(fixtures.Options{Dir: "testdata/precheck-off"})
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(t, mockserver.Options{Scenarios: set, Scenario: "no-user-agent"})
	noUA := spark("GET", notesPath, "spark-vow-token", "")
	delete(noUA.Header, "X-SparkApi-User-Agent")
	if a := bt.SendJSON(t, s, noUA); a.Status != 200 || len(a.SparkResults(t)) != 1 {
		t.Errorf("without the header, check off: %d %s", a.Status, string(a.Body))
	}
	noUA.Header["Authorization"] = "Bearer nope"
	if a := bt.SendJSON(t, s, noUA); a.Status != 401 || a.SparkCode(t) != 1000 {
		t.Errorf("authentication still applies: %d %s", a.Status, string(a.Body))
	}
	if err := s.SwitchScenario("default"); err != nil {
		t.Fatal(err)
	}
	noUA.Header["Authorization"] = "Bearer spark-vow-token"
	if a := bt.SendJSON(t, s, noUA); a.Status != 400 || a.SparkCode(t) != 1016 {
		t.Errorf("back on default, the check applies again: %d %s", a.Status, string(a.Body))
	}
}

// The journal keeps the body of a request refused before validation, so
// a test can see what a client sent when it was turned away.
func TestJournalKeepsBodiesOfRefusedRequests(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	bt.SendJSON(t, s, spark("PUT", notesPath, "spark-idx-token", `{"D":{"Note":"from IDX"}}`))
	entries := s.Requests(mockserver.Filter{Operation: "replaceSharedNote"})
	if len(entries) != 1 || entries[0].Status != 405 || entries[0].Body != `{"D":{"Note":"from IDX"}}` || entries[0].Role != "IDX" {
		t.Fatalf("journal: %+v", entries)
	}
}

// stepOf is the pipeline step a row's name starts with ("authorize: ...").
func stepOf(name string) string {
	step, _, _ := strings.Cut(name, ": ")
	return step
}

// checkRefusedBy checks that the journal's newest entry was answered by
// the step the row names.
func checkRefusedBy(t *testing.T, s *mockserver.Server, name string) {
	t.Helper()
	entries := s.Requests(mockserver.Filter{})
	if len(entries) == 0 {
		t.Fatal("nothing journaled")
	}
	if got, want := entries[len(entries)-1].Step, stepOf(name); got != want {
		t.Errorf("answered by step %q, want %q", got, want)
	}
}

// checkPipelineOrder checks that rows name steps of the pipeline list, in
// its order.
func checkPipelineOrder(t *testing.T, s *mockserver.Server, names iter.Seq[string]) {
	t.Helper()
	index := map[string]int{}
	for i, st := range s.Pipeline("spark") {
		index[st.Name] = i
	}
	last := 0
	for name := range names {
		i, ok := index[stepOf(name)]
		if !ok || i < last {
			t.Errorf("row %q: not a step of the pipeline, or out of its order", name)
			continue
		}
		last = i
	}
}

// The README's precedence table is the pipeline list, read per API: each
// row names a step (or the response check that follows every step), in
// the list's order; every step that can refuse has a row; and each
// status and code is one the step answers with in that API's envelope,
// "–" where no call of that API can meet the step's refusals.
func TestREADMEPipelineTable(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	rows := readmePipelineRows(t)
	const after = "response check"
	columns := []struct {
		api  string
		cell func(readmeRow) string
	}{{"spark", func(r readmeRow) string { return r.spark }}, {"opentoclose", func(r readmeRow) string { return r.otc }}}
	for _, col := range columns {
		env := s.API(col.api).Envelope
		steps := append(s.Pipeline(col.api), mockserver.Step{Name: after, Kinds: []spec.Kind{spec.KindInternal}, Reached: []spec.Kind{spec.KindInternal}})
		next := 0
		for _, row := range rows {
			i := slices.IndexFunc(steps, func(st mockserver.Step) bool { return st.Name == row.step })
			if i < next {
				t.Errorf("row %q %q: step not in the pipeline, or out of its order", row.step, row.what)
				continue
			}
			next = i
			checkREADMECell(t, col.api, row, col.cell(row), steps[i], env)
		}
		for _, st := range steps {
			if len(st.Kinds) > 0 && !slices.ContainsFunc(rows, func(r readmeRow) bool { return r.step == st.Name }) {
				t.Errorf("step %q refuses %v but has no row", st.Name, st.Kinds)
			}
		}
	}
}

type readmeRow struct{ step, what, spark, otc string }

func readmePipelineRows(t *testing.T) []readmeRow {
	t.Helper()
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "## The request pipeline (error precedence)\n")
	if !ok {
		t.Fatal("README has no precedence section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var rows []readmeRow
	for line := range strings.Lines(section) {
		cells := strings.Split(strings.TrimSpace(line), " | ")
		if len(cells) != 4 || !strings.HasPrefix(cells[0], "| ") || strings.HasPrefix(cells[0], "| Step") {
			continue
		}
		rows = append(rows, readmeRow{
			step: strings.Trim(strings.TrimPrefix(cells[0], "| "), "`"), what: cells[1],
			spark: cells[2], otc: strings.TrimSuffix(cells[3], " |"),
		})
	}
	if len(rows) < 10 {
		t.Fatalf("read %d rows of the precedence table", len(rows))
	}
	return rows
}

var (
	sparkCell = regexp.MustCompile(`(\d{3}) / (\d{3,4})`)
	statusOf  = regexp.MustCompile(`\b\d{3}\b`)
)

// checkREADMECell holds one cell to the failures the step answers with.
func checkREADMECell(t *testing.T, api string, row readmeRow, cell string, st mockserver.Step, env *spec.Envelope) {
	t.Helper()
	if cell == "–" {
		if len(st.Reached) > 0 {
			t.Errorf("%s, %s %q: says no call meets it, but one can meet %v", api, row.step, row.what, st.Reached)
		}
		return
	}
	answers := func(status, code int) bool {
		return slices.ContainsFunc(append(slices.Clone(st.Kinds), st.Reached...), func(k spec.Kind) bool {
			ks := env.Kinds[k]
			return ks.Status == status && (code < 0 || ks.Code == code)
		})
	}
	if api == "spark" {
		m := sparkCell.FindStringSubmatch(cell)
		if m == nil {
			t.Errorf("%s, %s %q: cell %q is not status / code", api, row.step, row.what, cell)
			return
		}
		status, _ := strconv.Atoi(m[1])
		code, _ := strconv.Atoi(m[2])
		if !answers(status, code) {
			t.Errorf("%s, %s %q: %d / %d is no failure of the step", api, row.step, row.what, status, code)
		}
		return
	}
	statuses := statusOf.FindAllString(cell, -1)
	if len(statuses) == 0 {
		t.Errorf("%s, %s %q: cell %q names no status", api, row.step, row.what, cell)
	}
	for _, s := range statuses {
		status, _ := strconv.Atoi(s)
		if !answers(status, -1) {
			t.Errorf("%s, %s %q: %d is no failure of the step", api, row.step, row.what, status)
		}
	}
}
