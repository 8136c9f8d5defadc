package mockserver_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

const (
	pxSecret = "s3cr3t-real-token-0123456789"
)

// onePack is the bundled pack of one API.
func onePack(t testing.TB, api string) *mockserver.Pack {
	t.Helper()
	packs, err := bundled.Packs()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range packs {
		if p.API.Name == api {
			return p
		}
	}
	t.Fatalf("no bundled pack %q", api)
	return nil
}

// fakeUpstream is a faithful stand-in for one real service: the mock
// itself, serving only that API at the root, as the real host does.
func fakeUpstream(t testing.TB, api string) *httptest.Server {
	t.Helper()
	set, err := bundled.Default()
	if err != nil {
		t.Fatal(err)
	}
	up := newServer(t, mockserver.Options{Packs: []*mockserver.Pack{onePack(t, api)}, Scenarios: set, Mounts: map[string]string{api: "/"}})
	ts := httptest.NewServer(up)
	t.Cleanup(ts.Close)
	return ts
}

// proxyTo serves the bundled APIs, forwarding those in upstreams.
func proxyTo(t testing.TB, upstreams map[string]string, tweak func(*mockserver.Options)) (*mockserver.Server, *httptest.Server) {
	t.Helper()
	opts := mockserver.Options{Proxy: &mockserver.ProxyOptions{Upstreams: upstreams}}
	if tweak != nil {
		tweak(&opts)
	}
	s := newServer(t, opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

func sparkHeaders(token string) map[string]string {
	return map[string]string{"Authorization": "OAuth " + token, "X-SparkApi-User-Agent": "proxy-test", "Content-Type": "application/json"}
}

// sparkTraffic and otcTraffic are the calls a client of each API makes,
// paths relative to the API's base path.
var sparkTraffic = []bt.Req{
	{Method: "GET", Target: "/listings/" + listing + "/shared/notes", Header: sparkHeaders("spark-vow-token")},
	{Method: "GET", Target: "/listings/" + listing + "/shared/notes/contacts", Header: sparkHeaders("spark-private-token")},
	{Method: "GET", Target: "/listings/" + listing + "/shared/notes/contacts/" + otherContact, Header: sparkHeaders("spark-private-token")},
	{Method: "PUT", Target: "/listings/" + listing + "/shared/notes/contacts/" + otherContact, Body: `{"D":{"Note":"Recorded note"}}`, Header: sparkHeaders("spark-private-token")},
	{Method: "GET", Target: "/listings/" + listing + "/shared/notes/contacts/" + otherContact, Header: sparkHeaders("spark-private-token")},
	{Method: "DELETE", Target: "/listings/" + listing + "/shared/notes", Header: sparkHeaders("spark-vow-token")},
	{Method: "GET", Target: "/listings/" + listing + "/shared/notes", Header: sparkHeaders("spark-vow-token")},
	{Method: "GET", Target: "/listings/" + listing + "/shared/notes/contacts", Header: sparkHeaders("spark-private-token")},
	{Method: "GET", Target: "/listings/20100815153524571646000099/shared/notes/contacts", Header: sparkHeaders("spark-private-token")},
	{Method: "GET", Target: "/listings/" + listing + "/shared/notes", Header: sparkHeaders("spark-idx-token")},
	{Method: "POST", Target: "/listings/" + listing + "/shared/notes", Header: sparkHeaders("spark-vow-token")},
}

var otcTraffic = []bt.Req{
	{Method: "GET", Target: "/properties/123/contacts?api_token=otc-demo-token"},
	{Method: "GET", Target: "/properties/123/contacts/7484664?api_token=otc-demo-token"},
	{Method: "POST", Target: "/properties/124/contacts?api_token=otc-demo-token", Body: `{"contact_id": 900}`, Header: map[string]string{"Content-Type": "application/json"}},
	{Method: "GET", Target: "/properties/124/contacts?api_token=otc-demo-token"},
	{Method: "GET", Target: "/properties/124/contacts?limit=1&api_token=otc-demo-token"},
	{Method: "DELETE", Target: "/properties/123/contacts/7484664?api_token=otc-demo-token"},
	{Method: "GET", Target: "/properties/123/contacts?api_token=otc-demo-token"},
	{Method: "GET", Target: "/properties/999/contacts?api_token=otc-demo-token"},
	{Method: "GET", Target: "/properties/123/contacts?api_token=wrong"},
}

// stamp is the creation time the two upstreams stamp a link with.
var stamp = regexp.MustCompile(`"date":"[^"]*"`)

// Through the proxy, a faithful upstream's answers arrive byte for byte,
// unflagged, and the journal and coverage count them.
func TestProxyPassesAFaithfulUpstreamThrough(t *testing.T) {
	for _, tc := range []struct {
		api     string
		traffic []bt.Req
	}{{"spark", sparkTraffic}, {"opentoclose", otcTraffic}} {
		t.Run(tc.api, func(t *testing.T) {
			direct, proxied := fakeUpstream(t, tc.api), fakeUpstream(t, tc.api)
			s, px := proxyTo(t, map[string]string{tc.api: proxied.URL + "/v1"}, nil)
			for _, r := range tc.traffic {
				want := bt.SendTo(t, direct.URL+"/v1", r)
				got := bt.SendTo(t, px.URL+"/"+tc.api+"/v1", r)
				if got.Status != want.Status || !bytes.Equal(stamp.ReplaceAll(got.Body, nil), stamp.ReplaceAll(want.Body, nil)) {
					t.Errorf("%s %s: proxied %d %s, upstream alone %d %s", r.Method, r.Target, got.Status, got.Body, want.Status, want.Body)
				}
				if v := got.Header.Get(mockserver.ViolationHeader); v != "" {
					t.Errorf("%s %s: flagged %q", r.Method, r.Target, v)
				}
				if got.Header.Get("Allow") != want.Header.Get("Allow") || got.Header.Get("Content-Type") != want.Header.Get("Content-Type") {
					t.Errorf("%s %s: headers %v, want %v", r.Method, r.Target, got.Header, want.Header)
				}
			}
			entries := s.Requests(mockserver.Filter{API: tc.api})
			if len(entries) != len(tc.traffic) {
				t.Fatalf("journal has %d entries, want %d", len(entries), len(tc.traffic))
			}
			for _, e := range entries {
				if e.Upstream == nil || e.Upstream.Status != e.Status || e.Upstream.Latency <= 0 || len(e.Violations) > 0 {
					t.Errorf("entry %s %s: upstream %+v, violations %v", e.Method, e.Path, e.Upstream, e.Violations)
				}
			}
			if v := s.Violations(); v.Total != 0 {
				t.Errorf("violations = %+v", v)
			}
			calls := 0
			for _, a := range s.Coverage().APIs {
				for _, op := range a.Operations {
					calls += op.Calls
				}
			}
			if calls != len(tc.traffic) {
				t.Errorf("coverage counts %d calls, want %d", calls, len(tc.traffic))
			}
		})
	}
}

// brokenUpstream breaks the spec in known ways, one per path.
func brokenUpstream(t testing.TB) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/shared/notes") && r.Method == http.MethodGet: // undocumented status
			w.WriteHeader(http.StatusTeapot)
			_, _ = io.WriteString(w, `{"D":{"Success":false,"Code":0,"Message":"teapot"}}`)
		case strings.HasSuffix(r.URL.Path, "/shared/notes/contacts"): // missing required field
			_, _ = io.WriteString(w, `{"D":{"Success":true,"Results":[{"ResourceUri":"/v1/listings/`+listing+`/shared/notes/contacts/`+vowContact+`","ContactId":"`+vowContact+`"}]}}`)
		case strings.Contains(r.URL.Path, "/shared/notes/contacts/"): // wrong type
			_, _ = io.WriteString(w, `{"D":{"Success":true,"Results":[{"ResourceUri":"/v1/listings/`+listing+`/shared/notes/contacts/`+vowContact+`","ContactId":"`+vowContact+`","Note":5}]}}`)
		case strings.Contains(r.URL.Path, "/contacts/") && r.Method == http.MethodPut: // 405 without Allow
			w.WriteHeader(http.StatusMethodNotAllowed)
			_, _ = io.WriteString(w, `{"message":"Method not allowed"}`)
		case strings.HasSuffix(r.URL.Path, "/contacts"): // wrong envelope
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":"no such property"}`)
		default:
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(ts.Close)
	return ts
}

// The proxy reports exactly the rules a broken upstream breaks, passes its
// bytes through unchanged, and counts each.
func TestProxyReportsWhatABrokenUpstreamBreaks(t *testing.T) {
	up := brokenUpstream(t)
	s, px := proxyTo(t, map[string]string{"spark": up.URL + "/v1", "opentoclose": up.URL + "/v1"}, nil)
	tests := []struct {
		req  bt.Req
		want string // the X-Mock-Violation header
	}{
		{bt.Req{Method: "GET", Target: "/spark/v1/listings/" + listing + "/shared/notes", Header: sparkHeaders(pxSecret)}, "response:status"},
		{bt.Req{Method: "GET", Target: "/spark/v1/listings/" + listing + "/shared/notes/contacts", Header: sparkHeaders(pxSecret)}, "response:schema:required /D/Results/0/Note"},
		{bt.Req{Method: "GET", Target: "/spark/v1/listings/" + listing + "/shared/notes/contacts/" + vowContact, Header: sparkHeaders(pxSecret)}, "response:schema:type /D/Results/0/Note"},
		{bt.Req{Method: "GET", Target: "/spark/v1/listings/" + listing + "/shared/notes/contacts/" + vowContact, Header: sparkHeaders(pxSecret)}, "response:schema:type /D/Results/0/Note"},
		{bt.Req{Method: "PUT", Target: "/opentoclose/v1/properties/123/contacts/7484664?api_token=" + pxSecret, Body: `{"role":"Buyer"}`, Header: map[string]string{"Content-Type": "application/json"}}, "response:header"},
		{bt.Req{Method: "GET", Target: "/opentoclose/v1/properties/123/contacts?api_token=" + pxSecret}, "response:schema:required /message"},
	}
	for _, tc := range tests {
		got := bt.SendTo(t, px.URL, tc.req)
		direct := bt.SendTo(t, up.URL+"/v1", bt.Req{Method: tc.req.Method, Target: tc.req.Target[strings.Index(tc.req.Target, "/v1")+3:], Body: tc.req.Body, Header: tc.req.Header})
		if got.Status != direct.Status || !bytes.Equal(got.Body, direct.Body) {
			t.Errorf("%s %s: proxied %d %s, upstream %d %s", tc.req.Method, tc.req.Target, got.Status, got.Body, direct.Status, direct.Body)
		}
		if v := got.Header.Get(mockserver.ViolationHeader); v != tc.want {
			t.Errorf("%s %s: X-Mock-Violation %q, want %q", tc.req.Method, tc.req.Target, v, tc.want)
		}
	}
	report := s.Violations()
	if report.Total != len(tests) {
		t.Errorf("total = %d, want %d", report.Total, len(tests))
	}
	type key struct{ op, rule, ptr string }
	got := map[key]int{}
	for _, g := range report.Groups {
		got[key{g.Operation, g.Rule, g.Pointer}] = g.Count
		if g.First.Seq == 0 || g.Last.Seq < g.First.Seq || g.First.Message == "" {
			t.Errorf("group %+v: bad examples", g)
		}
	}
	want := map[key]int{
		{"getSharedNote", "response:status", ""}:                                    1,
		{"listContactSharedNotes", "response:schema:required", "/D/Results/0/Note"}: 1,
		{"getContactSharedNote", "response:schema:type", "/D/Results/0/Note"}:       2,
		{"updatePropertyContact", "response:header", ""}:                            1,
		{"listPropertyContacts", "response:schema:required", "/message"}:            1,
	}
	if len(got) != len(want) {
		t.Errorf("groups = %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("group %v counted %d, want %d (all: %v)", k, got[k], n, got)
		}
	}
}

// An undocumented method answered 405 without Allow breaks HTTP's rule
// even where the spec has nothing to say.
func TestProxyFlagsA405WithoutAllow(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusMethodNotAllowed)
	}))
	t.Cleanup(up.Close)
	_, px := proxyTo(t, map[string]string{"spark": up.URL + "/v1"}, nil)
	got := bt.SendTo(t, px.URL, bt.Req{Method: "PATCH", Target: "/spark/v1/listings/" + listing + "/shared/notes", Header: sparkHeaders(pxSecret)})
	if v := got.Header.Get(mockserver.ViolationHeader); v != "request:methodNotAllowed, response:allow" {
		t.Errorf("X-Mock-Violation = %q", v)
	}
}

