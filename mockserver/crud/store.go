package crud

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"sync"
)

// State is the records of each collection, by collection name, as
// scenarios and the state file give them.
type State map[string][]map[string]any

// Store keeps the records of one Server, per collection in creation order.
type Store struct {
	mu          sync.Mutex
	resources   []*resource
	collections map[string]*collection
}

type collection struct {
	res   *resource
	order []string // ids in creation order, the list order
	byID  map[string]map[string]any
	next  int64 // the next integer id
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
	s.mu.Lock()
	defer s.mu.Unlock()
	s.collections = map[string]*collection{}
	for _, r := range s.resources {
		c := &collection{res: r, byID: map[string]map[string]any{}, next: 1}
		s.collections[r.name] = c
		if st != nil {
			c.load((*st)[r.name])
		}
	}
	if st != nil {
		for name := range *st {
			if s.collections[name] == nil {
				return fmt.Errorf("crud store: records for %q, which is no collection of this API", name)
			}
		}
	}
	return nil
}

// load adds records, keeping their ids and numbering after the highest.
func (c *collection) load(records []map[string]any) {
	for _, rec := range records {
		if n, ok := intOf(rec[c.res.idField]); ok && c.res.intID && n >= c.next {
			c.next = n + 1
		}
	}
	for _, rec := range records {
		rec = maps.Clone(rec)
		id, ok := c.idOf(rec)
		if !ok {
			id = c.newID(rec)
		}
		c.add(id, rec)
	}
}

// Snapshot returns the records in the form Reset takes.
func (s *Store) Snapshot() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{}
	for name, c := range s.collections {
		records := make([]map[string]any, 0, len(c.order))
		for _, id := range c.order {
			records = append(records, maps.Clone(c.byID[id]))
		}
		st[name] = records
	}
	return &st
}

func (c *collection) add(id string, rec map[string]any) {
	if _, ok := c.byID[id]; !ok {
		c.order = append(c.order, id)
	}
	c.byID[id] = rec
}

func (c *collection) remove(id string) {
	delete(c.byID, id)
	for i, o := range c.order {
		if o == id {
			c.order = append(c.order[:i], c.order[i+1:]...)
			return
		}
	}
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
