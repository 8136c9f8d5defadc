package mockserver_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
	"github.com/realestate-mocks/mockserver/spec"
)

// A behaviour that returns a body breaking the spec is caught: a 500 that
// names the broken rule in strict mode, a flagged answer in lenient mode.
func TestResponseValidation(t *testing.T) {
	bad := mockserver.BehaviorFunc(func(*mockserver.Call) *mockserver.Reply {
		return mockserver.JSON(http.StatusOK, map[string]any{"D": map[string]any{"Success": true, "Results": []any{map[string]any{"Note": 5}}}})
	})
	undocumented := mockserver.BehaviorFunc(func(*mockserver.Call) *mockserver.Reply {
		return mockserver.JSON(http.StatusTeapot, map[string]any{"D": map[string]any{}})
	})
	tests := []struct {
		name     string
		mode     mockserver.ValidationMode
		behavior mockserver.Behavior
		status   int
		want     string
	}{
		{"strict, wrong type", mockserver.Strict, bad, 500, "Results.0"},
		{"strict, undocumented status", mockserver.Strict, undocumented, 500, "418"},
		{"lenient, wrong type", mockserver.Lenient, bad, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, mockserver.Options{Validation: tt.mode})
			if err := s.Handle("spark", "getSharedNote", tt.behavior); err != nil {
				t.Fatal(err)
			}
			a := bt.SendJSON(t, s, spark("GET", notesPath, "spark-vow-token", ""))
			if a.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.Status, tt.status, string(a.Body))
			}
			if tt.mode == mockserver.Strict {
				if a.SparkCode(t) != 1026 || !strings.Contains(a.Message(t), "broke the spec") || !strings.Contains(a.Message(t), tt.want) {
					t.Errorf("strict answer does not say which rule broke: %s", string(a.Body))
				}
			} else if a.Header.Get(mockserver.ViolationHeader) == "" {
				t.Errorf("lenient answer not flagged: %v", a.Header)
			}
			entries := s.Requests(mockserver.Filter{Operation: "getSharedNote"})
			if len(entries) != 1 || len(entries[0].Errors) == 0 || !strings.HasPrefix(entries[0].Errors[0], "response:") {
				t.Errorf("journal does not record the violation: %+v", entries)
			}
		})
	}
	s := newServer(t, mockserver.Options{})
	if err := s.Handle("spark", "noSuchOperation", bad); err == nil {
		t.Error("Handle accepted an unknown operation")
	}
	if err := s.Handle("zillow", "getSharedNote", bad); err == nil {
		t.Error("Handle accepted an unknown API")
	}
}

// A reply without a status is a bug of its maker: it is answered 500 in
// the API's envelope and journaled, never taken for a client that left
// (which writes nothing, so net/http sends an empty 200).
func TestReplyWithoutStatus(t *testing.T) {
	for _, lenient := range []bool{false, true} {
		mode := mockserver.Strict
		if lenient {
			mode = mockserver.Lenient
		}
		s := newServer(t, mockserver.Options{Validation: mode})
		if err := s.Handle("spark", "getSharedNote", mockserver.BehaviorFunc(func(*mockserver.Call) *mockserver.Reply {
			return &mockserver.Reply{Body: map[string]any{"D": map[string]any{"Success": true}}}
		})); err != nil {
			t.Fatal(err)
		}
		a := bt.SendJSON(t, s, spark("GET", notesPath, "spark-vow-token", ""))
		if a.Status != http.StatusInternalServerError || a.SparkCode(t) != 1026 || !strings.Contains(a.Message(t), "no status") {
			t.Errorf("lenient %v: %d %s", lenient, a.Status, string(a.Body))
		}
		if e := s.Requests(mockserver.Filter{Operation: "getSharedNote"}); len(e) != 1 || e[0].Status != 500 {
			t.Errorf("lenient %v: journal %+v", lenient, e)
		}
	}
}

// A panicking behaviour answers 500 in the API's envelope, never a reset
// connection, and the server keeps serving.
func TestBehaviorPanic(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	_ = s.Handle("opentoclose", "listPropertyContacts", mockserver.BehaviorFunc(func(*mockserver.Call) *mockserver.Reply { panic("boom") }))
	a := bt.SendJSON(t, s, otc("GET", "/properties/123/contacts", ""))
	if a.Status != 500 || !strings.Contains(a.Message(t), "boom") {
		t.Fatalf("got %d %s", a.Status, string(a.Body))
	}
	if a := bt.SendJSON(t, s, otc("GET", "/properties/123/contacts/456", "")); a.Status != 200 {
		t.Fatalf("after a panic: %d", a.Status)
	}
}

