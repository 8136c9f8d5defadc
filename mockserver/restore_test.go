package mockserver_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// restart saves s's records as the state file does and loads them into a
// new Server on the same scenario, as `serve --state-file` does at start.
func restart(t *testing.T, s *mockserver.Server) *mockserver.Server {
	t.Helper()
	data, err := json.MarshalIndent(s.State(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	fresh := newServer(t, mockserver.Options{Scenario: s.Scenario()})
	var raw map[string]json.RawMessage
	_ = json.Unmarshal(data, &raw)
	if err := fresh.RestoreState(raw); err != nil {
		t.Fatalf("restore:\n%v\nfile:\n%s", err, data)
	}
	return fresh
}

// sameState compares two servers' records field by field.
func sameState(t *testing.T, want, got *mockserver.Server) {
	t.Helper()
	w, g := want.State(), got.State()
	for api := range w {
		if !reflect.DeepEqual(w[api], g[api]) {
			wj, _ := json.MarshalIndent(w[api], "", " ")
			gj, _ := json.MarshalIndent(g[api], "", " ")
			t.Fatalf("%s after restart differs:\nsaved:    %s\nrestored: %s", api, wj, gj)
		}
	}
}

// TestRestoreIsExactlyWhatWasSaved is the repro: fields a saved
// record leaves at their zero value, and records deleted before the save,
// must not come back from the scenario.
func TestRestoreIsExactlyWhatWasSaved(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	steps := []bt.Req{
		otc("PUT", "/properties/123/contacts/456", `{"primary":false}`),
		spark("DELETE", notesPath, "spark-vow-token", ""),
	}
	for _, c := range steps {
		if a := bt.SendJSON(t, s, c); a.Status >= 300 {
			t.Fatalf("%s %s: %d %s", c.Method, c.Target, a.Status, string(a.Body))
		}
	}
	fresh := restart(t, s)
	sameState(t, s, fresh)
	if a := bt.SendJSON(t, fresh, otc("GET", "/properties/123/contacts/456", "")); a.Object(t)["primary"] != false {
		t.Errorf("link 456 is primary again after the restart: %s", string(a.Body))
	}
	if a := bt.SendJSON(t, fresh, spark("GET", notesPath, "spark-vow-token", "")); len(a.SparkResults(t)) != 0 {
		t.Errorf("the deleted note is back: %s", string(a.Body))
	}

	// A new link in the place of a deleted one takes none of its fields.
	s = newServer(t, mockserver.Options{})
	bt.SendJSON(t, s, otc("DELETE", "/properties/123/contacts/456", ""))
	bt.SendJSON(t, s, otc("POST", "/properties/123/contacts", `{"contact_id":101}`))
	fresh = restart(t, s)
	sameState(t, s, fresh)
	a := bt.SendJSON(t, fresh, otc("GET", "/properties/123/contacts/101", ""))
	if a.Object(t)["primary"] != false || a.Object(t)["notes"] != nil || a.Object(t)["start_date"] != nil {
		t.Errorf("link 101 took the seed's fields: %s", string(a.Body))
	}
}

// TestRestoreKeepsCreated: a link's created time is the one it was made
// with, after a restart too (it was the seed's fixed time before).
func TestRestoreKeepsCreated(t *testing.T) {
	s := newServer(t, mockserver.Options{})
	made := bt.SendJSON(t, s, otc("POST", "/properties/123/contacts", `{"contact_id":101}`))
	if made.Status != 201 {
		t.Fatalf("create: %d %s", made.Status, string(made.Body))
	}
	fresh := restart(t, s)
	sameState(t, s, fresh)
	for _, server := range []*mockserver.Server{s, fresh} {
		a := bt.SendJSON(t, server, otc("GET", "/properties/123/contacts/101", ""))
		if !reflect.DeepEqual(a.Object(t)["created"], made.Object(t)["created"]) {
			t.Errorf("created is %v, the link was made %v", a.Object(t)["created"], made.Object(t)["created"])
		}
	}
	// A seed link saves no time of its own: the scenario's records round-trip as written.
	if strings.Contains(fmt.Sprint(s.State()["opentoclose"]), "2024-01-15 09:30") {
		t.Errorf("a seed link's fixed time was saved: %v", s.State()["opentoclose"])
	}
}

// TestRestoreProperty: random operations on both APIs, save, restart, and
// the records equal the saved ones field by field.
func TestRestoreProperty(t *testing.T) {
	for seed := range uint64(60) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 9))
			s := newServer(t, mockserver.Options{})
			for range 40 {
				bt.SendJSON(t, s, randomWrite(rng))
			}
			sameState(t, s, restart(t, s))
		})
	}
}

// randomWrite is one write on either API, valid or not, drawn so that
// zero values (false, "", no records) are common.
func randomWrite(rng *rand.Rand) bt.Req {
	property := []string{"123", "124"}[rng.IntN(2)]
	contact := rng.IntN(6) + 454 // around the seed's 456
	contacts := []string{vowContact, otherContact}
	tokens := []string{"spark-vow-token", "spark-portal-token", "spark-private-token"}
	note := []string{"", "x", "a longer note with ünïcode"}[rng.IntN(3)]
	switch rng.IntN(7) {
	case 0, 1:
		return otc("POST", "/properties/"+property+"/contacts", linkBody(rng, fmt.Sprintf(`"contact_id":%d`, contact)))
	case 2:
		body := linkBody(rng, "")
		if body == "{}" {
			body = `{"primary":false}`
		}
		return otc("PUT", fmt.Sprintf("/properties/%s/contacts/%d", property, contact), body)
	case 3:
		return otc("DELETE", fmt.Sprintf("/properties/%s/contacts/%d", property, contact), "")
	case 4:
		return spark("PUT", notesPath, tokens[rng.IntN(2)], fmt.Sprintf(`{"D":{"Note":%q}}`, note))
	case 5:
		return spark("PUT", notesPath+"/contacts/"+contacts[rng.IntN(2)], "spark-private-token", fmt.Sprintf(`{"D":{"Note":%q}}`, note))
	default:
		if rng.IntN(2) == 0 {
			return spark("DELETE", notesPath, tokens[rng.IntN(2)], "")
		}
		return spark("DELETE", notesPath+"/contacts/"+contacts[rng.IntN(2)], "spark-private-token", "")
	}
}

