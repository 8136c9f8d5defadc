package spark

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// learner infers the listings, contacts and notes that existed
// before the recorded traffic: a note first seen in an answer existed
// then, unless the traffic itself wrote or deleted it first.
type learner struct {
	contacts map[string]bool
	listings map[string]map[string]string // listing -> contact -> note
	order    []string
	touched  map[[2]string]bool // (listing, contact) written or deleted by the traffic
}

func newLearner() *learner {
	return &learner{contacts: map[string]bool{}, listings: map[string]map[string]string{}, touched: map[[2]string]bool{}}
}

// sparkDeleted is the text of a note the traffic deleted before anyone
// read it: it existed, but its words were never seen.
const sparkDeleted = "(deleted by the recorded traffic before it was read)"

func (l *learner) Learn(x *mockserver.Exchange) bool {
	listing := x.PathParams["ListingId"]
	pathContact := x.PathParams["ContactId"]
	if x.Status == http.StatusNotFound {
		return l.explainsNotFound(listing, pathContact)
	}
	if x.Status != http.StatusOK || listing == "" {
		return false
	}
	l.listing(listing)
	if pathContact != "" {
		l.contacts[pathContact] = true
	}
	var body sparkNotes
	_ = json.Unmarshal(x.Body, &body)
	switch x.Method {
	case http.MethodGet:
		for _, r := range body.D.Results {
			contact := r.ContactId
			if contact == "" {
				contact = pathContact
			}
			l.saw(listing, contact, r.Note)
		}
		return true
	case http.MethodPut:
		return l.learnPut(listing, pathContact, body)
	case http.MethodDelete:
		if pathContact == "" {
			// The session's contact is not in the answer: unless the
			// note is known, a rule answers this call.
			return false
		}
		l.saw(listing, pathContact, sparkDeleted)
		l.touched[[2]string{listing, pathContact}] = true
		return true
	}
	return false
}

// sparkNotes is the part of a notes answer the records keep.
type sparkNotes struct {
	D struct {
		Results []struct{ ResourceUri, ContactId, Note string }
	}
}

// explainsNotFound says whether the records explain a 404: a missing
// listing, contact or note is left out of them.
func (l *learner) explainsNotFound(listing, pathContact string) bool {
	if listing == "" {
		return false
	}
	notes, known := l.listings[listing]
	if !known {
		return true
	}
	_, hasNote := notes[pathContact]
	return pathContact != "" && !hasNote
}

// learnPut notes that the contact's note on the listing was written; the
// session's contact comes from the answer's ResourceUri.
func (l *learner) learnPut(listing, pathContact string, body sparkNotes) bool {
	contact := pathContact
	if contact == "" && len(body.D.Results) > 0 {
		contact = lastSegment(body.D.Results[0].ResourceUri)
	}
	if contact == "" {
		return false
	}
	l.contacts[contact] = true
	l.touched[[2]string{listing, contact}] = true
	return true
}

func (l *learner) listing(id string) {
	if l.listings[id] == nil {
		l.listings[id] = map[string]string{}
		l.order = append(l.order, id)
	}
}

// saw notes a note that exists now; it existed before the traffic unless
// the traffic wrote it.
func (l *learner) saw(listing, contact, note string) {
	if contact == "" || l.touched[[2]string{listing, contact}] {
		return
	}
	l.contacts[contact] = true
	if _, known := l.listings[listing][contact]; !known {
		l.listings[listing][contact] = note
	}
}

func (l *learner) State() any {
	st := &State{Listings: []Listing{}}
	for c := range l.contacts {
		st.Contacts = append(st.Contacts, c)
	}
	slices.Sort(st.Contacts)
	for _, id := range l.order {
		listing := Listing{ID: id}
		for _, c := range sortedKeys(l.listings[id]) {
			listing.Notes = append(listing.Notes, Note{Contact: c, Note: l.listings[id][c]})
		}
		st.Listings = append(st.Listings, listing)
	}
	return st
}

func lastSegment(uri string) string {
	i := strings.LastIndex(uri, "/contacts/")
	if i < 0 {
		return ""
	}
	return uri[i+len("/contacts/"):]
}
