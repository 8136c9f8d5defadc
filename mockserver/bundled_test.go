package mockserver_test

import (
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
)

// withBundled fills in what the command gives the engine: the bundled
// packs when opts names no API, and the bundled scenarios with them. The
// engine's tests were written against those APIs; the engine itself knows
// none of them.
func withBundled(t testing.TB, opts mockserver.Options) mockserver.Options {
	t.Helper()
	if opts.Packs != nil || opts.APIs != nil {
		return opts
	}
	packs, err := bundled.Packs()
	if err != nil {
		t.Fatal(err)
	}
	opts.Packs = packs
	if opts.Scenarios == nil {
		if opts.Scenarios, err = bundled.Default(); err != nil {
			t.Fatal(err)
		}
	}
	return opts
}

func TestNewWithoutPacksOrAPIsFails(t *testing.T) {
	if _, err := mockserver.New(mockserver.Options{}); err == nil {
		t.Fatal("New served nothing without complaint")
	}
}
