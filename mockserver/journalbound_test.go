package mockserver_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// A 1 MB User-Agent, a long path and query are cut before they are
// stored, and GET /__mock/requests stays under the journal's byte bound
// however many such requests come (the 1 000 requests with a
// 1 MB User-Agent once grew the process to 1.7 GB).
func TestJournalIsBoundedInBytes(t *testing.T) {
	s := newServer(t, mockserver.Options{JournalBytes: 1 << 20})
	huge := strings.Repeat("a", 1<<20)
	for range 200 {
		r := httptest.NewRequest("GET", "/opentoclose/v1/properties/123/contacts/"+huge[:8000]+"?api_token=otc-demo-token&x="+huge[:100000], nil)
		r.Header.Set("User-Agent", huge)
		r.Header.Set("Content-Type", "application/json")
		s.ServeHTTP(httptest.NewRecorder(), r)
	}
	entries := s.Requests(mockserver.Filter{})
	for i := range entries {
		e := &entries[i]
		if len(e.Header.Get("User-Agent")) > 2<<10 || len(e.Query) > 2<<10 || len(e.Path) > 4<<10 {
			t.Fatalf("entry %d keeps %d bytes of User-Agent, %d of query, %d of path", e.Seq, len(e.Header.Get("User-Agent")), len(e.Query), len(e.Path))
		}
		if !strings.HasSuffix(e.Header.Get("User-Agent"), "(truncated)") {
			t.Fatalf("entry %d does not say its User-Agent was cut", e.Seq)
		}
	}
	if len(entries) < 100 {
		t.Errorf("%d entries kept; cut to their caps, at least 100 fit in 1 MiB", len(entries))
	}
	a := bt.SendJSON(t, s, bt.Req{Method: "GET", Target: "/__mock/requests"})
	if len(string(a.Body)) > 1<<20 {
		t.Errorf("GET /__mock/requests answers %d bytes, over the 1 MiB bound", len(string(a.Body)))
	}
}

// The byte bound drops the oldest entries first, keeping the newest run.
func TestJournalDropsOldestByBytes(t *testing.T) {
	s := newServer(t, mockserver.Options{JournalBytes: 100_000})
	for i := range 100 {
		bt.SendJSON(t, s, otc("POST", "/properties/123/contacts", fmt.Sprintf(`{"contact_id":%d,"notes":%q}`, i+1, strings.Repeat("b", 9000))))
	}
	got := s.Requests(mockserver.Filter{})
	if len(got) == 0 || len(got) >= 20 || got[len(got)-1].Seq != 100 {
		t.Fatalf("kept %d entries, last %+v", len(got), got[len(got)-1].Seq)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Seq != got[i-1].Seq+1 {
			t.Fatalf("not the newest run of entries: %d then %d", got[i-1].Seq, got[i].Seq)
		}
	}
}

// GET /__mock/requests pages from the newest back with limit and cursor,
// and refuses a limit or cursor it cannot use.
func TestJournalPaging(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	for range 7 {
		bt.SendJSON(t, s, otc("GET", "/properties/123/contacts", ""))
	}
	var seqs []float64
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		path := "/__mock/requests?limit=3"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		a := bt.SendJSON(t, s, bt.Req{Method: "GET", Target: path})
		var page []float64
		for _, e := range a.Object(t)["requests"].([]any) {
			page = append(page, e.(map[string]any)["seq"].(float64))
		}
		seqs = append(page, seqs...)
		next, _ := a.Object(t)["next"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	if fmt.Sprint(seqs) != "[1 2 3 4 5 6 7]" {
		t.Errorf("pages gave %v", seqs)
	}
	for _, bad := range []string{"limit=0", "limit=x", "cursor=x", "cursor=0"} {
		if a := bt.SendJSON(t, s, bt.Req{Method: "GET", Target: "/__mock/requests?" + bad}); a.Status != 400 || a.Message(t) == "" {
			t.Errorf("%s: %d %s", bad, a.Status, string(a.Body))
		}
	}
}
