package mockserver_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	"github.com/realestate-mocks/mockserver/mockserver/mockservertest"
)

// The fixture data the bundled scenarios are built on (fixtures/default.yaml).
const (
	scListing       = "20100815153524571646000000"
	scVOWContact    = "20100912536192756362000000"
	scPortalContact = "20100912153422758914000000"
	scSeedNote      = "Great home, wondering if seller is willing to include hot tub."
	scOTCToken      = "otc-demo-token"
	scNotes         = "/listings/" + scListing + "/shared/notes"
	scContactNotes  = scNotes + "/contacts"
	// scRulesScenario is testdata/scenarios/scenario-rules.yaml.
	scRulesScenario = "scenario-rules"
)

// scReq is one request to one of the served APIs, described as data so
// test tables stay short. Build it with scSpark, scOTC or scAdmin.
type scReq struct {
	method, target string
	body           any // nil: no body; string: sent as is; else JSON-encoded
	header         map[string]string
}

// scSpark is a Spark call under /spark/v1 with a Bearer token ("" sends
// no Authorization) and the X-SparkApi-User-Agent header the API needs.
func scSpark(token, method, path string) scReq {
	h := map[string]string{"X-SparkApi-User-Agent": "mockserver-tests"}
	if token != "" {
		h["Authorization"] = "Bearer " + token
	}
	return scReq{method: method, target: "/spark/v1" + path, header: h}
}

// scOTC is an Open To Close call under /opentoclose/v1 with the demo token
// appended to the query, as the SDK sends it.
func scOTC(method, path string) scReq {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return scReq{method: method, target: "/opentoclose/v1" + path + sep + "api_token=" + scOTCToken, header: map[string]string{}}
}

// scAdmin is a call to the admin API under /__mock.
func scAdmin(method, path string) scReq {
	header := map[string]string{}
	if method != http.MethodGet {
		header["Content-Type"] = "application/json" // as admin writes must
	}
	return scReq{method: method, target: "/__mock" + path, header: header}
}

// with returns a copy of r that sends body.
func (r scReq) with(body any) scReq {
	r.body = body
	return r
}

// hdr returns a copy of r with one more header ("" as value removes it).
func (r scReq) hdr(name, value string) scReq {
	h := make(map[string]string, len(r.header)+1)
	for k, v := range r.header {
		h[k] = v
	}
	if value == "" {
		delete(h, name)
	} else {
		h[name] = value
	}
	r.header = h
	return r
}

func (r scReq) build(t testing.TB, base string) *http.Request {
	t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encode body: %v", err)
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequest(r.method, base+r.target, body)
	if err != nil {
		t.Fatalf("new request %s %s: %v", r.method, r.target, err)
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	return req
}

// scResp is a finished response.
type scResp struct {
	Status int
	Header http.Header
	Body   []byte
}

// value decodes the body as JSON.
func (r scResp) value(t testing.TB) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("body is not JSON (%v): %s", err, r.Body)
	}
	return v
}

// object decodes a JSON object body.
func (r scResp) object(t testing.TB) map[string]any {
	t.Helper()
	obj, ok := r.value(t).(map[string]any)
	if !ok {
		t.Fatalf("body is not a JSON object: %s", r.Body)
	}
	return obj
}

// sparkD is the D object every Spark body is wrapped in.
func (r scResp) sparkD(t testing.TB) map[string]any {
	t.Helper()
	d, ok := r.object(t)["D"].(map[string]any)
	if !ok {
		t.Fatalf("Spark body has no D object: %s", r.Body)
	}
	return d
}

// sparkResults is D.Results of a successful Spark answer.
func (r scResp) sparkResults(t testing.TB) []any {
	t.Helper()
	d := r.sparkD(t)
	if d["Success"] != true {
		t.Fatalf("D.Success is not true: %s", r.Body)
	}
	res, ok := d["Results"].([]any)
	if !ok {
		t.Fatalf("D.Results is not an array: %s", r.Body)
	}
	return res
}

// otcLinks is an Open To Close list body.
func (r scResp) otcLinks(t testing.TB) []map[string]any {
	t.Helper()
	arr, ok := r.value(t).([]any)
	if !ok {
		t.Fatalf("body is not a JSON array: %s", r.Body)
	}
	out := make([]map[string]any, len(arr))
	for i, v := range arr {
		if out[i], ok = v.(map[string]any); !ok {
			t.Fatalf("item %d is not an object: %s", i, r.Body)
		}
	}
	return out
}

// scStep is one request and what its answer must be.
type scStep struct {
	req    scReq
	status int
	// code, when set, is the Spark D.Code the answer must carry.
	code int
	// message, when set, must be part of the error message (Spark
	// D.Message, or Open To Close and admin "message").
	message string
	// header lists headers the answer must carry with exactly these values.
	header map[string]string
	check  func(t *testing.T, r scResp)
}

// scMock drives one Server through its http.Handler, in process.
type scMock struct {
	srv *mockserver.Server
}

func newSCMock(t testing.TB, opts mockserver.Options) *scMock {
	t.Helper()
	srv, err := mockserver.New(withBundled(t, opts))
	if err != nil {
		t.Fatalf("mockserver.New: %v", err)
	}
	return &scMock{srv: srv}
}

