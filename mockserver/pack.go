package mockserver

import (
	"maps"
	"slices"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/spec"
)

// Pack is one API plugged into a Server from outside the engine: its
// document, the store each Server gets, the behaviours that answer its
// operations, and what it adds to the scenario language. The bundled APIs
// are packs (mockserver/bundled lists them); mockserver/crud makes one for
// any document with collection and item paths.
type Pack struct {
	// API is the document served. A document of the same name in
	// Options.APIs replaces it and keeps the behaviours of the operationIds
	// it still declares.
	API *spec.API
	// NewStore makes one Server's store; nil for an API without records.
	NewStore func() Store
	// Behaviors answer operations by operationId; an operation without one
	// answers from the spec's examples.
	Behaviors map[string]Behavior
	// Scenario is how scenarios give this API records and quirks.
	Scenario fixtures.Vocabulary
	// Contract, when set, derives from a scenario's part for this API the
	// values its contract suite needs from a backend holding that
	// scenario (tokens, record ids); the contracts package calls it with
	// the bundled "default" scenario.
	Contract func(*fixtures.APIScenario) []ContractValue
	// Learner, when set, makes a Learner of the API's records, so that a
	// proxy's recording of it replays as state (see NewLearner).
	Learner func() Learner
}

// ContractValue is one value a contract suite needs from its backend.
type ContractValue struct {
	// Key names it: CONTRACT_<API>_<Key> overrides it for a real backend.
	Key, Value string
	// MockOnly marks a value only the in-process mock honours (a token its
	// scenario marks expired): against another backend it is empty unless
	// its environment variable sets it.
	MockOnly bool
	// Header, when set, sends the value as this header on every request.
	Header string
}

// PrincipalWith returns the token of the scenario's principal with the
// role and expiry asked for, the first in token order; "" when none.
func PrincipalWith(part *fixtures.APIScenario, role string, expired bool) (string, fixtures.Principal) {
	for _, token := range slices.Sorted(maps.Keys(part.Principals)) {
		if p := part.Principals[token]; p.Role == role && p.Expired == expired {
			return token, p
		}
	}
	return "", fixtures.Principal{}
}

// Vocabularies collects the packs' scenario vocabularies by API name, for
// fixtures.Options.
func Vocabularies(packs ...*Pack) map[string]fixtures.Vocabulary {
	out := make(map[string]fixtures.Vocabulary, len(packs))
	for _, p := range packs {
		out[p.API.Name] = p.Scenario
	}
	return out
}
