package mockserver_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	"github.com/realestate-mocks/mockserver/spec"
)

// New serves the packs it is given, here the bundled APIs with the
// bundled scenarios; the Server is an http.Handler, so any server or test
// harness can mount it.
func ExampleNew() {
	srv, err := mockserver.New(bundledOptions())
	if err != nil {
		panic(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/spark/v1/listings/20100815153524571646000000/shared/notes", nil)
	req.Header.Set("Authorization", "Bearer spark-vow-token")
	req.Header.Set("X-SparkApi-User-Agent", "example")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	fmt.Println(w.Code, w.Header().Get("Allow"))
	fmt.Println(srv.BasePath("spark"), srv.BasePath("opentoclose"))
	// Output:
	// 405 GET, PUT, DELETE
	// /spark/v1 /opentoclose/v1
}

// Handle makes one operation answer differently on one Server; the answer
// is still validated against the spec, so a test cannot drift from it.
func ExampleServer_Handle() {
	srv, _ := mockserver.New(bundledOptions())
	_ = srv.Handle("opentoclose", "listPropertyContacts", mockserver.BehaviorFunc(func(c *mockserver.Call) *mockserver.Reply {
		if c.Request.URL.Query().Get("role") == "Inspector" {
			return mockserver.JSON(http.StatusOK, []any{})
		}
		return mockserver.Fail(spec.KindRateLimited, "try again in a second")
	}))
	for _, query := range []string{"role=Inspector&", ""} {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/opentoclose/v1/properties/123/contacts?"+query+"api_token=otc-demo-token", nil))
		body, _ := io.ReadAll(w.Body)
		fmt.Println(w.Code, strings.TrimSpace(string(body)))
	}
	// Output:
	// 200 []
	// 429 {"message":"Too many requests: try again in a second"}
}

// Requests lists the journal, newest last; Request reads one entry by its
// seq, as a failing test would to show what the mock was sent and why it
// answered as it did.
func ExampleServer_Request() {
	srv, _ := mockserver.New(bundledOptions())
	for _, token := range []string{"spark-vow-token", "spark-idx-token"} {
		req := httptest.NewRequest(http.MethodGet, "/spark/v1/listings/20100815153524571646000000/shared/notes", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("X-SparkApi-User-Agent", "example")
		srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	entries := srv.Requests(mockserver.Filter{API: "spark"})
	last, _ := srv.Request(entries[len(entries)-1].Seq)
	fmt.Println(len(entries), last.Role, last.Status, last.Step)
	fmt.Println(last.Header.Get("Authorization"))
	// Output:
	// 2 IDX 403 authorize
	// Bearer spar…en
}

// bundledOptions are the Options the command starts from.
func bundledOptions() mockserver.Options {
	packs, err := bundled.Packs()
	if err != nil {
		panic(err)
	}
	set, err := bundled.Default()
	if err != nil {
		panic(err)
	}
	return mockserver.Options{Packs: packs, Scenarios: set}
}