// scScenarioMock serves one scenario of the bundled set.
func scScenarioMock(t testing.TB, scenario string) *scMock {
	t.Helper()
	return newSCMock(t, mockserver.Options{Scenario: scenario})
}

// scRulesSet is the bundled scenarios plus testdata/scenarios.
func scRulesSet(t testing.TB) *fixtures.Set {
	t.Helper()
	set, err := bundled.Scenarios(fixtures.Options{Dir: "testdata/scenarios"})
	if err != nil {
		t.Fatalf("load testdata/scenarios: %v", err)
	}
	return set
}

func (m *scMock) send(t testing.TB, r scReq) scResp {
	t.Helper()
	rec := httptest.NewRecorder()
	m.srv.ServeHTTP(rec, r.build(t, "http://mock.test"))
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return scResp{Status: res.StatusCode, Header: res.Header, Body: body}
}

// run sends each step in order and checks its answer.
func (m *scMock) run(t *testing.T, steps ...scStep) {
	t.Helper()
	for i, s := range steps {
		r := m.send(t, s.req)
		scCheck(t, i, s, r)
	}
}

func scCheck(t *testing.T, i int, s scStep, r scResp) {
	t.Helper()
	where := s.req.method + " " + s.req.target
	if r.Status != s.status {
		t.Fatalf("step %d %s: status %d, want %d; body %s", i, where, r.Status, s.status, r.Body)
	}
	for k, v := range s.header {
		if got := r.Header.Get(k); got != v {
			t.Errorf("step %d %s: header %s = %q, want %q", i, where, k, got, v)
		}
	}
	if s.code != 0 || (s.message != "" && strings.HasPrefix(s.req.target, "/spark/")) {
		d := r.sparkD(t)
		if s.code != 0 && d["Success"] != false {
			t.Errorf("step %d %s: D.Success = %v, want false", i, where, d["Success"])
		}
		if got, _ := d["Code"].(float64); s.code != 0 && int(got) != s.code {
			t.Errorf("step %d %s: D.Code = %v, want %d; body %s", i, where, d["Code"], s.code, r.Body)
		}
		if msg, _ := d["Message"].(string); !strings.Contains(msg, s.message) {
			t.Errorf("step %d %s: D.Message %q does not contain %q", i, where, msg, s.message)
		}
	} else if s.message != "" {
		if msg, _ := r.object(t)["message"].(string); !strings.Contains(msg, s.message) {
			t.Errorf("step %d %s: message %q does not contain %q", i, where, msg, s.message)
		}
	}
	if s.check != nil {
		s.check(t, r)
	}
}

// Checks used by several tables.

func scWantSeedNote(t *testing.T, r scResp) {
	t.Helper()
	res := r.sparkResults(t)
	if len(res) != 1 {
		t.Fatalf("Results has %d notes, want the seed note: %s", len(res), r.Body)
	}
	note, _ := res[0].(map[string]any)
	if note["Note"] != scSeedNote || note["ContactId"] != scVOWContact {
		t.Errorf("Results[0] = %v, want contact %s's note %q", note, scVOWContact, scSeedNote)
	}
	want := "/v1/listings/" + scListing + "/shared/notes/contacts/" + scVOWContact
	if note["ResourceUri"] != want {
		t.Errorf("ResourceUri = %v, want %s", note["ResourceUri"], want)
	}
}

func scWantNoNotes(t *testing.T, r scResp) {
	t.Helper()
	if res := r.sparkResults(t); len(res) != 0 {
		t.Errorf("Results = %v, want none", res)
	}
}

func scWantSeedLink(t *testing.T, r scResp) {
	t.Helper()
	links := r.otcLinks(t)
	if len(links) != 1 {
		t.Fatalf("got %d links, want the seed's one: %s", len(links), r.Body)
	}
	scWantBuyerLink(t, links[0])
}

func scWantBuyerLink(t *testing.T, l map[string]any) {
	t.Helper()
	want := map[string]any{
		"id": 7484664.0, "contact_id": 456.0, "role": "Buyer", "primary": true,
		"start_date": "2024-01-15", "notes": "Primary decision maker",
		"contact_role": map[string]any{"title": "Buyer"},
	}
	for k, v := range want {
		if !reflect.DeepEqual(l[k], v) {
			t.Errorf("link %s = %#v, want %#v", k, l[k], v)
		}
	}
}

func scWantEmptyList(t *testing.T, r scResp) {
	t.Helper()
	if links := r.otcLinks(t); len(links) != 0 {
		t.Errorf("got %d links, want none: %s", len(links), r.Body)
	}
}

