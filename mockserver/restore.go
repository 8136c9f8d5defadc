package mockserver

import (
	"fmt"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/spec"
)

// RestoreStateFile puts records saved from State (marshalled as JSON,
// keyed by API name) into the stores, in place of their current records.
// Each API's records are decoded into a fresh value and checked as a
// scenario's are, so the stores end up holding exactly what was saved: a
// field the file leaves out is its zero value, not the scenario's. file
// names the source in errors, which locate each refused record by line
// and JSON Pointer. APIs absent from data keep their records; when
// anything is refused, no store changes.
func (s *Server) RestoreStateFile(file string, data []byte) error {
	apis := make(map[string]*spec.API, len(s.byName))
	for name, m := range s.byName {
		apis[name] = m.c.api
	}
	states, err := fixtures.DecodeState(file, data, apis, Vocabularies(s.opts.Packs...))
	if err != nil {
		return fmt.Errorf("restore state: %w", err)
	}
	for name := range states {
		if s.byName[name].store == nil {
			return fmt.Errorf("restore state: %s: API %q has no store to hold records", file, name)
		}
	}
	s.switchMu.Lock()
	defer s.switchMu.Unlock()
	for name, state := range states {
		s.byName[name].meter.forget()
		if err := s.byName[name].store.Reset(state); err != nil {
			return fmt.Errorf("restore state: %s: %s: %w", file, name, err)
		}
	}
	return nil
}
