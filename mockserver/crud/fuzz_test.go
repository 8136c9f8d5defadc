package crud_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// FuzzNestedPaths runs a script of calls ("METHOD path body", one a line)
// on the nested collections of testdata/nested.yaml, each script on an
// emptied store. Every answer must be one the document allows (the engine
// answers 500 in strict mode for one that breaks it), never a 5xx; and a
// list under a parent holds only records made under that parent.
func FuzzNestedPaths(f *testing.F) {
	for _, seed := range []string{
		"POST /owners {\"name\":\"a\"}\nPOST /owners/1/pets {\"nick\":\"c\"}\nGET /owners/1/pets\nGET /owners/2/pets",
		"POST /pets {\"name\":\"r\"}\nPOST /owners {\"name\":\"a\"}\nPOST /owners/1/pets {\"nick\":\"c\"}\nGET /pets\nGET /pets/1",
		"POST /owners {\"name\":\"a\"}\nPOST /owners {\"name\":\"b\"}\nPOST /owners/2/pets {\"nick\":\"d\"}\nGET /owners/1/pets/1\nPATCH /owners/2/pets/1 {\"nick\":\"e\"}",
		"POST /owners {\"name\":\"a\"}\nPOST /owners/1/pets {\"nick\":\"c\"}\nPOST /owners/1/pets/1/toys {\"kind\":\"x\"}\nGET /owners/1/pets/1/toys\nDELETE /owners/1\nGET /owners/1/pets/1/toys",
		"GET /owners/%2F/pets\nPOST /owners/-1/pets/0/toys {}\nGET /owners/1/pets/1/toys/..%2F",
	} {
		f.Add(seed)
	}
	srv, err := mockserver.New(mockserver.Options{Packs: []*mockserver.Pack{nested(f)}, JournalSize: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, script string) {
		if err := srv.Reset(); err != nil {
			t.Fatal(err)
		}
		made := map[string][]string{} // list path -> ids answered by its POSTs
		for line := range strings.SplitSeq(script, "\n") {
			method, rest, _ := strings.Cut(line, " ")
			path, body, _ := strings.Cut(rest, " ")
			if !slices.Contains([]string{"GET", "POST", "PUT", "PATCH", "DELETE"}, method) || !strings.HasPrefix(path, "/") {
				continue
			}
			u, err := url.ParseRequestURI("/zoo/api" + path)
			if err != nil || u.RawQuery != "" || u.Fragment != "" {
				continue
			}
			r := httptest.NewRequest(http.MethodGet, "/", strings.NewReader(body))
			r.Method, r.URL, r.RequestURI = method, u, u.RequestURI()
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			if w.Code >= 500 {
				t.Fatalf("%s %s %s: %d %s", method, path, body, w.Code, w.Body)
			}
			checkList(t, method, u.EscapedPath(), w, made)
		}
	})
}

// checkList notes the id of each record a POST makes, and checks that a
// list holds no record made under another path.
func checkList(t *testing.T, method, path string, w *httptest.ResponseRecorder, made map[string][]string) {
	if w.Code != http.StatusOK && w.Code != http.StatusCreated {
		return
	}
	id := func(rec map[string]any) string {
		for _, k := range []string{"id", "ownerId", "petId", "toyId"} {
			if v, ok := rec[k]; ok {
				b, _ := json.Marshal(v)
				return string(b)
			}
		}
		return ""
	}
	switch method {
	case http.MethodPost:
		var rec map[string]any
		if json.Unmarshal(w.Body.Bytes(), &rec) == nil {
			made[path] = append(made[path], id(rec))
		}
	case http.MethodGet:
		var list []map[string]any
		if json.Unmarshal(w.Body.Bytes(), &list) != nil {
			return
		}
		for _, rec := range list {
			if !slices.Contains(made[path], id(rec)) {
				t.Fatalf("GET %s lists %v, made there: %v", path, rec, made[path])
			}
		}
	}
}
