package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// viewingsSpec is our own OpenAPI 3.1 document, written with the JSON
// Schema 2020-12 keywords; its API is named after the file, as validate
// names it.
const viewingsSpec = "../../spec/testdata/viewings31.yaml"

const okViewing = `"kind":"viewing","listingRef":"MLS-1042","price":450000`

// serve --spec with a 3.1 document: each request is decided by a 2020-12
// keyword, the answers come from the schema's examples arrays (and pass
// the 3.1 response check, or the mock would answer 500), and Prefer works.
func TestServe31(t *testing.T) {
	p := startInProcess(t, nil, "serve", "--addr", "127.0.0.1:0", "--spec", "viewings31="+viewingsSpec)
	base := startupLines(t, p.stdout.String())["viewings31"]
	if base == "" {
		t.Fatalf("no viewings31 line in:\n%s", p.stdout)
	}
	ct := map[string]string{"Content-Type": "application/json"}
	for _, tt := range []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		want                     string // in the answer
	}{
		// 2020-12 accepts what OpenAPI 3.0 would refuse.
		{"null in a type array", "POST", "/viewings", `{` + okViewing + `,"notes":null}`, ct, 201, `"kind":"viewing"`},
		{"a tuple (prefixItems)", "POST", "/viewings", `{` + okViewing + `,"window":["2026-12-05T10:00:00Z",30]}`, ct, 201, ""},
		{"properties of allOf's parts (unevaluatedProperties)", "POST", "/viewings", `{` + okViewing + `,"contactName":"Ann","contactPhone":"1"}`, ct, 201, ""},
		{"contentMediaType is an annotation", "POST", "/viewings", `{` + okViewing + `,"floorPlan":"not svg"}`, ct, 201, ""},
		// 2020-12 refuses what the 3.0 reading of the same schema accepts.
		{"const", "POST", "/viewings", `{"kind":"open-house","listingRef":"MLS-1","price":1}`, ct, 400, `"kind"`},
		{"prefixItems out of order", "POST", "/viewings", `{` + okViewing + `,"window":[30,"2026-12-05T10:00:00Z"]}`, ct, 400, `"window.0"`},
		{"dependentRequired", "POST", "/viewings", `{` + okViewing + `,"contactPhone":"1"}`, ct, 400, `"contactName"`},
		{"unevaluatedProperties", "POST", "/viewings", `{` + okViewing + `,"parking":true}`, ct, 400, `"parking"`},
		{"numeric exclusiveMinimum", "POST", "/viewings", `{"kind":"viewing","listingRef":"MLS-1","price":0}`, ct, 400, `"price"`},
		{"$ref with a sibling required", "POST", "/viewings", `{` + okViewing + `,"agent":{"name":"Bo"}}`, ct, 400, `"agent.phone"`},
		{"exclusiveMinimum on a path parameter", "GET", "/viewings/0", "", nil, 400, "viewingId"},
		// Answers.
		{"generated from examples arrays", "GET", "/viewings/7", "", nil, 200, `"listingRef":"MLS-1042"`},
		{"list", "GET", "/viewings", "", nil, 200, `"notes":"Ring the bell twice"`},
		{"Prefer: code=404", "GET", "/viewings/7", "", map[string]string{"Prefer": "code=404"}, 404, ""},
		{"Prefer: dynamic=true", "GET", "/viewings/7", "", map[string]string{"Prefer": "dynamic=true"}, 200, `"kind":"viewing"`},
		{"a webhook is not served", "POST", "/viewingBooked", `{}`, ct, 404, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, got := do(t, http.DefaultClient, tt.method, base+tt.path, tt.body, tt.header)
			if code != tt.status || !strings.Contains(got, tt.want) {
				t.Errorf("%s %s: %d %s, want %d with %s", tt.method, tt.path, code, got, tt.status, tt.want)
			}
		})
	}
	code, cov := do(t, http.DefaultClient, "GET", startupLines(t, p.stdout.String())["admin"]+"coverage", "", nil)
	if code != 200 || !strings.Contains(cov, "createViewing") {
		t.Errorf("coverage: %d %s", code, cov)
	}
}

