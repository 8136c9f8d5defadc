package opentoclose

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"

	"github.com/realestate-mocks/mockserver/spec"
)

// firstLinkID makes new link ids look like the live service's.
const firstLinkID = 7484664

// behaviors answer the operations of opentoclose.yaml by operationId.
func behaviors() map[string]mockserver.Behavior {
	declare, notFound := mockserver.Declare, spec.KindNotFound
	// Every handler can miss the property (or the link); create can find
	// the contact already linked.
	return map[string]mockserver.Behavior{
		"listPropertyContacts":    declare(otcHandler((*otcStore).list), notFound),
		"createPropertyContact":   declare(otcHandler((*otcStore).create), notFound, spec.KindMissingField, spec.KindConflict),
		"retrievePropertyContact": declare(otcHandler((*otcStore).retrieve), notFound),
		"updatePropertyContact":   declare(otcHandler((*otcStore).update), notFound),
		"deletePropertyContact":   declare(otcHandler((*otcStore).remove), notFound),
	}
}

// otcHandler adapts a store method to a mockserver.Behavior, resolving the property
// first since every operation lives under one.
func otcHandler(fn func(*otcStore, *mockserver.Call, *otcProperty) *mockserver.Reply) mockserver.Behavior {
	return mockserver.BehaviorFunc(func(c *mockserver.Call) *mockserver.Reply {
		s, ok := c.Store.(*otcStore)
		if !ok {
			return mockserver.Fail(spec.KindInternal, "no Open To Close store behind this API")
		}
		id, err := strconv.ParseInt(c.PathParams["property_id"], 10, 64)
		if err != nil {
			return mockserver.Fail(spec.KindInvalidParameter, "property_id must be a positive integer")
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		prop := s.props[id]
		if prop == nil {
			return mockserver.Fail(spec.KindNotFound, fmt.Sprintf("property %d does not exist", id))
		}
		return fn(s, c, prop)
	})
}

func (s *otcStore) list(c *mockserver.Call, prop *otcProperty) *mockserver.Reply {
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
	return mockserver.JSON(http.StatusOK, out)
}

func (s *otcStore) create(c *mockserver.Call, prop *otcProperty) *mockserver.Reply {
	body, _ := c.Body.(map[string]any)
	contactID, ok := jsonInt(body["contact_id"])
	if !ok {
		return &mockserver.Reply{Kind: spec.KindMissingField, Detail: "contact_id is required", Fields: map[string][]string{"contact_id": {"is required"}}}
	}
	for _, l := range prop.links {
		if l.contactID == contactID {
			return mockserver.Fail(spec.KindConflict, fmt.Sprintf("contact %d is already linked to property %d (link %d)", contactID, prop.id, l.id))
		}
	}
	link := &otcLink{id: s.nextID, contactID: contactID, created: time.Now()}
	s.nextID++
	if !slices.Contains(c.Scenario.Quirks, QuirkCreateHonoursOnlyContactID) {
		applyLinkFields(link, body)
	}
	prop.links = append(prop.links, link)
	prop.demoteOtherPrimaries(link)
	return mockserver.JSON(http.StatusCreated, link.wire(prop.id))
}

func (s *otcStore) retrieve(c *mockserver.Call, prop *otcProperty) *mockserver.Reply {
	link, reply := prop.find(c)
	if reply != nil {
		return reply
	}
	return mockserver.JSON(http.StatusOK, link.wire(prop.id))
}

func (s *otcStore) update(c *mockserver.Call, prop *otcProperty) *mockserver.Reply {
	link, reply := prop.find(c)
	if reply != nil {
		return reply
	}
	body, _ := c.Body.(map[string]any)
	applyLinkFields(link, body)
	prop.demoteOtherPrimaries(link)
	return mockserver.JSON(http.StatusOK, link.wire(prop.id))
}

func (s *otcStore) remove(c *mockserver.Call, prop *otcProperty) *mockserver.Reply {
	link, reply := prop.find(c)
	if reply != nil {
		return reply
	}
	prop.links = slices.DeleteFunc(prop.links, func(l *otcLink) bool { return l == link })
	return mockserver.Empty(http.StatusNoContent)
}

// find resolves {contact_id}: the seed calls it the contact's id, the SDK
// passes the link's own id, so both are accepted, contact ids first.
func (p *otcProperty) find(c *mockserver.Call) (*otcLink, *mockserver.Reply) {
	id, err := strconv.ParseInt(c.PathParams["contact_id"], 10, 64)
	if err != nil {
		return nil, mockserver.Fail(spec.KindInvalidParameter, "contact_id must be a positive integer")
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
	return nil, mockserver.Fail(spec.KindNotFound, fmt.Sprintf("contact %d is not linked to property %d", id, p.id))
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

// jsonInt reads an integer from a decoded mockserver.JSON value; validation has
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
