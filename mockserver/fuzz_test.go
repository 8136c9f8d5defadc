package mockserver_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// FuzzHandler feeds arbitrary methods, paths, headers and bodies to the
// handler: it must never panic, and every failure must be JSON in the
// envelope of the API the path belongs to.
func FuzzHandler(f *testing.F) {
	seeds := []struct{ method, path, header, body string }{
		{"GET", notesPath, "Authorization: Bearer spark-vow-token\nX-SparkApi-User-Agent: f", ""},
		{"PUT", notesPath, "Authorization: OAuth spark-vow-token\nX-SparkApi-User-Agent: f\nContent-Type: application/json", `{"D":{"Note":"x"}}`},
		{"PUT", notesPath + "/contacts/" + vowContact, "Authorization: Bearer spark-private-token\nX-SparkApi-User-Agent: f\nContent-Type: application/json", `{"D":{"Note":`},
		{"POST", "/opentoclose/v1/properties/123/contacts?api_token=otc-demo-token", "Content-Type: application/json", `{"contact_id": 1}`},
		{"PUT", "/opentoclose/v1/properties/123/contacts/456?api_token=otc-demo-token", "Content-Type: application/json", `{"primary": "yes"}`},
		{"GET", "/opentoclose/v1/properties/123/contacts?api_token=otc-demo-token&limit=-1&role=", "Prefer: code=999", ""},
		{"DELETE", "/spark/v1/listings/%2F/shared/notes", "Prefer: example=x, dynamic=true", ""},
		{"GET", "/__mock/requests?limit=0", "", ""},
		{"PUT", "/__mock/scenario", "", `{"name":`},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.header, []byte(s.body))
	}
	srv, err := mockserver.New(withBundled(f, mockserver.Options{JournalSize: 16}))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, path, header string, body []byte) {
		if !isToken(method) || !strings.HasPrefix(path, "/") {
			return // net/http refuses these before any handler runs
		}
		u, err := url.ParseRequestURI(path)
		if err != nil {
			return
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Method, r.URL, r.RequestURI = method, u, path
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		for line := range strings.SplitSeq(header, "\n") {
			k, v, ok := strings.Cut(line, ":")
			if ok && isToken(k) && !strings.ContainsAny(v, "\r\n\x00") {
				r.Header.Add(k, strings.TrimSpace(v))
			}
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code < 400 {
			return
		}
		var got map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatalf("%s %s: %d with a non-JSON body %q", method, path, w.Code, w.Body.String())
		}
		if strings.HasPrefix(u.EscapedPath(), "/spark/") {
			d, _ := got["D"].(map[string]any)
			if d["Success"] != false || d["Code"] == nil || d["Message"] == nil {
				t.Fatalf("%s %s: %d outside the Spark envelope: %s", method, path, w.Code, w.Body.String())
			}
			return
		}
		if _, ok := got["message"].(string); !ok {
			t.Fatalf("%s %s: %d without a message: %s", method, path, w.Code, w.Body.String())
		}
	})
}

// isToken reports whether s is an RFC 9110 token, as methods and header
// names must be; net/http rejects anything else on the wire.
func isToken(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return r > 0x7e || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r)
	}) < 0
}
