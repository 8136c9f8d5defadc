package mockserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
)

// One row per status and code of the pipeline, in pipeline order. Each
// row also breaks every later step, so it proves the order: a request
// that is both unauthenticated and invalid must get the 401, and so on.
func TestPipelineSpark(t *testing.T) {
	s := newServer(t, mockserver.Options{MaxBodyBytes: 256})
	noUA := func(c call) call { delete(c.header, "X-SparkApi-User-Agent"); return c }
	withCT := func(c call, ct string) call { c.header["Content-Type"] = ct; return c }
	tests := []struct {
		name   string
		call   call
		status int
		code   int
		allow  string
		msg    string
	}{
		{"1 no route, naming the nearest paths", spark("GET", "/spark/v1/listings/"+listing+"/shared/other", "", ""), 404, 404, "", "nearest: /spark/v1/listings/{ListingId}/shared/notes, "},
		{"1 no route below the base path", spark("GET", "/spark/v2/listings", "", ""), 404, 404, "", ""},
		{"2 documented 405 comes before user agent and auth", noUA(spark("POST", notesPath, "", "{")), 405, 405, "GET, PUT, DELETE", "POST is not offered"},
		{"2 405 on /contacts lists GET only", spark("DELETE", notesPath+"/contacts", "spark-private-token", ""), 405, 405, "GET", ""},
		{"2 method absent from the spec", spark("PATCH", notesPath, "spark-vow-token", ""), 405, 405, "GET, PUT, DELETE", ""},
		{"3 missing X-SparkApi-User-Agent comes before auth", noUA(spark("GET", notesPath, "", "")), 400, 1016, "", "X-SparkApi-User-Agent"},
		{"4 no token", spark("GET", notesPath, "", ""), 401, 1000, "", "no credential"},
		{"4 unknown token", spark("GET", notesPath, "nope", ""), 401, 1000, "", "not one this scenario knows"},
		{"4 wrong scheme", call{"GET", notesPath, "", map[string]string{"X-SparkApi-User-Agent": "t", "Authorization": "Basic c3Bhcms="}}, 401, 1000, "", ""},
		{"4 expired token", spark("GET", notesPath, "spark-expired-token", ""), 401, 1020, "", "expired"},
		{"5 read-only role writing, before validation", spark("PUT", notesPath, "spark-idx-token", "not json"), 405, 1017, "GET, PUT, DELETE", "IDX role may only read"},
		{"5 Public writing", spark("DELETE", notesPath+"/contacts/"+vowContact, "spark-public-token", ""), 405, 1017, "", ""},
		{"5 IDX reading a VOW/Portal path", spark("GET", notesPath, "spark-idx-token", ""), 403, 1500, "", "served to VOW/Portal sessions, not to IDX"},
		{"5 Private on the VOW/Portal path", spark("PUT", notesPath, "spark-private-token", `{"D":{"Note":"x"}}`), 403, 1500, "", ""},
		{"5 VOW on the Private path", spark("GET", notesPath+"/contacts", "spark-vow-token", ""), 403, 1500, "", ""},
		{"6 body over the limit", spark("PUT", notesPath, "spark-vow-token", `{"D":{"Note":"`+strings.Repeat("x", 300)+`"}}`), 413, 1053, "", "over 256 bytes"},
		{"6 wrong content type", withCT(spark("PUT", notesPath, "spark-vow-token", `{"D":{"Note":"x"}}`), "text/plain"), 400, 1035, "", "text/plain"},
		{"6 body not JSON", spark("PUT", notesPath, "spark-vow-token", `{"D":`), 400, 1035, "", "not valid JSON"},
		{"6 no body", spark("PUT", notesPath, "spark-vow-token", ""), 400, 1035, "", "JSON body is required"},
		{"6 Note missing", spark("PUT", notesPath, "spark-vow-token", `{"D":{}}`), 400, 1050, "", "D.Note"},
		{"6 D missing", spark("PUT", notesPath, "spark-vow-token", `{"Note":"x"}`), 400, 1050, "", ": D"},
		{"6 Note of the wrong type", spark("PUT", notesPath, "spark-vow-token", `{"D":{"Note":5}}`), 400, 1053, "", "D.Note"},
		{"6 listing id not 26 digits", spark("GET", "/spark/v1/listings/123/shared/notes", "spark-vow-token", ""), 400, 1053, "", "ListingId"},
		{"7 unknown listing", spark("GET", "/spark/v1/listings/20200101000000000000000000/shared/notes", "spark-vow-token", ""), 404, 404, "", "listing 20200101000000000000000000 does not exist"},
		{"7 unknown contact", spark("GET", notesPath+"/contacts/20200101000000000000000000", "spark-private-token", ""), 404, 404, "", "contact"},
		{"7 success", spark("GET", notesPath, "spark-vow-token", ""), 200, -1, "", ""},
		{"7 OAuth prefix accepted", call{"GET", notesPath, "", map[string]string{"X-Sparkapi-User-Agent": "gem", "Authorization": "OAuth spark-vow-token"}}, 200, -1, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, s, tt.call)
			if a.status != tt.status || a.sparkCode() != tt.code {
				t.Fatalf("got %d code %d, want %d code %d: %s", a.status, a.sparkCode(), tt.status, tt.code, a.raw)
			}
			if tt.allow != "" && a.header.Get("Allow") != tt.allow {
				t.Errorf("Allow = %q, want %q", a.header.Get("Allow"), tt.allow)
			}
			if tt.status == http.StatusMethodNotAllowed && a.header.Get("Allow") == "" {
				t.Error("a 405 without Allow")
			}
			if !strings.Contains(a.message(), tt.msg) {
				t.Errorf("message %q does not mention %q", a.message(), tt.msg)
			}
			if tt.status >= 400 {
				if a.envelope()["Success"] != false {
					t.Errorf("failure without D.Success=false: %s", a.raw)
				}
			}
		})
	}
}

