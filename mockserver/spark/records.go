package spark

import (
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/spec"
)

// State is the Spark store's records, as scenarios and the state file
// give them.
type State struct {
	// Contacts are the contacts that exist; contacts named by notes and by
	// principals exist too.
	Contacts []string  `json:"contacts,omitempty"`
	Listings []Listing `json:"listings"`
}

// Listing is a listing and the shared notes on it.
type Listing struct {
	ID    string `json:"id"`
	Notes []Note `json:"notes,omitempty"`
}

// Note is one contact's shared note on a listing.
type Note struct {
	Contact string `json:"contact"`
	Note    string `json:"note"`
}

// schemas are the spec's schemas the records are checked with.
type schemas struct {
	id, note *openapi3.Schema
}

// decodeState is Spark's fixtures.RecordDecoder.
func decodeState(api *spec.API, n fixtures.Node) any {
	state := &State{}
	sc := schemas{id: n.Schema(api, "SparkId"), note: noteSchema(api, n)}
	f := n.Fields("contacts", "listings")
	if sc.id == nil || sc.note == nil {
		return state
	}
	if contacts, ok := f["contacts"]; ok {
		state.Contacts = sc.contacts(contacts)
	}
	if listings, ok := f["listings"]; ok {
		state.Listings = sc.listings(listings)
	}
	return state
}

func (sc schemas) contacts(n fixtures.Node) []string {
	var out []string
	seen := map[string]int{}
	for _, item := range n.Items() {
		c, ok := sc.sparkID(item)
		if !ok {
			continue
		}
		if line, dup := seen[c]; dup {
			item.Fail("contact %s is listed twice (first at line %d)", c, line)
			continue
		}
		seen[c] = item.Line()
		out = append(out, c)
	}
	return out
}

func (sc schemas) listings(n fixtures.Node) []Listing {
	var out []Listing
	lines := map[string]int{}
	for _, item := range n.Items() {
		lf := item.Fields("id", "notes")
		idNode, ok := lf["id"]
		if !ok {
			item.FailAt("id", "id is required: the listing's 26-digit id")
			continue
		}
		listing := Listing{}
		if listing.ID, ok = sc.sparkID(idNode); ok {
			if line, dup := lines[listing.ID]; dup {
				idNode.Fail("listing %s is listed twice (first at line %d); merge the two", listing.ID, line)
			}
			lines[listing.ID] = idNode.Line()
		}
		if notes, given := lf["notes"]; given {
			listing.Notes = sc.notes(notes)
		}
		out = append(out, listing)
	}
	return out
}

func (sc schemas) notes(n fixtures.Node) []Note {
	var out []Note
	authors := map[string]int{}
	for _, item := range n.Items() {
		note, ok := sc.readNote(item)
		if !ok {
			continue
		}
		if line, dup := authors[note.Contact]; dup {
			item.FailAt("contact", "contact %s already has a note on this listing (line %d); a contact holds one shared note per listing", note.Contact, line)
			continue
		}
		authors[note.Contact] = item.Line()
		out = append(out, note)
	}
	return out
}

// noteSchema is the schema of the note text a client writes: D.Note of
// NoteWrite.
func noteSchema(api *spec.API, at fixtures.Node) *openapi3.Schema {
	write := at.Schema(api, "NoteWrite")
	if write == nil {
		return nil
	}
	if wrapper := write.Properties["D"]; wrapper != nil && wrapper.Value != nil {
		if note := wrapper.Value.Properties["Note"]; note != nil && note.Value != nil {
			return note.Value
		}
	}
	at.Fail("spec %s has no D.Note in components.schemas.NoteWrite to check notes against", api.Name)
	return nil
}

func (sc schemas) sparkID(n fixtures.Node) (string, bool) {
	s, ok := n.Text()
	return s, ok && n.Check(sc.id, s, "schema SparkId")
}

func (sc schemas) readNote(n fixtures.Node) (Note, bool) {
	var out Note
	f := n.Fields("contact", "note")
	ok := true
	for _, key := range []string{"contact", "note"} {
		if _, given := f[key]; !given {
			n.FailAt(key, "%s is required", key)
			ok = false
		}
	}
	if !ok {
		return out, false
	}
	var contactOK, noteOK bool
	out.Contact, contactOK = sc.sparkID(f["contact"])
	if out.Note, noteOK = f["note"].Text(); noteOK {
		noteOK = f["note"].Check(sc.note, out.Note, "D.Note of schema NoteWrite")
	}
	return out, contactOK && noteOK
}