// A request the mock would refuse is forwarded all the same, and flagged.
func TestProxyForwardsAndFlagsABadRequest(t *testing.T) {
	var seen []string
	var mu sync.Mutex
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.RequestURI()+" "+string(b)+" ua="+r.Header.Get("X-SparkApi-User-Agent"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"D":{"Success":false,"Code":1000,"Message":"bad"}}`)
	}))
	t.Cleanup(up.Close)
	_, px := proxyTo(t, map[string]string{"spark": up.URL + "/v1"}, nil)
	h := sparkHeaders(pxSecret)
	delete(h, "X-SparkApi-User-Agent")
	got := bt.SendTo(t, px.URL, bt.Req{Method: "PUT", Target: "/spark/v1/listings/" + listing + "/shared/notes?x=1", Body: `{"D":{}}`, Header: h})
	if v := got.Header.Get(mockserver.ViolationHeader); v != "request:missingHeader, request:missingField" {
		t.Errorf("X-Mock-Violation = %q", v)
	}
	want := "PUT /v1/listings/" + listing + "/shared/notes?x=1 " + `{"D":{}}` + " ua="
	if len(seen) != 1 || seen[0] != want {
		t.Errorf("upstream saw %q, want %q", seen, want)
	}
}

// Unreachable and slow upstreams answer 502 and 504 in the API's own
// envelope, with the cause.
func TestProxyGatewayFailures(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(slow.Close)
	s, px := proxyTo(t, map[string]string{"spark": closedURL + "/v1", "opentoclose": slow.URL + "/v1"}, func(o *mockserver.Options) {
		o.Proxy.Timeout = 100 * time.Millisecond
	})
	got := bt.SendTo(t, px.URL, bt.Req{Method: "GET", Target: "/spark/v1/listings/" + listing + "/shared/notes", Header: sparkHeaders(pxSecret)})
	var spark struct {
		D struct {
			Success bool
			Message string
		}
	}
	if err := json.Unmarshal(got.Body, &spark); err != nil || got.Status != http.StatusBadGateway || spark.D.Success || !strings.Contains(spark.D.Message, "could not be reached") || !strings.Contains(spark.D.Message, "refused") {
		t.Errorf("closed upstream: %d %s", got.Status, got.Body)
	}
	got = bt.SendTo(t, px.URL, bt.Req{Method: "GET", Target: "/opentoclose/v1/properties/123/contacts?api_token=" + pxSecret})
	var otc struct{ Message string }
	if err := json.Unmarshal(got.Body, &otc); err != nil || got.Status != http.StatusGatewayTimeout || !strings.Contains(otc.Message, "did not answer within 100ms") {
		t.Errorf("slow upstream: %d %s", got.Status, got.Body)
	}
	for _, e := range s.Requests(mockserver.Filter{}) {
		if e.Upstream == nil || e.Upstream.Error == "" || strings.Contains(e.Upstream.Error, pxSecret) {
			t.Errorf("entry %+v: want the upstream's error, without the token", e.Upstream)
		}
	}
	for _, a := range s.Coverage().APIs {
		for _, op := range a.Operations {
			if op.Calls != 0 {
				t.Errorf("coverage counts a gateway failure as an answer of %s", op.Operation)
			}
		}
	}
}

// A body over --max-body goes to the upstream whole, unchecked.
func TestProxyForwardsABodyOverTheLimit(t *testing.T) {
	var got int
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = len(b)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"D":{"Success":true,"Results":[{"ResourceUri":"/v1/listings/`+listing+`/shared/notes/contacts/`+vowContact+`","Note":"n"}]}}`)
	}))
	t.Cleanup(up.Close)
	s, px := proxyTo(t, map[string]string{"spark": up.URL + "/v1"}, func(o *mockserver.Options) { o.MaxBodyBytes = 64 })
	body := `{"D":{"Note":"` + strings.Repeat("x", 1000) + `"}}`
	res := bt.SendTo(t, px.URL, bt.Req{Method: "PUT", Target: "/spark/v1/listings/" + listing + "/shared/notes", Body: body, Header: sparkHeaders(pxSecret)})
	if res.Status != http.StatusOK || got != len(body) {
		t.Errorf("status %d, upstream read %d bytes, want %d", res.Status, got, len(body))
	}
	e := s.Requests(mockserver.Filter{})[0]
	if e.Upstream == nil || !strings.Contains(e.Upstream.Unchecked, "over 64 bytes") {
		t.Errorf("entry upstream = %+v", e.Upstream)
	}
}

