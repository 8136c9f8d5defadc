package mockserver_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/spec"
)

// admRouter routes requests to the operations of mockserver.AdminSpec,
// whose server url is /__mock.
func admRouter(t testing.TB) routers.Router {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(mockserver.AdminSpec())
	if err != nil {
		t.Fatalf("load AdminSpec: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("AdminSpec is not a valid OpenAPI document: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("route AdminSpec: %v", err)
	}
	return router
}

// admValidate checks one admin answer against AdminSpec: its status must
// be documented for the operation, and its headers and body must match.
func admValidate(t testing.TB, router routers.Router, req *http.Request, r scResp) {
	t.Helper()
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Errorf("AdminSpec has no operation for %s %s: %v", req.Method, req.URL.Path, err)
		return
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true}
	err = openapi3filter.ValidateResponse(t.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts},
		Status:                 r.Status,
		Header:                 r.Header,
		Body:                   io.NopCloser(bytes.NewReader(r.Body)),
		Options:                opts,
	})
	if err != nil {
		t.Errorf("%s %s answered %d, which breaks AdminSpec: %v\nbody: %s", req.Method, req.URL.Path, r.Status, err, r.Body)
	}
}

// admSend serves one request and returns it with its answer, so the answer
// can be validated against the request's operation.
func (m *scMock) admSend(t testing.TB, r scReq) (*http.Request, scResp) {
	t.Helper()
	req := r.build(t, "http://mock.test")
	rec := httptest.NewRecorder()
	m.srv.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return req, scResp{Status: res.StatusCode, Header: res.Header, Body: body}
}

// admEntries decodes GET /__mock/requests.
func admEntries(t testing.TB, r scResp) []mockserver.Entry {
	t.Helper()
	var out struct {
		Requests []mockserver.Entry `json:"requests"`
		Next     string             `json:"next"` // the cursor of older entries
	}
	if err := jsonUnmarshalStrict(r.Body, &out); err != nil {
		t.Fatalf("decode requests (%v): %s", err, r.Body)
	}
	return out.Requests
}

func jsonUnmarshalStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// TestAdminAPI calls every admin endpoint through the handler and
// validates each answer against mockserver.AdminSpec.
func TestAdminAPI(t *testing.T) {
	t.Parallel()
	router := admRouter(t)
	// Journal contents the /requests rows read.
	traffic := []scReq{
		scOTC("GET", "/properties/123/contacts"),
		scSpark("spark-vow-token", "GET", scNotes),
		scSpark("spark-idx-token", "GET", scNotes),
		scOTC("GET", "/properties/999/contacts"),
	}
	wantEntries := func(paths ...string) func(*testing.T, scResp) {
		return func(t *testing.T, r scResp) {
			t.Helper()
			var got []string
			for _, e := range admEntries(t, r) {
				got = append(got, e.Method+" "+e.Path)
			}
			if !slices.Equal(got, paths) {
				t.Errorf("requests = %q, want %q", got, paths)
			}
		}
	}
	otc123 := "GET /opentoclose/v1/properties/123/contacts"
	otc999 := "GET /opentoclose/v1/properties/999/contacts"
	sparkGet := "GET /spark/v1" + scNotes
	var snapshots atomic.Int32
	snapshotOK := func(*mockserver.Server) error { snapshots.Add(1); return nil }
	snapshotFails := func(*mockserver.Server) error { return errors.New("disk full") }

	rows := []struct {
		name   string
		opts   mockserver.Options
		before []scReq
		step   scStep
		// unrouted: the spec has no operation for this method and path,
		// so only the status and body are checked.
		unrouted bool
	}{
		{name: "health", step: scStep{req: scAdmin("GET", "/health"), status: 200, check: func(t *testing.T, r scResp) {
			want := `{"status":"ok","scenario":"default","apis":{"opentoclose":"/opentoclose/v1","spark":"/spark/v1"}}`
			if !scJSONEqual(t, r.Body, []byte(want)) {
				t.Errorf("health = %s, want %s", r.Body, want)
			}
		}}},
		{name: "health names the active scenario", opts: mockserver.Options{Scenario: "errors"},
			step: scStep{req: scAdmin("GET", "/health"), status: 200, check: func(t *testing.T, r scResp) {
				if got := r.object(t)["scenario"]; got != "errors" {
					t.Errorf("scenario = %v, want errors", got)
				}
			}}},
		{name: "scenarios", step: scStep{req: scAdmin("GET", "/scenarios"), status: 200, check: func(t *testing.T, r scResp) {
			obj := r.object(t)
			if obj["active"] != "default" {
				t.Errorf("active = %v, want default", obj["active"])
			}
			var names, active []string
			for _, s := range obj["scenarios"].([]any) {
				s := s.(map[string]any)
				names = append(names, s["name"].(string))
				if s["active"] == true {
					active = append(active, s["name"].(string))
				}
				if s["name"] != "default" && s["extends"] != "default" {
					t.Errorf("scenario %v extends %v, want default", s["name"], s["extends"])
				}
				if d, _ := s["description"].(string); d == "" {
					t.Errorf("scenario %v has no description", s["name"])
				}
			}
			if want := []string{"default", "empty", "errors", "opentoclose-live", "slow"}; !slices.Equal(names, want) {
				t.Errorf("scenarios = %v, want %v", names, want)
			}
			if !slices.Equal(active, []string{"default"}) {
				t.Errorf("active scenarios = %v, want [default]", active)
			}
		}}},
		{name: "switch", step: scStep{req: scAdmin("PUT", "/scenario").with(map[string]string{"name": "empty"}), status: 200, check: scWantActive("empty")}},
		{name: "switch to an unknown scenario", step: scStep{req: scAdmin("PUT", "/scenario").with(map[string]string{"name": "nope"}), status: 404,
			message: `no scenario named "nope" (available: default, empty, errors, opentoclose-live, slow)`}},
		{name: "switch with bad JSON", step: scStep{req: scAdmin("PUT", "/scenario").with(`{"name":`), status: 400, message: `send {"name": "<scenario>"}`}},
		{name: "switch with an unknown field", step: scStep{req: scAdmin("PUT", "/scenario").with(`{"scenario":"empty"}`), status: 400, message: "scenarios: default, empty"}},
		{name: "switch with an empty name", step: scStep{req: scAdmin("PUT", "/scenario").with(`{"name":""}`), status: 400}},
		{name: "reset", opts: mockserver.Options{Scenario: "slow"}, step: scStep{req: scAdmin("POST", "/reset"), status: 200, check: scWantActive("slow")}},
		{name: "requests", before: traffic, step: scStep{req: scAdmin("GET", "/requests"), status: 200,
			check: wantEntries(otc123, sparkGet, sparkGet, otc999)}},
		{name: "requests by api", before: traffic, step: scStep{req: scAdmin("GET", "/requests?api=spark"), status: 200,
			check: wantEntries(sparkGet, sparkGet)}},
		{name: "requests by operation", before: traffic, step: scStep{req: scAdmin("GET", "/requests?operation=listPropertyContacts"), status: 200,
			check: wantEntries(otc123, otc999)}},
		{name: "requests by api and operation", before: traffic, step: scStep{req: scAdmin("GET", "/requests?api=opentoclose&operation=getSharedNote"), status: 200,
			check: wantEntries()}},
		{name: "requests limit keeps the newest", before: traffic, step: scStep{req: scAdmin("GET", "/requests?limit=2"), status: 200,
			check: wantEntries(sparkGet, otc999)}},
		{name: "requests limit larger than the journal", before: traffic, step: scStep{req: scAdmin("GET", "/requests?api=spark&limit=10"), status: 200,
			check: wantEntries(sparkGet, sparkGet)}},
		{name: "requests limit 0", before: traffic, step: scStep{req: scAdmin("GET", "/requests?limit=0"), status: 400, message: "limit must be a positive integer"}},
		{name: "requests limit not a number", step: scStep{req: scAdmin("GET", "/requests?limit=x"), status: 400, message: "limit"}},
		{name: "requests cleared", before: append(slices.Clone(traffic), scAdmin("DELETE", "/requests")),
			step: scStep{req: scAdmin("GET", "/requests"), status: 200, check: wantEntries()}},
		{name: "clear requests", before: traffic, step: scStep{req: scAdmin("DELETE", "/requests"), status: 204, check: func(t *testing.T, r scResp) {
			if len(r.Body) != 0 {
				t.Errorf("body = %q, want none", r.Body)
			}
		}}},
		{name: "one request by seq", before: traffic, step: scStep{req: scAdmin("GET", "/requests/3"), status: 200, check: func(t *testing.T, r scResp) {
			obj := r.object(t)
			if obj["seq"] != float64(3) || obj["method"].(string)+" "+obj["path"].(string) != sparkGet || obj["status"] != float64(403) {
				t.Errorf("request 3 = %s, want the IDX session's GET of the notes (403)", r.Body)
			}
		}}},
		{name: "one request no longer kept", opts: mockserver.Options{JournalSize: 2}, before: traffic,
			step: scStep{req: scAdmin("GET", "/requests/1"), status: 404, message: "request 1 is not in the journal: it keeps the newest 2 entries"}},
		{name: "one request not yet made", step: scStep{req: scAdmin("GET", "/requests/1"), status: 404, message: "request 1 is not in the journal"}},
		{name: "one request by a seq that is not a number", step: scStep{req: scAdmin("GET", "/requests/x"), status: 400, message: `a positive integer, not "x"`}},
		{name: "one request by seq 0", step: scStep{req: scAdmin("GET", "/requests/0"), status: 400, message: "a positive integer"}},
		{name: "state", step: scStep{req: scAdmin("GET", "/state"), status: 200, check: func(t *testing.T, r scResp) {
			want := `{"opentoclose":{"properties":[
				{"id":123,"contacts":[{"id":7484664,"contact_id":456,"role":"Buyer","primary":true,"start_date":"2024-01-15","notes":"Primary decision maker"}]},
				{"id":124}]},
			"spark":{"contacts":["20100912153422758914000000","20100912536192756362000000"],"listings":[
				{"id":"20100815153524571646000000","notes":[{"contact":"20100912536192756362000000","note":"Great home, wondering if seller is willing to include hot tub."}]}]}}`
			if !scJSONEqual(t, r.Body, []byte(want)) {
				t.Errorf("state = %s, want %s", r.Body, want)
			}
		}}},
		{name: "coverage", before: traffic, step: scStep{req: scAdmin("GET", "/coverage"), status: 200, check: func(t *testing.T, r scResp) {
			if !strings.Contains(string(r.Body), `"operation":"getSharedNote"`) || !strings.Contains(string(r.Body), `"coveredOperations"`) {
				t.Errorf("coverage = %s", r.Body)
			}
		}}},
		{name: "spec of each API", step: scStep{req: scAdmin("GET", "/specs/spark"), status: 200,
			header: map[string]string{"Content-Type": "application/yaml"}, check: admWantSpec("spark")}},
		{name: "spec of opentoclose", step: scStep{req: scAdmin("GET", "/specs/opentoclose"), status: 200,
			header: map[string]string{"Content-Type": "application/yaml"}, check: admWantSpec("opentoclose")}},
		{name: "spec of an unknown API", step: scStep{req: scAdmin("GET", "/specs/nope"), status: 404,
			message: `no API "nope" is served; served: opentoclose, spark`}},
		{name: "admin spec", step: scStep{req: scAdmin("GET", "/openapi.yaml"), status: 200,
			header: map[string]string{"Content-Type": "application/yaml"}, check: func(t *testing.T, r scResp) {
				if !bytes.Equal(r.Body, mockserver.AdminSpec()) {
					t.Errorf("GET /__mock/openapi.yaml is not mockserver.AdminSpec")
				}
			}}},
		{name: "snapshot without a hook", step: scStep{req: scAdmin("POST", "/snapshot"), status: 501, message: "no snapshot target"}},
		{name: "snapshot with a hook", opts: mockserver.Options{OnSnapshot: snapshotOK},
			step: scStep{req: scAdmin("POST", "/snapshot"), status: 200, check: func(t *testing.T, r scResp) {
				if got := r.object(t)["status"]; got != "saved" {
					t.Errorf("status = %v, want saved", got)
				}
				if snapshots.Load() == 0 {
					t.Error("OnSnapshot was not called")
				}
			}}},
		{name: "snapshot hook fails", opts: mockserver.Options{OnSnapshot: snapshotFails},
			step: scStep{req: scAdmin("POST", "/snapshot"), status: 500, message: "snapshot: disk full"}},

		// Wrong methods: the spec documents none of these, so they are unrouted.
		{name: "GET reset", unrouted: true, step: scStep{req: scAdmin("GET", "/reset"), status: 405, header: map[string]string{"Allow": "POST"}}},
		{name: "POST health", unrouted: true, step: scStep{req: scAdmin("POST", "/health"), status: 405, header: map[string]string{"Allow": "GET"}}},
		{name: "POST scenario", unrouted: true, step: scStep{req: scAdmin("POST", "/scenario").with(map[string]string{"name": "empty"}), status: 405, header: map[string]string{"Allow": "PUT"}}},
		{name: "PUT requests", unrouted: true, step: scStep{req: scAdmin("PUT", "/requests"), status: 405, header: map[string]string{"Allow": "GET, DELETE"}}},
		{name: "DELETE state", unrouted: true, step: scStep{req: scAdmin("DELETE", "/state"), status: 405, header: map[string]string{"Allow": "GET"}}},
		{name: "GET snapshot", unrouted: true, step: scStep{req: scAdmin("GET", "/snapshot"), status: 405, header: map[string]string{"Allow": "POST"}}},
		{name: "DELETE specs", unrouted: true, step: scStep{req: scAdmin("DELETE", "/specs/spark"), status: 405, header: map[string]string{"Allow": "GET"}}},
		{name: "POST openapi.yaml", unrouted: true, step: scStep{req: scAdmin("POST", "/openapi.yaml"), status: 405, header: map[string]string{"Allow": "GET"}}},
		{name: "unknown admin path", unrouted: true, step: scStep{req: scAdmin("GET", "/nope"), status: 404, message: "see GET /__mock/openapi.yaml"}},

		// The admin token.
		{name: "token required: none sent", opts: mockserver.Options{AdminToken: "s3cret"},
			step: scStep{req: scAdmin("GET", "/health"), status: 401, message: "Authorization: Bearer",
				header: map[string]string{"WWW-Authenticate": `Bearer realm="mockserver admin"`}}},
		{name: "token required: wrong one", opts: mockserver.Options{AdminToken: "s3cret"},
			step: scStep{req: scAdmin("GET", "/state").hdr("Authorization", "Bearer s3cret2"), status: 401}},
		{name: "token required: another scheme", opts: mockserver.Options{AdminToken: "s3cret"},
			step: scStep{req: scAdmin("POST", "/reset").hdr("Authorization", "Basic s3cret"), status: 401}},
		{name: "token given", opts: mockserver.Options{AdminToken: "s3cret"},
			step: scStep{req: scAdmin("GET", "/health").hdr("Authorization", "Bearer s3cret"), status: 200}},
		{name: "token given to a write", opts: mockserver.Options{AdminToken: "s3cret"},
			step: scStep{req: scAdmin("PUT", "/scenario").with(map[string]string{"name": "empty"}).hdr("Authorization", "Bearer s3cret"),
				status: 200, check: scWantActive("empty")}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			m := newSCMock(t, row.opts)
			for _, b := range row.before {
				if r := m.send(t, b); r.Status >= 500 {
					t.Fatalf("setup %s %s: %d %s", b.method, b.target, r.Status, r.Body)
				}
			}
			req, r := m.admSend(t, row.step.req)
			scCheck(t, 0, row.step, r)
			if len(r.Body) > 0 && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/") {
				t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
			}
			if !row.unrouted {
				admValidate(t, router, req, r)
			}
		})
	}
}

