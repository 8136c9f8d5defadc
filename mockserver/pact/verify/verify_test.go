package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver/junit"
	"github.com/realestate-mocks/mockserver/mockserver/pact"
)

// The faithful pacts of both APIs pass, in every specification version,
// with a V4 message skipped and a V4 pending failure not failing the run.
func TestFaithfulPactsPass(t *testing.T) {
	r := verifyFiles(t, bundledOptions(t), "spark-faithful.json", "opentoclose-faithful.json", "spark-v4.json")
	if !r.OK {
		var buf bytes.Buffer
		_ = r.WriteText(&buf)
		t.Fatalf("not OK:\n%s", buf.String())
	}
	want := Counts{Passed: 12, Pending: 1, Skipped: 1}
	if got := r.Counts(); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	if len(r.Notes) != 0 {
		t.Errorf("notes %q: the in-process mock controls states", r.Notes)
	}
}

// Each wrong interaction fails with the check, the place and the words
// that say what is wrong.
func TestWrongInteractions(t *testing.T) {
	r := verifyFiles(t, bundledOptions(t), "spark-wrong.json", "opentoclose-wrong.json")
	for _, tc := range []struct {
		description string
		want        []Problem // Check, Where, a piece of Message and the Pointer
	}{
		{"wrong: an IDX key's write expected to be 403", []Problem{
			{Check: Dynamic, Where: "response status", Message: "expected 403 but was 405"},
			{Check: Dynamic, Where: "response body", Pointer: "/D/Code", Message: "expected 1500 (number) but was 1017"},
		}},
		{"wrong: a read without X-SparkApi-User-Agent expected to work", []Problem{
			{Check: Static, Where: "request", Message: "header parameter X-SparkApi-User-Agent is required (the API answers 400)"},
			{Check: Dynamic, Where: "response status", Message: `expected 200 but was 400; the provider answered {"D":{"Code":1016`},
		}},
		{"wrong: an unknown path", []Problem{
			{Check: Static, Where: "request path", Message: "no such operation: no path /v1/listings/20100815153524571646000000/notes in the spark API"},
			{Check: Dynamic, Where: "response status", Message: `expected 200 but was 404; the provider answered {"D":{"Code":404,"Message":"Not found: no path /v1/listings/20100815153524571646000000/notes in the spark API; nearest: /v1/listings/{ListingId}/shared/notes,`},
		}},
		{"wrong: PATCH on the notes", []Problem{
			{Check: Static, Where: "request method", Message: "method not allowed: PATCH is not offered on /listings/{ListingId}/shared/notes; Allow GET, PUT, DELETE"},
			{Check: Dynamic, Where: "response status", Message: "expected 200 but was 405"},
		}},
		{"wrong: a read expected to answer 201", []Problem{
			{Check: Static, Where: "response status", Message: "status 201 is not documented for getSharedNote"},
			{Check: Dynamic, Where: "response status", Message: "expected 201 but was 200"},
		}},
		{"wrong: a note that is a number", []Problem{
			{Check: Static, Where: "response body", Pointer: "/D/Results/0/Note", Message: "value must be a string"},
			{Check: Dynamic, Where: "response body", Pointer: "/D/Results/0/Note", Message: "expected 42 (number) to match type"},
		}},
		{"wrong: a note written without its Note", []Problem{
			{Check: Static, Where: "request body", Pointer: "/D/Note", Message: "Required parameter missing: D.Note (the API answers 400)"},
			{Check: Dynamic, Where: "response status", Message: "expected 200 but was 400"},
		}},
		{"wrong: a created link expected to answer 200", []Problem{
			{Check: Static, Where: "response status", Message: "status 200 is not documented for createPropertyContact"},
			{Check: Dynamic, Where: "response status", Message: "expected 200 but was 201"},
		}},
		{"wrong: a body from a DELETE", []Problem{
			{Check: Static, Where: "response body", Message: "deletePropertyContact documents no body for status 204"},
			{Check: Dynamic, Where: "response body", Message: "but the body was empty"},
		}},
	} {
		t.Run(tc.description, func(t *testing.T) {
			res := find(t, r, tc.description)
			if res.OK {
				t.Fatal("passed")
			}
			for _, want := range tc.want {
				if !hasProblem(res.Problems, want) {
					t.Errorf("no problem like %s among:\n%s", want, problemLines(res.Problems))
				}
			}
		})
	}
	if r.OK || r.Counts().Failed != len(r.Interactions) {
		t.Errorf("counts %+v: every interaction should fail", r.Counts())
	}
}

func find(t *testing.T, r *Report, description string) Result {
	t.Helper()
	for _, res := range r.Interactions {
		if res.Description == description {
			return res
		}
	}
	t.Fatalf("no interaction %q in the report", description)
	return Result{}
}

func hasProblem(problems []Problem, want Problem) bool {
	for _, p := range problems {
		if p.Check == want.Check && p.Where == want.Where && p.Pointer == want.Pointer && strings.Contains(p.Message, want.Message) {
			return true
		}
	}
	return false
}