func linkBody(rng *rand.Rand, first string) string {
	fields := []string{}
	if first != "" {
		fields = append(fields, first)
	}
	options := []string{
		`"role":"Buyer"`, `"role":"Seller"`, `"primary":true`, `"primary":false`,
		`"start_date":"2024-02-29"`, `"notes":""`, `"notes":"call after 5"`,
	}
	for _, o := range options {
		if rng.IntN(3) == 0 && !strings.Contains(strings.Join(fields, ","), o[:strings.Index(o, ":")]) {
			fields = append(fields, o)
		}
	}
	return "{" + strings.Join(fields, ",") + "}"
}

// TestRestoreRefuses: a state file is checked as a scenario is, and each
// problem names its line and the record's place in the file.
func TestRestoreRefuses(t *testing.T) {
	tests := []struct {
		name, file string
		want       []string
	}{
		{"duplicate property", `{"opentoclose": {"properties": [
  {"id": 123},
  {"id": 123}]}}`, []string{"state.json:3: /opentoclose/properties/1/id: property 123 is listed twice (first at line 2)"}},
		{"duplicate link ids", `{"opentoclose": {"properties": [
  {"id": 123, "contacts": [{"id": 9, "contact_id": 1}]},
  {"id": 124, "contacts": [{"id": 9, "contact_id": 2}]}]}}`, []string{"state.json:3: /opentoclose/properties/1/contacts/0/id: link id 9 is used twice"}},
		{"two primaries for one role", `{"opentoclose": {"properties": [{"id": 123, "contacts": [
  {"id": 1, "contact_id": 1, "role": "Buyer", "primary": true},
  {"id": 2, "contact_id": 2, "role": "Buyer", "primary": true}]}]}}`, []string{"state.json:3: /opentoclose/properties/0/contacts/1/primary: a second primary link for role \"Buyer\""}},
		{"negative ids", `{"opentoclose": {"properties": [{"id": -5, "contacts": [
  {"id": -1, "contact_id": -2}]}]}}`, []string{
			"state.json:1: /opentoclose/properties/0/id: number must be at least 1",
			"state.json:2: /opentoclose/properties/0/contacts/0/id: number must be at least 1",
			"state.json:2: /opentoclose/properties/0/contacts/0/contact_id: number must be at least 1",
		}},
		{"two notes by one contact", `{"spark": {"listings": [{"id": "20100815153524571646000000", "notes": [
  {"contact": "20100912536192756362000000", "note": "a"},
  {"contact": "20100912536192756362000000", "note": "b"}]}]}}`, []string{"state.json:3: /spark/listings/0/notes/1/contact: contact 20100912536192756362000000 already has a note"}},
		{"bad spark id", `{"spark": {"listings": [{"id": "123"}]}}`, []string{"state.json:1: /spark/listings/0/id:"}},
		{"unknown field", `{"spark": {"listings": [], "extra": 1}}`, []string{`state.json:1: /spark/extra: unknown key "extra"`}},
		{"repeated key", `{"spark": {"listings": [], "listings": []}}`, []string{`state.json:1: /spark/listings: key "listings" is repeated`}},
		{"unknown API", `{"zillow": {}}`, []string{`state.json:1: /zillow: no API "zillow" is served`}},
		{"not an object", `[1]`, []string{"want a JSON object keyed by API name"}},
		{"not JSON", `{"spark": `, []string{"not valid JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, mockserver.Options{})
			before, _ := json.Marshal(s.State())
			err := s.RestoreStateFile("state.json", []byte(tt.file))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
			var fe *fixtures.Error
			if len(tt.want) > 0 && strings.HasPrefix(tt.want[0], "state.json:") && !errors.As(err, &fe) {
				t.Errorf("no *fixtures.Error in %v", err)
			}
			if after, _ := json.Marshal(s.State()); string(after) != string(before) {
				t.Errorf("a refused file changed the records:\n%s\n%s", before, after)
			}
		})
	}
}

// FuzzRestoreState feeds arbitrary state files to the loader: it must
// never panic, and a file it accepts must come back unchanged through a
// save and a second restore.
func FuzzRestoreState(f *testing.F) {
	seeds := []string{
		`{"opentoclose":{"properties":[{"id":123,"contacts":[{"id":7,"contact_id":456,"role":"Buyer","primary":true}]}]}}`,
		`{"spark":{"contacts":["20100912153422758914000000"],"listings":[{"id":"20100815153524571646000000","notes":[{"contact":"20100912536192756362000000","note":"x"}]}]}}`,
		`{"opentoclose":{"properties":[{"id":-1}]}}`, `{"spark":{"listings":5}}`, `[]`, `{`, "",
		`{"opentoclose":{"properties":[{"id":1,"contacts":[{"contact_id":1e3}]}]}}`,
		`{"opentoclose": &a {"properties": []}, "spark": *a}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := newServer(t, mockserver.Options{Scenario: "empty"})
		if err := s.RestoreStateFile("fuzz.json", data); err != nil {
			return
		}
		sameState(t, s, restart(t, s))
	})
}
