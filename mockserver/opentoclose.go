package mockserver

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/spec"
)

// firstLinkID makes new link ids look like the live service's.
const firstLinkID = 7484664

var openToCloseBuiltin = builtin{
	newStore: func() Store { return &otcStore{} },
	behaviors: map[string]Behavior{
		"listPropertyContacts":    otcHandler((*otcStore).list),
		"createPropertyContact":   otcHandler((*otcStore).create),
		"retrievePropertyContact": otcHandler((*otcStore).retrieve),
		"updatePropertyContact":   otcHandler((*otcStore).update),
		"deletePropertyContact":   otcHandler((*otcStore).remove),
	},
}

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
	ID          int64   `json:"id"`
	ContactID   int64   `json:"contact_id"`
	Role        *string `json:"role"`
	Primary     bool    `json:"primary"`
	StartDate   *string `json:"start_date"`
	Notes       *string `json:"notes"`
	Priority    string  `json:"priority"`
	Property    idRef   `json:"property"`
	Contact     idRef   `json:"contact"`
	ContactRole any     `json:"contact_role"`
	Created     phpTime `json:"created"`
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
		ID: l.id, ContactID: l.contactID, Role: orNil(l.role), Primary: l.primary,
		StartDate: orNil(l.startDate), Notes: orNil(l.notes),
		Property: idRef{propertyID}, Contact: idRef{l.contactID}, ContactRole: contactRole,
		Created: phpTime{Date: l.created.UTC().Format("2006-01-02 15:04:05.000000"), TimezoneType: 3, Timezone: "UTC"},
	}
}