// --stateful keeps a 3.1 API's records: create → read → replace →
// delete → 404.
func TestServeStateful31(t *testing.T) {
	p := startInProcess(t, nil, "serve", "--addr", "127.0.0.1:0", "--spec", "viewings31="+viewingsSpec, "--stateful", "viewings31")
	base := startupLines(t, p.stdout.String())["viewings31"]
	headers := map[string]string{"Content-Type": "application/json"}
	created := `{"id":1,` + okViewing + `,"notes":null}`
	moved := `{"id":1,` + okViewing + `,"window":["2026-12-06T09:00:00Z",45]}`
	for _, s := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", "/viewings", `{` + okViewing + `,"notes":null}`, 201, created},
		{"GET", "/viewings/1", "", 200, created},
		{"PUT", "/viewings/1", `{` + okViewing + `,"window":["2026-12-06T09:00:00Z",45]}`, 200, moved},
		{"GET", "/viewings", "", 200, "[" + moved + "]"},
		{"DELETE", "/viewings/1", "", 204, ""},
		{"GET", "/viewings/1", "", 404, `{"message":"Not found: viewings 1 does not exist"}`},
	} {
		code, got := do(t, http.DefaultClient, s.method, base+s.path, s.body, headers)
		if code != s.status || !jsonEqual(got, s.want) {
			t.Fatalf("%s %s: %d %s, want %d %s\nstderr:\n%s", s.method, s.path, code, got, s.status, s.want, p.stderr)
		}
	}
}

// jsonEqual compares two JSON texts whatever their key order; "" is an
// empty body.
func jsonEqual(got, want string) bool {
	if strings.TrimSpace(got) == "" || want == "" {
		return strings.TrimSpace(got) == want
	}
	var g, w any
	if json.Unmarshal([]byte(got), &g) != nil || json.Unmarshal([]byte(want), &w) != nil {
		return false
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return string(gb) == string(wb)
}

// The proxy holds a broken upstream to the 3.1 document: a null where the
// type array has no "null", a const broken, each a violation with its
// pointer; the good exchange is recorded as a scenario that validates.
func TestProxy31(t *testing.T) {
	answers := map[string]string{
		"/v1/viewings/1": `{"id":1,"kind":"viewing","listingRef":"MLS-1","price":null}`,
		"/v1/viewings/2": `{"id":2,"kind":"open-house","listingRef":"MLS-1","price":10}`,
		"/v1/viewings/3": `{"id":3,"kind":"viewing","listingRef":"MLS-1","price":10,"notes":null}`,
	}
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(answers[r.URL.Path]))
	}))
	t.Cleanup(upstream.Close)
	recordDir := t.TempDir()
	p := startInProcess(t, nil, "proxy", "--addr", "127.0.0.1:0", "--spec", "viewings31="+viewingsSpec,
		"--upstream", "viewings31="+upstream.URL+"/v1", "--record", recordDir, "--record-name", "live")
	base, _, _ := strings.Cut(startupLines(t, p.stdout.String())["viewings31"], " ") // then "-> upstream"
	if base == "" {
		t.Fatalf("no viewings31 line in:\n%s", p.stdout)
	}
	for _, id := range []string{"1", "2", "3"} {
		if code, body := do(t, http.DefaultClient, "GET", base+"/viewings/"+id, "", nil); code != 200 {
			t.Fatalf("GET /viewings/%s through the proxy: %d %s", id, code, body)
		}
	}
	code, body := do(t, http.DefaultClient, "GET", startupLines(t, p.stdout.String())["admin"]+"violations", "", nil)
	var report mockserver.ViolationReport
	if err := json.Unmarshal([]byte(body), &report); code != 200 || err != nil {
		t.Fatalf("violations: %d %s", code, body)
	}
	got := map[string]bool{}
	for _, g := range report.Groups {
		got[g.Rule+" "+g.Pointer] = true
	}
	for _, want := range []string{"response:schema:type /price", "response:schema:const /kind"} {
		if !got[want] {
			t.Errorf("no %s violation in %+v", want, report.Groups)
		}
	}
	if len(got) != 2 {
		t.Errorf("violations %v, want exactly the two", got)
	}
	if err := p.stop(t); err != nil {
		t.Fatal(err)
	}
	recorded, err := os.ReadFile(filepath.Join(recordDir, "live.yaml"))
	if err != nil || !strings.Contains(string(recorded), "showViewing") {
		t.Fatalf("recording: %v\n%s", err, recorded)
	}
	if r := runCLI(t, nil, "validate", "--fixtures", recordDir, viewingsSpec); r.code != 0 {
		t.Errorf("the recording does not validate: %s", r)
	}
}

