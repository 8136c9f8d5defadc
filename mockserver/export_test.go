package mockserver

import (
	"slices"

	"github.com/realestate-mocks/mockserver/spec"
)

// What package mockserver_test reaches of the engine's insides: the
// tests of the pipeline, the admin API and the event streams.

// Reachable is reachable: the statuses the pipeline can answer for an
// operation.
func (s *Server) Reachable(api, operationID string) []int { return s.reachable(api, operationID) }

// Subscribers counts the open subscriptions, event streams included.
func (s *Server) Subscribers() int { return s.journal.subs.count() }

// AdminSpec is the admin API's document.
func AdminSpec() []byte { return slices.Clone(adminSpec) }

// Step is a pipeline step by name, with the failures it answers with
// (Kinds) and those the API's calls can meet there (Reached: for every
// operation, what its reach adds, the behaviours' declared failures at
// answer included; route and method meet any call, so all their kinds).
type Step struct {
	Name           string
	Kinds, Reached []spec.Kind
}

// Pipeline lists the pipeline's steps, in order, for one API.
func (s *Server) Pipeline(api string) []Step {
	m := s.byName[api]
	var out []Step
	for _, st := range pipeline {
		reached := st.kinds
		if st.reach != nil {
			reached = nil
			for _, op := range m.c.api.Operations {
				reached = append(reached, st.reach(m, op)...)
			}
		}
		out = append(out, Step{Name: st.name, Kinds: st.kinds, Reached: reached})
	}
	return out
}
