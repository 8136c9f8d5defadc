package crud

import (
	"fmt"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/spec"
)

// Pack keeps records for api's collections in memory; it fails when the
// document has no collection path with an item path beneath it.
func Pack(api *spec.API) (*mockserver.Pack, error) {
	resources, err := findResources(api)
	if err != nil {
		return nil, fmt.Errorf("API %s: %w", api.Name, err)
	}
	return &mockserver.Pack{
		API:       api,
		NewStore:  func() mockserver.Store { return newStore(resources) },
		Behaviors: behaviors(resources),
		Scenario:  fixtures.Vocabulary{DecodeState: decodeState},
	}, nil
}

// decodeState reads `state:`: records by collection name, each checked
// against the record schema, ids unique.
func decodeState(api *spec.API, n fixtures.Node) any {
	st := State{}
	resources, err := findResources(api)
	if err != nil {
		n.Fail("API %s has no records: %v", api.Name, err)
		return &st
	}
	names := make([]string, len(resources))
	for i, r := range resources {
		names[i] = r.name
	}
	fields := n.Fields(names...)
	for _, r := range resources {
		if list, ok := fields[r.name]; ok {
			st[r.name] = decodeRecords(r, list)
		}
	}
	return &st
}

func decodeRecords(r *resource, n fixtures.Node) []map[string]any {
	records := []map[string]any{}
	seen := map[string]int{}
	coll := &collection{res: r}
	for _, item := range n.Items() {
		v, ok := item.JSON()
		rec, isObject := v.(map[string]any)
		if !ok || !item.Check(r.schema, v, "the "+r.name+" record schema") || !isObject {
			continue
		}
		if id, given := coll.idOf(rec); given {
			if line, dup := seen[id]; dup {
				item.FailAt(r.idField, "%s %s is listed twice (first at line %d)", r.name, id, line)
				continue
			}
			seen[id] = item.Line()
		}
		records = append(records, rec)
	}
	return records
}
