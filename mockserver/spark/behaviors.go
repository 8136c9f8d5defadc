package spark

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/realestate-mocks/mockserver/mockserver"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/spec"
)

// behaviors answer the operations of spark.yaml by operationId.
func behaviors() map[string]mockserver.Behavior {
	declare := mockserver.Declare
	notFound, forbidden := spec.KindNotFound, spec.KindForbiddenRole
	// Every handler can miss the listing (and, for a path contact or a
	// delete, the contact or its note); a session without a contact is
	// refused as a role the path does not serve.
	return map[string]mockserver.Behavior{
		"getSharedNote":            declare(sparkHandler(sessionContact, (*sparkStore).get), notFound, forbidden),
		"replaceSharedNote":        declare(sparkHandler(sessionContact, (*sparkStore).put), notFound, forbidden),
		"deleteSharedNote":         declare(sparkHandler(sessionContact, (*sparkStore).remove), notFound, forbidden),
		"listContactSharedNotes":   declare(sparkHandler(nil, (*sparkStore).listAll), notFound),
		"getContactSharedNote":     declare(sparkHandler(pathContact, (*sparkStore).get), notFound),
		"replaceContactSharedNote": declare(sparkHandler(pathContact, (*sparkStore).put), notFound),
		"deleteContactSharedNote":  declare(sparkHandler(pathContact, (*sparkStore).remove), notFound),
	}
}

// contactOf says which contact a call acts on: the session's (VOW/Portal)
// or the one in the path (Private).
type contactOf func(*mockserver.Call, *sparkStore) (string, *mockserver.Reply)

func sessionContact(c *mockserver.Call, _ *sparkStore) (string, *mockserver.Reply) {
	if c.Principal.Contact == "" {
		return "", mockserver.Fail(spec.KindForbiddenRole, "this session does not act as a contact")
	}
	return c.Principal.Contact, nil
}

func pathContact(c *mockserver.Call, s *sparkStore) (string, *mockserver.Reply) {
	id := c.PathParams["ContactId"]
	if !s.contacts[id] && !actsAs(c.Scenario, id) {
		return "", mockserver.Fail(spec.KindNotFound, fmt.Sprintf("contact %s does not exist", id))
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

func sparkHandler(who contactOf, fn func(*sparkStore, *mockserver.Call, *sparkListing, string) *mockserver.Reply) mockserver.Behavior {
	return mockserver.BehaviorFunc(func(c *mockserver.Call) *mockserver.Reply {
		s, ok := c.Store.(*sparkStore)
		if !ok {
			return mockserver.Fail(spec.KindInternal, "no Spark store behind this API")
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		id := c.PathParams["ListingId"]
		listing := s.listings[id]
		if listing == nil {
			return mockserver.Fail(spec.KindNotFound, fmt.Sprintf("listing %s does not exist", id))
		}
		var contact string
		if who != nil {
			var reply *mockserver.Reply
			if contact, reply = who(c, s); reply != nil {
				return reply
			}
		}
		return fn(s, c, listing, contact)
	})
}

func (s *sparkStore) uri(c *mockserver.Call, listing, contact string) string {
	return c.API.BasePath + "/listings/" + listing + "/shared/notes/contacts/" + contact
}

func (s *sparkStore) get(c *mockserver.Call, l *sparkListing, contact string) *mockserver.Reply {
	if body, ok := l.encoded[contact]; ok {
		return mockserver.RawJSON(http.StatusOK, body)
	}
	notes := []sparkNote{}
	if note, ok := l.notes[contact]; ok {
		notes = append(notes, sparkNote{ResourceUri: s.uri(c, l.id, contact), ContactId: contact, Note: note})
	}
	body, err := json.Marshal(results(notes))
	if err != nil {
		return mockserver.Fail(spec.KindInternal, "cannot encode the note: "+err.Error())
	}
	if l.encoded == nil {
		l.encoded = map[string][]byte{}
	}
	l.encoded[contact] = body
	return mockserver.RawJSON(http.StatusOK, body)
}

func (s *sparkStore) listAll(c *mockserver.Call, l *sparkListing, _ string) *mockserver.Reply {
	notes := []sparkNote{}
	for _, contact := range sortedKeys(l.notes) {
		notes = append(notes, sparkNote{ResourceUri: s.uri(c, l.id, contact), ContactId: contact, Note: l.notes[contact]})
	}
	return mockserver.JSON(http.StatusOK, results(notes))
}

func (s *sparkStore) put(c *mockserver.Call, l *sparkListing, contact string) *mockserver.Reply {
	body, _ := c.Body.(map[string]any)
	d, _ := body["D"].(map[string]any)
	note, _ := d["Note"].(string)
	l.notes[contact] = note
	delete(l.encoded, contact)
	s.contacts[contact] = true
	// The Ruby client's Note#save! reads Results[0].ResourceUri.
	return mockserver.JSON(http.StatusOK, results([]sparkNote{{ResourceUri: s.uri(c, l.id, contact), Note: note}}))
}

func (s *sparkStore) remove(c *mockserver.Call, l *sparkListing, contact string) *mockserver.Reply {
	if _, ok := l.notes[contact]; !ok {
		return mockserver.Fail(spec.KindNotFound, fmt.Sprintf("contact %s has no shared note on listing %s", contact, l.id))
	}
	delete(l.notes, contact)
	delete(l.encoded, contact)
	var r struct {
		D struct {
			Success bool `json:"Success"`
		} `json:"D"`
	}
	r.D.Success = true
	return mockserver.JSON(http.StatusOK, r)
}
