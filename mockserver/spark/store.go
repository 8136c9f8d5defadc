package spark

import (
	"fmt"
	"slices"
	"sync"
)

// sparkStore keeps shared notes per (listing, contact).
type sparkStore struct {
	mu       sync.Mutex
	contacts map[string]bool
	listings map[string]*sparkListing
}

type sparkListing struct {
	id    string
	notes map[string]string // contact -> note
	// encoded keeps a contact's GET answer from one read to the next,
	// until its note changes: clients mostly read, and encoding the answer
	// was a fifth of a read's cost in the engine (issue 19). A store
	// serves one API, so the answers' base path does not change.
	encoded map[string][]byte
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
	st, _ := state.(*State)
	if st == nil {
		if state != nil {
			return fmt.Errorf("spark store: state of type %T, want *spark.State", state)
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
	st := &State{Listings: []Listing{}}
	for c := range s.contacts {
		st.Contacts = append(st.Contacts, c)
	}
	slices.Sort(st.Contacts)
	for _, id := range sortedKeys(s.listings) {
		l := Listing{ID: id}
		for _, c := range sortedKeys(s.listings[id].notes) {
			l.Notes = append(l.Notes, Note{Contact: c, Note: s.listings[id].notes[c]})
		}
		st.Listings = append(st.Listings, l)
	}
	return st
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
