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

// decodeState reads `state:`: records by collection key, each checked
// against the record schema, ids unique within their parent; and the id
// counters under "$next".
func decodeState(api *spec.API, n fixtures.Node) any {
	st := State{Records: map[string][]Group{}, Next: map[string]int64{}}
	resources, err := findResources(api)
	if err != nil {
		n.Fail("API %s has no records: %v", api.Name, err)
		return &st
	}
	keys := make([]string, len(resources), len(resources)+1)
	for i, r := range resources {
		keys[i] = r.key
	}
	fields := n.Fields(append(keys, nextKey)...)
	for _, r := range resources {
		if list, ok := fields[r.key]; ok {
			st.Records[r.key] = decodeGroups(r, list)
		}
	}
	if next, ok := fields[nextKey]; ok {
		decodeNext(resources, next, st.Next)
	}
	return &st
}

// decodeGroups reads a top-level collection's list of records, or a
// nested collection's list of {parent, records} groups.
func decodeGroups(r *resource, n fixtures.Node) []Group {
	if len(r.parents) == 0 {
		return []Group{{Records: decodeRecords(r, n, map[string]int{})}}
	}
	var groups []Group
	seen := map[string]map[string]int{}
	for _, g := range n.Items() {
		f := g.Fields("parent", "records")
		parent := map[string]string{}
		pf := f["parent"].Fields(r.parents...)
		for _, name := range r.parents {
			v, ok := pf[name]
			text, isText := v.Text()
			if !ok || !isText || text == "" {
				g.FailAt("parent", "names no %s", name)
				continue
			}
			parent[name] = text
		}
		key := fmt.Sprint(parent)
		if seen[key] == nil {
			seen[key] = map[string]int{}
		}
		groups = append(groups, Group{Parent: parent, Records: decodeRecords(r, f["records"], seen[key])})
	}
	return groups
}

func decodeRecords(r *resource, n fixtures.Node, seen map[string]int) []map[string]any {
	records := []map[string]any{}
	coll := &collection{res: r}
	for _, item := range n.Items() {
		v, ok := item.JSON()
		rec, isObject := v.(map[string]any)
		if !ok || !item.Check(r.schema, v, "the "+r.name()+" record schema") || !isObject {
			continue
		}
		if id, given := coll.idOf(rec); given {
			if line, dup := seen[id]; dup {
				item.FailAt(r.idField, "%s %s is listed twice (first at line %d)", r.name(), id, line)
				continue
			}
			seen[id] = item.Line()
		}
		records = append(records, rec)
	}
	return records
}

// decodeNext reads the next integer id of collections with integer ids.
func decodeNext(resources []*resource, n fixtures.Node, out map[string]int64) {
	var keys []string
	for _, r := range resources {
		if r.intID {
			keys = append(keys, r.key)
		}
	}
	for key, v := range n.Fields(keys...) {
		var next int64
		if err := v.Decode(&next); err != nil || next < 1 {
			v.Fail("the next id of /%s must be a whole number from 1", key)
			continue
		}
		out[key] = next
	}
}
