package junit

import (
	"encoding/xml"
	"fmt"
	"io"
)

// Suites is a whole report: the <testsuites> element.
type Suites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []Suite  `xml:"testsuite"`
}

// Suite is one group of cases; Add keeps its counts.
type Suite struct {
	Name      string `xml:"name,attr"`
	Tests     int    `xml:"tests,attr"`
	Failures  int    `xml:"failures,attr"`
	Skipped   int    `xml:"skipped,attr"`
	Timestamp string `xml:"timestamp,attr"`
	Cases     []Case `xml:"testcase"`
}

// Case is one check; it failed when it has Failures, was skipped when it
// has none and Skipped is set.
type Case struct {
	Name      string    `xml:"name,attr"`
	Classname string    `xml:"classname,attr"`
	Skipped   *Skipped  `xml:"skipped,omitempty"`
	Failures  []Failure `xml:"failure"`
	SystemOut string    `xml:"system-out,omitempty"`
}

// Skipped says why a case did not run.
type Skipped struct {
	Message string `xml:"message,attr"`
}

// Failure is one thing a case found wrong: Message in a line, Type the
// rule broken, Text the details.
type Failure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// Add appends c and counts it.
func (s *Suite) Add(c Case) {
	s.Tests++
	if len(c.Failures) > 0 {
		s.Failures++
	} else if c.Skipped != nil {
		s.Skipped++
	}
	s.Cases = append(s.Cases, c)
}

// Add appends a suite and adds its counts to the totals.
func (s *Suites) Add(suite Suite) {
	s.Tests += suite.Tests
	s.Failures += suite.Failures
	s.Skipped += suite.Skipped
	s.Suites = append(s.Suites, suite)
}

// Write writes the report as an indented XML document.
func (s *Suites) Write(w io.Writer) error {
	body, err := xml.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	if _, err := w.Write(append(body, '\n')); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	return nil
}