// TestBundledScenarios shows, through the handler, that each bundled
// scenario keeps the promise its description makes. Each row gets its own
// Server, so rows that write do not disturb others.
func TestBundledScenarios(t *testing.T) {
	t.Parallel()
	noteBody := map[string]any{"D": map[string]any{"Note": "A new note."}}
	rows := []struct {
		name     string
		scenario string
		steps    []scStep
	}{
		// default: every token acts with its role.
		{"default/IDX reads notes: 403 1500", "default", []scStep{
			{req: scSpark("spark-idx-token", "GET", scNotes), status: 403, code: 1500},
		}},
		{"default/IDX writes: 405 1017 with Allow", "default", []scStep{
			{req: scSpark("spark-idx-token", "PUT", scNotes).with(noteBody), status: 405, code: 1017,
				header: map[string]string{"Allow": "GET, PUT, DELETE"}},
		}},
		{"default/Public reads notes: 403 1500", "default", []scStep{
			{req: scSpark("spark-public-token", "GET", scNotes), status: 403, code: 1500},
		}},
		{"default/Public deletes: 405 1017", "default", []scStep{
			{req: scSpark("spark-public-token", "DELETE", scNotes), status: 405, code: 1017},
		}},
		{"default/VOW reads its seed note", "default", []scStep{
			{req: scSpark("spark-vow-token", "GET", scNotes), status: 200, check: scWantSeedNote},
		}},
		{"default/VOW with the OAuth scheme the Ruby gem sends", "default", []scStep{
			{req: scSpark("", "GET", scNotes).hdr("Authorization", "OAuth spark-vow-token"), status: 200, check: scWantSeedNote},
		}},
		{"default/Portal reads no note", "default", []scStep{
			{req: scSpark("spark-portal-token", "GET", scNotes), status: 200, check: scWantNoNotes},
		}},
		{"default/Portal may not list every contact's notes", "default", []scStep{
			{req: scSpark("spark-portal-token", "GET", scContactNotes), status: 403, code: 1500},
		}},
		{"default/Private lists the seed note", "default", []scStep{
			{req: scSpark("spark-private-token", "GET", scContactNotes), status: 200, check: scWantSeedNote},
		}},
		{"default/Private reads one contact's note", "default", []scStep{
			{req: scSpark("spark-private-token", "GET", scContactNotes+"/"+scVOWContact), status: 200, check: scWantSeedNote},
			{req: scSpark("spark-private-token", "GET", scContactNotes+"/"+scPortalContact), status: 200, check: scWantNoNotes},
		}},
		{"default/Private may not use the session path", "default", []scStep{
			{req: scSpark("spark-private-token", "GET", scNotes), status: 403, code: 1500},
		}},
		{"default/expired token: 401 1020", "default", []scStep{
			{req: scSpark("spark-expired-token", "GET", scNotes), status: 401, code: 1020},
		}},
		{"default/unknown token: 401 1000", "default", []scStep{
			{req: scSpark("no-such-token", "GET", scNotes), status: 401, code: 1000},
		}},
		{"default/no token: 401 1000", "default", []scStep{
			{req: scSpark("", "GET", scNotes), status: 401, code: 1000},
		}},
		{"default/no X-SparkApi-User-Agent: 400 1016", "default", []scStep{
			{req: scSpark("spark-vow-token", "GET", scNotes).hdr("X-SparkApi-User-Agent", ""), status: 400, code: 1016},
		}},
		{"default/VOW writes then reads its note", "default", []scStep{
			{req: scSpark("spark-vow-token", "PUT", scNotes).with(noteBody), status: 200},
			{req: scSpark("spark-vow-token", "GET", scNotes), status: 200, check: func(t *testing.T, r scResp) {
				if res := r.sparkResults(t); len(res) != 1 || res[0].(map[string]any)["Note"] != "A new note." {
					t.Errorf("Results = %v, want the new note", res)
				}
			}},
		}},
		{"default/OTC property 123 has contact 456 as primary Buyer", "default", []scStep{
			{req: scOTC("GET", "/properties/123/contacts"), status: 200, check: scWantSeedLink},
			{req: scOTC("GET", "/properties/123/contacts/456"), status: 200, check: func(t *testing.T, r scResp) {
				scWantBuyerLink(t, r.object(t))
			}},
		}},
		{"default/OTC property 124 has no contacts", "default", []scStep{
			{req: scOTC("GET", "/properties/124/contacts"), status: 200, check: scWantEmptyList},
		}},
		{"default/OTC property 999 does not exist", "default", []scStep{
			{req: scOTC("GET", "/properties/999/contacts"), status: 404, message: "Not found"},
		}},
		{"default/OTC unknown token: 401", "default", []scStep{
			{req: scReq{method: "GET", target: "/opentoclose/v1/properties/123/contacts?api_token=nope"}, status: 401, message: "api_token"},
		}},

		// empty: the same tokens, no records.
		{"empty/VOW reads the seed listing: 404", "empty", []scStep{
			{req: scSpark("spark-vow-token", "GET", scNotes), status: 404, code: 404},
		}},
		{"empty/Private lists the seed listing: 404", "empty", []scStep{
			{req: scSpark("spark-private-token", "GET", scContactNotes), status: 404, code: 404},
		}},
		{"empty/roles still apply", "empty", []scStep{
			{req: scSpark("spark-idx-token", "GET", scNotes), status: 403, code: 1500},
			{req: scSpark("spark-public-token", "PUT", scNotes).with(noteBody), status: 405, code: 1017},
			{req: scSpark("spark-expired-token", "GET", scNotes), status: 401, code: 1020},
			{req: scSpark("no-such-token", "GET", scNotes), status: 401, code: 1000},
		}},
		{"empty/OTC properties are gone", "empty", []scStep{
			{req: scOTC("GET", "/properties/123/contacts"), status: 404},
			{req: scOTC("GET", "/properties/124/contacts"), status: 404},
			{req: scOTC("GET", "/properties/123/contacts/456"), status: 404},
		}},
		{"empty/no records in state", "empty", []scStep{
			{req: scAdmin("GET", "/state"), status: 200, check: func(t *testing.T, r scResp) {
				want := `{"opentoclose":{"properties":[]},"spark":{"listings":[]}}`
				if !scJSONEqual(t, r.Body, []byte(want)) {
					t.Errorf("state = %s, want %s", r.Body, want)
				}
			}},
		}},

		// errors: each rule of fixtures/errors.yaml (TestErrorsScenarioRulesCovered
		// checks that no rule is left out).
		{"errors/property-124-rate-limited", "errors", []scStep{
			{req: scOTC("GET", "/properties/124/contacts"), status: 429, message: "Too many requests",
				header: map[string]string{"Retry-After": "2"}},
			{req: scOTC("GET", "/properties/124/contacts"), status: 429, header: map[string]string{"Retry-After": "2"}},
			{req: scOTC("GET", "/properties/123/contacts"), status: 200, check: scWantSeedLink},
		}},
		{"errors/first-create-fails", "errors", []scStep{
			{req: scOTC("POST", "/properties/124/contacts").with(map[string]any{"contact_id": 789}), status: 500, message: "Internal server error"},
			{req: scOTC("GET", "/properties/123/contacts/789"), status: 404},
			{req: scOTC("POST", "/properties/123/contacts").with(map[string]any{"contact_id": 789, "role": "Seller"}), status: 201},
			{req: scOTC("GET", "/properties/123/contacts/789"), status: 200},
			{req: scOTC("POST", "/properties/123/contacts").with(map[string]any{"contact_id": 790}), status: 201},
			// A reset restarts the rule's count.
			{req: scAdmin("POST", "/reset"), status: 200},
			{req: scOTC("POST", "/properties/123/contacts").with(map[string]any{"contact_id": 789}), status: 500},
			{req: scOTC("POST", "/properties/123/contacts").with(map[string]any{"contact_id": 789}), status: 201},
		}},
		{"errors/shared-note-rate-limited", "errors", []scStep{
			{req: scSpark("spark-vow-token", "GET", scNotes), status: 429, code: 1550, message: "Over rate limit"},
			{req: scSpark("spark-portal-token", "GET", scNotes), status: 429, code: 1550},
		}},
		{"errors/contact-note-server-error", "errors", []scStep{
			{req: scSpark("spark-private-token", "GET", scContactNotes+"/"+scVOWContact), status: 500, code: 1026},
			{req: scSpark("spark-private-token", "GET", scContactNotes+"/"+scVOWContact), status: 500, code: 1026},
		}},
		{"errors/other calls are untouched", "errors", []scStep{
			{req: scSpark("spark-private-token", "GET", scContactNotes), status: 200, check: scWantSeedNote},
			{req: scSpark("spark-vow-token", "PUT", scNotes).with(noteBody), status: 200},
			{req: scOTC("GET", "/properties/123/contacts/456"), status: 200},
		}},
		{"errors/authentication and roles come before the rules", "errors", []scStep{
			{req: scSpark("spark-idx-token", "GET", scNotes), status: 403, code: 1500},
			{req: scSpark("no-such-token", "GET", scNotes), status: 401, code: 1000},
		}},

		// opentoclose-live: PUT and DELETE refused, create keeps only contact_id.
		{"opentoclose-live/PUT and DELETE answer 405 with Allow", "opentoclose-live", []scStep{
			{req: scOTC("PUT", "/properties/123/contacts/456").with(map[string]any{"role": "Seller"}), status: 405,
				message: "Method not allowed", header: map[string]string{"Allow": "GET"}},
			{req: scOTC("DELETE", "/properties/123/contacts/456"), status: 405,
				message: "Method not allowed", header: map[string]string{"Allow": "GET"}},
			{req: scOTC("GET", "/properties/123/contacts"), status: 200, check: scWantSeedLink},
		}},
		{"opentoclose-live/create keeps only contact_id", "opentoclose-live", []scStep{
			{req: scOTC("POST", "/properties/124/contacts").with(map[string]any{
				"contact_id": 789, "role": "Buyer", "primary": true, "start_date": "2024-02-01", "notes": "dropped",
			}), status: 201, check: func(t *testing.T, r scResp) { scWantBareLink(t, r.object(t)) }},
			{req: scOTC("GET", "/properties/124/contacts"), status: 200, check: func(t *testing.T, r scResp) {
				links := r.otcLinks(t)
				if len(links) != 1 {
					t.Fatalf("got %d links, want 1: %s", len(links), r.Body)
				}
				scWantBareLink(t, links[0])
			}},
		}},
		{"opentoclose-live/Spark is as in default", "opentoclose-live", []scStep{
			{req: scSpark("spark-vow-token", "GET", scNotes), status: 200, check: scWantSeedNote},
		}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			scScenarioMock(t, row.scenario).run(t, row.steps...)
		})
	}
}

