package opentoclose

import (
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/spec"
)

// State is the Open To Close store's records, as scenarios and the state
// file give them.
type State struct {
	Properties []Property `json:"properties"`
}

// Property is a property and its contact links.
type Property struct {
	ID       int64  `json:"id"`
	Contacts []Link `json:"contacts,omitempty"`
}

// Link is a contact linked to a property. ID is assigned when zero.
type Link struct {
	ID        int64  `json:"id,omitempty"`
	ContactID int64  `json:"contact_id"`
	Role      string `json:"role,omitempty"`
	Primary   bool   `json:"primary,omitempty"`
	StartDate string `json:"start_date,omitempty"`
	Notes     string `json:"notes,omitempty"`
	// Created is when the link was made, as the API writes it
	// (CreatedLayout, UTC); empty for a seed link, whose time is fixed.
	Created string `json:"created,omitempty"`
}

// CreatedLayout is how the API writes a link's creation time (PHP's
// DateTime without its zone, which the API gives apart as UTC).
const CreatedLayout = "2006-01-02 15:04:05.000000"

// records reads one state node, remembering where each id was first seen
// so that duplicates name the line of the first.
type records struct {
	id, create *openapi3.Schema
	propLines  map[int64]int
	linkLines  map[int64]int
}

// decodeState is Open To Close's fixtures.RecordDecoder.
func decodeState(api *spec.API, n fixtures.Node) any {
	state := &State{}
	r := &records{id: n.Schema(api, "Id"), create: n.Schema(api, "PropertyContactCreate"),
		propLines: map[int64]int{}, linkLines: map[int64]int{}}
	props, ok := n.Fields("properties")["properties"]
	if !ok || r.id == nil || r.create == nil {
		return state
	}
	for _, item := range props.Items() {
		if prop, ok := r.property(item); ok {
			state.Properties = append(state.Properties, prop)
		}
	}
	return state
}

func (r *records) property(item fixtures.Node) (Property, bool) {
	pf := item.Fields("id", "contacts")
	idNode, ok := pf["id"]
	if !ok {
		item.FailAt("id", "id is required: the property's positive integer id")
		return Property{}, false
	}
	prop := Property{}
	if prop.ID, ok = r.readID(idNode); ok {
		if line, dup := r.propLines[prop.ID]; dup {
			idNode.Fail("property %d is listed twice (first at line %d); merge the two", prop.ID, line)
		}
		r.propLines[prop.ID] = idNode.Line()
	}
	contacts, given := pf["contacts"]
	if !given {
		return prop, true
	}
	contactLines, primaryLines := map[int64]int{}, map[string]int{}
	for _, le := range contacts.Items() {
		link, ok := r.link(le)
		if !ok {
			continue
		}
		if line, dup := r.linkLines[link.ID]; dup && link.ID != 0 {
			le.FailAt("id", "link id %d is used twice (first at line %d); ids must be unique across properties", link.ID, line)
		}
		r.linkLines[link.ID] = le.Line()
		if line, dup := contactLines[link.ContactID]; dup {
			le.FailAt("contact_id", "contact %d is linked to this property twice (first at line %d); the API answers 409 to a second link", link.ContactID, line)
		}
		contactLines[link.ContactID] = le.Line()
		onePrimary(primaryLines, link, le)
		prop.Contacts = append(prop.Contacts, link)
	}
	return prop, true
}

// readID reads an integer id checked against the spec's Id schema.
func (r *records) readID(n fixtures.Node) (int64, bool) {
	v, ok := n.JSON()
	if !ok || !n.Check(r.id, v, "schema Id") {
		return 0, false
	}
	var id int64
	if err := n.Decode(&id); err != nil {
		n.Fail("must be a 64-bit integer: %v", err)
		return 0, false
	}
	return id, true
}

// link reads a link: its own optional id, and the fields a client sends
// to create it, checked as the create request would be.
func (r *records) link(n fixtures.Node) (Link, bool) {
	var link Link
	f := n.Fields("id", "contact_id", "role", "primary", "start_date", "notes", "created")
	ok := true
	if ie, given := f["id"]; given {
		link.ID, ok = r.readID(ie)
	}
	if ce, given := f["created"]; given {
		link.Created = readCreated(ce)
		ok = ok && link.Created != ""
	}
	body := map[string]any{}
	for key, fe := range f {
		if key != "id" && key != "created" {
			v, good := fe.JSON()
			body[key], ok = v, ok && good
		}
	}
	if !n.Check(r.create, body, "schema PropertyContactCreate", openapi3.VisitAsRequest()) || !ok {
		return link, false
	}
	// The schema check has fixed every field's JSON type; the id is read
	// from the text because float64 would round ids past 2^53.
	if err := f["contact_id"].Decode(&link.ContactID); err != nil {
		f["contact_id"].Fail("must be a 64-bit integer: %v", err)
		return link, false
	}
	link.Role, _ = body["role"].(string)
	link.Primary, _ = body["primary"].(bool)
	link.StartDate, _ = body["start_date"].(string)
	link.Notes, _ = body["notes"].(string)
	return link, true
}

// readCreated reads a link's creation time, "" when it is not one.
func readCreated(n fixtures.Node) string {
	var text string
	if err := n.Decode(&text); err == nil {
		if _, err := time.Parse(CreatedLayout, text); err == nil {
			return text
		}
	}
	n.Fail("created must be a time written %q (UTC), as the API answers it", CreatedLayout)
	return ""
}

// onePrimary refuses a second primary link for one role on a property:
// the API demotes the others when a link becomes primary, so it never
// holds two.
func onePrimary(lines map[string]int, link Link, n fixtures.Node) {
	if !link.Primary {
		return
	}
	role := link.Role
	if line, dup := lines[role]; dup {
		n.FailAt("primary", "a second primary link for role %q on this property (the first at line %d); the API keeps one primary per role", role, line)
		return
	}
	lines[role] = n.Line()
}
