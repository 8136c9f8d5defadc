package mockserver

import (
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
	// Learner, when set, makes a Learner of the API's records, so that a
	// proxy's recording of it replays as state (see NewLearner).
	Learner func() Learner
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
