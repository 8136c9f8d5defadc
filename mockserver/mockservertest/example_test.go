package mockservertest_test

import (
	"fmt"
	"io"
	"net/http"

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
