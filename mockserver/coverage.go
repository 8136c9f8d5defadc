package mockserver

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"
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
	// UpstreamLatency is the real service's answer time, for an API the
	// proxy forwards, once it has answered this operation.
	UpstreamLatency *LatencySummary `json:"upstreamLatency,omitempty"`
}

// coverage counts one API's answers per operation and status for the
// Server's whole life (until ClearRequests), unlike the journal, which
// keeps only the newest entries. Documented statuses, nearly every
// answer, count in atomics laid out at start (compiledOp.slot), so a
// call takes no lock and allocates nothing; the rest, an undocumented
// status, in a map under a lock.
type coverage struct {
	documented []atomic.Int64
	// upstream has a histogram per operation of a forwarded API, made
	// when the upstream is mounted and only read after.
	upstream map[*compiledOp]*latencyHistogram

	mu           sync.Mutex
	undocumented map[undocumentedKey]int
}

type undocumentedKey struct {
	op     *compiledOp
	status int
}

func newCoverage(c *compiledAPI) *coverage {
	return &coverage{documented: make([]atomic.Int64, c.slots)}
}

// forwarded makes the operations' upstream latency histograms.
func (c *coverage) forwarded(api *compiledAPI) {
	c.upstream = make(map[*compiledOp]*latencyHistogram, len(api.ops))
	for _, op := range api.ops {
		c.upstream[op] = &latencyHistogram{}
	}
}

// addUpstream records how long the real service took to answer op.
func (c *coverage) addUpstream(op *compiledOp, d time.Duration) {
	if h := c.upstream[op]; h != nil {
		h.add(d)
	}
}

func (c *coverage) add(op *compiledOp, status int) {
	if i, ok := slices.BinarySearch(op.op.Statuses, status); ok {
		c.documented[op.slot+i].Add(1)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.undocumented == nil {
		c.undocumented = map[undocumentedKey]int{}
	}
	c.undocumented[undocumentedKey{op, status}]++
}

// answered is the operation's count per status, documented or not.
func (c *coverage) answered(op *compiledOp) map[int]int {
	out := map[int]int{}
	for i, status := range op.op.Statuses {
		if n := c.documented[op.slot+i].Load(); n > 0 {
			out[status] = int(n)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, n := range c.undocumented {
		if k.op == op {
			out[k.status] += n
		}
	}
	return out
}

func (c *coverage) clear() {
	for i := range c.documented {
		c.documented[i].Store(0)
	}
	for _, h := range c.upstream {
		h.clear()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.undocumented = nil
}

// Coverage reports, for every served API, each operation's calls and the
// documented statuses no call has produced yet.
func (s *Server) Coverage() Coverage {
	report := Coverage{APIs: []APICoverage{}}
	for _, name := range s.APINames() {
		m := s.byName[name]
		ac := APICoverage{API: name, Operations: []OperationCoverage{}}
		for _, op := range m.c.api.Operations {
			oc := OperationCoverage{Operation: op.Key(), Method: op.Method, Path: op.Path, Missing: []int{}}
			cop := m.c.ops[op.Key()]
			oc.Answered = m.coverage.answered(cop)
			if h := m.coverage.upstream[cop]; h != nil {
				oc.UpstreamLatency = h.summary()
			}
			for _, n := range oc.Answered {
				oc.Calls += n
			}
			for _, status := range op.Statuses {
				if oc.Answered[status] == 0 {
					oc.Missing = append(oc.Missing, status)
				} else {
					ac.CoveredStatuses++
				}
			}
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