func admWantSpec(name string) func(*testing.T, scResp) {
	return func(t *testing.T, r scResp) {
		t.Helper()
		api, err := spec.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.Body, api.Raw) {
			t.Errorf("GET /__mock/specs/%s is not the served document", name)
		}
	}
}

// TestAdminTokenSparesTheAPIs shows the admin token guards only /__mock.
func TestAdminTokenSparesTheAPIs(t *testing.T) {
	t.Parallel()
	m := newSCMock(t, mockserver.Options{AdminToken: "s3cret"})
	m.run(t,
		scStep{req: scOTC("GET", "/properties/123/contacts"), status: 200, check: scWantSeedLink},
		scStep{req: scSpark("spark-vow-token", "GET", scNotes), status: 200, check: scWantSeedNote},
		scStep{req: scAdmin("GET", "/requests"), status: 401},
	)
}

// TestJournal shows the journal keeps each request in order with what a
// failing test needs, hides credentials, and is bounded.
func TestJournal(t *testing.T) {
	t.Parallel()
	type want struct {
		api, method, path, operation, role string
		status                             int
	}
	otcBody := map[string]any{"contact_id": 789, "role": "Seller"}
	traffic := []struct {
		req  scReq
		want want
	}{
		{scOTC("GET", "/properties/123/contacts?role=Buyer"), want{"opentoclose", "GET", "/opentoclose/v1/properties/123/contacts", "listPropertyContacts", "", 200}},
		{scSpark("spark-vow-token", "GET", scNotes), want{"spark", "GET", "/spark/v1" + scNotes, "getSharedNote", "VOW", 200}},
		{scSpark("spark-idx-token", "PUT", scNotes).with(map[string]any{"D": map[string]any{"Note": "x"}}),
			want{"spark", "PUT", "/spark/v1" + scNotes, "replaceSharedNote", "IDX", 405}},
		{scOTC("POST", "/properties/124/contacts").with(otcBody), want{"opentoclose", "POST", "/opentoclose/v1/properties/124/contacts", "createPropertyContact", "", 201}},
		{scSpark("spark-expired-token", "GET", scNotes), want{"spark", "GET", "/spark/v1" + scNotes, "getSharedNote", "", 401}},
		{scSpark("spark-private-token", "GET", scContactNotes), want{"spark", "GET", "/spark/v1" + scContactNotes, "listContactSharedNotes", "Private", 200}},
		{scReq{method: "GET", target: "/nowhere"}, want{"", "GET", "/nowhere", "", "", 404}},
	}
	m := newSCMock(t, mockserver.Options{})
	for _, c := range traffic {
		m.send(t, c.req)
	}
	_, r := m.admSend(t, scAdmin("GET", "/requests"))
	overHTTP := admEntries(t, r)
	entries := m.srv.Requests(mockserver.Filter{})
	if len(entries) != len(traffic) || len(overHTTP) != len(traffic) {
		t.Fatalf("journal has %d entries (%d over HTTP), want %d", len(entries), len(overHTTP), len(traffic))
	}
	for i, c := range traffic {
		t.Run(c.want.method+" "+c.want.path, func(t *testing.T) {
			e := entries[i]
			got := want{e.API, e.Method, e.Path, e.Operation, e.Role, e.Status}
			if got != c.want {
				t.Errorf("entry %d = %+v, want %+v", i, got, c.want)
			}
			if e.Seq != overHTTP[i].Seq || e.Path != overHTTP[i].Path || e.Status != overHTTP[i].Status {
				t.Errorf("over HTTP entry %d = %+v, want %+v", i, overHTTP[i], e)
			}
			if i > 0 && e.Seq <= entries[i-1].Seq {
				t.Errorf("Seq %d after %d: not increasing", e.Seq, entries[i-1].Seq)
			}
			if e.Time.IsZero() {
				t.Error("no Time")
			}
			for _, leak := range []string{scOTCToken, "spark-vow-token", "spark-idx-token", "spark-expired-token", "spark-private-token"} {
				if strings.Contains(e.Query, leak) || strings.Contains(strings.Join(e.Header.Values("Authorization"), " "), leak) {
					t.Errorf("entry %d keeps the token %s: query %q, Authorization %q", i, leak, e.Query, e.Header.Values("Authorization"))
				}
			}
			switch {
			case e.API == "opentoclose":
				if !strings.Contains(e.Query, "api_token=otc-") {
					t.Errorf("query %q: want a redacted api_token, still recognisable", e.Query)
				}
			case e.API == "spark":
				if auth := e.Header.Get("Authorization"); !strings.HasPrefix(auth, "Bearer spar") {
					t.Errorf("Authorization %q: want the scheme and a hint of the token", auth)
				}
				if e.Header.Get("X-Sparkapi-User-Agent") != "mockserver-tests" {
					t.Errorf("header %v: want X-SparkApi-User-Agent kept", e.Header)
				}
			}
		})
	}
	if q := entries[0].Query; !strings.Contains(q, "role=Buyer") {
		t.Errorf("query %q lost role=Buyer", q)
	}
	if b := entries[3].Body; !scJSONEqual(t, []byte(b), []byte(`{"contact_id":789,"role":"Seller"}`)) {
		t.Errorf("create body journaled as %q", b)
	}

	t.Run("filters", func(t *testing.T) {
		for _, f := range []mockserver.Filter{{API: "spark"}, {Operation: "getSharedNote"}, {API: "opentoclose", Operation: "createPropertyContact"}} {
			for _, e := range m.srv.Requests(f) {
				if (f.API != "" && e.API != f.API) || (f.Operation != "" && e.Operation != f.Operation) {
					t.Errorf("filter %+v returned %+v", f, e)
				}
			}
		}
		if n := len(m.srv.Requests(mockserver.Filter{Operation: "getSharedNote"})); n != 2 {
			t.Errorf("%d getSharedNote entries, want 2", n)
		}
	})
	t.Run("reset keeps the journal, clear empties it", func(t *testing.T) {
		m.run(t, scStep{req: scAdmin("POST", "/reset"), status: 200})
		if n := len(m.srv.Requests(mockserver.Filter{})); n != len(traffic) {
			t.Errorf("after reset: %d entries, want %d", n, len(traffic))
		}
		m.srv.ClearRequests()
		if n := len(m.srv.Requests(mockserver.Filter{})); n != 0 {
			t.Errorf("after clear: %d entries, want 0", n)
		}
		m.send(t, scOTC("GET", "/properties/123/contacts"))
		if e := m.srv.Requests(mockserver.Filter{}); len(e) != 1 || e[0].Seq != int64(len(traffic)+1) {
			t.Errorf("after clear, entries %+v: want one with Seq %d (Seq keeps counting)", e, len(traffic)+1)
		}
	})
}