// A gzip answer is checked once decoded, within the same limit as a plain
// one; past it the answer is unchecked, never a violation of the spec.
func TestProxyChecksGzipAnswersWithinTheLimit(t *testing.T) {
	note := func(n int) string {
		return `{"D":{"Success":true,"Results":[{"ResourceUri":"/v1/listings/` + listing + `/shared/notes/contacts/` + vowContact + `","Note":"` + strings.Repeat("x", n) + `"}]}}`
	}
	tests := []struct {
		name, body, violation, unchecked string
	}{
		{"valid, small once decoded", note(10), "", ""},
		{"valid, over the limit once decoded", note(4000), "", "over 1024 bytes once decoded"},
		{"broken, small once decoded", `{"D":{"Results":[]}}`, "response:schema:required /D/Success", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Encoding", "gzip")
				zw := gzip.NewWriter(w)
				_, _ = io.WriteString(zw, tt.body)
				_ = zw.Close()
			}))
			t.Cleanup(up.Close)
			s, px := proxyTo(t, map[string]string{"spark": up.URL + "/v1"}, func(o *mockserver.Options) { o.Proxy.MaxCheckedResponse = 1024 })
			res := bt.SendTo(t, px.URL, bt.Req{Method: "GET", Target: "/spark/v1/listings/" + listing + "/shared/notes", Header: sparkHeaders(pxSecret)})
			if got := res.Header.Get(mockserver.ViolationHeader); !strings.Contains(got, tt.violation) || (tt.violation == "") != (got == "") {
				t.Errorf("X-Mock-Violation = %q, want %q", got, tt.violation)
			}
			e := s.Requests(mockserver.Filter{})[0]
			if e.Upstream == nil || !strings.Contains(e.Upstream.Unchecked, tt.unchecked) || (tt.unchecked == "") != (e.Upstream.Unchecked == "") {
				t.Errorf("unchecked = %+v, want %q", e.Upstream, tt.unchecked)
			}
		})
	}
}

