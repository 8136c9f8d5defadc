package mockserver

import (
	"fmt"
	"net/http"
	"slices"
	"sync"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/spec"
)

var sparkBuiltin = builtin{
	newStore: func() Store { return &sparkStore{} },
	behaviors: map[string]Behavior{
		"getSharedNote":            sparkHandler(sessionContact, (*sparkStore).get),
		"replaceSharedNote":        sparkHandler(sessionContact, (*sparkStore).put),
		"deleteSharedNote":         sparkHandler(sessionContact, (*sparkStore).remove),
		"listContactSharedNotes":   sparkHandler(nil, (*sparkStore).listAll),
		"getContactSharedNote":     sparkHandler(pathContact, (*sparkStore).get),
		"replaceContactSharedNote": sparkHandler(pathContact, (*sparkStore).put),
		"deleteContactSharedNote":  sparkHandler(pathContact, (*sparkStore).remove),
	},
}

// sparkStore keeps shared notes per (listing, contact).
type sparkStore struct {
	mu       sync.Mutex
	contacts map[string]bool
	listings map[string]*sparkListing
}

type sparkListing struct {
	id    string
	notes map[string]string // contact -> note
}

// sparkNote is one item of Results.
type sparkNote struct {
	ResourceUri string `json:"ResourceUri"`
	ContactId   string `json:"ContactId,omitempty"`
	Note        string `json:"Note"`
}

type sparkResults struct {
	D struct {
		Success bool        `json:"Success"`
		Results []sparkNote `json:"Results"`
	} `json:"D"`
}

func results(notes []sparkNote) sparkResults {
	var r sparkResults
	r.D.Success = true
	r.D.Results = notes
	return r
}

func (s *sparkStore) Reset(state any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.contacts = map[string]bool{}
	s.listings = map[string]*sparkListing{}
	st, _ := state.(*fixtures.SparkState)
	if st == nil {
		if state != nil {
			return fmt.Errorf("spark store: state of type %T, want *fixtures.SparkState", state)
		}
		return nil
	}
	for _, c := range st.Contacts {
		s.contacts[c] = true
	}
	for _, l := range st.Listings {
		listing := &sparkListing{id: l.ID, notes: map[string]string{}}
		for _, n := range l.Notes {
			listing.notes[n.Contact] = n.Note
			s.contacts[n.Contact] = true
		}
		s.listings[l.ID] = listing
	}
	return nil
}

func (s *sparkStore) Snapshot() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &fixtures.SparkState{Listings: []fixtures.SparkListing{}}
	for c := range s.contacts {
		st.Contacts = append(st.Contacts, c)
	}
	slices.Sort(st.Contacts)
	for _, id := range sortedKeys(s.listings) {
		l := fixtures.SparkListing{ID: id}
		for _, c := range sortedKeys(s.listings[id].notes) {
			l.Notes = append(l.Notes, fixtures.SparkNote{Contact: c, Note: s.listings[id].notes[c]})
		}
		st.Listings = append(st.Listings, l)
	}
	return st
}

// contactOf says which contact a call acts on: the session's (VOW/Portal)
// or the one in the path (Private).
type contactOf func(*Call, *sparkStore) (string, *Reply)

func sessionContact(c *Call, _ *sparkStore) (string, *Reply) {
	if c.Principal.Contact == "" {
		return "", Fail(spec.KindForbiddenRole, "this session does not act as a contact")
	}
	return c.Principal.Contact, nil
}

func pathContact(c *Call, s *sparkStore) (string, *Reply) {
	id := c.PathParams["ContactId"]
	if !s.contacts[id] && !actsAs(c.Scenario, id) {
		return "", Fail(spec.KindNotFound, fmt.Sprintf("contact %s does not exist", id))
	}
	return id, nil
}

// actsAs reports whether a principal of the scenario acts as the contact:
// such a contact exists even before it has a note, as the fixtures
// package documents.
func actsAs(part *fixtures.APIScenario, contact string) bool {
	for _, p := range part.Principals {
		if p.Contact == contact {
			return true
		}
	}
	return false
}

func sparkHandler(who contactOf, fn func(*sparkStore, *Call, *sparkListing, string) *Reply) Behavior {
	return BehaviorFunc(func(c *Call) *Reply {
		s, ok := c.Store.(*sparkStore)
		if !ok {
			return Fail(spec.KindInternal, "no Spark store behind this API")
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		id := c.PathParams["ListingId"]
		listing := s.listings[id]
		if listing == nil {
			return Fail(spec.KindNotFound, fmt.Sprintf("listing %s does not exist", id))
		}
		var contact string
		if who != nil {
			var reply *Reply
			if contact, reply = who(c, s); reply != nil {
				return reply
			}
		}
		return fn(s, c, listing, contact)
	})
}

func (s *sparkStore) uri(c *Call, listing, contact string) string {
	return fmt.Sprintf("%s/listings/%s/shared/notes/contacts/%s", c.API.BasePath, listing, contact)
}

func (s *sparkStore) get(c *Call, l *sparkListing, contact string) *Reply {
	notes := []sparkNote{}
	if note, ok := l.notes[contact]; ok {
		notes = append(notes, sparkNote{ResourceUri: s.uri(c, l.id, contact), ContactId: contact, Note: note})
	}
	return JSON(http.StatusOK, results(notes))
}

func (s *sparkStore) listAll(c *Call, l *sparkListing, _ string) *Reply {
	notes := []sparkNote{}
	for _, contact := range sortedKeys(l.notes) {
		notes = append(notes, sparkNote{ResourceUri: s.uri(c, l.id, contact), ContactId: contact, Note: l.notes[contact]})
	}
	return JSON(http.StatusOK, results(notes))
}

func (s *sparkStore) put(c *Call, l *sparkListing, contact string) *Reply {
	body, _ := c.Body.(map[string]any)
	d, _ := body["D"].(map[string]any)
	note, _ := d["Note"].(string)
	l.notes[contact] = note
	s.contacts[contact] = true
	// The Ruby client's Note#save! reads Results[0].ResourceUri.
	return JSON(http.StatusOK, results([]sparkNote{{ResourceUri: s.uri(c, l.id, contact), Note: note}}))
}

func (s *sparkStore) remove(c *Call, l *sparkListing, contact string) *Reply {
	if _, ok := l.notes[contact]; !ok {
		return Fail(spec.KindNotFound, fmt.Sprintf("contact %s has no shared note on listing %s", contact, l.id))
	}
	delete(l.notes, contact)
	var r struct {
		D struct {
			Success bool `json:"Success"`
		} `json:"D"`
	}
	r.D.Success = true
	return JSON(http.StatusOK, r)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