// scWantBareLink checks a link created under the
// create-honours-only-contact-id quirk.
func scWantBareLink(t *testing.T, l map[string]any) {
	t.Helper()
	want := map[string]any{
		"contact_id": 789.0, "role": nil, "primary": false, "start_date": nil, "notes": nil,
		"contact_role": []any{},
	}
	for k, v := range want {
		got, present := l[k]
		if !present || !reflect.DeepEqual(got, v) {
			t.Errorf("link %s = %#v (present %v), want %#v", k, got, present, v)
		}
	}
}

// TestErrorsScenarioRulesCovered fails when fixtures/errors.yaml gains or
// renames a rule, so that TestBundledScenarios is extended with it.
func TestErrorsScenarioRulesCovered(t *testing.T) {
	t.Parallel()
	set, err := bundled.Default()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := set.Get("errors")
	if err != nil {
		t.Fatal(err)
	}
	tested := map[string][]string{
		"opentoclose": {"property-124-rate-limited", "first-create-fails"},
		"spark":       {"shared-note-rate-limited", "contact-note-server-error"},
	}
	for api, want := range tested {
		var got []string
		for _, r := range sc.API(api).Rules {
			got = append(got, r.Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("errors scenario's %s rules = %v; TestBundledScenarios covers %v", api, got, want)
		}
	}
}

// TestSlowScenario shows every call of the slow scenario takes at least
// its configured latency. Only the lower bound is asserted.
func TestSlowScenario(t *testing.T) {
	t.Parallel()
	set, err := bundled.Default()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := set.Get("slow")
	if err != nil {
		t.Fatal(err)
	}
	m := scScenarioMock(t, "slow")
	rows := []struct {
		api  string
		step scStep
	}{
		{"opentoclose", scStep{req: scOTC("GET", "/properties/123/contacts"), status: 200, check: scWantSeedLink}},
		{"opentoclose", scStep{req: scOTC("GET", "/properties/999/contacts"), status: 404}},
		{"spark", scStep{req: scSpark("spark-vow-token", "GET", scNotes), status: 200, check: scWantSeedNote}},
	}
	for _, row := range rows {
		t.Run(row.api+" "+row.step.req.target, func(t *testing.T) {
			t.Parallel()
			latency := sc.API(row.api).Latency
			if latency <= 0 {
				t.Fatalf("slow scenario has no latency for %s", row.api)
			}
			start := time.Now()
			r := m.send(t, row.step.req)
			if took := time.Since(start); took < latency {
				t.Errorf("took %v, want at least %v", took, latency)
			}
			scCheck(t, 0, row.step, r)
		})
	}
}

// scJSONEqual compares two JSON documents by value.
func scJSONEqual(t testing.TB, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("not JSON (%v): %s", err, a)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("not JSON (%v): %s", err, b)
	}
	return reflect.DeepEqual(va, vb)
}

