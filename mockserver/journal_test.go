package mockserver_test

import (
	"net/http"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// The journal shares header maps between entries and with the answers it
// writes; what Requests and Request hand out is the caller's to change,
// and changing it touches neither the journal nor the next answer.
func TestJournalEntriesAreTheCallersOwn(t *testing.T) {
	s := bt.New(t, mockserver.Options{})
	get := bt.Spark(bt.VOWToken, http.MethodGet, bt.NotesPath)
	for range 2 {
		if r := bt.Send(t, s, get); r.Status != http.StatusOK {
			t.Fatalf("GET: %d %s", r.Status, r.Body)
		}
	}
	spoil := func(e mockserver.Entry) {
		for k := range e.Header {
			e.Header[k] = []string{"changed"}
		}
		for k := range e.ResponseHeader {
			delete(e.ResponseHeader, k)
		}
	}
	for _, e := range s.Requests(mockserver.Filter{}) {
		spoil(e)
	}
	if e, ok := s.Request(2); ok {
		spoil(e)
	}
	after := bt.Send(t, s, get)
	if ct := after.Header.Get("Content-Type"); ct == "" {
		t.Errorf("the next answer lost its Content-Type once a reader changed an entry: %v", after.Header)
	}
	for _, e := range s.Requests(mockserver.Filter{}) {
		if e.ResponseHeader.Get("Content-Type") == "" || e.Header.Get("X-Sparkapi-User-Agent") != "mockserver-tests" {
			t.Errorf("entry %d changed by a reader: header %v, response header %v", e.Seq, e.Header, e.ResponseHeader)
		}
	}
}
