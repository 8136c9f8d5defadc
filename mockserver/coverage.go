package mockserver

import (
	"slices"
	"sync"
)

// Coverage says which documented operations and statuses a Server has
// answered: what a test run exercised, and what it never reached.
type Coverage struct {
	APIs []APICoverage `json:"apis"`
}

// APICoverage is one API's part of the report.
type APICoverage struct {
	API string `json:"api"`
	// Operations lists every operation of the spec, called or not.
	Operations []OperationCoverage `json:"operations"`
	// CoveredOperations counts operations called at least once.
	CoveredOperations int `json:"coveredOperations"`
	// CoveredStatuses and DocumentedStatuses count (operation, status)
	// pairs: answered at least once, and documented.
	CoveredStatuses    int `json:"coveredStatuses"`
	DocumentedStatuses int `json:"documentedStatuses"`
}

// OperationCoverage is one operation's part of the report.
type OperationCoverage struct {
	Operation string `json:"operation"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Calls     int    `json:"calls"`
	// Answered counts the answers per status, documented or not.
	Answered map[int]int `json:"answered"`
	// Missing are documented statuses never answered.
	Missing []int `json:"missing"`
}

// coverage counts answers per operation and status for the Server's
// whole life (until ClearRequests), unlike the journal, which keeps only
// the newest entries.
type coverage struct {
	mu     sync.Mutex
	counts map[coverageKey]int
}

type coverageKey struct {
	api, operation string
	status         int
}

func (c *coverage) add(api, operation string, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil {
		c.counts = map[coverageKey]int{}
	}
	c.counts[coverageKey{api, operation, status}]++
}

func (c *coverage) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts = nil
}

// Coverage reports, for every served API, each operation's calls and the
// documented statuses no call has produced yet.
func (s *Server) Coverage() Coverage {
	s.coverage.mu.Lock()
	counts := make(map[coverageKey]int, len(s.coverage.counts))
	for k, v := range s.coverage.counts {
		counts[k] = v
	}
	s.coverage.mu.Unlock()

	report := Coverage{APIs: []APICoverage{}}
	for _, name := range s.APINames() {
		api := s.byName[name].c.api
		ac := APICoverage{API: name, Operations: []OperationCoverage{}}
		for _, op := range api.Operations {
			oc := OperationCoverage{Operation: op.Key(), Method: op.Method, Path: op.Path, Answered: map[int]int{}, Missing: []int{}}
			for k, n := range counts {
				if k.api == name && k.operation == oc.Operation {
					oc.Answered[k.status] += n
					oc.Calls += n
				}
			}
			for _, status := range op.Statuses {
				if oc.Answered[status] == 0 {
					oc.Missing = append(oc.Missing, status)
				} else {
					ac.CoveredStatuses++
				}
			}
			slices.Sort(oc.Missing)
			ac.DocumentedStatuses += len(op.Statuses)
			if oc.Calls > 0 {
				ac.CoveredOperations++
			}
			ac.Operations = append(ac.Operations, oc)
		}
		report.APIs = append(report.APIs, ac)
	}
	return report
}
