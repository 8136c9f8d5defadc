package opentoclose

import (
	"fmt"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/spec"
)

// Name is the API's name: its bundled document, mount and scenario key.
const Name = "opentoclose"

// QuirkCreateHonoursOnlyContactID makes createPropertyContact store only
// contact_id from the request body and drop role, primary, start_date and
// notes, as the vendor's SDK reports the live service does.
const QuirkCreateHonoursOnlyContactID = "create-honours-only-contact-id"

// Pack is the Open To Close Property Contacts API: the bundled document,
// a store of properties and their contact links, its behaviours, and its
// scenario records and quirks.
func Pack() (*mockserver.Pack, error) {
	api, err := spec.Load(Name)
	if err != nil {
		return nil, fmt.Errorf("opentoclose pack: %w", err)
	}
	return &mockserver.Pack{
		API:       api,
		NewStore:  func() mockserver.Store { return &otcStore{} },
		Behaviors: behaviors(),
		Scenario:  Vocabulary(),
		Learner:   func() mockserver.Learner { return newLearner() },
	}, nil
}

// Vocabulary is what Open To Close adds to the scenario language: its
// records (State) and its one quirk.
func Vocabulary() fixtures.Vocabulary {
	return fixtures.Vocabulary{DecodeState: decodeState, Quirks: []string{QuirkCreateHonoursOnlyContactID}}
}
