// Package bundled is the one place that names the APIs this project ships:
// the command and mockservertest take their packs and scenarios from here.
package bundled

import (
	"sync"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/opentoclose"
	"github.com/realestate-mocks/mockserver/mockserver/spark"
)

// packs are the built-in APIs; adding an API is one line here.
var packs = []func() (*mockserver.Pack, error){
	opentoclose.Pack,
	spark.Pack,
}

// Packs returns a pack of each built-in API, for mockserver.Options. Each
// is a copy the caller may change; the behaviours in it are shared by
// every caller and must not be changed (build a new map to change them).
// The packs are made once per process: a test that starts a server per
// test pays for a copy, not for the behaviours again.
func Packs() ([]*mockserver.Pack, error) {
	shared, err := builtPacks()
	if err != nil {
		return nil, err
	}
	out := make([]*mockserver.Pack, len(shared))
	for i, p := range shared {
		c := *p
		out[i] = &c
	}
	return out, nil
}

var builtPacks = sync.OnceValues(func() ([]*mockserver.Pack, error) {
	out := make([]*mockserver.Pack, 0, len(packs))
	for _, pack := range packs {
		p, err := pack()
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
})

var defaultScenarios = sync.OnceValues(func() (*fixtures.Set, error) { return Scenarios(fixtures.Options{}) })

// Default returns the bundled scenarios checked against the bundled specs.
// They are loaded once per process and the same Set is returned to every
// caller, so it must not be modified.
func Default() (*fixtures.Set, error) { return defaultScenarios() }

// Scenarios loads the bundled scenarios, and those of opts.Dir, with the
// built-in APIs' vocabularies added to opts.Vocabularies (which win, so a
// user's pack can describe its own API's records).
func Scenarios(opts fixtures.Options) (*fixtures.Set, error) {
	ps, err := Packs()
	if err != nil {
		return nil, err
	}
	vocab := mockserver.Vocabularies(ps...)
	for name, v := range opts.Vocabularies {
		vocab[name] = v
	}
	opts.Bundled, opts.Vocabularies = true, vocab
	return fixtures.Load(opts)
}

// Options fills in what opts leaves out to serve the built-in APIs: the
// bundled packs when opts.Packs is nil, and the default scenarios when
// opts.Scenarios is nil. Everything else in opts is kept.
func Options(opts mockserver.Options) (mockserver.Options, error) {
	if opts.Packs == nil {
		packs, err := Packs()
		if err != nil {
			return opts, err
		}
		opts.Packs = packs
	}
	if opts.Scenarios == nil {
		set, err := Default()
		if err != nil {
			return opts, err
		}
		opts.Scenarios = set
	}
	return opts, nil
}

// New is mockserver.New with Options applied: a Server of the built-in
// APIs on the bundled scenarios unless opts names its own.
func New(opts mockserver.Options) (*mockserver.Server, error) {
	opts, err := Options(opts)
	if err != nil {
		return nil, err
	}
	return mockserver.New(opts)
}