func (s *otcStore) Reset(state any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.props = map[int64]*otcProperty{}
	s.nextID = firstLinkID
	st, _ := state.(*fixtures.OpenToCloseState)
	if st == nil {
		if state != nil {
			return fmt.Errorf("opentoclose store: state of type %T, want *fixtures.OpenToCloseState", state)
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
				startDate: l.StartDate, notes: l.Notes, created: seedCreated(l.StartDate),
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

func (s *otcStore) Snapshot() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &fixtures.OpenToCloseState{Properties: []fixtures.OTCProperty{}}
	ids := make([]int64, 0, len(s.props))
	for id := range s.props {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		p := fixtures.OTCProperty{ID: id}
		for _, l := range s.props[id].links {
			p.Contacts = append(p.Contacts, fixtures.OTCLink{
				ID: l.id, ContactID: l.contactID, Role: l.role, Primary: l.primary,
				StartDate: l.startDate, Notes: l.notes,
			})
		}
		st.Properties = append(st.Properties, p)
	}
	return st
}

// otcHandler adapts a store method to a Behavior, resolving the property
// first since every operation lives under one.
func otcHandler(fn func(*otcStore, *Call, *otcProperty) *Reply) Behavior {
	return BehaviorFunc(func(c *Call) *Reply {
		s, ok := c.Store.(*otcStore)
		if !ok {
			return Fail(spec.KindInternal, "no Open To Close store behind this API")
		}
		id, err := strconv.ParseInt(c.PathParams["property_id"], 10, 64)
		if err != nil {
			return Fail(spec.KindInvalidParameter, "property_id must be a positive integer")
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		prop := s.props[id]
		if prop == nil {
			return Fail(spec.KindNotFound, fmt.Sprintf("property %d does not exist", id))
		}
		return fn(s, c, prop)
	})
}

func (s *otcStore) list(c *Call, prop *otcProperty) *Reply {
	q := c.Request.URL.Query()
	limit, offset := 20, 0
	if v, err := strconv.Atoi(q.Get("limit")); err == nil {
		limit = v
	}
	if v, err := strconv.Atoi(q.Get("offset")); err == nil {
		offset = v
	}
	_, filtered := q["role"]
	role := q.Get("role")
	out := []otcLinkJSON{}
	for _, l := range prop.links {
		if filtered && l.role != role {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		if len(out) == limit {
			break
		}
		out = append(out, l.wire(prop.id))
	}
	return JSON(http.StatusOK, out)
}

func (s *otcStore) create(c *Call, prop *otcProperty) *Reply {
	body, _ := c.Body.(map[string]any)
	contactID, ok := jsonInt(body["contact_id"])
	if !ok {
		return &Reply{Kind: spec.KindMissingField, Detail: "contact_id is required", Fields: map[string][]string{"contact_id": {"is required"}}}
	}
	for _, l := range prop.links {
		if l.contactID == contactID {
			return Fail(spec.KindConflict, fmt.Sprintf("contact %d is already linked to property %d (link %d)", contactID, prop.id, l.id))
		}
	}
	link := &otcLink{id: s.nextID, contactID: contactID, created: time.Now()}
	s.nextID++
	if !slices.Contains(c.Scenario.Quirks, fixtures.QuirkCreateHonoursOnlyContactID) {
		applyLinkFields(link, body)
	}
	prop.links = append(prop.links, link)
	prop.demoteOtherPrimaries(link)
	return JSON(http.StatusCreated, link.wire(prop.id))
}

func (s *otcStore) retrieve(c *Call, prop *otcProperty) *Reply {
	link, reply := prop.find(c)
	if reply != nil {
		return reply
	}
	return JSON(http.StatusOK, link.wire(prop.id))
}

func (s *otcStore) update(c *Call, prop *otcProperty) *Reply {
	link, reply := prop.find(c)
	if reply != nil {
		return reply
	}
	body, _ := c.Body.(map[string]any)
	applyLinkFields(link, body)
	prop.demoteOtherPrimaries(link)
	return JSON(http.StatusOK, link.wire(prop.id))
}

func (s *otcStore) remove(c *Call, prop *otcProperty) *Reply {
	link, reply := prop.find(c)
	if reply != nil {
		return reply
	}
	prop.links = slices.DeleteFunc(prop.links, func(l *otcLink) bool { return l == link })
	return Empty(http.StatusNoContent)
}

// find resolves {contact_id}: the seed calls it the contact's id, the SDK
// passes the link's own id, so both are accepted, contact ids first.
func (p *otcProperty) find(c *Call) (*otcLink, *Reply) {
	id, err := strconv.ParseInt(c.PathParams["contact_id"], 10, 64)
	if err != nil {
		return nil, Fail(spec.KindInvalidParameter, "contact_id must be a positive integer")
	}
	for _, l := range p.links {
		if l.contactID == id {
			return l, nil
		}
	}
	for _, l := range p.links {
		if l.id == id {
			return l, nil
		}
	}
	return nil, Fail(spec.KindNotFound, fmt.Sprintf("contact %d is not linked to property %d", id, p.id))
}

// demoteOtherPrimaries keeps at most one primary link per role.
func (p *otcProperty) demoteOtherPrimaries(link *otcLink) {
	if !link.primary {
		return
	}
	for _, l := range p.links {
		if l != link && l.role == link.role {
			l.primary = false
		}
	}
}

// applyLinkFields copies the fields present in body; absent ones keep
// their values, as the seed's update (role and primary only) expects.
func applyLinkFields(l *otcLink, body map[string]any) {
	if v, ok := body["role"].(string); ok {
		l.role = v
	}
	if v, ok := body["primary"].(bool); ok {
		l.primary = v
	}
	if v, ok := body["start_date"].(string); ok {
		l.startDate = v
	}
	if v, ok := body["notes"].(string); ok {
		l.notes = v
	}
}

// jsonInt reads an integer from a decoded JSON value; validation has
// already checked the type, this only converts.
func jsonInt(v any) (int64, bool) {
	switch n := v.(type) {
	case float64:
		return int64(n), n == float64(int64(n))
	case int64:
		return n, true
	case int:
		return int64(n), true
	case interface{ Int64() (int64, error) }:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}
