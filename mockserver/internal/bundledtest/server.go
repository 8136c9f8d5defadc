package bundledtest

import (
	"slices"
	"testing"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
)

// New is bundled.New for one test: the built-in APIs on the bundled
// scenarios unless opts names its own. Its event streams end with the test.
func New(t testing.TB, opts mockserver.Options) *mockserver.Server {
	t.Helper()
	s, err := bundled.New(opts)
	if err != nil {
		t.Fatalf("bundled.New: %v", err)
	}
	t.Cleanup(s.EndStreams)
	return s
}

// Scenario is New on one scenario of the bundled set.
func Scenario(t testing.TB, name string) *mockserver.Server {
	t.Helper()
	return New(t, mockserver.Options{Scenario: name})
}

// Scenarios is the bundled scenarios plus those of dir.
func Scenarios(t testing.TB, dir string) *fixtures.Set {
	t.Helper()
	set, err := bundled.Scenarios(fixtures.Options{Dir: dir})
	if err != nil {
		t.Fatalf("load scenarios of %s: %v", dir, err)
	}
	return set
}

// WantRules fails the test unless the rules of api in a bundled scenario
// are tested, in order: a test of each rule lists them, so a rule added or
// renamed in the scenario makes that test grow.
func WantRules(t testing.TB, scenario, api string, tested ...string) {
	t.Helper()
	set, err := bundled.Default()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := set.Get(scenario)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range sc.API(api).Rules {
		names = append(names, r.Name)
	}
	if !slices.Equal(names, tested) {
		t.Errorf("%s scenario's %s rules = %v; the tests cover %v", scenario, api, names, tested)
	}
}
