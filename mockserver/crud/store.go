package crud

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// State is the records of one API as scenarios and the state file give
// them. It marshals to one JSON object: each collection's key (its path
// template without the leading slash) maps to its records, a list for a
// top-level collection and a list of Groups for a nested one; "$next"
// maps each collection with integer ids to the next id it hands out, so
// that a deleted id is not handed out again after a restart.
type State struct {
	Records map[string][]Group
	Next    map[string]int64
}

// Group is the records of one collection under one parent: Parent holds
// the values of the collection path's parameters ({"ownerId": "alice"}
// for /owners/alice/pets), empty for a top-level collection.
type Group struct {
	Parent  map[string]string `json:"parent"`
	Records []map[string]any  `json:"records"`
}

// nextKey is the key of the id counters in State's JSON.
const nextKey = "$next"

// MarshalJSON writes the shape decodeState reads back.
func (st State) MarshalJSON() ([]byte, error) {
	out := make(map[string]any, len(st.Records)+1)
	for key, groups := range st.Records {
		if strings.Contains(key, "{") {
			out[key] = groups
			continue
		}
		records := []map[string]any{}
		for _, g := range groups {
			records = append(records, g.Records...)
		}
		out[key] = records
	}
	if len(st.Next) > 0 {
		out[nextKey] = st.Next
	}
	return json.Marshal(out)
}

// Store keeps the records of one Server, per collection in creation order.
type Store struct {
	mu          sync.Mutex
	resources   []*resource
	collections map[string]*collection
}

type collection struct {
	res    *resource
	order  []string // slots in creation order, the list order
	bySlot map[string]*item
	next   int64 // the next integer id
}

// item is one record and the parent path values it was made under.
type item struct {
	rec    map[string]any
	parent []string // values of res.parents, in order
}

// slot is where a record sits: its id within its parent. Ids are unique
// within a parent, as the item path that names them.
func slot(parent []string, id string) string {
	return strings.Join(append(slices.Clone(parent), id), "\x00")
}

func newStore(resources []*resource) *Store {
	return &Store{resources: resources}
}

// Reset replaces every record with state (*State, or nil for none).
func (s *Store) Reset(state any) error {
	st, ok := state.(*State)
	if !ok && state != nil {
		return fmt.Errorf("crud store: state of type %T, want *crud.State", state)
	}
	if st == nil {
		st = &State{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.collections = map[string]*collection{}
	for _, r := range s.resources {
		c := &collection{res: r, bySlot: map[string]*item{}, next: max(st.Next[r.key], 1)}
		s.collections[r.key] = c
		if err := c.load(st.Records[r.key]); err != nil {
			return fmt.Errorf("crud store: %s: %w", r.key, err)
		}
	}
	for key := range st.Records {
		if s.collections[key] == nil {
			return fmt.Errorf("crud store: records for %q, which is no collection of this API", key)
		}
	}
	return nil
}

// load adds records, keeping their ids and numbering after the highest.
func (c *collection) load(groups []Group) error {
	for _, g := range groups {
		for _, rec := range g.Records {
			if n, ok := intOf(rec[c.res.idField]); ok && c.res.intID && n >= c.next {
				c.next = n + 1
			}
		}
	}
	for _, g := range groups {
		parent := make([]string, len(c.res.parents))
		for i, name := range c.res.parents {
			v, ok := g.Parent[name]
			if !ok {
				return fmt.Errorf("a group of records has no parent %s", name)
			}
			parent[i] = v
		}
		for _, rec := range g.Records {
			rec = maps.Clone(rec)
			id, ok := c.idOf(rec)
			if !ok {
				id = c.newID(rec)
			}
			c.add(parent, id, rec)
		}
	}
	return nil
}

// Snapshot returns the records in the form Reset takes.
func (s *Store) Snapshot() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{Records: map[string][]Group{}, Next: map[string]int64{}}
	for key, c := range s.collections {
		st.Records[key] = c.groups()
		if c.res.intID {
			st.Next[key] = c.next
		}
	}
	return &st
}

// groups lists the records by parent, each group in creation order and
// the groups in the order of their first record.
func (c *collection) groups() []Group {
	var out []Group
	index := map[string]int{}
	for _, sl := range c.order {
		it := c.bySlot[sl]
		pk := strings.Join(it.parent, "\x00")
		i, ok := index[pk]
		if !ok {
			i = len(out)
			index[pk] = i
			parent := make(map[string]string, len(it.parent))
			for j, name := range c.res.parents {
				parent[name] = it.parent[j]
			}
			out = append(out, Group{Parent: parent, Records: []map[string]any{}})
		}
		out[i].Records = append(out[i].Records, maps.Clone(it.rec))
	}
	if out == nil {
		out = []Group{}
	}
	return out
}

func (c *collection) add(parent []string, id string, rec map[string]any) {
	sl := slot(parent, id)
	if _, ok := c.bySlot[sl]; !ok {
		c.order = append(c.order, sl)
	}
	c.bySlot[sl] = &item{rec: rec, parent: parent}
}

func (c *collection) remove(parent []string, id string) {
	sl := slot(parent, id)
	delete(c.bySlot, sl)
	for i, o := range c.order {
		if o == sl {
			c.order = append(c.order[:i], c.order[i+1:]...)
			return
		}
	}
}

// get is the record with that id under that parent.
func (c *collection) get(parent []string, id string) (map[string]any, bool) {
	it, ok := c.bySlot[slot(parent, id)]
	if !ok {
		return nil, false
	}
	return it.rec, true
}

// idOf reads a record's id from its id property.
func (c *collection) idOf(rec map[string]any) (string, bool) {
	if c.res.idField == "" {
		return "", false
	}
	switch v := rec[c.res.idField].(type) {
	case string:
		return v, v != ""
	case nil:
		return "", false
	default:
		n, ok := intOf(v)
		return strconv.FormatInt(n, 10), ok
	}
}

// newID makes the next id and writes it into the record's id property.
func (c *collection) newID(rec map[string]any) string {
	var id string
	var value any
	if c.res.intID {
		value, id = c.next, strconv.FormatInt(c.next, 10)
		c.next++
	} else {
		id = uuid()
		value = id
	}
	if c.res.idField != "" {
		rec[c.res.idField] = value
	}
	return id
}

// uuid is a random (version 4) UUID.
func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// intOf reads a whole number decoded from JSON or YAML.
func intOf(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		return int64(n), n == float64(int64(n))
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}
