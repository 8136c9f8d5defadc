package dashboard

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

type scenarioRow struct {
	Name, Description, Extends string
	Active                     bool
}

type scenariosPage struct {
	Active    string
	Scenarios []scenarioRow
	// State is each API's records, as tables.
	State []apiState
}

type apiState struct {
	API    string
	Tables []*table
	// Empty is true when the API has a store with no records at all.
	Empty bool
}

func (u *ui) scenarios(http.ResponseWriter, *http.Request) any {
	set := u.s.Scenarios()
	p := &scenariosPage{Active: u.s.Scenario()}
	for _, name := range set.Names() {
		sc, err := set.Get(name)
		if err != nil {
			continue
		}
		p.Scenarios = append(p.Scenarios, scenarioRow{Name: name, Description: sc.Description, Extends: sc.Extends, Active: name == p.Active})
	}
	state := u.s.State()
	for _, api := range u.s.APINames() {
		records, ok := state[api]
		if !ok {
			continue
		}
		p.State = append(p.State, stateTables(api, records))
	}
	return p
}

// stateTables turns a store's snapshot into tables, whatever its type:
// the store speaks JSON (its snapshot is what the admin API's /state
// answers), so the page reads that rather than knowing each API's types.
func stateTables(api string, records any) apiState {
	out := apiState{API: api}
	raw, err := json.Marshal(records)
	if err != nil {
		out.Tables = []*table{{Name: "error", Columns: []string{"message"}, Rows: [][]cell{{{Text: err.Error()}}}}}
		return out
	}
	var v any
	_ = json.Unmarshal(raw, &v)
	obj, ok := v.(map[string]any)
	if !ok {
		obj = map[string]any{"records": v}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	rows := 0
	for _, k := range keys {
		t := toTable(k, obj[k])
		rows += t.Total
		out.Tables = append(out.Tables, t)
	}
	out.Empty = rows == 0
	return out
}

// table is a JSON array of objects as rows and columns; nested arrays of
// objects become nested tables, anything else compact JSON.
type table struct {
	Name    string
	Columns []string
	Rows    [][]cell
	// Total counts the records; past maxTableRows only the first are
	// rows, so that a store of thousands still renders in milliseconds
	// (GET /__mock/state has them all).
	Total int
}

const maxTableRows = 500

// More counts the records not shown.
func (t *table) More() int { return t.Total - len(t.Rows) }

type cell struct {
	Text  string
	Table *table
	// Kind is "num", "bool", "null" or "" for the CSS.
	Kind string
}

func toTable(name string, v any) *table {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	t := &table{Name: name, Total: len(list)}
	list = list[:min(len(list), maxTableRows)]
	if !allObjects(list) {
		t.Columns = []string{"value"}
		for _, item := range list {
			t.Rows = append(t.Rows, []cell{toCell("value", item)})
		}
		return t
	}
	t.Columns = columns(list)
	for _, item := range list {
		obj := item.(map[string]any)
		row := make([]cell, len(t.Columns))
		for i, c := range t.Columns {
			row[i] = toCell(c, obj[c])
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func allObjects(list []any) bool {
	for _, item := range list {
		if _, ok := item.(map[string]any); !ok {
			return false
		}
	}
	return len(list) > 0
}

// columns keeps "id" first, then the keys in order of first appearance
// sorted within each object.
func columns(list []any) []string {
	var cols []string
	seen := map[string]bool{}
	for _, item := range list {
		obj := item.(map[string]any)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int {
			if a == "id" || b == "id" {
				return boolInt(b == "id") - boolInt(a == "id")
			}
			return strings.Compare(a, b)
		})
		for _, k := range keys {
			if !seen[k] {
				seen[k] = true
				cols = append(cols, k)
			}
		}
	}
	return cols
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func toCell(name string, v any) cell {
	switch x := v.(type) {
	case nil:
		return cell{Text: "—", Kind: "null"}
	case string:
		return cell{Text: x}
	case float64, bool:
		raw, _ := json.Marshal(x)
		kind := "num"
		if _, ok := x.(bool); ok {
			kind = "bool"
		}
		return cell{Text: string(raw), Kind: kind}
	case []any:
		if allObjects(x) {
			return cell{Table: toTable(name, x)}
		}
	}
	raw, _ := json.Marshal(v)
	return cell{Text: string(raw)}
}
