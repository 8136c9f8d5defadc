package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
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
	xmlBody, err := xml.MarshalIndent(junit(r), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("--report: %w", err)
	}
	if err := writeFileAtomic(junitPath, append([]byte(xml.Header), append(xmlBody, '\n')...), 0o644); err != nil {
		return nil, fmt.Errorf("--report: %w", err)
	}
	return []string{path, junitPath}, nil
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Skipped   *junitSkipped  `xml:"skipped,omitempty"`
	Failures  []junitFailure `xml:"failure"`
	SystemOut string         `xml:"system-out,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junit makes one suite per forwarded API, one case per operation (plus
// one for calls that matched none), one failure per rule broken; an
// operation never called is skipped, so coverage shows in the CI's view.
func junit(r report) junitSuites {
	out := junitSuites{Name: "mockserver proxy"}
	for _, a := range r.Coverage.APIs {
		suite := junitSuite{Name: a.API, Timestamp: r.Generated.Format(time.RFC3339)}
		byOp := map[string][]mockserver.ViolationGroup{}
		for _, g := range r.Violations.Groups {
			if g.API == a.API {
				byOp[g.Operation] = append(byOp[g.Operation], g)
			}
		}
		for _, op := range a.Operations {
			c := junitCase{Name: op.Operation, Classname: a.API, SystemOut: fmt.Sprintf("%s %s: %d calls%s", op.Method, op.Path, op.Calls, answeredText(op.Answered))}
			if op.Calls == 0 && len(byOp[op.Operation]) == 0 {
				c.Skipped = &junitSkipped{Message: "not called through the proxy"}
			}
			c.Failures = failures(byOp[op.Operation])
			delete(byOp, op.Operation)
			suite.add(c)
		}
		for _, name := range slices.Sorted(maps.Keys(byOp)) { // calls that matched no operation
			suite.add(junitCase{Name: name, Classname: a.API, Failures: failures(byOp[name])})
		}
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Skipped += suite.Skipped
		out.Suites = append(out.Suites, suite)
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

func (s *junitSuite) add(c junitCase) {
	s.Tests++
	if len(c.Failures) > 0 {
		s.Failures++
	} else if c.Skipped != nil {
		s.Skipped++
	}
	s.Cases = append(s.Cases, c)
}

func failures(groups []mockserver.ViolationGroup) []junitFailure {
	out := make([]junitFailure, 0, len(groups))
	for _, g := range groups {
		where := g.Rule
		if g.Pointer != "" {
			where += " at " + g.Pointer
		}
		out = append(out, junitFailure{
			Message: fmt.Sprintf("%s (%d times)", where, g.Count),
			Type:    g.Rule,
			Text: fmt.Sprintf("first: %s %s → %d: %s\nlast:  %s %s → %d: %s",
				g.First.Method, g.First.Path, g.First.Status, g.First.Message,
				g.Last.Method, g.Last.Path, g.Last.Status, g.Last.Message),
		})
	}
	return out
}
