package contracts_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/realestate-mocks/mockserver/contracts"
	"github.com/realestate-mocks/mockserver/spec"
)

const (
	listing = "20100815153524571646000000"
	contact = "20100912536192756362000000"
)

// response builds the answer to method on url by hand, as a backend
// might have sent it.
func response(method, url string, status int, header http.Header, body string) *contracts.Response {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		panic(err)
	}
	if header == nil {
		header = http.Header{}
	}
	if body != "" && header.Get("Content-Type") == "" {
		header.Set("Content-Type", "application/json")
	}
	return &contracts.Response{Request: req, StatusCode: status, Header: header, Body: []byte(body)}
}

func notesURL(prefix string) string {
	return "http://backend" + prefix + "/listings/" + listing + "/shared/notes"
}

func TestConformTo(t *testing.T) {
	spark, otc := spec.MustLoad("spark"), spec.MustLoad("opentoclose")
	seedNote := `{"D":{"Success":true,"Results":[{"ResourceUri":"/v1/listings/` + listing + `/shared/notes/contacts/` + contact + `","ContactId":"` + contact + `","Note":"Great home"}]}}`
	allow := func(v string) http.Header { return http.Header{"Allow": {v}} }
	tests := []struct {
		name    string
		api     *spec.API
		res     *contracts.Response
		match   bool
		message string // in the failure message when match is false
	}{
		{"the seed's GET", spark, response("GET", notesURL("/spark/v1"), 200, nil, seedNote), true, ""},
		{"the API at the host's root", spark, response("GET", notesURL("/v1"), 200, nil, seedNote), true, ""},
		{"an error envelope", spark, response("GET", notesURL("/v1"), 401, nil, `{"D":{"Success":false,"Code":1000,"Message":"no"}}`), true, ""},
		{"a body missing Results", spark, response("GET", notesURL("/v1"), 200, nil, `{"D":{"Success":true}}`), false,
			`property "Results" is missing`},
		{"an undocumented status", spark, response("GET", notesURL("/v1"), 418, nil, `{}`), false,
			"status 418 is not documented (documented: 200, 400, 401, 403, 404, 429, 500)"},
		{"a 405 without Allow", spark, response("POST", notesURL("/v1"), 405, nil, `{"D":{"Success":false,"Code":405,"Message":"no"}}`), false,
			`response header "Allow" missing`},
		{"a path the spec does not have", spark, response("GET", "http://backend/v1/listings", 200, nil, `{}`), false,
			"no path of the spark spec matches /v1/listings"},
		{"a body that is not JSON", otc, response("GET", "http://backend/v1/properties/1/contacts", 200, nil, `[`), false,
			"failed to decode response body"},
		{"an empty body where JSON is documented", otc, response("GET", "http://backend/v1/properties/1/contacts", 200, nil, ""), false,
			`response header Content-Type has unexpected value: ""`},
		{"a 204 without a body", otc, response("DELETE", "http://backend/v1/properties/1/contacts/2", 204, nil, ""), true, ""},
		{"an undocumented method answered 405 with Allow", otc,
			response("PATCH", "http://backend/v1/properties/1/contacts", 405, allow("GET, POST"), `{"message":"Method not allowed"}`), true, ""},
		{"an undocumented method answered 200", otc,
			response("PATCH", "http://backend/v1/properties/1/contacts", 200, nil, `{}`), false,
			"status 200: an undocumented method must be answered 405"},
		{"an undocumented method answered 405 without Allow", otc,
			response("POST", "http://backend/v1/properties/1/contacts/2", 405, nil, `{"message":"Method not allowed"}`), false,
			`response header "Allow" missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			m := contracts.ConformTo(tt.api)
			ok, err := m.Match(tt.res)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(ok).To(Equal(tt.match), "%s", m.FailureMessage(tt.res))
			if !tt.match {
				g.Expect(m.FailureMessage(tt.res)).To(ContainSubstring(tt.message))
			}
		})
	}
}

// A spec that documents no 405 on a path still allows one for a method
// the path lacks, as long as it says in Allow what the path takes.
func TestConformToWithoutDocumented405(t *testing.T) {
	g := NewWithT(t)
	pets, err := spec.Parse("pets", "inline", []byte(`openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200": {description: The pets.}
`))
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(response("DELETE", "http://backend/api/pets", 405, http.Header{"Allow": {"GET"}}, "")).To(contracts.ConformTo(pets))

	m := contracts.ConformTo(pets)
	res := response("DELETE", "http://backend/api/pets", 405, nil, "")
	g.Expect(m.Match(res)).To(BeFalse())
	g.Expect(m.FailureMessage(res)).To(HaveSuffix(`to conform to the pets spec (DELETE /pets, a method the path does not document), but:
    a 405 must carry an Allow header`))
}

// The whole failure message, as a spec's log shows it: the response with
// its request, then the operation and the reason.
func TestConformToFailureMessage(t *testing.T) {
	res := response("GET", notesURL("/spark/v1"), 200, nil, `{"D":{"Success":true}}`)
	RegisterTestingT(t) // InterceptGomegaFailures borrows the global Gomega
	failures := InterceptGomegaFailures(func() {
		Expect(res).To(contracts.ConformTo(spec.MustLoad("spark")))
	})
	want := `Expected
    HTTP 200 OK (GET http://backend/spark/v1/listings/20100815153524571646000000/shared/notes)
    Content-Type: application/json
    
    {"D":{"Success":true}}
to conform to the spark spec (getSharedNote: GET /listings/{ListingId}/shared/notes), but:
    response body doesn't match schema #/components/schemas/NotesResponse: Error at "/D/Results": property "Results" is missing`
	NewWithT(t).Expect(failures).To(ConsistOf(HavePrefix(want)))
}

func TestHaveSparkCode(t *testing.T) {
	tests := []struct {
		name, body string
		match      bool
		message    string
	}{
		{"the code", `{"D":{"Success":false,"Code":1020,"Message":"expired"}}`, true, ""},
		{"another code", `{"D":{"Success":false,"Code":1000,"Message":"no"}}`, false, "but D.Code is 1000"},
		{"a success", `{"D":{"Success":true,"Results":[]}}`, false, "but D.Success is not false"},
		{"no Code", `{"D":{"Success":false}}`, false, "but D has no Code"},
		{"no D", `{"message":"no"}`, false, "but the body has no D object"},
		{"not JSON", `<html>`, false, "but the body is not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			res := response("GET", notesURL("/v1"), 401, nil, tt.body)
			m := contracts.HaveSparkCode(1020)
			ok, err := m.Match(res)
			g.Expect(err).NotTo(HaveOccurred())
			g.Expect(ok).To(Equal(tt.match))
			if !tt.match {
				g.Expect(m.FailureMessage(res)).To(HaveSuffix("to carry the Spark failure envelope with Code 1020, " + tt.message))
			}
		})
	}
}

func TestHaveStatusAndAllowHeader(t *testing.T) {
	g := NewWithT(t)
	res := response("POST", notesURL("/v1"), 405, http.Header{"Allow": {"GET, PUT", "DELETE"}}, `{"D":{"Success":false,"Code":405,"Message":"no"}}`)
	g.Expect(res).To(contracts.HaveStatus(405))
	g.Expect(res).NotTo(contracts.HaveStatus(200))
	g.Expect(res).To(contracts.HaveAllowHeader("DELETE", "GET", "PUT"), "any order, over several lines")
	g.Expect(res).NotTo(contracts.HaveAllowHeader("GET", "PUT"))

	RegisterTestingT(t)
	failures := InterceptGomegaFailures(func() {
		Expect(res).To(contracts.HaveStatus(200))
		Expect(res).To(contracts.HaveAllowHeader("GET"))
		Expect(response("GET", notesURL("/v1"), 200, nil, "")).To(contracts.HaveAllowHeader("GET"))
		Expect(res).NotTo(contracts.HaveStatus(405))
	})
	dump := `Expected
    HTTP 405 Method Not Allowed (POST http://backend/v1/listings/20100815153524571646000000/shared/notes)
    Allow: GET, PUT
    Allow: DELETE
    Content-Type: application/json
    
    {"D":{"Success":false,"Code":405,"Message":"no"}}
`
	g.Expect(failures).To(Equal([]string{
		dump + "to have status 200",
		dump + "to have an Allow header listing exactly GET, but it lists GET, PUT, DELETE",
		`Expected
    HTTP 200 OK (GET http://backend/v1/listings/20100815153524571646000000/shared/notes)
    
    (no body)
to have an Allow header listing exactly GET, but it has none`,
		dump + "not to have status 405",
	}))
}

// Misuse is an error, which Gomega reports as such, never a mismatch.
func TestMatcherMisuse(t *testing.T) {
	res := response("GET", notesURL("/v1"), 200, nil, `{}`)
	noRequest := &contracts.Response{StatusCode: 200}
	tests := []struct {
		name    string
		matcher types.GomegaMatcher
		actual  any
		err     string
	}{
		{"an *http.Response", contracts.HaveStatus(200), &http.Response{}, "HaveStatus expects a *contracts.Response, got an *http.Response: read it with contracts.ReadResponse first"},
		{"a string", contracts.HaveSparkCode(1000), "body", "HaveSparkCode expects a *contracts.Response, got string (body)"},
		{"a nil *Response", contracts.HaveAllowHeader("GET"), (*contracts.Response)(nil), "HaveAllowHeader expects a *contracts.Response, got *contracts.Response (<nil>)"},
		{"no spec", contracts.ConformTo(nil), res, "ConformTo: no spec given"},
		{"no request", contracts.ConformTo(spec.MustLoad("spark")), noRequest, "ConformTo: the response has no Request"},
		{"no status", contracts.HaveStatus(42), res, "HaveStatus: 42 is not an HTTP status"},
		{"no code", contracts.HaveSparkCode(0), res, "HaveSparkCode: Spark codes are positive; got 0"},
		{"no methods", contracts.HaveAllowHeader(), res, "HaveAllowHeader: name at least one method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := NewWithT(t)
			_, err := tt.matcher.Match(tt.actual)
			g.Expect(err).To(MatchError(HavePrefix(tt.err)))
			RegisterTestingT(t)
			failures := InterceptGomegaFailures(func() { Expect(tt.actual).To(tt.matcher) })
			g.Expect(failures).To(ConsistOf(ContainSubstring(tt.err)))
		})
	}
}

// echo answers every request with what it received.
func echo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"method": r.Method, "uri": r.RequestURI, "header": r.Header, "body": string(body),
	})
}