func TestPipelineOpenToClose(t *testing.T) {
	s := newServer(t, mockserver.Options{MaxBodyBytes: 256})
	noToken := func(c call) call { c.path = strings.Split(c.path, "?")[0]; return c }
	withCT := func(c call, ct string) call { c.header["Content-Type"] = ct; return c }
	tests := []struct {
		name   string
		call   call
		status int
		allow  string
		msg    string
	}{
		{"1 no route", otc("GET", "/properties/123/owners", ""), 404, "", "no path"},
		{"2 method absent from the spec, before auth", noToken(otc("PATCH", "/properties/123/contacts/456", "")), 405, "GET, PUT, DELETE", "PATCH is not offered"},
		{"2 POST on an item", otc("POST", "/properties/123/contacts/456", ""), 405, "GET, PUT, DELETE", ""},
		{"4 no token", noToken(otc("GET", "/properties/123/contacts", "")), 401, "", "api_token"},
		{"4 unknown token", call{"GET", "/opentoclose/v1/properties/123/contacts?api_token=nope", "", nil}, 401, "", "not one this scenario knows"},
		{"4 bearer header is not how this API authenticates", call{"GET", "/opentoclose/v1/properties/123/contacts", "", map[string]string{"Authorization": "Bearer otc-demo-token"}}, 401, "", ""},
		{"6 body over the limit", otc("POST", "/properties/123/contacts", `{"contact_id":1,"notes":"`+strings.Repeat("x", 300)+`"}`), 413, "", "over 256 bytes"},
		{"6 wrong content type", withCT(otc("POST", "/properties/123/contacts", `{"contact_id":1}`), "text/plain"), 415, "", "text/plain"},
		{"6 body not JSON", otc("POST", "/properties/123/contacts", `{"contact_id":`), 400, "", "not valid JSON"},
		{"6 contact_id missing", otc("POST", "/properties/123/contacts", `{"role":"Buyer"}`), 400, "", "contact_id"},
		{"6 contact_id of the wrong type", otc("POST", "/properties/123/contacts", `{"contact_id":"abc"}`), 400, "", "contact_id"},
		{"6 contact_id not positive", otc("POST", "/properties/123/contacts", `{"contact_id":0}`), 400, "", "contact_id"},
		{"6 start_date not a date", otc("POST", "/properties/123/contacts", `{"contact_id":7,"start_date":"soon"}`), 400, "", "start_date"},
		{"6 empty update", otc("PUT", "/properties/123/contacts/456", `{}`), 400, "", ""},
		{"6 limit out of range", otc("GET", "/properties/123/contacts?limit=0", ""), 400, "", "limit"},
		{"6 property id not an integer", otc("GET", "/properties/abc/contacts", ""), 400, "", "property_id"},
		{"7 unknown property", otc("GET", "/properties/999/contacts", ""), 404, "", "property 999 does not exist"},
		{"7 unknown link", otc("GET", "/properties/123/contacts/457", ""), 404, "", "457 is not linked"},
		{"7 duplicate link", otc("POST", "/properties/123/contacts", `{"contact_id":456}`), 409, "", "already linked"},
		{"7 success", otc("GET", "/properties/123/contacts", ""), 200, "", ""},
		{"7 GET with a JSON content type and no body, as the SDK sends", otc("GET", "/properties/124/contacts", ""), 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, s, tt.call)
			if a.status != tt.status {
				t.Fatalf("got %d, want %d: %s", a.status, tt.status, a.raw)
			}
			if tt.allow != "" && a.header.Get("Allow") != tt.allow {
				t.Errorf("Allow = %q, want %q", a.header.Get("Allow"), tt.allow)
			}
			if tt.status >= 400 && a.message() == "" {
				t.Errorf("failure without a message: %s", a.raw)
			}
			if !strings.Contains(a.message(), tt.msg) {
				t.Errorf("message %q does not mention %q", a.message(), tt.msg)
			}
		})
	}
}

