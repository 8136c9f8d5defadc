package dashboard

import (
	"net/http"
	"slices"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// coverageAPI is one API's matrix: operations down, statuses across.
type coverageAPI struct {
	mockserver.APICoverage
	Statuses []int
	Rows     []coverageRow
	// Percent is the share of documented (operation, status) pairs answered.
	Percent   int
	OpPercent int
}

type coverageRow struct {
	mockserver.OperationCoverage
	Cells []coverageCell
}

// coverageCell is one (operation, status) pair.
type coverageCell struct {
	Status     int
	Count      int
	Documented bool
}

// State names the cell's look: answered, missing (documented, never
// answered), extra (answered, not documented) or empty.
func (c coverageCell) State() string {
	switch {
	case c.Count > 0 && c.Documented:
		return "answered"
	case c.Count > 0:
		return "extra"
	case c.Documented:
		return "missing"
	}
	return "empty"
}

type coveragePage struct {
	APIs []coverageAPI
	// Percent is over every API.
	Percent                   int
	Covered, Documented       int
	CoveredOps, DocumentedOps int
}

func (u *ui) coverage(http.ResponseWriter, *http.Request) any {
	p := &coveragePage{}
	for _, ac := range u.s.Coverage().APIs {
		api := u.coverageAPI(ac)
		p.APIs = append(p.APIs, api)
		p.Covered += ac.CoveredStatuses
		p.Documented += ac.DocumentedStatuses
		p.CoveredOps += ac.CoveredOperations
		p.DocumentedOps += len(ac.Operations)
	}
	p.Percent = percent(p.Covered, p.Documented)
	return p
}

func (u *ui) coverageAPI(ac mockserver.APICoverage) coverageAPI {
	documented := u.documented(ac.API)
	out := coverageAPI{APICoverage: ac, Percent: percent(ac.CoveredStatuses, ac.DocumentedStatuses), OpPercent: percent(ac.CoveredOperations, len(ac.Operations))}
	for _, oc := range ac.Operations {
		out.Statuses = append(out.Statuses, documented[oc.Method+" "+oc.Path]...)
		for status := range oc.Answered {
			out.Statuses = append(out.Statuses, status)
		}
	}
	slices.Sort(out.Statuses)
	out.Statuses = slices.Compact(out.Statuses)
	for _, oc := range ac.Operations {
		row := coverageRow{OperationCoverage: oc}
		docs := documented[oc.Method+" "+oc.Path]
		for _, status := range out.Statuses {
			row.Cells = append(row.Cells, coverageCell{Status: status, Count: oc.Answered[status], Documented: slices.Contains(docs, status)})
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// documented maps "METHOD path" to the operation's documented statuses.
func (u *ui) documented(api string) map[string][]int {
	out := map[string][]int{}
	if doc := u.s.API(api); doc != nil {
		for _, op := range doc.Operations {
			out[op.Method+" "+op.Path] = op.Statuses
		}
	}
	return out
}

func percent(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return part * 100 / whole
}
