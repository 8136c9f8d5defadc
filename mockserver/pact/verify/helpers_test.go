package verify

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	"github.com/realestate-mocks/mockserver/mockserver/pact"
	"github.com/realestate-mocks/mockserver/spec"
)

// bundledOptions verifies against fresh in-process mocks of the bundled
// APIs and scenarios.
func bundledOptions(t testing.TB) Options {
	t.Helper()
	packs, err := bundled.Packs()
	if err != nil {
		t.Fatal(err)
	}
	set, err := bundled.Default()
	if err != nil {
		t.Fatal(err)
	}
	apis := make([]*spec.API, len(packs))
	for i, p := range packs {
		apis[i] = p.API
	}
	return Options{APIs: apis, NewMock: func() (*mockserver.Server, error) {
		return mockserver.New(mockserver.Options{Packs: packs, Scenarios: set})
	}}
}

func readPact(t testing.TB, name string) *pact.File {
	t.Helper()
	f, err := pact.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func verifyFiles(t testing.TB, opts Options, names ...string) *Report {
	t.Helper()
	files := make([]*pact.File, len(names))
	for i, n := range names {
		files[i] = readPact(t, n)
	}
	r, err := Verify(context.Background(), files, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
