package bundledtest

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Req is one request to a Server, described as data so test tables stay
// short. Build it with Spark, OTC or Admin, or as a literal.
type Req struct {
	Method, Target string
	// Body is nil for none, a string sent as is, or a value sent as JSON
	// (with Content-Type: application/json).
	Body   any
	Header map[string]string
}

// Spark is a call under /spark/v1 with a Bearer token ("" sends no
// Authorization) and the X-SparkApi-User-Agent header the API needs.
func Spark(token, method, path string) Req {
	h := map[string]string{"X-SparkApi-User-Agent": "mockserver-tests"}
	if token != "" {
		h["Authorization"] = "Bearer " + token
	}
	return Req{Method: method, Target: SparkBase + path, Header: h}
}

// OTC is an Open To Close call under /opentoclose/v1 with the demo token
// appended to the query, as the SDK sends it.
func OTC(method, path string) Req {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return Req{Method: method, Target: OTCBase + path + sep + "api_token=" + OTCToken, Header: map[string]string{}}
}

// Admin is a call to the admin API under /__mock.
func Admin(method, path string) Req {
	header := map[string]string{}
	if method != http.MethodGet {
		header["Content-Type"] = "application/json" // as admin writes must
	}
	return Req{Method: method, Target: "/__mock" + path, Header: header}
}

// With returns a copy of r that sends body.
func (r Req) With(body any) Req {
	r.Body = body
	return r
}

// Hdr returns a copy of r with one more header ("" as value removes it).
func (r Req) Hdr(name, value string) Req {
	h := maps.Clone(r.Header)
	if h == nil {
		h = map[string]string{}
	}
	if value == "" {
		delete(h, name)
	} else {
		h[name] = value
	}
	r.Header = h
	return r
}

// Build makes the *http.Request for a server at base ("" for in process).
func (r Req) Build(t testing.TB, base string) *http.Request {
	t.Helper()
	var body io.Reader
	switch b := r.Body.(type) {
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
	if base == "" {
		base = "http://mock.test"
	}
	req, err := http.NewRequest(r.Method, base+r.Target, body)
	if err != nil {
		t.Fatalf("new request %s %s: %v", r.Method, r.Target, err)
	}
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	return req
}

// Send runs r through h in process and returns the whole answer.
func Send(t testing.TB, h http.Handler, r Req) Resp {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r.Build(t, ""))
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return Resp{Status: res.StatusCode, Header: res.Header, Body: body}
}

// SendJSON is Send for a handler whose every answer here is JSON or
// empty: any other body fails the test.
func SendJSON(t testing.TB, h http.Handler, r Req) Resp {
	t.Helper()
	res := Send(t, h, r)
	if len(res.Body) > 0 && !json.Valid(res.Body) {
		t.Fatalf("%s %s: body is not JSON: %q", r.Method, r.Target, res.Body)
	}
	return res
}

// SendTo sends r over the network to the server at baseURL (an
// httptest.Server's URL, a proxy's) and returns the whole answer.
func SendTo(t testing.TB, baseURL string, r Req) Resp {
	t.Helper()
	res, err := http.DefaultClient.Do(r.Build(t, baseURL))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return Resp{Status: res.StatusCode, Header: res.Header, Body: body}
}
