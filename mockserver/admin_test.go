package mockserver_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
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
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
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
func admValidate(t testing.TB, router routers.Router, req *http.Request, r bt.Resp) {
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
func admSend(t testing.TB, m *mockserver.Server, r bt.Req) (*http.Request, bt.Resp) {
	t.Helper()
	return r.Build(t, ""), bt.Send(t, m, r)
}

// admEntries decodes GET /__mock/requests.
func admEntries(t testing.TB, r bt.Resp) []mockserver.Entry {
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

// admRow is one admin call, on a Server of opts after the before calls,
// and what its answer must be; runAdmin also validates the answer against
// mockserver.AdminSpec.
type admRow struct {
	name   string
	opts   mockserver.Options
	before []bt.Req
	step   bt.Step
	// unrouted: the spec has no operation for this method and path,
	// so only the status and body are checked.
	unrouted bool
}

func runAdmin(t *testing.T, rows []admRow) {
	t.Helper()
	router := admRouter(t)
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			m := bt.New(t, row.opts)
			for _, b := range row.before {
				if r := bt.Send(t, m, b); r.Status >= 500 {
					t.Fatalf("setup %s %s: %d %s", b.Method, b.Target, r.Status, r.Body)
				}
			}
			req, r := admSend(t, m, row.step.Req)
			bt.Check(t, 0, row.step, r)
			if len(r.Body) > 0 && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/") {
				t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
			}
			if !row.unrouted {
				admValidate(t, router, req, r)
			}
		})
	}
}

// admTraffic is the journal the /requests and /coverage rows read.
var admTraffic = []bt.Req{
	bt.OTC("GET", "/properties/123/contacts"),
	bt.Spark(bt.VOWToken, "GET", bt.NotesPath),
	bt.Spark(bt.IDXToken, "GET", bt.NotesPath),
	bt.OTC("GET", "/properties/999/contacts"),
}

