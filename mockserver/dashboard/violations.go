package dashboard

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// violationGroup is one rule broken at one place of one operation, with
// how often and the first and last request that broke it.
type violationGroup struct {
	mockserver.Violation
	API, Operation      string
	Count               int
	FirstSeq, LastSeq   int64
	FirstTime, LastTime time.Time
	LastStatus          int
}

// operationViolations gathers one operation's groups.
type operationViolations struct {
	API, Operation string
	Count          int
	Groups         []*violationGroup
}

type violationsPage struct {
	// In selects "request" or "response" violations; "" shows both.
	In         string
	Operations []*operationViolations
	Total      int
	Entries    int
}

type violationKey struct {
	api, op, in, rule, pointer string
}

// violations groups the journal's violations. The proxy will report its
// own through the same entries, so this page needs no change for it.
func (u *ui) violations(_ http.ResponseWriter, r *http.Request) any {
	p := &violationsPage{In: r.URL.Query().Get("in")}
	groups := map[violationKey]*violationGroup{}
	for _, e := range u.s.Requests(mockserver.Filter{}) {
		counted := false
		for _, v := range e.Violations {
			if p.In != "" && v.In != p.In {
				continue
			}
			if !counted {
				p.Entries++
				counted = true
			}
			k := violationKey{e.API, e.Operation, v.In, v.Rule, v.Pointer}
			g := groups[k]
			if g == nil {
				g = &violationGroup{Violation: v, API: e.API, Operation: e.Operation, FirstSeq: e.Seq, FirstTime: e.Time}
				groups[k] = g
			}
			g.Count++
			g.LastSeq, g.LastTime, g.LastStatus, g.Message = e.Seq, e.Time, e.Status, v.Message
			p.Total++
		}
	}
	byOp := map[[2]string]*operationViolations{}
	for _, g := range groups {
		key := [2]string{g.API, g.Operation}
		ov := byOp[key]
		if ov == nil {
			ov = &operationViolations{API: g.API, Operation: g.Operation}
			byOp[key] = ov
			p.Operations = append(p.Operations, ov)
		}
		ov.Count += g.Count
		ov.Groups = append(ov.Groups, g)
	}
	for _, ov := range p.Operations {
		slices.SortFunc(ov.Groups, func(a, b *violationGroup) int {
			return cmp.Or(b.Count-a.Count, cmp.Compare(a.In, b.In), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Pointer, b.Pointer))
		})
	}
	slices.SortFunc(p.Operations, func(a, b *operationViolations) int {
		return cmp.Or(b.Count-a.Count, cmp.Compare(a.API, b.API), cmp.Compare(a.Operation, b.Operation))
	})
	return p
}