// TestResetAndSwitchRestoreStartingRecords writes on both APIs, then shows
// that POST /__mock/reset and a switch to another scenario and back bring
// back exactly the starting records, as GET /__mock/state reports them.
func TestResetAndSwitchRestoreStartingRecords(t *testing.T) {
	t.Parallel()
	writes := []scStep{
		{req: scOTC("POST", "/properties/124/contacts").with(map[string]any{"contact_id": 789, "role": "Seller", "primary": true}), status: 201,
			check: func(t *testing.T, r scResp) {
				if id := r.object(t)["id"]; id != 7484665.0 {
					t.Errorf("first new link id = %v, want 7484665", id)
				}
			}},
		{req: scOTC("PUT", "/properties/123/contacts/456").with(map[string]any{"role": "Seller", "primary": false}), status: 200},
		{req: scOTC("POST", "/properties/123/contacts").with(map[string]any{"contact_id": 790}), status: 201},
		{req: scOTC("DELETE", "/properties/123/contacts/456"), status: 204},
		{req: scSpark("spark-vow-token", "PUT", scNotes).with(map[string]any{"D": map[string]any{"Note": "changed"}}), status: 200},
		{req: scSpark("spark-portal-token", "PUT", scNotes).with(map[string]any{"D": map[string]any{"Note": "portal"}}), status: 200},
		{req: scSpark("spark-private-token", "DELETE", scContactNotes+"/"+scVOWContact), status: 200},
	}
	back := []struct {
		name  string
		steps []scStep
	}{
		{"reset", []scStep{
			{req: scAdmin("POST", "/reset"), status: 200, check: scWantActive("default")},
		}},
		{"switch to empty and back", []scStep{
			{req: scAdmin("PUT", "/scenario").with(map[string]string{"name": "empty"}), status: 200, check: scWantActive("empty")},
			{req: scAdmin("GET", "/state"), status: 200, check: func(t *testing.T, r scResp) {
				if want := `{"opentoclose":{"properties":[]},"spark":{"listings":[]}}`; !scJSONEqual(t, r.Body, []byte(want)) {
					t.Errorf("empty state = %s, want %s", r.Body, want)
				}
			}},
			{req: scAdmin("PUT", "/scenario").with(map[string]string{"name": "default"}), status: 200, check: scWantActive("default")},
		}},
		{"switch to the active scenario", []scStep{
			{req: scAdmin("PUT", "/scenario").with(map[string]string{"name": "default"}), status: 200, check: scWantActive("default")},
		}},
	}
	for _, b := range back {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			m := scScenarioMock(t, "default")
			start := m.send(t, scAdmin("GET", "/state"))
			if start.Status != 200 {
				t.Fatalf("GET /__mock/state: %d %s", start.Status, start.Body)
			}
			for round := range 2 {
				m.run(t, writes...)
				if changed := m.send(t, scAdmin("GET", "/state")); scJSONEqual(t, changed.Body, start.Body) {
					t.Fatalf("round %d: the writes left the state unchanged: %s", round, changed.Body)
				}
				m.run(t, b.steps...)
				if got := m.send(t, scAdmin("GET", "/state")); !scJSONEqual(t, got.Body, start.Body) {
					t.Fatalf("round %d: state after %s =\n%s\nwant the starting state\n%s", round, b.name, got.Body, start.Body)
				}
				// The reads agree with the state.
				m.run(t,
					scStep{req: scOTC("GET", "/properties/123/contacts"), status: 200, check: scWantSeedLink},
					scStep{req: scOTC("GET", "/properties/124/contacts"), status: 200, check: scWantEmptyList},
					scStep{req: scSpark("spark-vow-token", "GET", scNotes), status: 200, check: scWantSeedNote},
					scStep{req: scSpark("spark-portal-token", "GET", scNotes), status: 200, check: scWantNoNotes},
				)
			}
		})
	}
}

