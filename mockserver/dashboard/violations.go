package dashboard

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// violationGroup is one row of the page: the Server's own group, and
// which side of the exchange broke the rule.
type violationGroup struct {
	mockserver.ViolationGroup
	In string
}

// operationViolations gathers one operation's groups.
type operationViolations struct {
	API, Operation string
	Count          int
	Groups         []violationGroup
}

type violationsPage struct {
	// In selects "request" or "response" violations; "" shows both.
	In         string
	Operations []*operationViolations
	Total      int
	Dropped    int
}

// violations shows Server.Violations, what GET /__mock/violations
// answers, grouped once more by operation for reading.
func (u *ui) violations(_ http.ResponseWriter, r *http.Request) any {
	report := u.s.Violations()
	p := &violationsPage{In: r.URL.Query().Get("in"), Dropped: report.Dropped}
	byOp := map[[2]string]*operationViolations{}
	for _, g := range report.Groups {
		in := mockserver.Violation{Rule: g.Rule}.In()
		if p.In != "" && in != p.In {
			continue
		}
		key := [2]string{g.API, g.Operation}
		ov := byOp[key]
		if ov == nil {
			ov = &operationViolations{API: g.API, Operation: g.Operation}
			byOp[key] = ov
			p.Operations = append(p.Operations, ov)
		}
		ov.Count += g.Count
		p.Total += g.Count
		ov.Groups = append(ov.Groups, violationGroup{ViolationGroup: g, In: in})
	}
	for _, ov := range p.Operations {
		slices.SortFunc(ov.Groups, func(a, b violationGroup) int {
			return cmp.Or(b.Count-a.Count, cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Pointer, b.Pointer))
		})
	}
	slices.SortFunc(p.Operations, func(a, b *operationViolations) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.API, b.API), cmp.Compare(a.Operation, b.Operation))
	})
	return p
}
