package mockserver

import (
	"encoding/json"
	"fmt"
	"sync/atomic"

	"github.com/realestate-mocks/mockserver/fixtures"
)

// activeScenario pairs a scenario with this Server's rule hit counts, so
// "times: 1" counts per Server and restarts on reset.
type activeScenario struct {
	scenario *fixtures.Scenario
	hits     map[string][]atomic.Int64 // API name -> per-rule counts
}

// Scenarios lists the scenarios this Server can switch to.
func (s *Server) Scenarios() *fixtures.Set { return s.set }

// Scenario is the name of the active scenario.
func (s *Server) Scenario() string { return s.active.Load().scenario.Name }

// SwitchScenario makes another scenario active and resets every store to
// its starting records.
func (s *Server) SwitchScenario(name string) error {
	sc, err := s.set.Get(name)
	if err != nil {
		return err
	}
	s.switchMu.Lock()
	defer s.switchMu.Unlock()
	return s.activate(sc)
}

// Reset puts every store back to the active scenario's starting records
// and restarts the rules' "times" counts. The journal is kept.
func (s *Server) Reset() error {
	s.switchMu.Lock()
	defer s.switchMu.Unlock()
	return s.activate(s.active.Load().scenario)
}

func (s *Server) activate(sc *fixtures.Scenario) error {
	as := &activeScenario{scenario: sc, hits: map[string][]atomic.Int64{}}
	for _, m := range s.mounts {
		part := sc.API(m.name)
		as.hits[m.name] = make([]atomic.Int64, len(part.Rules))
		if m.store != nil {
			m.meter.forget()
			if err := m.store.Reset(part.State); err != nil {
				return fmt.Errorf("scenario %q: %w", sc.Name, err)
			}
		} else if part.State != nil {
			return fmt.Errorf("scenario %q has records for %q, which has no store", sc.Name, m.name)
		}
	}
	s.active.Store(as)
	return nil
}

// State returns every store's current records, keyed by API name, in the
// fixtures package's types.
func (s *Server) State() map[string]any {
	out := map[string]any{}
	for _, m := range s.mounts {
		if m.store != nil {
			out[m.name] = m.store.Snapshot()
		}
	}
	return out
}

// RestoreState is RestoreStateFile for records already split by API.
func (s *Server) RestoreState(saved map[string]json.RawMessage) error {
	data, err := json.MarshalIndent(saved, "", "  ")
	if err != nil {
		return fmt.Errorf("restore state: %w", err)
	}
	return s.RestoreStateFile("state", data)
}