func scWantActive(name string) func(*testing.T, scResp) {
	return func(t *testing.T, r scResp) {
		t.Helper()
		if got := r.object(t)["active"]; got != name {
			t.Errorf("active = %v, want %s", got, name)
		}
	}
}

// TestPrefer shows Prefer: code= and example= answer documented responses
// of both APIs, and that undocumented choices are refused with 400 in the
// API's own envelope, naming what is documented.
func TestPrefer(t *testing.T) {
	t.Parallel()
	vowGet := scSpark("spark-vow-token", "GET", scNotes)
	otcList := scOTC("GET", "/properties/123/contacts")
	applied := func(v string) map[string]string { return map[string]string{"Preference-Applied": v} }
	rows := []struct {
		name string
		step scStep
	}{
		{"spark example=empty hides the stored note", scStep{req: vowGet.hdr("Prefer", "example=empty"), status: 200,
			header: applied("example=empty"), check: scWantNoNotes}},
		{"spark example=hotTub for a contact without a note", scStep{
			req: scSpark("spark-portal-token", "GET", scNotes).hdr("Prefer", "example=hotTub"), status: 200, check: scWantSeedNote}},
		{"spark code=404", scStep{req: vowGet.hdr("Prefer", "code=404"), status: 404, code: 404, header: applied("code=404")}},
		{"spark code=429 example=overLimit", scStep{req: vowGet.hdr("Prefer", "code=429, example=overLimit"), status: 429, code: 1550,
			header: applied("code=429, example=overLimit")}},
		{"spark code=401 example=expired", scStep{req: vowGet.hdr("Prefer", `code=401; example="expired"`), status: 401, code: 1020}},
		{"spark code=405 carries Allow", scStep{req: scSpark("spark-vow-token", "DELETE", scNotes).hdr("Prefer", "code=405"), status: 405, code: 1017,
			check: scWantHeaderPresent("Allow")}},
		{"spark list code=500", scStep{req: scSpark("spark-private-token", "GET", scContactNotes).hdr("Prefer", "code=500"), status: 500, code: 1026}},
		{"spark code=418 is refused", scStep{req: vowGet.hdr("Prefer", "code=418"), status: 400, code: 1053,
			message: "code=418 is not documented for getSharedNote; documented: 200, 400, 401, 403, 404, 429, 500"}},
		{"spark code=abc is refused", scStep{req: vowGet.hdr("Prefer", "code=abc"), status: 400, code: 1053, message: "documented: 200"}},
		{"spark example=nope is refused", scStep{req: vowGet.hdr("Prefer", "example=nope"), status: 400, code: 1053,
			message: "example=nope is not documented for getSharedNote 200; documented: hotTub, empty"}},
		{"spark example of another status is refused", scStep{req: vowGet.hdr("Prefer", "code=404, example=hotTub"), status: 400, code: 1053,
			message: "documented: notFound"}},
		{"spark Prefer does not bypass roles", scStep{req: scSpark("spark-idx-token", "GET", scNotes).hdr("Prefer", "code=200"), status: 403, code: 1500}},

		{"otc example=empty", scStep{req: otcList.hdr("Prefer", "example=empty"), status: 200, header: applied("example=empty"), check: scWantEmptyList}},
		{"otc example=buyer on an empty property", scStep{
			req: scOTC("GET", "/properties/124/contacts").hdr("Prefer", "example=buyer"), status: 200, check: scWantSeedLink}},
		{"otc code=404", scStep{req: otcList.hdr("Prefer", "code=404"), status: 404, message: "Not found"}},
		{"otc code=429 example=slowDown", scStep{req: otcList.hdr("Prefer", "code=429,example=slowDown"), status: 429, message: "Too many requests"}},
		{"otc code=405 carries Allow", scStep{req: scOTC("DELETE", "/properties/123/contacts/456").hdr("Prefer", "code=405"), status: 405, check: scWantHeaderPresent("Allow")}},
		{"otc create code=409 example=duplicate", scStep{
			req:    scOTC("POST", "/properties/123/contacts").with(map[string]any{"contact_id": 789}).hdr("Prefer", "code=409, example=duplicate"),
			status: 409, message: "already linked"}},
		{"otc delete code=204", scStep{req: scOTC("DELETE", "/properties/123/contacts/456").hdr("Prefer", "code=204"), status: 204}},
		{"otc code=418 is refused", scStep{req: otcList.hdr("Prefer", "code=418"), status: 400,
			message: "code=418 is not documented for listPropertyContacts; documented: 200, 400, 401, 404, 429, 500"}},
		{"otc example=nope is refused", scStep{req: otcList.hdr("Prefer", "example=nope"), status: 400,
			message: "example=nope is not documented for listPropertyContacts 200; documented: buyer, empty"}},
		{"otc delete example on a bodiless status is refused", scStep{
			req: scOTC("DELETE", "/properties/123/contacts/456").hdr("Prefer", "code=204, example=x"), status: 400, message: "documented: none"}},
		{"otc Prefer does not bypass authentication", scStep{
			req: scReq{method: "GET", target: "/opentoclose/v1/properties/123/contacts?api_token=nope", header: map[string]string{"Prefer": "code=200"}}, status: 401}},
	}
	m := scScenarioMock(t, "default")
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			r := m.send(t, row.step.req)
			scCheck(t, 0, row.step, r)
			if r.Status == 400 && r.Header.Get("Preference-Applied") != "" {
				t.Errorf("a refused preference is reported applied: %q", r.Header.Get("Preference-Applied"))
			}
			if r.Status == 400 && !strings.HasPrefix(row.step.req.target, "/spark/") {
				// Open To Close errors are {"message": ...} and nothing else here.
				obj := r.object(t)
				if _, ok := obj["message"].(string); !ok || len(obj) != 1 {
					t.Errorf("Open To Close error body = %s, want only a message", r.Body)
				}
			}
		})
	}
	// A preferred answer is not a write.
	m.run(t, scStep{req: otcList, status: 200, check: scWantSeedLink})
}