func TestUnmountedPath(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	a := do(t, s, call{method: "GET", path: "/elsewhere"})
	if a.status != http.StatusNotFound || !strings.Contains(a.message(), "no API is mounted at /elsewhere") {
		t.Fatalf("got %d %s", a.status, a.raw)
	}
}

func TestMounts(t *testing.T) {
	s := newServer(t, mockserver.Options{Mounts: map[string]string{"spark": "/"}})
	if got := do(t, s, spark("GET", "/v1/listings/"+listing+"/shared/notes", "spark-vow-token", "")); got.status != 200 {
		t.Errorf("spark at the root: %d %s", got.status, got.raw)
	}
	if got := do(t, s, otc("GET", "/properties/123/contacts", "")); got.status != 200 {
		t.Errorf("opentoclose under its prefix beside a root mount: %d %s", got.status, got.raw)
	}
	if got := do(t, s, spark("GET", "/spark/v1/listings/"+listing+"/shared/notes", "spark-vow-token", "")); got.status != 404 || got.sparkCode() != 404 {
		t.Errorf("old spark prefix still answers: %d %s", got.status, got.raw)
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
	delete(noUA.header, "X-SparkApi-User-Agent")
	if a := do(t, s, noUA); a.status != 200 || len(a.sparkResults()) != 1 {
		t.Errorf("without the header, check off: %d %s", a.status, a.raw)
	}
	noUA.header["Authorization"] = "Bearer nope"
	if a := do(t, s, noUA); a.status != 401 || a.sparkCode() != 1000 {
		t.Errorf("authentication still applies: %d %s", a.status, a.raw)
	}
	if err := s.SwitchScenario("default"); err != nil {
		t.Fatal(err)
	}
	noUA.header["Authorization"] = "Bearer spark-vow-token"
	if a := do(t, s, noUA); a.status != 400 || a.sparkCode() != 1016 {
		t.Errorf("back on default, the check applies again: %d %s", a.status, a.raw)
	}
}

// The journal keeps the body of a request refused before validation, so
// a test can see what a client sent when it was turned away.
func TestJournalKeepsBodiesOfRefusedRequests(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	do(t, s, spark("PUT", notesPath, "spark-idx-token", `{"D":{"Note":"from IDX"}}`))
	entries := s.Requests(mockserver.Filter{Operation: "replaceSharedNote"})
	if len(entries) != 1 || entries[0].Status != 405 || entries[0].Body != `{"D":{"Note":"from IDX"}}` || entries[0].Role != "IDX" {
		t.Fatalf("journal: %+v", entries)
	}
}
