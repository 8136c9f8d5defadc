package junit

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

func TestCountsAndRoundTrip(t *testing.T) {
	suite := Suite{Name: "spark"}
	suite.Add(Case{Name: "passes"})
	suite.Add(Case{Name: "fails", Failures: []Failure{{Message: "status", Type: "dynamic", Text: "expected 200, got 201"}}})
	suite.Add(Case{Name: "skipped", Skipped: &Skipped{Message: "a message pact"}})
	suite.Add(Case{Name: "fails and was skipped", Skipped: &Skipped{Message: "pending"}, Failures: []Failure{{Message: "x"}}})
	all := Suites{Name: "run"}
	all.Add(suite)
	all.Add(Suite{Name: "empty"})
	if all.Tests != 4 || all.Failures != 2 || all.Skipped != 1 || suite.Tests != 4 {
		t.Fatalf("counts: tests %d failures %d skipped %d", all.Tests, all.Failures, all.Skipped)
	}
	var buf bytes.Buffer
	if err := all.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), xml.Header) {
		t.Errorf("no XML header: %q", buf.String()[:40])
	}
	var back Suites
	if err := xml.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Suites) != 2 || back.Suites[0].Cases[1].Failures[0].Text != "expected 200, got 201" || back.Suites[0].Cases[2].Skipped.Message != "a message pact" {
		t.Errorf("round trip lost data: %+v", back)
	}
}
