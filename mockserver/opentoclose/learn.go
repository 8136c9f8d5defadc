package opentoclose

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// learner infers the properties and contact links that existed before
// the recorded traffic: a link first seen in an answer existed then,
// unless the traffic created it.
type learner struct {
	props   map[int64][]Link
	order   []int64
	created map[int64]bool // link ids the traffic created
	// createdContacts are the contacts the traffic linked, per property.
	createdContacts map[[2]int64]bool
}

func newLearner() *learner {
	return &learner{props: map[int64][]Link{}, created: map[int64]bool{}, createdContacts: map[[2]int64]bool{}}
}

func (w otcLinkFields) link() Link {
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return Link{ID: w.ID, ContactID: w.ContactID, Role: deref(w.Role), Primary: w.Primary, StartDate: deref(w.StartDate), Notes: deref(w.Notes)}
}

func (l *learner) Learn(x *mockserver.Exchange) bool {
	prop, err := strconv.ParseInt(x.PathParams["property_id"], 10, 64)
	if err != nil {
		return false
	}
	if x.Status >= 300 {
		return l.explainsFailure(prop, x)
	}
	l.property(prop)
	switch x.Operation.ID {
	case "listPropertyContacts":
		var links []otcLinkFields
		if json.Unmarshal(x.Body, &links) != nil {
			return false
		}
		for _, w := range links {
			l.saw(prop, w)
		}
		return true
	case "retrievePropertyContact", "updatePropertyContact":
		var w otcLinkFields
		if json.Unmarshal(x.Body, &w) != nil {
			return false
		}
		l.saw(prop, w)
		return true
	case "createPropertyContact":
		var w otcLinkFields
		if json.Unmarshal(x.Body, &w) != nil {
			return false
		}
		l.created[w.ID] = true
		l.createdContacts[[2]int64{prop, w.ContactID}] = true
		return true
	case "deletePropertyContact":
		// The answer names no link: only one already seen can be
		// deleted by a replay of the records.
		return l.knows(prop, x.PathParams["contact_id"])
	}
	return false
}

// explainsFailure says whether the records explain a refusal: a 409 for
// a link they hold, a 404 for a property or link they leave out.
func (l *learner) explainsFailure(prop int64, x *mockserver.Exchange) bool {
	_, known := l.props[prop]
	switch {
	case x.Status == http.StatusConflict && x.Operation.ID == "createPropertyContact":
		var body struct {
			ContactID json.Number `json:"contact_id"`
		}
		_ = json.Unmarshal(x.RequestBody, &body)
		return known && l.knows(prop, body.ContactID.String())
	case x.Status == http.StatusNotFound:
		return !known || (x.PathParams["contact_id"] != "" && !l.knows(prop, x.PathParams["contact_id"]))
	}
	return false
}

// knows reports whether a link the path names (by contact or link id) is
// among the records or was created by the traffic.
func (l *learner) knows(prop int64, param string) bool {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil {
		return false
	}
	for _, link := range l.props[prop] {
		if link.ContactID == id || link.ID == id {
			return true
		}
	}
	return l.created[id] || l.createdContacts[[2]int64{prop, id}]
}

func (l *learner) property(id int64) {
	if _, ok := l.props[id]; !ok {
		l.props[id] = nil
		l.order = append(l.order, id)
	}
}

func (l *learner) saw(prop int64, w otcLinkFields) {
	if l.created[w.ID] {
		return
	}
	for _, known := range l.props[prop] {
		if known.ID == w.ID {
			return
		}
	}
	l.props[prop] = append(l.props[prop], w.link())
}

func (l *learner) State() any {
	st := &State{Properties: []Property{}}
	ids := slices.Clone(l.order)
	slices.Sort(ids)
	for _, id := range ids {
		links := slices.Clone(l.props[id])
		slices.SortStableFunc(links, func(a, b Link) int { return int(a.ID - b.ID) })
		st.Properties = append(st.Properties, Property{ID: id, Contacts: links})
	}
	return st
}