type echoed struct {
	Method, URI, Body string
	Header            http.Header
}

func TestDo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(echo))
	t.Cleanup(srv.Close)
	do := func(g Gomega, target contracts.Target, method, path string, opts ...contracts.Option) echoed {
		res, err := target.Do(method, path, opts...)
		g.Expect(err).NotTo(HaveOccurred())
		g.Expect(res.StatusCode).To(Equal(200))
		g.Expect(res.Request.Method).To(Equal(method))
		var e echoed
		g.Expect(json.Unmarshal(res.Body, &e)).To(Succeed())
		return e
	}

	t.Run("spark: bearer token, default user agent, JSON body", func(t *testing.T) {
		g := NewWithT(t)
		spark := contracts.NewTarget("spark", srv.URL+"/spark/v1/", srv.Client())
		e := do(g, spark, "PUT", "/listings/1/shared/notes", contracts.WithToken("tok"), contracts.WithJSON(map[string]any{"D": map[string]string{"Note": "n"}}))
		g.Expect(e.URI).To(Equal("/spark/v1/listings/1/shared/notes"))
		g.Expect(e.Header.Get("Authorization")).To(Equal("Bearer tok"))
		g.Expect(e.Header.Get("X-SparkApi-User-Agent")).To(Equal("mockserver-contracts/1.0"))
		g.Expect(e.Header.Get("Content-Type")).To(Equal("application/json"))
		g.Expect(e.Body).To(MatchJSON(`{"D":{"Note":"n"}}`))
	})

	t.Run("spark: header options", func(t *testing.T) {
		g := NewWithT(t)
		spark := contracts.NewTarget("spark", srv.URL, srv.Client())
		e := do(g, spark, "GET", "/x", contracts.WithoutHeader("x-sparkapi-user-agent"))
		g.Expect(e.Header).NotTo(HaveKey("X-Sparkapi-User-Agent"))
		e = do(g, spark, "GET", "/x", contracts.WithHeader("x-sparkapi-user-agent", "gem"), contracts.WithHeader("Authorization", "OAuth tok"))
		g.Expect(e.Header.Values("X-Sparkapi-User-Agent")).To(Equal([]string{"gem"}), "replaces the default, whatever the case")
		g.Expect(e.Header.Get("Authorization")).To(Equal("OAuth tok"))
		e = do(g, spark, "PUT", "/x", contracts.WithJSON(1), contracts.WithBody("text/plain", []byte("raw")))
		g.Expect(e.Header.Get("Content-Type")).To(Equal("text/plain"))
		g.Expect(e.Body).To(Equal("raw"))
	})

	t.Run("opentoclose: the token goes last in the query", func(t *testing.T) {
		g := NewWithT(t)
		otc := contracts.NewTarget("opentoclose", srv.URL+"/v1", srv.Client())
		e := do(g, otc, "GET", "/properties/123/contacts?role=Buyer+Agent", contracts.WithToken("a b&c"))
		g.Expect(e.URI).To(Equal("/v1/properties/123/contacts?role=Buyer+Agent&api_token=a+b%26c"))
		g.Expect(e.Header).NotTo(HaveKey("Authorization"))
		e = do(g, otc, "DELETE", "/properties/123/contacts/456", contracts.WithToken("t"))
		g.Expect(e.URI).To(Equal("/v1/properties/123/contacts/456?api_token=t"))
	})

	t.Run("errors", func(t *testing.T) {
		g := NewWithT(t)
		_, err := contracts.NewTarget("nope", srv.URL, srv.Client()).Do("GET", "/", contracts.WithToken("t"))
		g.Expect(err).To(MatchError(ContainSubstring("where does the token go?")))
		_, err = contracts.NewTarget("spark", srv.URL, srv.Client()).Do("GET", "/", contracts.WithJSON(func() {}))
		g.Expect(err).To(MatchError(ContainSubstring("encode the JSON body")))
		_, err = contracts.NewTarget("spark", "http://127.0.0.1:1", srv.Client()).Do("GET", "/")
		g.Expect(err).To(HaveOccurred())
	})
}