// No output of the proxy holds a credential: journal, violations, logs.
func TestProxyRedactsCredentials(t *testing.T) {
	up := brokenUpstream(t)
	var logs bytes.Buffer
	var mu sync.Mutex
	s, px := proxyTo(t, map[string]string{"spark": up.URL + "/v1", "opentoclose": up.URL + "/v1"}, func(o *mockserver.Options) {
		o.Logger = slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	bt.SendTo(t, px.URL, bt.Req{Method: "GET", Target: "/spark/v1/listings/" + listing + "/shared/notes/contacts", Header: sparkHeaders(pxSecret)})
	bt.SendTo(t, px.URL, bt.Req{Method: "GET", Target: "/spark/v1/listings/" + listing + "/shared/notes/contacts", Header: map[string]string{"Authorization": pxSecret}})
	bt.SendTo(t, px.URL, bt.Req{Method: "GET", Target: "/opentoclose/v1/properties/123/contacts?api_token=" + pxSecret + "&limit=5"})
	bt.SendTo(t, px.URL, bt.Req{Method: "GET", Target: "/opentoclose/v1/nowhere?api_token=" + pxSecret})
	journal, _ := json.Marshal(s.Requests(mockserver.Filter{}))
	violations, _ := json.Marshal(s.Violations())
	mu.Lock()
	defer mu.Unlock()
	for name, out := range map[string][]byte{"journal": journal, "violations": violations, "logs": logs.Bytes()} {
		if bytes.Contains(out, []byte(pxSecret)) || bytes.Contains(out, []byte(pxSecret[:8])) {
			t.Errorf("%s holds the token: %s", name, out)
		}
	}
	if !bytes.Contains(journal, []byte(`"OAuth [redacted]"`)) || !bytes.Contains(journal, []byte(`api_token=%5Bredacted%5D\u0026limit=5`)) {
		t.Errorf("journal does not show where the credentials were: %s", journal)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// serve --proxy mixes: one API forwarded, the other answered by the mock.
func TestProxyMixesWithTheMock(t *testing.T) {
	up := fakeUpstream(t, "spark")
	s, px := proxyTo(t, map[string]string{"spark": up.URL + "/v1"}, nil)
	bt.SendTo(t, px.URL, bt.Req{Method: "GET", Target: "/spark/v1/listings/" + listing + "/shared/notes", Header: sparkHeaders("spark-vow-token")})
	bt.SendTo(t, px.URL, bt.Req{Method: "GET", Target: "/opentoclose/v1/properties/123/contacts?api_token=otc-demo-token"})
	entries := s.Requests(mockserver.Filter{})
	if len(entries) != 2 || entries[0].Upstream == nil || entries[1].Upstream != nil || entries[1].Status != http.StatusOK {
		t.Errorf("entries = %+v", entries)
	}
	if s.Upstream("spark") != up.URL+"/v1" || s.Upstream("opentoclose") != "" {
		t.Errorf("Upstream() = %q, %q", s.Upstream("spark"), s.Upstream("opentoclose"))
	}
}

func TestProxyRefusesABadUpstream(t *testing.T) {
	for _, tc := range []struct{ upstreams map[string]string }{
		{map[string]string{"nosuch": "http://127.0.0.1:1"}},
		{map[string]string{"spark": "ftp://example.com"}},
		{map[string]string{"spark": "/v1"}},
		{map[string]string{"spark": "http://example.com/v1?x=1"}},
	} {
		if _, err := bundled.New(mockserver.Options{Proxy: &mockserver.ProxyOptions{Upstreams: tc.upstreams}}); err == nil || !strings.Contains(err.Error(), "upstream") {
			t.Errorf("%v: error %v, want one about the upstream", tc.upstreams, err)
		}
	}
}

// Many proxied calls at once (run with -race).
func TestProxyConcurrentCalls(t *testing.T) {
	up := fakeUpstream(t, "spark")
	s, px := proxyTo(t, map[string]string{"spark": up.URL + "/v1"}, nil)
	var wg sync.WaitGroup
	const n = 40
	statuses := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := sparkTraffic[i%3]
			res := bt.SendTo(t, px.URL+"/spark/v1", r)
			statuses[i] = res.Status
		}()
	}
	wg.Wait()
	if slices.ContainsFunc(statuses, func(s int) bool { return s != http.StatusOK }) {
		t.Errorf("statuses = %v", statuses)
	}
	if got := len(s.Requests(mockserver.Filter{})); got != n {
		t.Errorf("journal has %d entries, want %d", got, n)
	}
}

// Coverage gives each forwarded operation the real service's answer time;
// an operation the mock answers itself has none.
func TestProxyCoverageHasUpstreamLatency(t *testing.T) {
	const delay = 20 * time.Millisecond
	up := fakeUpstream(t, "spark")
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		up.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(slow.Close)
	s, px := proxyTo(t, map[string]string{"spark": slow.URL + "/v1"}, nil)
	for range 5 {
		bt.SendTo(t, px.URL, bt.Req{Method: "GET", Target: "/spark/v1/listings/" + listing + "/shared/notes", Header: sparkHeaders("spark-vow-token")})
	}
	bt.SendTo(t, px.URL, bt.Req{Method: "GET", Target: "/opentoclose/v1/properties/123/contacts?api_token=otc-demo-token"})
	latency := map[string]*mockserver.LatencySummary{}
	for _, api := range s.Coverage().APIs {
		for _, op := range api.Operations {
			if op.Calls > 0 {
				latency[api.API+" "+op.Operation] = op.UpstreamLatency
			}
		}
	}
	got := latency["spark getSharedNote"]
	if got == nil || got.Count != 5 || time.Duration(got.P50) < delay || time.Duration(got.Max) < delay || got.P99 > got.Max {
		t.Errorf("spark getSharedNote upstream latency = %+v, want 5 answers of at least %v", got, delay)
	}
	if l, called := latency["opentoclose listPropertyContacts"]; !called || l != nil {
		t.Errorf("the mocked operation: called %v, upstream latency %+v, want called and none", called, l)
	}
	s.ClearRequests()
	for _, api := range s.Coverage().APIs {
		for _, op := range api.Operations {
			if op.UpstreamLatency != nil {
				t.Errorf("after ClearRequests, %s %s still has %+v", api.API, op.Operation, op.UpstreamLatency)
			}
		}
	}
}

// The proxy forwards end-to-end headers and trailers both ways and drops
// the hop-by-hop ones, those a Connection header names included; a client
// that sends no User-Agent is not given Go's.
func TestProxyForwardsEndToEndHeadersOnly(t *testing.T) {
	seen := make(chan http.Header, 1)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Clone()
		w.Header().Set("Connection", "X-Up-Hop")
		w.Header().Set("X-Up-Hop", "1")
		w.Header().Set("X-Up-End", "2")
		w.Header().Set("Trailer", "X-Sum")
		_, _ = io.WriteString(w, "answer")
		w.Header().Set("X-Sum", "42")
	}))
	t.Cleanup(up.Close)
	_, px := proxyTo(t, map[string]string{"spark": up.URL + "/v1"}, nil)
	req, err := http.NewRequest(http.MethodGet, px.URL+"/spark/v1/no/such/operation", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = http.Header{"Connection": {"X-Hop"}, "X-Hop": {"1"}, "Keep-Alive": {"5"}, "X-End": {"2"}, "User-Agent": {""}}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	got := <-seen
	if got.Get("X-End") != "2" || got.Get("X-Hop") != "" || got.Get("Keep-Alive") != "" || got["User-Agent"] != nil {
		t.Errorf("the upstream got %v, want X-End and no hop-by-hop header nor User-Agent", got)
	}
	if string(body) != "answer" || res.Header.Get("X-Up-End") != "2" || res.Header.Get("X-Up-Hop") != "" || res.Trailer.Get("X-Sum") != "42" {
		t.Errorf("the client got %q, header %v, trailer %v", body, res.Header, res.Trailer)
	}
}