func scWantHeaderPresent(name string) func(*testing.T, scResp) {
	return func(t *testing.T, r scResp) {
		t.Helper()
		if r.Header.Get(name) == "" {
			t.Errorf("no %s header", name)
		}
	}
}

// TestScenarioRules runs the rules of testdata/scenarios/scenario-rules.yaml
// in process: each matching way, times, order and rule latency. The
// journal's rule field shows which rule answered.
func TestScenarioRules(t *testing.T) {
	t.Parallel()
	set := scRulesSet(t)
	type step struct {
		scStep
		rule string // the rule the journal must name; "" for none
	}
	retrieve := scOTC("GET", "/properties/123/contacts/456")
	rows := []struct {
		name  string
		steps []step
	}{
		{"times 1 fails once then lets calls through", []step{
			{scStep{req: retrieve, status: 500, message: "Internal server error"}, "retrieve-456-fails-once"},
			{scStep{req: retrieve, status: 200, check: func(t *testing.T, r scResp) { scWantBuyerLink(t, r.object(t)) }}, ""},
			{scStep{req: retrieve, status: 200}, ""},
			{scStep{req: scAdmin("POST", "/reset"), status: 200}, ""},
			{scStep{req: retrieve, status: 500}, "retrieve-456-fails-once"},
			{scStep{req: retrieve, status: 200}, ""},
		}},
		{"path parameter must match", []step{
			// The link's own id reaches the same link but not the rule.
			{scStep{req: scOTC("GET", "/properties/123/contacts/7484664"), status: 200}, ""},
			{scStep{req: retrieve, status: 500}, "retrieve-456-fails-once"},
		}},
		{"query", []step{
			{scStep{req: scOTC("GET", "/properties/123/contacts?role=Seller"), status: 429, message: "Seller lists are rate limited",
				header: map[string]string{"Retry-After": "7"}}, "sellers-rate-limited"},
			{scStep{req: scOTC("GET", "/properties/123/contacts?role=Buyer"), status: 200, check: scWantSeedLink}, ""},
			{scStep{req: scOTC("GET", "/properties/123/contacts"), status: 200}, ""},
		}},
		{"header, case-insensitive", []step{
			{scStep{req: scOTC("GET", "/properties/123/contacts").hdr("X-TEST-CASE", "teapot"), status: 404, message: "matched by header"}, "header-teapot"},
			{scStep{req: scOTC("GET", "/properties/123/contacts").hdr("X-Test-Case", "coffee"), status: 200}, ""},
		}},
		{"body fields", []step{
			{scStep{req: scOTC("POST", "/properties/124/contacts").with(map[string]any{"contact_id": 900, "role": "Seller", "notes": "x"}),
				status: 409, message: "already linked"}, "body-contact-900"},
			{scStep{req: scOTC("POST", "/properties/124/contacts").with(map[string]any{"contact_id": 900, "role": "Buyer"}), status: 201}, ""},
			{scStep{req: scOTC("POST", "/properties/123/contacts").with(map[string]any{"contact_id": 900}), status: 201}, ""},
		}},
		{"nested body field", []step{
			{scStep{req: scSpark("spark-private-token", "PUT", scContactNotes+"/"+scPortalContact).with(map[string]any{"D": map[string]any{"Note": "trigger the rule"}}),
				status: 500, code: 1026, message: "matched by body"}, "body-note-trigger"},
			{scStep{req: scSpark("spark-private-token", "PUT", scContactNotes+"/"+scPortalContact).with(map[string]any{"D": map[string]any{"Note": "other"}}),
				status: 200}, ""},
		}},
		{"first matching rule wins, until its times run out", []step{
			{scStep{req: scOTC("GET", "/properties/124/contacts"), status: 429, message: "first rule"}, "order-first-once"},
			{scStep{req: scOTC("GET", "/properties/124/contacts"), status: 500, message: "second rule"}, "order-second"},
			{scStep{req: scOTC("GET", "/properties/124/contacts"), status: 500, message: "second rule"}, "order-second"},
		}},
		{"an earlier rule shadows a later one", []step{
			{scStep{req: scOTC("GET", "/properties/124/contacts?role=Seller"), status: 429, message: "Seller lists"}, "sellers-rate-limited"},
			{scStep{req: scOTC("GET", "/properties/124/contacts"), status: 429, message: "first rule"}, "order-first-once"},
		}},
		{"rules apply after authentication", []step{
			{scStep{req: scReq{method: "GET", target: "/opentoclose/v1/properties/123/contacts/456?api_token=nope"}, status: 401}, ""},
			{scStep{req: retrieve, status: 500}, "retrieve-456-fails-once"},
		}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			m := newSCMock(t, mockserver.Options{Scenarios: set, Scenario: scRulesScenario})
			for i, s := range row.steps {
				r := m.send(t, s.req)
				scCheck(t, i, s.scStep, r)
				if strings.HasPrefix(s.req.target, "/__mock/") {
					continue
				}
				entries := m.srv.Requests(mockserver.Filter{})
				if last := entries[len(entries)-1]; last.Rule != s.rule {
					t.Errorf("step %d: journal rule = %q, want %q", i, last.Rule, s.rule)
				}
			}
		})
	}
	t.Run("latency rule delays the normal answer", func(t *testing.T) {
		t.Parallel()
		var rule *fixtures.Rule
		sc, err := set.Get(scRulesScenario)
		if err != nil {
			t.Fatal(err)
		}
		for i := range sc.API("spark").Rules {
			if r := &sc.API("spark").Rules[i]; r.Name == "private-list-late" {
				rule = r
			}
		}
		if rule == nil || rule.Latency <= 0 {
			t.Fatalf("rule private-list-late with a latency not found in %s", scRulesScenario)
		}
		m := newSCMock(t, mockserver.Options{Scenarios: set, Scenario: scRulesScenario})
		start := time.Now()
		r := m.send(t, scSpark("spark-private-token", "GET", scContactNotes).hdr("X-Slow", "yes"))
		if took := time.Since(start); took < rule.Latency {
			t.Errorf("took %v, want at least %v", took, rule.Latency)
		}
		scCheck(t, 0, scStep{req: scSpark("spark-private-token", "GET", scContactNotes), status: 200, check: scWantSeedNote}, r)
	})
}

