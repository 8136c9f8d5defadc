package mockserver_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

func TestSubscriptionDeliversInOrderAndDropsWhenFull(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	sub := s.Subscribe(2)
	for range 5 {
		bt.SendJSON(t, s, spark("GET", notesPath, "spark-vow-token", ""))
	}
	var seqs []int64
	for range 2 {
		seqs = append(seqs, (<-sub.C).Seq)
	}
	if seqs[0] != 1 || seqs[1] != 2 {
		t.Errorf("delivered seqs %v, want [1 2]: the oldest are kept, the newest dropped", seqs)
	}
	if got := sub.Dropped(); got != 3 {
		t.Errorf("Dropped() = %d, want 3", got)
	}
	if got := sub.Dropped(); got != 0 {
		t.Errorf("Dropped() again = %d, want 0: it counts since the last call", got)
	}
	sub.Close()
	sub.Close() // twice is fine
	if _, open := <-sub.C; open {
		t.Error("C is still open after Close")
	}
	if n := s.Subscribers(); n != 0 {
		t.Errorf("Subscribers() = %d after Close, want 0", n)
	}
}

func TestSlowSubscriberDoesNotSlowRequests(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	sub := s.Subscribe(1) // never read
	defer sub.Close()
	done := make(chan struct{})
	go func() {
		for range 50 {
			bt.SendJSON(t, s, spark("GET", notesPath, "spark-vow-token", ""))
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("requests blocked behind a subscriber that does not read")
	}
	if got := sub.Dropped(); got != 49 {
		t.Errorf("Dropped() = %d, want 49", got)
	}
}

func TestEndStreamsClosesSubscriptions(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	before := s.Subscribe(0)
	s.EndStreams()
	if _, open := <-before.C; open {
		t.Error("a subscription survived EndStreams")
	}
	after := s.Subscribe(0)
	if _, open := <-after.C; open {
		t.Error("a subscription made after EndStreams is open")
	}
	after.Close()
}

// sseEvent is one parsed Server-Sent Event.
type sseEvent struct{ id, event, data string }

// readEvent reads the next event, skipping comments.
func readEvent(t *testing.T, r *bufio.Reader) sseEvent {
	t.Helper()
	var ev sseEvent
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "" && ev.event != "":
			return ev
		case strings.HasPrefix(line, "id: "):
			ev.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			ev.event = line[7:]
		case strings.HasPrefix(line, "data: "):
			ev.data = line[6:]
		}
	}
}

func openStream(t *testing.T, url string, header map[string]string) (*http.Response, *bufio.Reader) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp, bufio.NewReader(resp.Body)
}

func TestEventsStream(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)                                               // after the stream's body is closed: cleanups run last-in first-out
	bt.SendJSON(t, s, spark("GET", notesPath, "spark-vow-token", "")) // seq 1, before the stream

	resp, r := openStream(t, ts.URL+"/__mock/events", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	waitFor(t, func() bool { return s.Subscribers() == 1 })
	bt.SendJSON(t, s, otc("GET", "/properties/123/contacts", ""))
	ev := readEvent(t, r)
	var e mockserver.Entry
	if err := json.Unmarshal([]byte(ev.data), &e); err != nil {
		t.Fatalf("data is not an Entry: %v: %s", err, ev.data)
	}
	if ev.event != "request" || ev.id != "2" || e.Seq != 2 || e.API != "opentoclose" || e.Status != 200 || e.Step != "answer" {
		t.Errorf("event %+v, entry %+v: want request #2 answered 200 by the behaviour", ev, e)
	}
}

func TestEventsReplayAfterLastEventID(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close) // after the stream's body is closed: cleanups run last-in first-out
	for range 3 {
		bt.SendJSON(t, s, spark("GET", notesPath, "spark-vow-token", ""))
	}
	bt.SendJSON(t, s, otc("GET", "/properties/123/contacts", ""))
	_, r := openStream(t, ts.URL+"/__mock/events?api=spark", map[string]string{"Last-Event-ID": "1"})
	for _, want := range []string{"2", "3"} {
		if ev := readEvent(t, r); ev.id != want {
			t.Errorf("replayed id %s, want %s", ev.id, want)
		}
	}
	bt.SendJSON(t, s, otc("GET", "/properties/123/contacts", "")) // filtered out
	bt.SendJSON(t, s, spark("GET", notesPath, "spark-vow-token", ""))
	if ev := readEvent(t, r); ev.id != "6" {
		t.Errorf("next id %s, want 6 (the ?api=spark filter skips 4 and 5)", ev.id)
	}
}

func TestEventsRefusals(t *testing.T) {
	s := newServer(t, mockserver.Options{AdminToken: "s3cret"})
	for _, c := range []struct {
		name   string
		header map[string]string
		path   string
		want   int
	}{
		{"no token", nil, "/__mock/events", 401},
		{"wrong token", map[string]string{"Authorization": "Bearer nope"}, "/__mock/events", 401},
		{"bad Last-Event-ID", map[string]string{"Authorization": "Bearer s3cret", "Last-Event-ID": "x"}, "/__mock/events", 400},
		{"bad after", map[string]string{"Authorization": "Bearer s3cret"}, "/__mock/events?after=-2", 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			if a := bt.SendJSON(t, s, bt.Req{Method: "GET", Target: c.path, Header: c.header}); a.Status != c.want {
				t.Errorf("status %d, want %d: %s", a.Status, c.want, string(a.Body))
			}
		})
	}
	if a := bt.SendJSON(t, s, bt.Req{Method: "POST", Target: "/__mock/events", Header: map[string]string{"Authorization": "Bearer s3cret"}}); a.Status != 405 || a.Header.Get("Allow") != "GET" {
		t.Errorf("POST: status %d Allow %q, want 405 GET", a.Status, a.Header.Get("Allow"))
	}
}

// TestEventsNoLeak opens many streams, half ended by their client going
// away and half by EndStreams, and checks that subscriptions and
// goroutines come back to where they were.
func TestEventsNoLeak(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	ts := httptest.NewServer(s)
	base := runtime.NumGoroutine()
	open := func() *http.Response {
		resp, err := http.Get(ts.URL + "/__mock/events")
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for range 10 {
		resp := open()
		waitFor(t, func() bool { return s.Subscribers() == 1 })
		resp.Body.Close()
		waitFor(t, func() bool { return s.Subscribers() == 0 })
	}
	var streams []*http.Response
	for range 10 {
		streams = append(streams, open())
	}
	waitFor(t, func() bool { return s.Subscribers() == 10 })
	s.EndStreams()
	for _, resp := range streams {
		if _, err := io.ReadAll(resp.Body); err != nil {
			t.Errorf("stream did not end cleanly: %v", err)
		}
		resp.Body.Close()
	}
	waitFor(t, func() bool { return s.Subscribers() == 0 })
	ts.Close()
	http.DefaultClient.CloseIdleConnections()
	waitFor(t, func() bool { return runtime.NumGoroutine() <= base })
}

// waitFor polls cond for up to 5 s: streams start and stop in other
// goroutines.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
