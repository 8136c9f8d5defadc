package mockservertest_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/mockservertest"
)

// A client test against the Spark mock: the default scenario's VOW token
// reads its contact's note on the seed listing. In a real test, pass the
// test's t instead of the stand-in below.
func Example() {
	t := &standInT{}
	defer t.cleanup()

	m := mockservertest.New(t)
	req, _ := http.NewRequest(http.MethodGet, m.URL("spark")+"/listings/20100815153524571646000000/shared/notes", nil)
	req.Header.Set("Authorization", "OAuth spark-vow-token")
	req.Header.Set("X-SparkApi-User-Agent", "example/1.0")
	resp, err := m.Client().Do(req)
	if err != nil {
		t.Fatalf("GET note: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, len(m.Server.Requests(mockserver.Filter{Operation: "getSharedNote"})))
	fmt.Println(string(body))
	// Output:
	// 200 1
	// {"D":{"Success":true,"Results":[{"ResourceUri":"/v1/listings/20100815153524571646000000/shared/notes/contacts/20100912536192756362000000","ContactId":"20100912536192756362000000","Note":"Great home, wondering if seller is willing to include hot tub."}]}}
}

// standInT plays *testing.T for the example, which has none.
type standInT struct{ cleanups []func() }

func (t *standInT) Helper()                           {}
func (t *standInT) Cleanup(f func())                  { t.cleanups = append(t.cleanups, f) }
func (t *standInT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *standInT) Logf(format string, args ...any)   {}
func (t *standInT) cleanup() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}

// A client test that keeps what its app did as a pact: run the app's
// calls against the mock, then write Server.Pact's file for `mockserver pact verify` or a Pact verifier to check later against
// the real service.
func Example_pact() {
	t := &standInT{}
	defer t.cleanup()

	m := mockservertest.New(t)
	for _, token := range []string{"spark-vow-token", "spark-idx-token"} {
		req, _ := http.NewRequest(http.MethodGet, m.URL("spark")+"/listings/20100815153524571646000000/shared/notes", nil)
		req.Header.Set("Authorization", "OAuth "+token)
		req.Header.Set("X-SparkApi-User-Agent", "example/1.0")
		resp, err := m.Client().Do(req)
		if err != nil {
			t.Fatalf("GET note: %v", err)
		}
		resp.Body.Close()
	}
	f, err := m.Server.Pact("spark", "notes-app")
	if err != nil {
		t.Fatalf("pact: %v", err)
	}
	data, err := f.Marshal()
	if err != nil {
		t.Fatalf("pact: %v", err)
	}
	dir, _ := os.MkdirTemp("", "pacts") // in a test: t.TempDir(), or the folder the pacts are kept in
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "notes-app-spark.json"), data, 0o644); err != nil {
		t.Fatalf("pact: %v", err)
	}
	for _, it := range f.Interactions {
		fmt.Println(it.States[0].Name, "|", it.Description, "|", it.Request.Method, it.Request.Path)
	}
	// Output:
	// default | getSharedNote answers 200 to VOW | GET /v1/listings/20100815153524571646000000/shared/notes
	// default | getSharedNote answers 403 to IDX | GET /v1/listings/20100815153524571646000000/shared/notes
}
