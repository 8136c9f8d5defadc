package contracts

import (
	"fmt"
	"maps"
	"slices"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
)

// setting is one value a suite needs from its backend: a token or a
// record id. Its default is the bundled "default" scenario's value.
type setting struct {
	// Key names it: CONTRACT_<API>_<Key> overrides it for a real backend.
	Key, Value string
	// MockOnly marks a value only the in-process mock honours (a token its
	// scenario marks expired): against another backend it is empty unless
	// its environment variable sets it.
	MockOnly bool
	// Header, when set, sends the value as this header on every request.
	Header string
}

// deriveSettings derives, per API with a suite, its settings from that
// API's part of a scenario. The suites, not the engine or the packs, are
// what need these values, so they are derived here, from the packs'
// exported records.
var deriveSettings = map[string]func(*fixtures.APIScenario) []setting{
	"spark":       sparkSettings,
	"opentoclose": opentocloseSettings,
}

// settings lists an API's values (doc.go documents them), from the bundled
// "default" scenario; none for an API without a suite.
func settings(api string) []setting {
	derive, ok := deriveSettings[api]
	if !ok {
		return nil
	}
	set, err := bundled.Default()
	if err != nil {
		panic(fmt.Sprintf("contracts: %v", err))
	}
	sc, err := set.Get("default")
	if err != nil {
		panic(fmt.Sprintf("contracts: %v", err))
	}
	return derive(sc.API(api))
}

// principalWith returns the token of the scenario's principal with the
// role and expiry asked for, the first in token order; "" when none.
func principalWith(part *fixtures.APIScenario, role string, expired bool) (string, fixtures.Principal) {
	for _, token := range slices.Sorted(maps.Keys(part.Principals)) {
		if p := part.Principals[token]; p.Role == role && p.Expired == expired {
			return token, p
		}
	}
	return "", fixtures.Principal{}
}