// Proxied calls' exchanges are recycled once recorded: what OnExchange
// and the journal were given stays each call's own while other calls
// reuse them (run with -race).
func TestProxyExchangesStayTheirsWhileOthersRun(t *testing.T) {
	up := fakeUpstream(t, "spark")
	var mu sync.Mutex
	var got []*mockserver.Exchange
	s, px := proxyTo(t, map[string]string{"spark": up.URL + "/v1"}, func(o *mockserver.Options) {
		o.Proxy.OnExchange = func(x *mockserver.Exchange) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, x)
		}
	})
	calls := sparkTraffic[:3] // three reads of three operations, each its own answer
	want := map[string]string{}
	for _, r := range calls {
		want[r.Target] = string(bt.SendTo(t, up.URL+"/v1", r).Body)
	}
	var wg sync.WaitGroup
	const n = 60
	for i := range n {
		wg.Go(func() { bt.SendTo(t, px.URL+"/spark/v1", calls[i%len(calls)]) })
	}
	wg.Wait()
	if len(got) != n {
		t.Fatalf("OnExchange got %d exchanges, want %d", len(got), n)
	}
	byOp := map[string]string{} // operation ID -> its answer
	for _, e := range s.Requests(mockserver.Filter{API: "spark"}) {
		w := want[strings.TrimPrefix(e.Path, "/spark/v1")]
		if e.Upstream == nil || e.Status != http.StatusOK || e.ResponseBody != w {
			t.Errorf("entry %s: %d %s, want %s", e.Path, e.Status, e.ResponseBody, w)
		}
		byOp[e.Operation] = w
	}
	for _, x := range got {
		if x.Operation == nil || x.Method != http.MethodGet || x.Status != http.StatusOK || string(x.Body) != byOp[x.Operation.ID] {
			t.Errorf("exchange %v %v: %d %s, want %s", x.Operation, x.PathParams, x.Status, x.Body, byOp[x.Operation.ID])
		}
	}
}
