package bundled_test

import (
	"testing"

	"github.com/realestate-mocks/mockserver/mockserver/bundled"
	bt "github.com/realestate-mocks/mockserver/mockserver/internal/bundledtest"
)

// The packs are built once and shared: a caller changing its copy must
// not change what the next caller gets.
func TestPacksAreCopies(t *testing.T) {
	first, err := bundled.Packs()
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(first))
	for i, p := range first {
		names[i] = p.API.Name
		p.API, p.NewStore = nil, nil
	}
	second, err := bundled.Packs()
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != len(names) {
		t.Fatalf("%d packs, then %d", len(names), len(second))
	}
	for i, p := range second {
		if p.API == nil || p.API.Name != names[i] || p.NewStore == nil {
			t.Fatalf("pack %d (%s) changed by another caller: %+v", i, names[i], p)
		}
		if p.NewStore() == p.NewStore() {
			t.Fatalf("pack %s hands out one store twice", names[i])
		}
	}
}

// The empty scenario keeps the tokens and drops every record of both APIs.
func TestEmptyScenarioHasNoRecords(t *testing.T) {
	t.Parallel()
	bt.Run(t, bt.Scenario(t, "empty"), bt.Step{Req: bt.Admin("GET", "/state"), Status: 200, Check: func(t testing.TB, r bt.Resp) {
		want := `{"opentoclose":{"properties":[]},"spark":{"listings":[]}}`
		if !bt.JSONEqual(t, r.Body, []byte(want)) {
			t.Errorf("state = %s, want %s", r.Body, want)
		}
	}})
}