// Many goroutines create, update and delete on one server: no record is
// lost or duplicated, and a second server sees none of it.
func TestConcurrentWrites(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	other := newServer(t, mockserver.Options{})
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan string, workers*each*3)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				id := 1000 + w*each + i
				if a := bt.SendJSON(t, s, otc("POST", "/properties/124/contacts", fmt.Sprintf(`{"contact_id":%d,"role":"Buyer","primary":true}`, id))); a.Status != 201 {
					errs <- fmt.Sprintf("create %d: %d %s", id, a.Status, string(a.Body))
				}
				if a := bt.SendJSON(t, s, otc("PUT", fmt.Sprintf("/properties/124/contacts/%d", id), `{"notes":"updated"}`)); a.Status != 200 {
					errs <- fmt.Sprintf("update %d: %d", id, a.Status)
				}
				if i%5 == 0 {
					if a := bt.SendJSON(t, s, otc("DELETE", fmt.Sprintf("/properties/124/contacts/%d", id), "")); a.Status != 204 {
						errs <- fmt.Sprintf("delete %d: %d", id, a.Status)
					}
				}
				note := fmt.Sprintf(`{"D":{"Note":"note %d"}}`, id)
				if a := bt.SendJSON(t, s, spark("PUT", notesPath, "spark-portal-token", note)); a.Status != 200 {
					errs <- fmt.Sprintf("spark put %d: %d", id, a.Status)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	list, _ := bt.SendJSON(t, s, otc("GET", "/properties/124/contacts?limit=100", "")).Value(t).([]any)
	list2, _ := bt.SendJSON(t, s, otc("GET", "/properties/124/contacts?limit=100&offset=100", "")).Value(t).([]any)
	all := append(list, list2...)
	wantCount := workers*each - workers*each/5
	seen := map[float64]bool{}
	primaries := 0
	for _, item := range all {
		l := item.(map[string]any)
		if seen[l["id"].(float64)] {
			t.Errorf("link id %v twice", l["id"])
		}
		seen[l["id"].(float64)] = true
		if l["notes"] != "updated" {
			t.Errorf("link %v lost its update", l["contact_id"])
		}
		if l["primary"] == true {
			primaries++
		}
	}
	if len(all) != wantCount {
		t.Errorf("%d links survive, want %d", len(all), wantCount)
	}
	if primaries > 1 {
		t.Errorf("%d primary buyers, want at most 1", primaries)
	}
	if a := bt.SendJSON(t, other, otc("GET", "/properties/124/contacts", "")); string(a.Body) != "[]" {
		t.Errorf("another server sees the writes: %s", string(a.Body))
	}
	if a := bt.SendJSON(t, other, spark("GET", notesPath, "spark-portal-token", "")); len(a.SparkResults(t)) != 0 {
		t.Errorf("another server sees the Spark write: %s", string(a.Body))
	}
}

// The engine serves any OpenAPI 3.0 document: examples where the spec has
// them, bodies generated from the schema where it has none, validation
// and the default error envelope throughout.
func TestThirdPartySpec(t *testing.T) {
	pets, err := spec.LoadFile("petstore", "testdata/petstore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := engineServer(t, mockserver.Options{APIs: []*spec.API{pets}})
	if a := bt.SendJSON(t, s, bt.Req{Method: "GET", Target: "/petstore/api/pets"}); a.Status != 200 || !strings.Contains(string(a.Body), `"Rex"`) {
		t.Errorf("example response: %d %s", a.Status, string(a.Body))
	}
	for _, c := range []bt.Req{
		{Method: "GET", Target: "/petstore/api/pets/7"},
		{Method: "GET", Target: "/petstore/api/pets/7", Header: map[string]string{"Prefer": "dynamic=true"}},
		{Method: "POST", Target: "/petstore/api/pets", Body: `{"name":"Kit"}`, Header: map[string]string{"Content-Type": "application/json"}},
	} {
		a := bt.SendJSON(t, s, c)
		pet, _ := a.Value(t).(map[string]any)
		if a.Status/100 != 2 || pet["id"] == nil || pet["name"] == nil {
			t.Errorf("%s %s: generated response %d %s", c.Method, c.Target, a.Status, string(a.Body))
		}
	}
	if a := bt.SendJSON(t, s, bt.Req{Method: "GET", Target: "/petstore/api/pets/7", Header: map[string]string{"Prefer": "code=404"}}); a.Status != 404 {
		t.Errorf("Prefer code=404: %d %s", a.Status, string(a.Body))
	}
	bad := bt.SendJSON(t, s, bt.Req{Method: "POST", Target: "/petstore/api/pets", Body: `{"tag":"x"}`, Header: map[string]string{"Content-Type": "application/json"}})
	if bad.Status != 400 || !strings.Contains(bad.Message(t), "name") {
		t.Errorf("invalid body: %d %s", bad.Status, string(bad.Body))
	}
	if a := bt.SendJSON(t, s, bt.Req{Method: "GET", Target: "/petstore/api/pets?limit=500"}); a.Status != 400 {
		t.Errorf("limit=500: %d %s", a.Status, string(a.Body))
	}
	if st := s.State(); len(st) != 0 {
		t.Errorf("a spec without behaviours has state %v", st)
	}
}

// A document kin-openapi accepts but libopenapi cannot read (here, a
// required circular reference) is still served from its examples; an
// answer that must be generated from a schema is a clear 500 in the
// API's envelope, never a panic, an empty body or a claim that the
// preference was applied.
func TestDocumentLibopenapiCannotRead(t *testing.T) {
	api, err := spec.LoadFile("circular", "testdata/circular.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Model(); err == nil {
		t.Fatal("testdata/circular.yaml must be a document libopenapi refuses")
	}
	s := engineServer(t, mockserver.Options{APIs: []*spec.API{api}})
	if a := bt.SendJSON(t, s, bt.Req{Method: "GET", Target: "/circular/api/nodes"}); a.Status != 200 || !strings.Contains(string(a.Body), `"root"`) {
		t.Errorf("the example: %d %s", a.Status, string(a.Body))
	}
	tests := []struct {
		name string
		c    bt.Req
		want string
	}{
		{"Prefer: dynamic=true", bt.Req{Method: "GET", Target: "/circular/api/nodes", Header: map[string]string{"Prefer": "dynamic=true"}},
			"cannot generate a body from the schema"},
		{"no example to answer with", bt.Req{Method: "GET", Target: "/circular/api/nodes/first"},
			"firstNode documents no example for 200, and cannot generate a body from the schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := bt.SendJSON(t, s, tt.c)
			if a.Status != 500 || !strings.Contains(a.Message(t), tt.want) || !strings.Contains(a.Message(t), "circular reference") {
				t.Errorf("%d %s: want a 500 whose message says %q and why", a.Status, string(a.Body), tt.want)
			}
			if a.Header.Get("Preference-Applied") != "" {
				t.Errorf("Preference-Applied %q on a failure", a.Header.Get("Preference-Applied"))
			}
		})
	}
}

