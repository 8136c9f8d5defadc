package spark

import (
	"fmt"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/spec"
)

// Name is the API's name: its bundled document, mount and scenario key.
const Name = "spark"

// Pack is the Spark Listing Notes API: the bundled document, a store of
// shared notes per listing and contact, its behaviours, and its scenario
// records.
func Pack() (*mockserver.Pack, error) {
	api, err := spec.Load(Name)
	if err != nil {
		return nil, fmt.Errorf("spark pack: %w", err)
	}
	return &mockserver.Pack{
		API:       api,
		NewStore:  func() mockserver.Store { return &sparkStore{} },
		Behaviors: behaviors(),
		Scenario:  Vocabulary(),
		Learner:   func() mockserver.Learner { return newLearner() },
	}, nil
}

// Vocabulary is what Spark adds to the scenario language: its records
// (State), and contact ids of VOW and Portal principals checked against
// the SparkId schema. Spark has no quirks.
func Vocabulary() fixtures.Vocabulary {
	return fixtures.Vocabulary{DecodeState: decodeState, ContactSchema: "SparkId"}
}
