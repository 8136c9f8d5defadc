package mockserver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// Every call the Open To Close seed shows, in its order, with the answer
// the spec documents. The server is strict, so a response that broke the
// spec would come back as a 500 and fail the row.
func TestSeedOpenToClose(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	check := func(t *testing.T, c call, status int) answer {
		t.Helper()
		a := do(t, s, c)
		if a.status != status {
			t.Fatalf("%s %s: %d, want %d: %s", c.method, c.path, a.status, status, a.raw)
		}
		return a
	}
	link := func(a answer) map[string]any { m, _ := a.json.(map[string]any); return m }

	t.Run("list_property_contacts(property_id=123)", func(t *testing.T) {
		list, _ := check(t, otc("GET", "/properties/123/contacts", ""), 200).json.([]any)
		if len(list) != 1 || list[0].(map[string]any)["contact_id"] != 456.0 {
			t.Fatalf("list = %v", list)
		}
	})
	t.Run(`list with params={"role": "Buyer"}`, func(t *testing.T) {
		list, _ := check(t, otc("GET", "/properties/123/contacts?role=Buyer", ""), 200).json.([]any)
		none, _ := check(t, otc("GET", "/properties/123/contacts?role=Seller", ""), 200).json.([]any)
		if len(list) != 1 || len(none) != 0 {
			t.Fatalf("Buyer filter %d links, Seller filter %d", len(list), len(none))
		}
	})
	t.Run("create_property_contact on a fresh property", func(t *testing.T) {
		a := check(t, otc("POST", "/properties/124/contacts", `{"contact_id": 456, "role": "Buyer", "primary": true, "notes": "Primary decision maker"}`), 201)
		got := link(a)
		for k, want := range map[string]any{"contact_id": 456.0, "role": "Buyer", "primary": true, "notes": "Primary decision maker"} {
			if got[k] != want {
				t.Errorf("%s = %v, want %v", k, got[k], want)
			}
		}
		if got["id"] == nil || got["created"] == nil || link(answer{json: got["property"]})["id"] != 124.0 {
			t.Errorf("live fields missing: %v", got)
		}
	})
	t.Run("retrieve_property_contact(123, 456)", func(t *testing.T) {
		got := link(check(t, otc("GET", "/properties/123/contacts/456", ""), 200))
		if got["role"] != "Buyer" || got["start_date"] != "2024-01-15" {
			t.Fatalf("link = %v", got)
		}
		byLinkID := link(check(t, otc("GET", fmt.Sprintf("/properties/123/contacts/%d", int(got["id"].(float64))), ""), 200))
		if byLinkID["contact_id"] != 456.0 {
			t.Errorf("the SDK's link id does not reach the same link: %v", byLinkID)
		}
	})
	t.Run(`update_property_contact role Seller, primary False`, func(t *testing.T) {
		got := link(check(t, otc("PUT", "/properties/123/contacts/456", `{"role": "Seller", "primary": false}`), 200))
		if got["role"] != "Seller" || got["primary"] != false || got["notes"] != "Primary decision maker" || got["start_date"] != "2024-01-15" {
			t.Fatalf("fields not sent must keep their values: %v", got)
		}
	})
	t.Run("delete_property_contact(123, 456)", func(t *testing.T) {
		a := check(t, otc("DELETE", "/properties/123/contacts/456", ""), 204)
		if a.raw != "" {
			t.Errorf("204 with a body: %q", a.raw)
		}
		check(t, otc("GET", "/properties/123/contacts/456", ""), 404)
		check(t, otc("DELETE", "/properties/123/contacts/456", ""), 404)
	})
	t.Run("Complete Transaction Setup", func(t *testing.T) {
		create := func(contact int, role string, primary bool) {
			check(t, otc("POST", "/properties/123/contacts", fmt.Sprintf(`{"contact_id": %d, "role": %q, "primary": %v}`, contact, role, primary)), 201)
		}
		for i, id := range []int{201} {
			create(id, "Seller", i == 0)
		}
		for i, id := range []int{101, 102} {
			create(id, "Buyer", i == 0)
		}
		create(301, "Listing Agent", true)
		create(302, "Buyer Agent", true)
		list, _ := check(t, otc("GET", "/properties/123/contacts", ""), 200).json.([]any)
		if len(list) != 5 {
			t.Fatalf("%d links, want 5", len(list))
		}
		primaries := map[string][]float64{}
		for _, item := range list {
			l := item.(map[string]any)
			if l["primary"] == true {
				primaries[l["role"].(string)] = append(primaries[l["role"].(string)], l["contact_id"].(float64))
			}
		}
		want := map[string][]float64{"Seller": {201}, "Buyer": {101}, "Listing Agent": {301}, "Buyer Agent": {302}}
		if fmt.Sprint(primaries) != fmt.Sprint(want) {
			t.Errorf("primaries %v, want %v", primaries, want)
		}
		page, _ := check(t, otc("GET", "/properties/123/contacts?limit=2&offset=1", ""), 200).json.([]any)
		if len(page) != 2 || page[0].(map[string]any)["contact_id"] != 101.0 {
			t.Errorf("limit=2&offset=1 gave %v", page)
		}
	})
}

