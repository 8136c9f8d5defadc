package opentoclose

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// otcStore keeps Open To Close properties and their contact links.
type otcStore struct {
	mu     sync.Mutex
	props  map[int64]*otcProperty
	nextID int64
}

type otcProperty struct {
	id    int64
	links []*otcLink // creation order, which is the list order
}

type otcLink struct {
	id, contactID int64
	role          string
	primary       bool
	startDate     string
	notes         string
	created       time.Time
}

// otcLinkJSON is a link on the wire: the seed's fields and the live
// service's fields side by side.
type otcLinkJSON struct {
	otcLinkFields
	Priority    string  `json:"priority"`
	Property    idRef   `json:"property"`
	Contact     idRef   `json:"contact"`
	ContactRole any     `json:"contact_role"`
	Created     phpTime `json:"created"`
}

// otcLinkFields are the fields of a link on the wire that the records
// keep: what the recorder reads back from a real answer.
type otcLinkFields struct {
	ID        int64   `json:"id"`
	ContactID int64   `json:"contact_id"`
	Role      *string `json:"role"`
	Primary   bool    `json:"primary"`
	StartDate *string `json:"start_date"`
	Notes     *string `json:"notes"`
}

type idRef struct {
	ID int64 `json:"id"`
}

type phpTime struct {
	Date         string `json:"date"`
	TimezoneType int    `json:"timezone_type"`
	Timezone     string `json:"timezone"`
}

func (l *otcLink) wire(propertyID int64) otcLinkJSON {
	orNil := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	var contactRole any = []any{}
	if l.role != "" {
		contactRole = map[string]string{"title": l.role}
	}
	return otcLinkJSON{
		otcLinkFields: otcLinkFields{ID: l.id, ContactID: l.contactID, Role: orNil(l.role), Primary: l.primary,
			StartDate: orNil(l.startDate), Notes: orNil(l.notes)},
		Property: idRef{propertyID}, Contact: idRef{l.contactID}, ContactRole: contactRole,
		Created: phpTime{Date: l.created.UTC().Format(CreatedLayout), TimezoneType: 3, Timezone: "UTC"},
	}
}

func (s *otcStore) Reset(state any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.props = map[int64]*otcProperty{}
	s.nextID = firstLinkID
	st, _ := state.(*State)
	if st == nil {
		if state != nil {
			return fmt.Errorf("opentoclose store: state of type %T, want *opentoclose.State", state)
		}
		return nil
	}
	for _, p := range st.Properties {
		for _, l := range p.Contacts {
			s.nextID = max(s.nextID, l.ID+1)
		}
	}
	for _, p := range st.Properties {
		prop := &otcProperty{id: p.ID}
		for _, l := range p.Contacts {
			id := l.ID
			if id == 0 {
				id = s.nextID
				s.nextID++
			}
			prop.links = append(prop.links, &otcLink{
				id: id, contactID: l.ContactID, role: l.Role, primary: l.Primary,
				startDate: l.StartDate, notes: l.Notes, created: createdAt(l),
			})
		}
		s.props[p.ID] = prop
	}
	return nil
}

// seedCreated gives seed records a fixed creation time, so responses (and
// the examples in the spec) do not change from run to run.
func seedCreated(startDate string) time.Time {
	if t, err := time.Parse(time.DateOnly, startDate); err == nil {
		return t.Add(9*time.Hour + 30*time.Minute)
	}
	return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
}

// createdAt is when a saved link was made: its own time, else the seed's.
func createdAt(l Link) time.Time {
	if t, err := time.Parse(CreatedLayout, l.Created); err == nil {
		return t
	}
	return seedCreated(l.StartDate)
}

// savedCreated is what Snapshot keeps of a link's creation time: nothing
// for a seed time, which the next start gives it again, so a scenario's
// records come back as they were written.
func savedCreated(l *otcLink) string {
	if l.created.Equal(seedCreated(l.startDate)) {
		return ""
	}
	return l.created.UTC().Format(CreatedLayout)
}

func (s *otcStore) Snapshot() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &State{Properties: []Property{}}
	ids := make([]int64, 0, len(s.props))
	for id := range s.props {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		p := Property{ID: id}
		for _, l := range s.props[id].links {
			p.Contacts = append(p.Contacts, Link{
				ID: l.id, ContactID: l.contactID, Role: l.role, Primary: l.primary,
				StartDate: l.startDate, Notes: l.notes, Created: savedCreated(l),
			})
		}
		st.Properties = append(st.Properties, p)
	}
	return st
}