// TestJournalBounded shows JournalSize keeps only the newest entries.
func TestJournalBounded(t *testing.T) {
	t.Parallel()
	rows := []struct {
		name  string
		size  int
		sent  int
		paths []string // the properties whose requests remain, oldest first
		seqs  []int64
	}{
		{"size 3, five sent", 3, 5, []string{"3", "4", "5"}, []int64{3, 4, 5}},
		{"size 3, seven sent", 3, 7, []string{"5", "6", "7"}, []int64{5, 6, 7}},
		{"size 3, two sent", 3, 2, []string{"1", "2"}, []int64{1, 2}},
		{"size 1", 1, 4, []string{"4"}, []int64{4}},
		{"negative keeps none", -1, 3, nil, nil},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			m := newSCMock(t, mockserver.Options{JournalSize: row.size})
			for i := 1; i <= row.sent; i++ {
				m.send(t, scOTC("GET", "/properties/"+strconv.Itoa(i)+"/contacts"))
			}
			var paths []string
			var seqs []int64
			for _, e := range m.srv.Requests(mockserver.Filter{}) {
				paths = append(paths, strings.TrimSuffix(strings.TrimPrefix(e.Path, "/opentoclose/v1/properties/"), "/contacts"))
				seqs = append(seqs, e.Seq)
			}
			if !slices.Equal(paths, row.paths) || !slices.Equal(seqs, row.seqs) {
				t.Errorf("journal holds properties %v with Seq %v, want %v with %v", paths, seqs, row.paths, row.seqs)
			}
			_, r := m.admSend(t, scAdmin("GET", "/requests?limit=2"))
			got := admEntries(t, r)
			want := row.seqs[max(0, len(row.seqs)-2):]
			var gotSeqs []int64
			for _, e := range got {
				gotSeqs = append(gotSeqs, e.Seq)
			}
			if !slices.Equal(gotSeqs, want) {
				t.Errorf("GET /__mock/requests?limit=2: Seq %v, want %v", gotSeqs, want)
			}
		})
	}
}