// TestScenarioFaults runs the fault rules over a real connection: close
// gives the client a transport error, hang keeps it waiting until it gives
// up, and then the handler returns (the server closes without waiting).
func TestScenarioFaults(t *testing.T) {
	t.Parallel()
	set := scRulesSet(t)
	rows := []struct {
		name string
		req  scReq
		rule string
		hang bool
	}{
		{"close on Open To Close", scOTC("GET", "/properties/123/contacts").hdr("X-Fault", "close"), "otc-close", false},
		{"close on Spark", scSpark("spark-private-token", "GET", scContactNotes+"/"+scVOWContact).hdr("X-Fault", "close"), "spark-close", false},
		{"hang on Open To Close", scOTC("GET", "/properties/123/contacts/7484664").hdr("X-Fault", "hang"), "otc-hang", true},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			m := mockservertest.New(t, mockservertest.WithOptions(func(o *mockserver.Options) {
				o.Scenarios, o.Scenario = set, scRulesScenario
			}))
			client := m.Client()
			if row.hang {
				client.Timeout = 200 * time.Millisecond
			}
			res, err := client.Do(row.req.build(t, m.HTTP.URL))
			if err == nil {
				_ = res.Body.Close()
				t.Fatalf("got %d, want a transport error", res.StatusCode)
			}
			var ne net.Error
			if timedOut := errors.As(err, &ne) && ne.Timeout(); timedOut != row.hang {
				t.Fatalf("error %v: timeout = %v, want %v", err, timedOut, row.hang)
			}
			if row.hang {
				// The handler must return once the client is gone: Close
				// waits for every handler. The deadline only bounds a failure.
				client.CloseIdleConnections()
				closed := make(chan struct{})
				go func() { m.HTTP.Close(); close(closed) }()
				select {
				case <-closed:
				case <-time.After(10 * time.Second):
					t.Fatal("the server did not close: the hanging handler never returned")
				}
			}
			// Either way the journal holds the request, with no status.
			entries := m.Server.Requests(mockserver.Filter{})
			if len(entries) == 0 {
				t.Fatal("the journal is empty")
			}
			if last := entries[len(entries)-1]; last.Rule != row.rule || last.Status != 0 {
				t.Errorf("journal entry rule %q status %d, want rule %q status 0", last.Rule, last.Status, row.rule)
			}
			if row.hang {
				return
			}
			// The server is still fine for the next request.
			res, err = client.Do(row.req.hdr("X-Fault", "").build(t, m.HTTP.URL))
			if err != nil {
				t.Fatalf("next request: %v", err)
			}
			_ = res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Errorf("next request: %d, want 200", res.StatusCode)
			}
		})
	}
}
