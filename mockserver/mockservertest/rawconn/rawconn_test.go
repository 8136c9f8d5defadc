package rawconn_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver/mockservertest/rawconn"
)

func TestAnswerThenClosed(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Close") != "" {
			w.Header().Set("Connection", "close")
		}
		_, _ = io.WriteString(w, "got "+string(got))
	}))
	t.Cleanup(hs.Close)
	for _, tt := range []struct {
		name, head string
		closed     bool
	}{
		{"kept alive", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n", false},
		{"closed", "POST / HTTP/1.1\r\nHost: x\r\nX-Close: 1\r\nContent-Length: 2\r\n", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := rawconn.Send(t, hs.Listener.Addr().String(), tt.head, "hi")
			res, body, err := c.Answer(10 * time.Second)
			if err != nil || res.StatusCode != 200 || body != "got hi" {
				t.Fatalf("answer %v %q %v", res, body, err)
			}
			if !tt.closed {
				// A second request on the same connection is answered, so it is open.
				if _, err := io.WriteString(c, tt.head+"\r\nyo"); err != nil {
					t.Fatal(err)
				}
				if _, body, err := c.Answer(10 * time.Second); err != nil || body != "got yo" {
					t.Fatalf("second answer %q %v", body, err)
				}
				return
			}
			if err := c.Closed(); err != nil {
				t.Fatalf("Closed = %v", err)
			}
		})
	}
}

func TestClosedReportsAnOpenConnection(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(hs.Close)
	head := "GET / HTTP/1.1\r\nHost: x\r\n"
	c := rawconn.Send(t, hs.Listener.Addr().String(), head+"\r\n"+head, "")
	if _, _, err := c.Answer(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if err := c.Closed(); err == nil || !strings.Contains(err.Error(), "open") {
		t.Fatalf("Closed = %v, want the connection reported open", err)
	}
}