// State and RestoreState round-trip through JSON, as the state file does.
func TestStateRoundTrip(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	bt.SendJSON(t, s, otc("POST", "/properties/123/contacts", `{"contact_id":77,"role":"Seller"}`))
	bt.SendJSON(t, s, spark("PUT", notesPath, "spark-portal-token", `{"D":{"Note":"kept"}}`))
	saved, err := json.Marshal(s.State())
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(saved, &raw); err != nil {
		t.Fatal(err)
	}
	fresh := newServer(t, mockserver.Options{Scenario: "empty"})
	if err := fresh.RestoreState(raw); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(fresh.State())
	if string(again) != string(saved) {
		t.Errorf("restored state differs:\n%s\n%s", saved, again)
	}
	if a := bt.SendJSON(t, fresh, otc("GET", "/properties/123/contacts/77", "")); a.Status != 200 {
		t.Errorf("restored link: %d", a.Status)
	}
	if err := fresh.RestoreState(map[string]json.RawMessage{"spark": json.RawMessage(`{"listings": 5}`)}); err == nil {
		t.Error("corrupt saved state accepted")
	}
	if err := fresh.RestoreState(map[string]json.RawMessage{"zillow": json.RawMessage(`{}`)}); err == nil {
		t.Error("state for an unknown API accepted")
	}
}

func TestCORS(t *testing.T) {
	preflight := bt.Req{Method: "OPTIONS", Target: notesPath, Header: map[string]string{
		"Origin": "http://localhost:3000", "Access-Control-Request-Method": "PUT",
		"Access-Control-Request-Headers": "authorization, x-sparkapi-user-agent, content-type",
	}}
	t.Run("off by default: OPTIONS is a 405 like any undocumented method", func(t *testing.T) {
		s := newServer(t, mockserver.Options{})
		if a := bt.SendJSON(t, s, preflight); a.Status != 405 || a.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("got %d %v", a.Status, a.Header)
		}
	})
	t.Run("on", func(t *testing.T) {
		s := newServer(t, mockserver.Options{CORS: true})
		a := bt.SendJSON(t, s, preflight)
		if a.Status != 204 || a.Header.Get("Access-Control-Allow-Methods") != "PUT" ||
			a.Header.Get("Access-Control-Allow-Headers") != "authorization, x-sparkapi-user-agent, content-type" {
			t.Fatalf("preflight: %d %v", a.Status, a.Header)
		}
		get := spark("GET", notesPath, "spark-vow-token", "")
		get.Header["Origin"] = "http://localhost:3000"
		if a := bt.SendJSON(t, s, get); a.Status != 200 || a.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(a.Header.Get("Access-Control-Expose-Headers"), "Allow") {
			t.Fatalf("actual request: %d %v", a.Status, a.Header)
		}
		get.Header["Authorization"] = "Bearer nope"
		if a := bt.SendJSON(t, s, get); a.Status != 401 || a.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("a refusal must be readable by the browser app too: %d %v", a.Status, a.Header)
		}
	})
}