// Every Spark call of the seed: GET, PUT and DELETE on the three paths
// with the session each serves, every 405, and every role of the table.
func TestSeedSpark(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	contacts := notesPath + "/contacts"
	one := contacts + "/" + vowContact
	seedNote := "Great home, wondering if seller is willing to include hot tub."
	newNote := "Great home, wondering if seller is willing to include hot tub and washer/dryer."
	put := `{"D": {"Note": "` + newNote + `"}}`
	uri := "/v1/listings/" + listing + "/shared/notes/contacts/" + vowContact

	steps := []struct {
		name    string
		call    call
		status  int
		code    int
		results []string // expected Results[].Note
	}{
		{"VOW GET its note (the seed's GET example)", spark("GET", notesPath, "spark-vow-token", ""), 200, -1, []string{seedNote}},
		{"Portal GET: no note yet", spark("GET", notesPath, "spark-portal-token", ""), 200, -1, []string{}},
		{"VOW PUT replaces (the seed's PUT body)", spark("PUT", notesPath, "spark-vow-token", put), 200, -1, []string{newNote}},
		{"VOW GET sees the replacement", spark("GET", notesPath, "spark-vow-token", ""), 200, -1, []string{newNote}},
		{"Portal PUT creates its own", spark("PUT", notesPath, "spark-portal-token", `{"D":{"Note":"Portal note"}}`), 200, -1, []string{"Portal note"}},
		{"Private GET all contacts' notes, by contact id", spark("GET", contacts, "spark-private-token", ""), 200, -1, []string{"Portal note", newNote}},
		{"Private GET one contact", spark("GET", one, "spark-private-token", ""), 200, -1, []string{newNote}},
		{"Private PUT one contact", spark("PUT", one, "spark-private-token", `{"D":{"Note":"Agent's edit"}}`), 200, -1, []string{"Agent's edit"}},
		{"Private DELETE one contact", spark("DELETE", one, "spark-private-token", ""), 200, -1, nil},
		{"Private GET one contact after DELETE", spark("GET", one, "spark-private-token", ""), 200, -1, []string{}},
		{"Private DELETE again: nothing to delete", spark("DELETE", one, "spark-private-token", ""), 404, 404, nil},
		{"Portal DELETE its note", spark("DELETE", notesPath, "spark-portal-token", ""), 200, -1, nil},
		{"Portal GET after DELETE", spark("GET", notesPath, "spark-portal-token", ""), 200, -1, []string{}},
		{"POST /shared/notes is 405", spark("POST", notesPath, "spark-vow-token", put), 405, 405, nil},
		{"POST /contacts is 405", spark("POST", contacts, "spark-private-token", put), 405, 405, nil},
		{"PUT /contacts is 405", spark("PUT", contacts, "spark-private-token", put), 405, 405, nil},
		{"DELETE /contacts is 405", spark("DELETE", contacts, "spark-private-token", ""), 405, 405, nil},
		{"POST /contacts/{id} is 405", spark("POST", one, "spark-private-token", put), 405, 405, nil},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			a := do(t, s, st.call)
			if a.status != st.status || a.sparkCode() != st.code {
				t.Fatalf("%d code %d, want %d code %d: %s", a.status, a.sparkCode(), st.status, st.code, a.raw)
			}
			if st.status == 200 && a.envelope()["Success"] != true {
				t.Errorf("success without D.Success: %s", a.raw)
			}
			if st.results == nil {
				return
			}
			var notes []string
			for _, r := range a.sparkResults() {
				item := r.(map[string]any)
				notes = append(notes, item["Note"].(string))
				if u, _ := item["ResourceUri"].(string); !strings.HasPrefix(u, "/v1/listings/"+listing+"/shared/notes/contacts/") {
					t.Errorf("ResourceUri %q", u)
				}
			}
			if fmt.Sprint(notes) != fmt.Sprint(st.results) {
				t.Errorf("notes %q, want %q", notes, st.results)
			}
		})
	}
	if a := do(t, s, spark("PUT", notesPath, "spark-vow-token", put)); a.sparkResults()[0].(map[string]any)["ResourceUri"] != uri {
		t.Errorf("PUT ResourceUri = %v, want %s (the Ruby client's Note#save! reads it)", a.sparkResults(), uri)
	}

	// The seed's role table: every role reads, only VOW, Portal and
	// Private write; each path serves only its session type.
	roles := []struct {
		token                     string
		readNotes, readContacts   int
		writeNotes, writeContacts int
	}{
		{"spark-idx-token", 403, 403, 405, 405},
		{"spark-public-token", 403, 403, 405, 405},
		{"spark-vow-token", 200, 403, 200, 403},
		{"spark-portal-token", 200, 403, 200, 403},
		{"spark-private-token", 403, 200, 403, 200},
	}
	for _, r := range roles {
		t.Run("role "+r.token, func(t *testing.T) {
			for _, c := range []struct {
				call call
				want int
			}{
				{spark("GET", notesPath, r.token, ""), r.readNotes},
				{spark("GET", one, r.token, ""), r.readContacts},
				{spark("PUT", notesPath, r.token, put), r.writeNotes},
				{spark("PUT", one, r.token, put), r.writeContacts},
			} {
				if a := do(t, s, c.call); a.status != c.want {
					t.Errorf("%s %s: %d, want %d: %s", c.call.method, c.call.path, a.status, c.want, a.raw)
				}
			}
		})
	}

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