func problemLines(problems []Problem) string {
	var b strings.Builder
	for _, p := range problems {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

func TestReportJSONShape(t *testing.T) {
	r := verifyFiles(t, bundledOptions(t), "spark-v4.json", "opentoclose-wrong.json")
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got struct {
		OK           *bool `json:"ok"`
		Interactions []struct {
			Consumer, Provider, Description string
			OK                              *bool `json:"ok"`
			Skipped                         string
			Pending                         bool
			Problems                        []map[string]any `json:"problems"`
		} `json:"interactions"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.OK == nil || *got.OK || len(got.Interactions) != 5 {
		t.Fatalf("ok %v, %d interactions:\n%s", got.OK, len(got.Interactions), buf.String())
	}
	first := got.Interactions[0]
	if first.Consumer != "notes-app" || first.Provider != "spark" || first.OK == nil || !*first.OK || first.Problems == nil {
		t.Errorf("first interaction %+v (problems must be [], not null)", first)
	}
	if !got.Interactions[1].Pending || got.Interactions[2].Skipped == "" {
		t.Errorf("pending/skipped lost: %+v", got.Interactions[1:3])
	}
	p := got.Interactions[3].Problems[0]
	for _, key := range []string{"check", "message", "pointer"} {
		if _, ok := p[key]; !ok {
			t.Errorf("problem %v has no %q", p, key)
		}
	}
}

func TestReportJUnit(t *testing.T) {
	r := verifyFiles(t, bundledOptions(t), "spark-v4.json", "opentoclose-wrong.json")
	var buf bytes.Buffer
	if err := r.WriteJUnit(&buf); err != nil {
		t.Fatal(err)
	}
	var got junit.Suites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Tests != 5 || got.Failures != 2 || got.Skipped != 2 || len(got.Suites) != 2 {
		t.Fatalf("tests %d failures %d skipped %d suites %d:\n%s", got.Tests, got.Failures, got.Skipped, len(got.Suites), buf.String())
	}
	otc := got.Suites[1]
	if otc.Name != "deals-app → opentoclose" || otc.Cases[0].Name != "wrong: a created link expected to answer 200" {
		t.Errorf("suite %q, first case %q", otc.Name, otc.Cases[0].Name)
	}
	f := otc.Cases[0].Failures
	if len(f) < 2 || f[0].Type != Static || f[len(f)-1].Type != Dynamic {
		t.Errorf("failures %+v: one per problem, typed by check", f)
	}
}

func TestUnknownAPI(t *testing.T) {
	f := readPact(t, "spark-v4.json")
	f.Provider = "Spark Listing Notes"
	opts := bundledOptions(t)
	_, err := Verify(context.Background(), []*pact.File{f}, opts)
	if !errors.Is(err, ErrUnknownAPI) || !strings.Contains(err.Error(), `"Spark Listing Notes"`) {
		t.Fatalf("err %v, want ErrUnknownAPI naming the provider", err)
	}
	opts.API = "spark"
	if r, err := Verify(context.Background(), []*pact.File{f}, opts); err != nil || !r.OK {
		t.Fatalf("with API spark: %v", err)
	}
}

// A target mockserver is found by its health endpoint (its mount under
// /spark, its state control); a real service has neither, and gets the
// overriding credentials.
func TestTarget(t *testing.T) {
	opts := bundledOptions(t)
	srv, err := opts.NewMock()
	if err != nil {
		t.Fatal(err)
	}
	mock := httptest.NewServer(srv)
	t.Cleanup(mock.Close)
	opts.NewMock, opts.Target = nil, mock.URL
	if r := verifyFiles(t, opts, "spark-faithful.json"); !r.OK || len(r.Notes) != 0 {
		t.Fatalf("against the mock: ok %v, notes %q", r.OK, r.Notes)
	}

	var seen []*http.Request
	real := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r)
		if strings.HasPrefix(r.URL.Path, "/__mock/") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"D":{"Success":true,"Results":[]}}`))
	}))
	t.Cleanup(real.Close)
	opts.Target = real.URL
	opts.Header = http.Header{"Authorization": {"Bearer real-token"}}
	opts.Query = map[string][]string{"_limit": {"1"}}
	r := verifyFiles(t, opts, "spark-v4.json")
	if !r.OK {
		t.Fatalf("against the stub: %+v", r.Interactions)
	}
	last := seen[len(seen)-1]
	if last.URL.Path != "/v1/listings/20100815153524571646000000/shared/notes" || last.Header.Get("Authorization") != "Bearer real-token" || last.URL.Query().Get("_limit") != "1" {
		t.Errorf("the real service got %s %s with Authorization %q", last.Method, last.URL, last.Header.Get("Authorization"))
	}
	for _, r := range seen {
		if r.URL.Path == "/__mock/pact/state" {
			t.Errorf("a state call reached the real service")
		}
	}
}