func TestTargetFromEnv(t *testing.T) {
	g := NewWithT(t)
	t.Setenv("CONTRACT_SPARK_URL", "")
	_, ok := contracts.TargetFromEnv("spark")
	g.Expect(ok).To(BeFalse(), "no URL: the suite runs in process")

	srv := httptest.NewTLSServer(http.HandlerFunc(echo))
	t.Cleanup(srv.Close)
	t.Setenv("CONTRACT_SPARK_URL", srv.URL+"/spark/v1/")
	t.Setenv("CONTRACT_SPARK_VOW_TOKEN", "live-vow")
	t.Setenv("CONTRACT_INSECURE_TLS", "1")
	target, ok := contracts.TargetFromEnv("spark")
	g.Expect(ok).To(BeTrue())
	g.Expect(target.BaseURL).To(Equal(srv.URL + "/spark/v1"))
	g.Expect(target.Value("VOW_TOKEN")).To(Equal("live-vow"))
	g.Expect(target.Value("PRIVATE_TOKEN")).To(Equal("spark-private-token"), "the default scenario's value")
	g.Expect(target.Value("EXPIRED_TOKEN")).To(BeEmpty(), "only the in-process mock has the scenario's expired token")
	g.Expect(contracts.NewTarget("spark", srv.URL, nil).Value("EXPIRED_TOKEN")).To(Equal("spark-expired-token"))

	res, err := target.Do("GET", "/")
	g.Expect(err).NotTo(HaveOccurred(), "CONTRACT_INSECURE_TLS=1 trusts the test certificate")
	g.Expect(res.StatusCode).To(Equal(200))

	t.Setenv("CONTRACT_INSECURE_TLS", "")
	target, _ = contracts.TargetFromEnv("spark")
	_, err = target.Do("GET", "/")
	g.Expect(err).To(MatchError(ContainSubstring("certificate")))

	g.Expect(func() { target.Value("VOW_TOKNE") }).To(PanicWith(`contracts: the spark target has no value "VOW_TOKNE"`))
}

func TestResponseStringMasksTokens(t *testing.T) {
	res := response("GET", "http://backend/v1/properties/1/contacts?role=Buyer&api_token=secret", 401, nil, `{"message":"no"}`)
	s := res.String()
	NewWithT(t).Expect(s).To(HavePrefix("HTTP 401 Unauthorized (GET http://backend/v1/properties/1/contacts?api_token=REDACTED&role=Buyer)\n"))
	NewWithT(t).Expect(s).NotTo(ContainSubstring("secret"))
	NewWithT(t).Expect(strings.Count(s, "\n")).To(Equal(3), "status line, Content-Type, blank line, body")
}
