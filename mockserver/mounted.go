package mockserver

import (
	"fmt"
	"strings"
	"sync"

	"github.com/realestate-mocks/mockserver/spec"
)

// mounted is one API as one Server serves it.
type mounted struct {
	name   string
	prefix string // "" at the root
	c      *compiledAPI
	store  Store // nil when the API has no pack or its pack no store
	// newStore makes an empty store of the same kind, for Stateless.
	newStore func() Store
	meter    storeMeter // storelimit.go

	coverage *coverage
	hints    hints // what its credentials redact to (redact.go)

	up *upstream // set when the API is forwarded (proxy.go)
	// newLearner is the pack's, for recordings (learner.go).
	newLearner func() Learner

	mu        sync.RWMutex
	behaviors map[string]Behavior
}

// mount compiles one API and plugs in its pack, if it has one.
func (s *Server) mount(api *spec.API, p *Pack) error {
	c, err := compile(api)
	if err != nil {
		return err
	}
	m := &mounted{name: api.Name, prefix: mountPrefix(api.Name, s.opts.Mounts), c: c, behaviors: map[string]Behavior{}, coverage: newCoverage(c)}
	if p != nil {
		m.mountPack(p)
	}
	s.mounts = append(s.mounts, m)
	s.byName[api.Name] = m
	return nil
}

func mountPrefix(name string, mounts map[string]string) string {
	prefix, ok := mounts[name]
	if !ok {
		prefix = "/" + name
	}
	prefix = "/" + strings.Trim(prefix, "/")
	if prefix == "/" {
		return ""
	}
	return prefix
}

// checkMounts refuses two APIs whose full base paths coincide: one would
// silently shadow the other.
func (s *Server) checkMounts() error {
	seen := map[string]string{}
	for _, m := range s.mounts {
		base := m.prefix + m.c.api.BasePath
		if other, dup := seen[base]; dup {
			return fmt.Errorf("APIs %q and %q would both be served at %q: give one another mount prefix", other, m.name, base+"/")
		}
		seen[base] = m.name
	}
	return nil
}

func (m *mounted) behavior(id string) Behavior {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.behaviors[id]
}

// mountPack gives a mounted API the pack's store and the behaviours of
// the operations its document declares.
func (m *mounted) mountPack(p *Pack) {
	if p.NewStore != nil {
		m.store, m.newStore = p.NewStore(), p.NewStore
	}
	m.newLearner = p.Learner
	for id, b := range p.Behaviors {
		if m.c.api.Operation(id) != nil {
			m.behaviors[id] = b
		}
	}
}
