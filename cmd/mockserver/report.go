package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/junit"
)

// report is what --report writes as JSON: enough for a CI job to fail on
// drift and for a person to see where.
type report struct {
	Generated time.Time `json:"generated"`
	// Upstreams are the forwarded APIs' base URLs.
	Upstreams  map[string]string          `json:"upstreams"`
	Violations mockserver.ViolationReport `json:"violations"`
	Coverage   mockserver.Coverage        `json:"coverage"`
}

// writeReport writes the JSON report to path and the JUnit XML beside it,
// and returns both paths.
func writeReport(path string, s *mockserver.Server) ([]string, error) {
	r := report{Generated: time.Now().UTC(), Upstreams: map[string]string{}, Violations: s.Violations(), Coverage: s.Coverage()}
	forwarded := map[string]bool{}
	for _, name := range s.APINames() {
		if u := s.Upstream(name); u != "" {
			r.Upstreams[name] = u
			forwarded[name] = true
		}
	}
	apis := r.Coverage.APIs[:0]
	for _, a := range r.Coverage.APIs {
		if forwarded[a.API] {
			apis = append(apis, a)
		}
	}
	r.Coverage.APIs = apis
	body, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("--report: %w", err)
	}
	if err := writeFileAtomic(path, append(body, '\n'), 0o644); err != nil {
		return nil, fmt.Errorf("--report: %w", err)
	}
	junitPath := strings.TrimSuffix(path, filepath.Ext(path)) + ".junit.xml"
	var xmlBody bytes.Buffer
	suites := junitReport(r)
	if err := suites.Write(&xmlBody); err != nil {
		return nil, fmt.Errorf("--report: %w", err)
	}
	if err := writeFileAtomic(junitPath, xmlBody.Bytes(), 0o644); err != nil {
		return nil, fmt.Errorf("--report: %w", err)
	}
	return []string{path, junitPath}, nil
}

// junit makes one suite per forwarded API, one case per operation (plus
// one for calls that matched none), one failure per rule broken; an
// operation never called is skipped, so coverage shows in the CI's view.
func junitReport(r report) junit.Suites {
	out := junit.Suites{Name: "mockserver proxy"}
	for _, a := range r.Coverage.APIs {
		suite := junit.Suite{Name: a.API, Timestamp: r.Generated.Format(time.RFC3339)}
		byOp := map[string][]mockserver.ViolationGroup{}
		for _, g := range r.Violations.Groups {
			if g.API == a.API {
				byOp[g.Operation] = append(byOp[g.Operation], g)
			}
		}
		for _, op := range a.Operations {
			c := junit.Case{Name: op.Operation, Classname: a.API, SystemOut: fmt.Sprintf("%s %s: %d calls%s", op.Method, op.Path, op.Calls, answeredText(op.Answered))}
			if op.Calls == 0 && len(byOp[op.Operation]) == 0 {
				c.Skipped = &junit.Skipped{Message: "not called through the proxy"}
			}
			c.Failures = failures(byOp[op.Operation])
			delete(byOp, op.Operation)
			suite.Add(c)
		}
		for _, name := range slices.Sorted(maps.Keys(byOp)) { // calls that matched no operation
			suite.Add(junit.Case{Name: name, Classname: a.API, Failures: failures(byOp[name])})
		}
		out.Add(suite)
	}
	return out
}

// answeredText lists the statuses answered, in order: ", answered 200×3, 404×1".
func answeredText(answered map[int]int) string {
	if len(answered) == 0 {
		return ""
	}
	parts := make([]string, 0, len(answered))
	for _, status := range slices.Sorted(maps.Keys(answered)) {
		parts = append(parts, fmt.Sprintf("%d×%d", status, answered[status]))
	}
	return ", answered " + strings.Join(parts, ", ")
}

func failures(groups []mockserver.ViolationGroup) []junit.Failure {
	out := make([]junit.Failure, 0, len(groups))
	for _, g := range groups {
		where := g.Rule
		if g.Pointer != "" {
			where += " at " + g.Pointer
		}
		out = append(out, junit.Failure{
			Message: fmt.Sprintf("%s (%d times)", where, g.Count),
			Type:    g.Rule,
			Text: fmt.Sprintf("first: %s %s → %d: %s\nlast:  %s %s → %d: %s",
				g.First.Method, g.First.Path, g.First.Status, g.First.Message,
				g.Last.Method, g.Last.Path, g.Last.Status, g.Last.Message),
		})
	}
	return out
}
