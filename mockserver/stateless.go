package mockserver

import "fmt"

// callStore is the store a behaviour gets for one call. With
// Options.Stateless a write gets a throwaway copy of the API's records,
// so it is validated and answered as usual but nothing it changes is
// kept: every request sees the same records, as example-driven testers
// (Prism's default, Specmatic, Schemathesis) expect. The copy is made
// through the Store interface alone (Snapshot into a new store's Reset),
// so it works for any API's store.
func (s *Server) callStore(m *mounted, method string) (Store, error) {
	if !s.opts.Stateless || m.store == nil || m.newStore == nil || !isWrite(method) {
		return m.store, nil
	}
	scratch := m.newStore()
	if err := scratch.Reset(m.store.Snapshot()); err != nil {
		return nil, fmt.Errorf("stateless copy of the %s records: %w", m.name, err)
	}
	return scratch, nil
}
