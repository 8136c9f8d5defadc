package mockserver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
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
	srv, err := bundled.New(mockserver.Options{JournalSize: 16})
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
		var last mockserver.Entry
		if entries := srv.Requests(mockserver.Filter{}); len(entries) > 0 {
			last = entries[len(entries)-1]
		}
		if problem := judgeAnswer(u, w, last); problem != "" {
			t.Fatalf("%s %s: %s", method, path, problem)
		}
	})
}

// judgeAnswer is FuzzHandler's oracle: it says what is wrong with an
// answer, or "". Every failure must be JSON in the envelope of the API
// the path belongs to, and a 5xx must have been asked for, by a scenario
// rule (the journal's last entry names it) or by the client's Prefer
// (the answer's Preference-Applied names the code): any other 5xx is the
// mock's own failure, however well it is wrapped.
func judgeAnswer(u *url.URL, w *httptest.ResponseRecorder, last mockserver.Entry) string {
	if w.Code < 400 {
		return ""
	}
	if w.Code >= 500 && last.Rule == "" && !preferredCode(w) {
		return fmt.Sprintf("an unasked-for %d: %s", w.Code, w.Body.String())
	}
	var got map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		return fmt.Sprintf("%d with a non-JSON body %q", w.Code, w.Body.String())
	}
	if strings.HasPrefix(u.EscapedPath(), "/spark/") {
		d, _ := got["D"].(map[string]any)
		if d["Success"] != false || d["Code"] == nil || d["Message"] == nil {
			return fmt.Sprintf("%d outside the Spark envelope: %s", w.Code, w.Body.String())
		}
		return ""
	}
	if _, ok := got["message"].(string); !ok {
		return fmt.Sprintf("%d without a message: %s", w.Code, w.Body.String())
	}
	return ""
}

// preferredCode reports whether the answer's status is the code a Prefer
// header asked for and the mock applied.
func preferredCode(w *httptest.ResponseRecorder) bool {
	want := fmt.Sprintf("code=%d", w.Code)
	for part := range strings.SplitSeq(w.Header().Get("Preference-Applied"), ",") {
		if strings.TrimSpace(part) == want {
			return true
		}
	}
	return false
}

// isToken reports whether s is an RFC 9110 token, as methods and header
// names must be; net/http rejects anything else on the wire.
func isToken(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return r > 0x7e || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r)
	}) < 0
}

// TestFuzzOracle pins judgeAnswer: a 500 in a perfect envelope is still
// a failure unless a rule or Prefer asked for it.
func TestFuzzOracle(t *testing.T) {
	otcPath, _ := url.Parse("/opentoclose/v1/properties/123/contacts")
	sparkPath, _ := url.Parse(notesPath)
	answer := func(code int, applied, body string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		if applied != "" {
			w.Header().Set("Preference-Applied", applied)
		}
		w.WriteHeader(code)
		w.WriteString(body)
		return w
	}
	otc500 := `{"message":"Internal server error"}`
	tests := []struct {
		name  string
		u     *url.URL
		w     *httptest.ResponseRecorder
		rule  string
		wrong string // a part of the problem; "" for none
	}{
		{"unasked 500 in the envelope", otcPath, answer(500, "", otc500), "", "unasked-for 500"},
		{"unasked 503 in the Spark envelope", sparkPath, answer(503, "", `{"D":{"Success":false,"Code":1,"Message":"x"}}`), "", "unasked-for 503"},
		{"500 a rule asked for", otcPath, answer(500, "", otc500), "boom", ""},
		{"500 Prefer asked for", otcPath, answer(500, "code=500, dynamic=true", otc500), "", ""},
		{"Prefer asked for another code", otcPath, answer(500, "code=404", otc500), "", "unasked-for 500"},
		{"400 in the envelope", otcPath, answer(400, "", `{"message":"bad"}`), "", ""},
		{"400 not JSON", otcPath, answer(400, "", `bad`), "", "non-JSON"},
		{"400 outside the Spark envelope", sparkPath, answer(400, "", `{"message":"bad"}`), "", "outside the Spark envelope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judgeAnswer(tt.u, tt.w, mockserver.Entry{Rule: tt.rule})
			if (tt.wrong == "") != (got == "") || !strings.Contains(got, tt.wrong) {
				t.Errorf("judged %q, want a problem containing %q", got, tt.wrong)
			}
		})
	}
}
