package verify

import (
	"context"
	"fmt"
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver/pact"
)

// BenchmarkVerify500 verifies a 500-interaction pact per op, both checks,
// each interaction from its scenario's reset state: the faithful
// interactions of both bundled APIs (reads, writes, deletes, refusals,
// V2/V3 rules), in turn. The goal is under 2 s per op.
func BenchmarkVerify500(b *testing.B) {
	var pool []pact.Interaction
	var providers []string
	for _, name := range []string{"spark-faithful.json", "opentoclose-faithful.json"} {
		f := readPact(b, name)
		for _, it := range f.Interactions {
			pool = append(pool, it)
			providers = append(providers, f.Provider)
		}
	}
	files := map[string]*pact.File{}
	for i := range 500 {
		it := pool[i%len(pool)]
		it.Description = fmt.Sprintf("%s #%d", it.Description, i)
		p := providers[i%len(pool)]
		if files[p] == nil {
			files[p] = &pact.File{Consumer: "bench", Provider: p, Version: pact.V3}
		}
		files[p].Interactions = append(files[p].Interactions, it)
	}
	list := []*pact.File{files["spark"], files["opentoclose"]}
	opts := bundledOptions(b)
	b.ReportAllocs()
	for b.Loop() {
		r, err := Verify(context.Background(), list, opts)
		if err != nil || !r.OK || len(r.Interactions) != 500 {
			b.Fatalf("err %v, ok %v, %d interactions", err, r != nil && r.OK, len(r.Interactions))
		}
	}
}