// admWantEntries checks GET /__mock/requests lists these "METHOD path"s.
func admWantEntries(paths ...string) func(testing.TB, bt.Resp) {
	return func(t testing.TB, r bt.Resp) {
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

// TestAdminScenarios: health, and listing, switching and resetting
// scenarios, each answer valid under mockserver.AdminSpec.
func TestAdminScenarios(t *testing.T) {
	t.Parallel()
	runAdmin(t, []admRow{
		{name: "health", step: bt.Step{Req: bt.Admin("GET", "/health"), Status: 200, Check: func(t testing.TB, r bt.Resp) {
			want := `{"status":"ok","scenario":"default","apis":{"opentoclose":"/opentoclose/v1","spark":"/spark/v1"}}`
			if !bt.JSONEqual(t, r.Body, []byte(want)) {
				t.Errorf("health = %s, want %s", r.Body, want)
			}
		}}},
		{name: "health names the active scenario", opts: mockserver.Options{Scenario: "errors"},
			step: bt.Step{Req: bt.Admin("GET", "/health"), Status: 200, Check: func(t testing.TB, r bt.Resp) {
				if got := r.Object(t)["scenario"]; got != "errors" {
					t.Errorf("scenario = %v, want errors", got)
				}
			}}},
		{name: "scenarios", step: bt.Step{Req: bt.Admin("GET", "/scenarios"), Status: 200, Check: func(t testing.TB, r bt.Resp) {
			obj := r.Object(t)
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
		{name: "switch", step: bt.Step{Req: bt.Admin("PUT", "/scenario").With(map[string]string{"name": "empty"}), Status: 200, Check: bt.WantActive("empty")}},
		{name: "switch to an unknown scenario", step: bt.Step{Req: bt.Admin("PUT", "/scenario").With(map[string]string{"name": "nope"}), Status: 404,
			Message: `no scenario named "nope" (available: default, empty, errors, opentoclose-live, slow)`}},
		{name: "switch with bad JSON", step: bt.Step{Req: bt.Admin("PUT", "/scenario").With(`{"name":`), Status: 400, Message: `send {"name": "<scenario>"}`}},
		{name: "switch with an unknown field", step: bt.Step{Req: bt.Admin("PUT", "/scenario").With(`{"scenario":"empty"}`), Status: 400, Message: "scenarios: default, empty"}},
		{name: "switch with an empty name", step: bt.Step{Req: bt.Admin("PUT", "/scenario").With(`{"name":""}`), Status: 400}},
		{name: "reset", opts: mockserver.Options{Scenario: "slow"}, step: bt.Step{Req: bt.Admin("POST", "/reset"), Status: 200, Check: bt.WantActive("slow")}},
	})
}

// TestAdminRequests: the journal read, filtered, paged and cleared, each
// answer valid under mockserver.AdminSpec.
func TestAdminRequests(t *testing.T) {
	t.Parallel()
	otc123 := "GET /opentoclose/v1/properties/123/contacts"
	otc999 := "GET /opentoclose/v1/properties/999/contacts"
	sparkGet := "GET /spark/v1" + bt.NotesPath
	runAdmin(t, []admRow{
		{name: "requests", before: admTraffic, step: bt.Step{Req: bt.Admin("GET", "/requests"), Status: 200,
			Check: admWantEntries(otc123, sparkGet, sparkGet, otc999)}},
		{name: "requests by api", before: admTraffic, step: bt.Step{Req: bt.Admin("GET", "/requests?api=spark"), Status: 200,
			Check: admWantEntries(sparkGet, sparkGet)}},
		{name: "requests by operation", before: admTraffic, step: bt.Step{Req: bt.Admin("GET", "/requests?operation=listPropertyContacts"), Status: 200,
			Check: admWantEntries(otc123, otc999)}},
		{name: "requests by api and operation", before: admTraffic, step: bt.Step{Req: bt.Admin("GET", "/requests?api=opentoclose&operation=getSharedNote"), Status: 200,
			Check: admWantEntries()}},
		{name: "requests limit keeps the newest", before: admTraffic, step: bt.Step{Req: bt.Admin("GET", "/requests?limit=2"), Status: 200,
			Check: admWantEntries(sparkGet, otc999)}},
		{name: "requests limit larger than the journal", before: admTraffic, step: bt.Step{Req: bt.Admin("GET", "/requests?api=spark&limit=10"), Status: 200,
			Check: admWantEntries(sparkGet, sparkGet)}},
		{name: "requests limit 0", before: admTraffic, step: bt.Step{Req: bt.Admin("GET", "/requests?limit=0"), Status: 400, Message: "limit must be a positive integer"}},
		{name: "requests limit not a number", step: bt.Step{Req: bt.Admin("GET", "/requests?limit=x"), Status: 400, Message: "limit"}},
		{name: "requests cleared", before: append(slices.Clone(admTraffic), bt.Admin("DELETE", "/requests")),
			step: bt.Step{Req: bt.Admin("GET", "/requests"), Status: 200, Check: admWantEntries()}},
		{name: "clear requests", before: admTraffic, step: bt.Step{Req: bt.Admin("DELETE", "/requests"), Status: 204, Check: func(t testing.TB, r bt.Resp) {
			if len(r.Body) != 0 {
				t.Errorf("body = %q, want none", r.Body)
			}
		}}},
		{name: "one request by seq", before: admTraffic, step: bt.Step{Req: bt.Admin("GET", "/requests/3"), Status: 200, Check: func(t testing.TB, r bt.Resp) {
			obj := r.Object(t)
			if obj["seq"] != float64(3) || obj["method"].(string)+" "+obj["path"].(string) != sparkGet || obj["status"] != float64(403) {
				t.Errorf("request 3 = %s, want the IDX session's GET of the notes (403)", r.Body)
			}
		}}},
		{name: "one request no longer kept", opts: mockserver.Options{JournalSize: 2}, before: admTraffic,
			step: bt.Step{Req: bt.Admin("GET", "/requests/1"), Status: 404, Message: "request 1 is not in the journal: it keeps the newest 2 entries"}},
		{name: "one request not yet made", step: bt.Step{Req: bt.Admin("GET", "/requests/1"), Status: 404, Message: "request 1 is not in the journal"}},
		{name: "one request by a seq that is not a number", step: bt.Step{Req: bt.Admin("GET", "/requests/x"), Status: 400, Message: `a positive integer, not "x"`}},
		{name: "one request by seq 0", step: bt.Step{Req: bt.Admin("GET", "/requests/0"), Status: 400, Message: "a positive integer"}},
	})
}

// TestAdminStateAndSpecs: the state, the coverage and the specs, each
// answer valid under mockserver.AdminSpec.
func TestAdminStateAndSpecs(t *testing.T) {
	t.Parallel()
	runAdmin(t, []admRow{
		{name: "state", step: bt.Step{Req: bt.Admin("GET", "/state"), Status: 200, Check: func(t testing.TB, r bt.Resp) {
			want := `{"opentoclose":{"properties":[
				{"id":123,"contacts":[{"id":7484664,"contact_id":456,"role":"Buyer","primary":true,"start_date":"2024-01-15","notes":"Primary decision maker"}]},
				{"id":124}]},
			"spark":{"contacts":["20100912153422758914000000","20100912536192756362000000"],"listings":[
				{"id":"20100815153524571646000000","notes":[{"contact":"20100912536192756362000000","note":"Great home, wondering if seller is willing to include hot tub."}]}]}}`
			if !bt.JSONEqual(t, r.Body, []byte(want)) {
				t.Errorf("state = %s, want %s", r.Body, want)
			}
		}}},
		{name: "coverage", before: admTraffic, step: bt.Step{Req: bt.Admin("GET", "/coverage"), Status: 200, Check: func(t testing.TB, r bt.Resp) {
			if !strings.Contains(string(r.Body), `"operation":"getSharedNote"`) || !strings.Contains(string(r.Body), `"coveredOperations"`) {
				t.Errorf("coverage = %s", r.Body)
			}
		}}},
		{name: "spec of each API", step: bt.Step{Req: bt.Admin("GET", "/specs/spark"), Status: 200,
			Header: map[string]string{"Content-Type": "application/yaml"}, Check: admWantSpec("spark")}},
		{name: "spec of opentoclose", step: bt.Step{Req: bt.Admin("GET", "/specs/opentoclose"), Status: 200,
			Header: map[string]string{"Content-Type": "application/yaml"}, Check: admWantSpec("opentoclose")}},
		{name: "spec of an unknown API", step: bt.Step{Req: bt.Admin("GET", "/specs/nope"), Status: 404,
			Message: `no API "nope" is served; served: opentoclose, spark`}},
		{name: "admin spec", step: bt.Step{Req: bt.Admin("GET", "/openapi.yaml"), Status: 200,
			Header: map[string]string{"Content-Type": "application/yaml"}, Check: func(t testing.TB, r bt.Resp) {
				if !bytes.Equal(r.Body, mockserver.AdminSpec()) {
					t.Errorf("GET /__mock/openapi.yaml is not mockserver.AdminSpec")
				}
			}}},
	})
}

// TestAdminSnapshot: POST /snapshot runs Options.OnSnapshot, each answer
// valid under mockserver.AdminSpec.
func TestAdminSnapshot(t *testing.T) {
	t.Parallel()
	var snapshots atomic.Int32
	snapshotOK := func(*mockserver.Server) error { snapshots.Add(1); return nil }
	snapshotFails := func(*mockserver.Server) error { return errors.New("disk full") }
	runAdmin(t, []admRow{
		{name: "snapshot without a hook", step: bt.Step{Req: bt.Admin("POST", "/snapshot"), Status: 501, Message: "no snapshot target"}},
		{name: "snapshot with a hook", opts: mockserver.Options{OnSnapshot: snapshotOK},
			step: bt.Step{Req: bt.Admin("POST", "/snapshot"), Status: 200, Check: func(t testing.TB, r bt.Resp) {
				if got := r.Object(t)["status"]; got != "saved" {
					t.Errorf("status = %v, want saved", got)
				}
				if snapshots.Load() == 0 {
					t.Error("OnSnapshot was not called")
				}
			}}},
		{name: "snapshot hook fails", opts: mockserver.Options{OnSnapshot: snapshotFails},
			step: bt.Step{Req: bt.Admin("POST", "/snapshot"), Status: 500, Message: "snapshot: disk full"}},
	})
}

// TestAdminWrongMethods: methods and paths the spec documents nowhere are
// refused with 405 and Allow, or 404.
func TestAdminWrongMethods(t *testing.T) {
	t.Parallel()
	runAdmin(t, []admRow{
		{name: "GET reset", unrouted: true, step: bt.Step{Req: bt.Admin("GET", "/reset"), Status: 405, Header: map[string]string{"Allow": "POST"}}},
		{name: "POST health", unrouted: true, step: bt.Step{Req: bt.Admin("POST", "/health"), Status: 405, Header: map[string]string{"Allow": "GET"}}},
		{name: "POST scenario", unrouted: true, step: bt.Step{Req: bt.Admin("POST", "/scenario").With(map[string]string{"name": "empty"}), Status: 405, Header: map[string]string{"Allow": "PUT"}}},
		{name: "PUT requests", unrouted: true, step: bt.Step{Req: bt.Admin("PUT", "/requests"), Status: 405, Header: map[string]string{"Allow": "GET, DELETE"}}},
		{name: "DELETE state", unrouted: true, step: bt.Step{Req: bt.Admin("DELETE", "/state"), Status: 405, Header: map[string]string{"Allow": "GET"}}},
		{name: "GET snapshot", unrouted: true, step: bt.Step{Req: bt.Admin("GET", "/snapshot"), Status: 405, Header: map[string]string{"Allow": "POST"}}},
		{name: "DELETE specs", unrouted: true, step: bt.Step{Req: bt.Admin("DELETE", "/specs/spark"), Status: 405, Header: map[string]string{"Allow": "GET"}}},
		{name: "POST openapi.yaml", unrouted: true, step: bt.Step{Req: bt.Admin("POST", "/openapi.yaml"), Status: 405, Header: map[string]string{"Allow": "GET"}}},
		{name: "unknown admin path", unrouted: true, step: bt.Step{Req: bt.Admin("GET", "/nope"), Status: 404, Message: "see GET /__mock/openapi.yaml"}},
	})
}

// TestAdminToken: with Options.AdminToken every admin call needs it, each
// answer valid under mockserver.AdminSpec.
func TestAdminToken(t *testing.T) {
	t.Parallel()
	runAdmin(t, []admRow{
		{name: "token required: none sent", opts: mockserver.Options{AdminToken: "s3cret"},
			step: bt.Step{Req: bt.Admin("GET", "/health"), Status: 401, Message: "Authorization: Bearer",
				Header: map[string]string{"WWW-Authenticate": `Bearer realm="mockserver admin"`}}},
		{name: "token required: wrong one", opts: mockserver.Options{AdminToken: "s3cret"},
			step: bt.Step{Req: bt.Admin("GET", "/state").Hdr("Authorization", "Bearer s3cret2"), Status: 401}},
		{name: "token required: another scheme", opts: mockserver.Options{AdminToken: "s3cret"},
			step: bt.Step{Req: bt.Admin("POST", "/reset").Hdr("Authorization", "Basic s3cret"), Status: 401}},
		{name: "token given", opts: mockserver.Options{AdminToken: "s3cret"},
			step: bt.Step{Req: bt.Admin("GET", "/health").Hdr("Authorization", "Bearer s3cret"), Status: 200}},
		{name: "token given to a write", opts: mockserver.Options{AdminToken: "s3cret"},
			step: bt.Step{Req: bt.Admin("PUT", "/scenario").With(map[string]string{"name": "empty"}).Hdr("Authorization", "Bearer s3cret"),
				Status: 200, Check: bt.WantActive("empty")}},
	})
}

func admWantSpec(name string) func(testing.TB, bt.Resp) {
	return func(t testing.TB, r bt.Resp) {
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
	m := bt.New(t, mockserver.Options{AdminToken: "s3cret"})
	bt.Run(t, m,
		bt.Step{Req: bt.OTC("GET", "/properties/123/contacts"), Status: 200, Check: bt.WantSeedLink},
		bt.Step{Req: bt.Spark(bt.VOWToken, "GET", bt.NotesPath), Status: 200, Check: bt.WantSeedNote},
		bt.Step{Req: bt.Admin("GET", "/requests"), Status: 401},
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
		req  bt.Req
		want want
	}{
		{bt.OTC("GET", "/properties/123/contacts?role=Buyer"), want{"opentoclose", "GET", "/opentoclose/v1/properties/123/contacts", "listPropertyContacts", "", 200}},
		{bt.Spark(bt.VOWToken, "GET", bt.NotesPath), want{"spark", "GET", "/spark/v1" + bt.NotesPath, "getSharedNote", "VOW", 200}},
		{bt.Spark(bt.IDXToken, "PUT", bt.NotesPath).With(map[string]any{"D": map[string]any{"Note": "x"}}),
			want{"spark", "PUT", "/spark/v1" + bt.NotesPath, "replaceSharedNote", "IDX", 405}},
		{bt.OTC("POST", "/properties/124/contacts").With(otcBody), want{"opentoclose", "POST", "/opentoclose/v1/properties/124/contacts", "createPropertyContact", "", 201}},
		{bt.Spark(bt.ExpiredToken, "GET", bt.NotesPath), want{"spark", "GET", "/spark/v1" + bt.NotesPath, "getSharedNote", "", 401}},
		{bt.Spark(bt.PrivateToken, "GET", bt.ContactNotesPath), want{"spark", "GET", "/spark/v1" + bt.ContactNotesPath, "listContactSharedNotes", "Private", 200}},
		{bt.Req{Method: "GET", Target: "/nowhere"}, want{"", "GET", "/nowhere", "", "", 404}},
	}
	m := bt.New(t, mockserver.Options{})
	for _, c := range traffic {
		bt.Send(t, m, c.req)
	}
	_, r := admSend(t, m, bt.Admin("GET", "/requests"))
	overHTTP := admEntries(t, r)
	entries := m.Requests(mockserver.Filter{})
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
			for _, leak := range []string{bt.OTCToken, bt.VOWToken, bt.IDXToken, bt.ExpiredToken, bt.PrivateToken} {
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
	if b := entries[3].Body; !bt.JSONEqual(t, []byte(b), []byte(`{"contact_id":789,"role":"Seller"}`)) {
		t.Errorf("create body journaled as %q", b)
	}

	t.Run("filters", func(t *testing.T) {
		for _, f := range []mockserver.Filter{{API: "spark"}, {Operation: "getSharedNote"}, {API: "opentoclose", Operation: "createPropertyContact"}} {
			for _, e := range m.Requests(f) {
				if (f.API != "" && e.API != f.API) || (f.Operation != "" && e.Operation != f.Operation) {
					t.Errorf("filter %+v returned %+v", f, e)
				}
			}
		}
		if n := len(m.Requests(mockserver.Filter{Operation: "getSharedNote"})); n != 2 {
			t.Errorf("%d getSharedNote entries, want 2", n)
		}
	})
	t.Run("reset keeps the journal, clear empties it", func(t *testing.T) {
		bt.Run(t, m, bt.Step{Req: bt.Admin("POST", "/reset"), Status: 200})
		if n := len(m.Requests(mockserver.Filter{})); n != len(traffic) {
			t.Errorf("after reset: %d entries, want %d", n, len(traffic))
		}
		m.ClearRequests()
		if n := len(m.Requests(mockserver.Filter{})); n != 0 {
			t.Errorf("after clear: %d entries, want 0", n)
		}
		bt.Send(t, m, bt.OTC("GET", "/properties/123/contacts"))
		if e := m.Requests(mockserver.Filter{}); len(e) != 1 || e[0].Seq != int64(len(traffic)+1) {
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
			m := bt.New(t, mockserver.Options{JournalSize: row.size})
			for i := 1; i <= row.sent; i++ {
				bt.Send(t, m, bt.OTC("GET", "/properties/"+strconv.Itoa(i)+"/contacts"))
			}
			var paths []string
			var seqs []int64
			for _, e := range m.Requests(mockserver.Filter{}) {
				paths = append(paths, strings.TrimSuffix(strings.TrimPrefix(e.Path, "/opentoclose/v1/properties/"), "/contacts"))
				seqs = append(seqs, e.Seq)
			}
			if !slices.Equal(paths, row.paths) || !slices.Equal(seqs, row.seqs) {
				t.Errorf("journal holds properties %v with Seq %v, want %v with %v", paths, seqs, row.paths, row.seqs)
			}
			_, r := admSend(t, m, bt.Admin("GET", "/requests?limit=2"))
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
