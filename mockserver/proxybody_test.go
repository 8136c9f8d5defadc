package mockserver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/mockservertest/rawconn"
)

// recordingUpstream counts the calls it receives and those whose body
// arrived whole.
type recordingUpstream struct {
	calls, complete atomic.Int32
}

func (u *recordingUpstream) start(t *testing.T) *httptest.Server {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.calls.Add(1)
		if _, err := io.ReadAll(r.Body); err == nil {
			u.complete.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"D":{"Success":true,"Results":[]}}`)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// A client body the proxy could not read (stalled, cut short, a bad
// chunk), whether it is held for checking or streamed on because it is
// over --max-body or matches no operation, is answered 400 in the API's
// own envelope, on a connection the proxy then closes; the upstream never
// receives it whole, and a body held for checking is not sent at all.
func TestProxyRefusesABodyItCouldNotRead(t *testing.T) {
	spark := "PUT /spark/v1/listings/" + listing + "/shared/notes HTTP/1.1\r\nHost: x\r\n" +
		"Authorization: OAuth spark-vow-token\r\nX-SparkApi-User-Agent: t\r\nContent-Type: application/json\r\n"
	otc := "POST /opentoclose/v1/properties/123/contacts?api_token=otc-demo-token HTTP/1.1\r\n" +
		"Host: x\r\nContent-Type: application/json\r\n"
	unrouted := "PUT /spark/v1/nowhere HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
	tests := []struct {
		name, head, body string
		halfClose        bool // the client ends its side: a short body
		streamed         bool // the upstream may see the start of the call, never its end
		want             string
	}{
		{"content-length stalled", spark + "Content-Length: 1000\r\n", `{"D":`, false, false, "did not arrive within 300ms"},
		{"chunked stalled", spark + "Transfer-Encoding: chunked\r\n", "5\r\n{\"D\":\r\n", false, false, "did not arrive within 300ms"},
		{"content-length short", spark + "Content-Length: 1000\r\n", `{"D":`, true, false, "could not be read"},
		{"chunked short", spark + "Transfer-Encoding: chunked\r\n", "5\r\n{\"D\":\r\n", true, false, "could not be read"},
		{"bad chunk", spark + "Transfer-Encoding: chunked\r\n", "5\r\n{\"D\":\r\nzz\r\n", false, false, "could not be read"},
		{"opentoclose stalled", otc + "Content-Length: 1000\r\n", `{"con`, false, false, "did not arrive within 300ms"},
		{"over --max-body, stalled", spark + "Transfer-Encoding: chunked\r\n", "50\r\n" + strings.Repeat(" ", 80) + "\r\n", false, true, "did not arrive within 300ms"},
		{"no operation, stalled", unrouted + "Content-Length: 1000\r\n", `{"D":`, false, true, "did not arrive within 300ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var up recordingUpstream
			ts := up.start(t)
			s, px := proxyTo(t, map[string]string{"spark": ts.URL + "/v1", "opentoclose": ts.URL + "/v1"}, func(o *mockserver.Options) {
				o.BodyTimeout = 300 * time.Millisecond
				o.MaxBodyBytes = 64
			})
			conn := rawconn.Send(t, px.Listener.Addr().String(), tt.head, tt.body)
			if tt.halfClose {
				_ = conn.CloseWrite()
			}
			res, body, err := conn.Answer(15 * time.Second)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			envelope := `"Success":false`
			if strings.Contains(tt.head, "opentoclose") {
				envelope = `{"message":"`
			}
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, tt.want) || !strings.Contains(body, envelope) {
				t.Fatalf("got %d %s", res.StatusCode, body)
			}
			if err := conn.Closed(); err != nil {
				t.Fatalf("the proxy did not close the connection after the answer: %v", err)
			}
			if n := up.complete.Load(); n != 0 {
				t.Errorf("the upstream received the body whole %d times", n)
			}
			if n := up.calls.Load(); n != 0 && !tt.streamed {
				t.Errorf("the upstream was called %d times", n)
			}
			entries := s.Requests(mockserver.Filter{})
			if len(entries) != 1 || entries[0].Status != http.StatusBadRequest || entries[0].Upstream == nil || entries[0].Upstream.Error == "" {
				t.Errorf("journal: %+v", entries)
			}
		})
	}
}
