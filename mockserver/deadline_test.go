package mockserver_test

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	"github.com/realestate-mocks/mockserver/mockserver/mockservertest/rawconn"
)

// A body announced as 1000 bytes that stops after six is cut off at the
// body deadline, with a 400 in the API's envelope that says why, for
// both APIs.
func TestStalledBodyIsCutOff(t *testing.T) {
	s := newServer(t, mockserver.Options{BodyTimeout: 300 * time.Millisecond})
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	tests := []struct{ name, head, want string }{
		{"opentoclose", "POST /opentoclose/v1/properties/123/contacts?api_token=otc-demo-token HTTP/1.1\r\n" +
			"Host: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n", `{"message":"`},
		{"spark", "PUT " + notesPath + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer spark-vow-token\r\n" +
			"X-SparkApi-User-Agent: t\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n", `"Success":false`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := rawconn.Send(t, hs.Listener.Addr().String(), tt.head, `{"con`)
			start := time.Now()
			res, body, err := conn.Answer(10 * time.Second)
			if err != nil {
				t.Fatalf("no answer to a stalled body: %v", err)
			}
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "did not arrive within 300ms") || !strings.Contains(body, tt.want) {
				t.Fatalf("got %d %s", res.StatusCode, body)
			}
			if !res.Close {
				t.Error("the connection is kept open after a body that never finished")
			}
			if waited := time.Since(start); waited > 5*time.Second {
				t.Errorf("answered after %s", waited)
			}
		})
	}
}

// Hang rules outlive the body deadline and serve's ReadTimeout: with a
// body (the deadline is lifted once it is read) and without one (no
// deadline is set), the rule waits until the client gives up.
func TestHangOutlivesTheBodyDeadline(t *testing.T) {
	set, err := bundled.Scenarios(fixtures.Options{Dir: "testdata/hang"})
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(t, mockserver.Options{BodyTimeout: 100 * time.Millisecond, Scenarios: set, Scenario: "hang-on-create"})
	hs := httptest.NewUnstartedServer(s)
	hs.Config.ReadTimeout = 200 * time.Millisecond // serve's backstop
	hs.Start()
	t.Cleanup(hs.Close)
	body := `{"contact_id":9,"notes":"hang"}`
	heads := map[string]string{
		"with a body": fmt.Sprintf("POST /opentoclose/v1/properties/123/contacts?api_token=otc-demo-token HTTP/1.1\r\n"+
			"Host: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n", len(body)),
		"without one": "GET /opentoclose/v1/properties/123/contacts/456?api_token=otc-demo-token HTTP/1.1\r\nHost: x\r\nX-Fault: hang\r\n",
	}
	for name, head := range heads {
		t.Run(name, func(t *testing.T) {
			send := body
			if strings.HasPrefix(head, "GET") {
				send = ""
			}
			// Each case is the only call of its operation.
			op := mockserver.Filter{Operation: "createPropertyContact"}
			if send == "" {
				op.Operation = "retrievePropertyContact"
			}
			conn := rawconn.Send(t, hs.Listener.Addr().String(), head, send)
			var ne net.Error
			if res, _, err := conn.Answer(time.Second); err == nil {
				t.Fatalf("a hang rule answered %d", res.StatusCode)
			} else if !errors.As(err, &ne) || !ne.Timeout() {
				t.Fatalf("the connection ended instead of hanging: %v", err)
			}
			if entries := s.Requests(op); len(entries) != 0 {
				t.Fatalf("the hanging request is already journaled: %+v", entries)
			}
		})
	}
}

// A body that could not be read to its end (stalled, cut short by the
// client, or over the limit and then stalled) is answered with a 400 or
// 413 in the API's envelope and the server closes the connection: nothing
// waits on the rest of the body. The test's own read deadline is only a
// bound on how long to wait for the closure, far above the body timeout.
func TestFailedBodyReadClosesTheConnection(t *testing.T) {
	s := newServer(t, mockserver.Options{BodyTimeout: 300 * time.Millisecond, MaxBodyBytes: 64})
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	spark := "PUT " + notesPath + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer spark-vow-token\r\n" +
		"X-SparkApi-User-Agent: t\r\nContent-Type: application/json\r\n"
	otc := "POST /opentoclose/v1/properties/123/contacts?api_token=otc-demo-token HTTP/1.1\r\n" +
		"Host: x\r\nContent-Type: application/json\r\n"
	tests := []struct {
		name, head, body string
		halfClose        bool // the client ends its side: a short body
		status           int
		want             string
	}{
		{"spark stalled", spark + "Content-Length: 1000\r\n", `{"D":`, false, 400, `"Success":false`},
		{"spark chunked stalled", spark + "Transfer-Encoding: chunked\r\n", "5\r\n{\"D\":\r\n", false, 400, `"Success":false`},
		{"spark short", spark + "Content-Length: 1000\r\n", `{"D":`, true, 400, `"Success":false`},
		{"spark over the limit, then stalled", spark + "Transfer-Encoding: chunked\r\n",
			"50\r\n" + strings.Repeat(" ", 80) + "\r\n", false, 413, `"Success":false`},
		{"an operation without a body, stalled", strings.Replace(spark, "PUT", "GET", 1) + "Content-Length: 1000\r\n", `{"D":`, false, 400, `"Success":false`},
		{"opentoclose stalled", otc + "Content-Length: 1000\r\n", `{"con`, false, 400, `{"message":"`},
		{"opentoclose short", otc + "Content-Length: 1000\r\n", `{"con`, true, 400, `{"message":"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := rawconn.Send(t, hs.Listener.Addr().String(), tt.head, tt.body)
			if tt.halfClose {
				_ = conn.CloseWrite()
			}
			res, body, err := conn.Answer(15 * time.Second)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			if res.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Fatalf("got %d %s", res.StatusCode, body)
			}
			if err := conn.Closed(); err != nil {
				t.Fatalf("the server did not close the connection after the answer: %v", err)
			}
		})
	}
}
