package mockserver_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// The default scenario's ids, under the names these tests use.
const (
	listing      = bt.Listing
	vowContact   = bt.VOWContact
	otherContact = bt.PortalContact
	notesPath    = bt.SparkBase + bt.NotesPath
	otcToken     = "api_token=" + bt.OTCToken
)

// call is one request through the real handler.
type call struct {
	method, path, body string
	header             map[string]string
}

// answer is what came back, with the body decoded when it is JSON.
type answer struct {
	status int
	header http.Header
	raw    string
	json   any
}

// newServer is a Server of the bundled packs and scenarios unless opts
// names its own.
func newServer(t testing.TB, opts mockserver.Options) *mockserver.Server {
	t.Helper()
	return bt.New(t, opts)
}

// engineServer is the engine alone on the specs of opts.APIs, with no
// bundled API.
func engineServer(t testing.TB, opts mockserver.Options) *mockserver.Server {
	t.Helper()
	s, err := mockserver.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func do(t testing.TB, h http.Handler, c call) answer {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	r := httptest.NewRequest(c.method, c.path, body)
	for k, v := range c.header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	a := answer{status: w.Code, header: w.Header(), raw: w.Body.String()}
	if a.raw != "" {
		if err := json.Unmarshal(w.Body.Bytes(), &a.json); err != nil {
			t.Fatalf("%s %s: body is not JSON: %q", c.method, c.path, a.raw)
		}
	}
	return a
}

// spark builds a Spark call with the user-agent header and a token.
func spark(method, path, token, body string) call {
	h := map[string]string{"X-SparkApi-User-Agent": "mockserver-tests/1.0"}
	if token != "" {
		h["Authorization"] = "Bearer " + token
	}
	if body != "" {
		h["Content-Type"] = "application/json"
	}
	return call{method: method, path: path, body: body, header: h}
}

// otc builds an Open To Close call as the Python SDK sends it.
func otc(method, path, body string) call {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return call{method: method, path: "/opentoclose/v1" + path + sep + otcToken, body: body,
		header: map[string]string{"Content-Type": "application/json", "Accept": "application/json"}}
}

// object is the body as a JSON object, nil when it is something else.
func (a answer) object() map[string]any {
	m, _ := a.json.(map[string]any)
	return m
}

// envelope is Spark's D object, nil when absent.
func (a answer) envelope() map[string]any {
	d, _ := a.object()["D"].(map[string]any)
	return d
}

// sparkCode reads D.Code from a Spark failure, -1 when absent.
func (a answer) sparkCode() int {
	d := a.envelope()
	if code, ok := d["Code"].(float64); ok {
		return int(code)
	}
	return -1
}

func (a answer) sparkResults() []any {
	r, _ := a.envelope()["Results"].([]any)
	return r
}

func (a answer) message() string {
	if m, ok := a.object()["message"].(string); ok {
		return m
	}
	m, _ := a.envelope()["Message"].(string)
	return m
}