// validate, routes and diff read 3.1 documents; a scenario rule whose
// body breaks a 2020-12 keyword is refused with its line and pointer.
func TestInspect31(t *testing.T) {
	r := runCLI(t, nil, "validate", viewingsSpec)
	assertContains(t, "validate", r.stdout, "OpenAPI 3.1.0, 5 operations, 1 webhook(s)")
	r = runCLI(t, nil, "routes", "--spec", "viewings31="+viewingsSpec)
	assertContains(t, "routes", r.stdout, "/viewings31/v1/viewings/{viewingId}", "webhook viewingBooked", "not served")

	dir := t.TempDir()
	rule := "description: a rule answering a body that breaks const\nextends: empty\napis:\n  viewings31:\n    rules:\n" +
		"      - name: wrong-kind\n        operation: showViewing\n        respond:\n          status: 200\n" +
		"          body: {id: 1, kind: open-house, listingRef: MLS-1, price: 10}\n"
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, nil, "validate", "--fixtures", dir, viewingsSpec)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r)
	}
	assertContains(t, "validate --fixtures", r.stdout, "bad.yaml:10: /apis/viewings31/rules/0/respond/body/kind: value must be 'viewing'")

	old, err := os.ReadFile(petstoreSpec)
	if err != nil {
		t.Fatal(err)
	}
	as31 := filepath.Join(t.TempDir(), "petstore31.yaml")
	if err := os.WriteFile(as31, []byte(strings.Replace(string(old), "openapi: 3.0.3", "openapi: 3.1.0", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, nil, "diff", petstoreSpec, as31); r.code != 0 {
		t.Errorf("diff 3.0 → 3.1 of the same API: exit %d\n%s", r.code, r)
	}
}

// pact verify takes a 3.1 API both ways: a consumer's pact is judged by
// 2020-12 keywords (a null the type array allows passes; a broken const
// and a price at its exclusiveMinimum fail statically and dynamically),
// and the pact serve writes from a 3.1 app's calls verifies.
func TestPact31(t *testing.T) {
	r := runPactCLI(t, "--spec", "viewings31="+viewingsSpec, "--stateful", "viewings31", pactdata+"viewings31.json")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1: %s", r.code, r)
	}
	assertContains(t, "stdout", r.stdout,
		"PASS    agent-app → viewings31: a viewing booked with no notes",
		"  [static] request body /kind: A field is invalid: kind: value must be 'viewing'",
		"  [dynamic] response status: expected 201 but was 400",
		"  [static] request body /price: A field is invalid: price: ",
		"3 interactions: 1 passed, 2 failed")

	p := startInProcess(t, nil, "serve", "--addr", "127.0.0.1:0", "--spec", "viewings31="+viewingsSpec, "--stateful", "viewings31")
	urls := startupLines(t, p.stdout.String())
	headers := map[string]string{"Content-Type": "application/json"}
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/viewings", `{` + okViewing + `,"notes":null}`},
		{"GET", "/viewings/1", ""},
		{"PUT", "/viewings/1", `{` + okViewing + `,"window":["2026-12-06T09:00:00Z",45]}`},
		{"DELETE", "/viewings/1", ""},
	} {
		if code, got := do(t, http.DefaultClient, c.method, urls["viewings31"]+c.path, c.body, headers); code >= 300 {
			t.Fatalf("%s %s: %d %s", c.method, c.path, code, got)
		}
	}
	code, written := do(t, http.DefaultClient, "GET", urls["admin"]+"pact?api=viewings31&consumer=agent-app", "", nil)
	if code != 200 {
		t.Fatalf("GET pact: %d %s", code, written)
	}
	file := filepath.Join(t.TempDir(), "agent-app-viewings31.json")
	if err := os.WriteFile(file, []byte(written), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runPactCLI(t, "--spec", "viewings31="+viewingsSpec, "--stateful", "viewings31", file)
	if r.code != 0 {
		t.Fatalf("the written pact: exit %d: %s\n%s", r.code, r, written)
	}
	assertContains(t, "stdout", r.stdout, "4 interactions: 4 passed")
}