// Coverage counts answers per operation and status, lists the documented
// statuses never produced, and restarts with the journal.
func TestCoverage(t *testing.T) {
	s := newServer(t, mockserver.Options{JournalSize: 1})
	bt.SendJSON(t, s, spark("GET", notesPath, "spark-vow-token", ""))
	bt.SendJSON(t, s, spark("GET", notesPath, "spark-vow-token", ""))
	bt.SendJSON(t, s, spark("GET", notesPath, "nope", ""))
	bt.SendJSON(t, s, spark("POST", notesPath, "", ""))
	bt.SendJSON(t, s, otc("DELETE", "/properties/123/contacts/456", ""))
	report := s.Coverage()
	if len(report.APIs) != 2 || report.APIs[1].API != "spark" {
		t.Fatalf("report: %+v", report)
	}
	sp := report.APIs[1]
	get := sp.Operations[0]
	if get.Operation != "getSharedNote" || get.Calls != 3 || get.Answered[200] != 2 || get.Answered[401] != 1 {
		t.Errorf("getSharedNote: %+v (the journal keeps 1 entry; coverage must count all 3)", get)
	}
	if fmt.Sprint(get.Missing) != "[400 403 404 429 500]" {
		t.Errorf("missing statuses %v", get.Missing)
	}
	if sp.CoveredOperations != 2 || sp.CoveredStatuses != 3 || sp.DocumentedStatuses < 40 {
		t.Errorf("spark totals: %+v", sp)
	}
	if otcCov := report.APIs[0]; otcCov.CoveredOperations != 1 || otcCov.Operations[4].Answered[204] != 1 {
		t.Errorf("opentoclose: %+v", otcCov)
	}
	s.ClearRequests()
	if s.Coverage().APIs[1].CoveredOperations != 0 {
		t.Error("ClearRequests left coverage counts")
	}
}

// Coverage counts an undocumented status too (a lenient mock sends it),
// without counting it as a documented one, and counts concurrent calls
// exactly.
func TestCoverageUndocumentedAndConcurrent(t *testing.T) {
	s := newServer(t, mockserver.Options{Validation: mockserver.Lenient})
	teapot := mockserver.BehaviorFunc(func(*mockserver.Call) *mockserver.Reply {
		return mockserver.JSON(http.StatusTeapot, map[string]any{"D": map[string]any{}})
	})
	if err := s.Handle("spark", "deleteSharedNote", teapot); err != nil {
		t.Fatal(err)
	}
	const workers, calls = 4, 25
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range calls {
				bt.SendJSON(t, s, spark("GET", notesPath, "spark-vow-token", ""))
				bt.SendJSON(t, s, spark("DELETE", notesPath, "spark-vow-token", ""))
			}
		})
	}
	wg.Wait()
	sp := s.Coverage().APIs[1]
	ops := map[string]mockserver.OperationCoverage{}
	for _, op := range sp.Operations {
		ops[op.Operation] = op
	}
	if get := ops["getSharedNote"]; get.Calls != workers*calls || get.Answered[200] != workers*calls {
		t.Errorf("getSharedNote: %+v", get)
	}
	del := ops["deleteSharedNote"]
	if del.Calls != workers*calls || del.Answered[418] != workers*calls || slices.Contains(del.Missing, 418) {
		t.Errorf("deleteSharedNote: %+v", del)
	}
	if sp.CoveredOperations != 2 || sp.CoveredStatuses != 1 {
		t.Errorf("an undocumented status must not count as a covered one: %+v", sp)
	}
	s.ClearRequests()
	if del := s.Coverage().APIs[1].Operations; slices.ContainsFunc(del, func(o mockserver.OperationCoverage) bool { return o.Calls != 0 }) {
		t.Errorf("ClearRequests left counts: %+v", del)
	}
}

// Options.Latency slows every API call; only a lower bound is asserted.
func TestOptionsLatency(t *testing.T) {
	s := newServer(t, mockserver.Options{Latency: 50 * time.Millisecond})
	start := time.Now()
	if a := bt.SendJSON(t, s, otc("GET", "/properties/123/contacts", "")); a.Status != 200 {
		t.Fatalf("%d %s", a.Status, string(a.Body))
	}
	if took := time.Since(start); took < 50*time.Millisecond {
		t.Errorf("the call took %v, less than the 50ms asked for", took)
	}
}

func TestNewWithoutPacksOrAPIsFails(t *testing.T) {
	if _, err := mockserver.New(mockserver.Options{}); err == nil {
		t.Fatal("New served nothing without complaint")
	}
}
