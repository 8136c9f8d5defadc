package spark_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// call is a Spark request with body sent only when there is one.
func call(method, path, token, body string) bt.Req {
	r := bt.Spark(token, method, path)
	if body != "" {
		r = r.With(body)
	}
	return r
}

// Every Spark call of the seed: GET, PUT and DELETE on the three paths
// with the session each serves, every 405, and every role of the table.
func TestSeedSpark(t *testing.T) {
	s := bt.New(t, mockserver.Options{})
	notes, contacts := bt.NotesPath, bt.ContactNotesPath
	one := contacts + "/" + bt.VOWContact
	newNote := "Great home, wondering if seller is willing to include hot tub and washer/dryer."
	put := `{"D": {"Note": "` + newNote + `"}}`
	uri := "/v1/listings/" + bt.Listing + "/shared/notes/contacts/" + bt.VOWContact

	steps := []struct {
		name    string
		call    bt.Req
		status  int
		code    int
		results []string // expected Results[].Note
	}{
		{"VOW GET its note (the seed's GET example)", call("GET", notes, bt.VOWToken, ""), 200, -1, []string{bt.SeedNote}},
		{"Portal GET: no note yet", call("GET", notes, bt.PortalToken, ""), 200, -1, []string{}},
		{"VOW PUT replaces (the seed's PUT body)", call("PUT", notes, bt.VOWToken, put), 200, -1, []string{newNote}},
		{"VOW GET sees the replacement", call("GET", notes, bt.VOWToken, ""), 200, -1, []string{newNote}},
		{"Portal PUT creates its own", call("PUT", notes, bt.PortalToken, `{"D":{"Note":"Portal note"}}`), 200, -1, []string{"Portal note"}},
		{"Private GET all contacts' notes, by contact id", call("GET", contacts, bt.PrivateToken, ""), 200, -1, []string{"Portal note", newNote}},
		{"Private GET one contact", call("GET", one, bt.PrivateToken, ""), 200, -1, []string{newNote}},
		{"Private PUT one contact", call("PUT", one, bt.PrivateToken, `{"D":{"Note":"Agent's edit"}}`), 200, -1, []string{"Agent's edit"}},
		{"Private DELETE one contact", call("DELETE", one, bt.PrivateToken, ""), 200, -1, nil},
		{"Private GET one contact after DELETE", call("GET", one, bt.PrivateToken, ""), 200, -1, []string{}},
		{"Private DELETE again: nothing to delete", call("DELETE", one, bt.PrivateToken, ""), 404, 404, nil},
		{"Portal DELETE its note", call("DELETE", notes, bt.PortalToken, ""), 200, -1, nil},
		{"Portal GET after DELETE", call("GET", notes, bt.PortalToken, ""), 200, -1, []string{}},
		{"POST /shared/notes is 405", call("POST", notes, bt.VOWToken, put), 405, 405, nil},
		{"POST /contacts is 405", call("POST", contacts, bt.PrivateToken, put), 405, 405, nil},
		{"PUT /contacts is 405", call("PUT", contacts, bt.PrivateToken, put), 405, 405, nil},
		{"DELETE /contacts is 405", call("DELETE", contacts, bt.PrivateToken, ""), 405, 405, nil},
		{"POST /contacts/{id} is 405", call("POST", one, bt.PrivateToken, put), 405, 405, nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			r := bt.Send(t, s, st.call)
			if r.Status != st.status || r.SparkCode(t) != st.code {
				t.Fatalf("%d code %d, want %d code %d: %s", r.Status, r.SparkCode(t), st.status, st.code, r.Body)
			}
			if st.status == 200 && r.SparkD(t)["Success"] != true {
				t.Errorf("success without D.Success: %s", r.Body)
			}
			if st.results == nil {
				return
			}
			var got []string
			for _, res := range r.SparkResults(t) {
				item := res.(map[string]any)
				got = append(got, item["Note"].(string))
				if u, _ := item["ResourceUri"].(string); !strings.HasPrefix(u, "/v1/listings/"+bt.Listing+"/shared/notes/contacts/") {
					t.Errorf("ResourceUri %q", u)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(st.results) {
				t.Errorf("notes %q, want %q", got, st.results)
			}
		})
	}
	if r := bt.Send(t, s, call("PUT", notes, bt.VOWToken, put)); r.SparkResults(t)[0].(map[string]any)["ResourceUri"] != uri {
		t.Errorf("PUT ResourceUri = %v, want %s (the Ruby client's Note#save! reads it)", r.SparkResults(t), uri)
	}
	testSeedRoles(t, s, one, put)

	for _, e := range s.Requests(mockserver.Filter{}) {
		for _, msg := range e.Errors {
			if strings.HasPrefix(msg, "response:") {
				t.Errorf("%s %s broke the spec: %s", e.Method, e.Path, msg)
			}
		}
	}
	if n := len(s.Requests(mockserver.Filter{API: "spark"})); n == 0 || n != len(s.Requests(mockserver.Filter{})) {
		t.Errorf("journal holds %d spark entries of %d", n, len(s.Requests(mockserver.Filter{})))
	}
}

// testSeedRoles checks the seed's role table: every role reads, only VOW,
// Portal and Private write; each path serves only its session type.
func testSeedRoles(t *testing.T, s *mockserver.Server, one, put string) {
	t.Helper()
	roles := []struct {
		token                     string
		readNotes, readContacts   int
		writeNotes, writeContacts int
	}{
		{bt.IDXToken, 403, 403, 405, 405},
		{bt.PublicToken, 403, 403, 405, 405},
		{bt.VOWToken, 200, 403, 200, 403},
		{bt.PortalToken, 200, 403, 200, 403},
		{bt.PrivateToken, 403, 200, 403, 200},
	}
	for _, r := range roles {
		t.Run("role "+r.token, func(t *testing.T) {
			for _, c := range []struct {
				call bt.Req
				want int
			}{
				{call("GET", bt.NotesPath, r.token, ""), r.readNotes},
				{call("GET", one, r.token, ""), r.readContacts},
				{call("PUT", bt.NotesPath, r.token, put), r.writeNotes},
				{call("PUT", one, r.token, put), r.writeContacts},
			} {
				if a := bt.Send(t, s, c.call); a.Status != c.want {
					t.Errorf("%s %s: %d, want %d: %s", c.call.Method, c.call.Target, a.Status, c.want, a.Body)
				}
			}
		})
	}
}
