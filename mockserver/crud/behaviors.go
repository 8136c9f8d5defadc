package crud

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/spec"
)

// action answers one call on one collection under one parent (the
// values of the collection path's parameters), with the store locked.
type action func(c *mockserver.Call, coll *collection, parent []string, op *spec.Operation) *mockserver.Reply

// behaviors maps each resource operation to its action.
func behaviors(resources []*resource) map[string]mockserver.Behavior {
	actions := map[string]action{
		"create": create, "list": list, "read": read,
		"replace": replace, "patch": patch, "delete": remove,
	}
	out := map[string]mockserver.Behavior{}
	for _, r := range resources {
		for role, op := range r.ops {
			out[op.ID] = handler(r, op, actions[role])
		}
	}
	return out
}

func handler(r *resource, op *spec.Operation, act action) mockserver.Behavior {
	return mockserver.BehaviorFunc(func(c *mockserver.Call) *mockserver.Reply {
		s, ok := c.Store.(*Store)
		if !ok {
			return mockserver.Fail(spec.KindInternal, "no crud store behind this API")
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		coll := s.collections[r.key]
		if coll == nil {
			return mockserver.Fail(spec.KindInternal, "the store has no collection /"+r.key)
		}
		parent := make([]string, len(r.parents))
		for i, name := range r.parents {
			parent[i] = c.PathParams[name]
		}
		if reply := s.parentExists(r, parent); reply != nil {
			return reply
		}
		return act(c, coll, parent, op)
	})
}

// parentExists answers 404 when a record the path goes through (alice
// in /owners/alice/pets) is not in its collection, checking each level
// the document has a collection for.
func (s *Store) parentExists(r *resource, parent []string) *mockserver.Reply {
	for p := r.parent; p != nil; p = p.parent {
		coll := s.collections[p.key]
		n := len(p.parents)
		if coll == nil || n >= len(parent) {
			return nil
		}
		if _, ok := coll.get(parent[:n], parent[n]); !ok {
			return mockserver.Fail(spec.KindNotFound, fmt.Sprintf("%s %s does not exist", p.name(), parent[n]))
		}
		parent = parent[:n]
	}
	return nil
}

// answer is the operation's success status with the value, or no body
// when the operation documents none.
func answer(op *spec.Operation, value any) *mockserver.Reply {
	if successSchema(op) == nil {
		return mockserver.Empty(success(op))
	}
	return mockserver.JSON(success(op), value)
}

func body(c *mockserver.Call) map[string]any {
	b, _ := c.Body.(map[string]any)
	return maps.Clone(b)
}

func create(c *mockserver.Call, coll *collection, parent []string, op *spec.Operation) *mockserver.Reply {
	rec := body(c)
	if rec == nil {
		rec = map[string]any{}
	}
	id := coll.newID(rec)
	coll.add(parent, id, rec)
	return answer(op, rec)
}

func list(c *mockserver.Call, coll *collection, parent []string, op *spec.Operation) *mockserver.Reply {
	q := c.Request.URL.Query()
	offset, limit := 0, len(coll.order)
	if v, err := strconv.Atoi(q.Get("offset")); err == nil && v > 0 && hasQuery(op, "offset") {
		offset = v
	}
	if v, err := strconv.Atoi(q.Get("limit")); err == nil && v >= 0 && hasQuery(op, "limit") {
		limit = v
	}
	records := []map[string]any{}
	for _, sl := range coll.order {
		it := coll.bySlot[sl]
		if !slices.Equal(it.parent, parent) {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		if len(records) == limit {
			break
		}
		records = append(records, it.rec)
	}
	return answer(op, wrapList(successSchema(op), records))
}

// wrapList puts the records where the list schema wants them: the body
// itself, or the one array property of an object.
func wrapList(schema *openapi3.Schema, records []map[string]any) any {
	if schema == nil || !schema.Type.Is(openapi3.TypeObject) {
		return records
	}
	var arrays []string
	for name, p := range schema.Properties {
		if p.Value != nil && p.Value.Type.Is(openapi3.TypeArray) {
			arrays = append(arrays, name)
		}
	}
	if len(arrays) != 1 {
		return records
	}
	return map[string]any{arrays[0]: records}
}

func hasQuery(op *spec.Operation, name string) bool {
	for _, params := range []openapi3.Parameters{op.PathItem.Parameters, op.Op.Parameters} {
		if p := params.GetByInAndName(openapi3.ParameterInQuery, name); p != nil {
			return true
		}
	}
	return false
}

// find resolves the item path parameter under the parent, or answers 404.
func find(c *mockserver.Call, coll *collection, parent []string) (string, map[string]any, *mockserver.Reply) {
	id := c.PathParams[coll.res.param]
	rec, ok := coll.get(parent, id)
	if !ok {
		return "", nil, mockserver.Fail(spec.KindNotFound, fmt.Sprintf("%s %s does not exist", coll.res.name(), id))
	}
	return id, rec, nil
}

func read(c *mockserver.Call, coll *collection, parent []string, op *spec.Operation) *mockserver.Reply {
	_, rec, reply := find(c, coll, parent)
	if reply != nil {
		return reply
	}
	return answer(op, rec)
}

func replace(c *mockserver.Call, coll *collection, parent []string, op *spec.Operation) *mockserver.Reply {
	id, old, reply := find(c, coll, parent)
	if reply != nil {
		return reply
	}
	rec := body(c)
	if rec == nil {
		rec = map[string]any{}
	}
	if f := coll.res.idField; f != "" {
		rec[f] = old[f] // the path names the record; a body's id cannot move it
	}
	coll.add(parent, id, rec)
	return answer(op, rec)
}

func patch(c *mockserver.Call, coll *collection, parent []string, op *spec.Operation) *mockserver.Reply {
	id, old, reply := find(c, coll, parent)
	if reply != nil {
		return reply
	}
	rec := maps.Clone(old)
	maps.Copy(rec, body(c))
	if f := coll.res.idField; f != "" {
		rec[f] = old[f]
	}
	coll.add(parent, id, rec)
	return answer(op, rec)
}

func remove(c *mockserver.Call, coll *collection, parent []string, op *spec.Operation) *mockserver.Reply {
	id, rec, reply := find(c, coll, parent)
	if reply != nil {
		return reply
	}
	coll.remove(parent, id)
	return answer(op, rec)
}
