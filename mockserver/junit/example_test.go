package junit_test

import (
	"os"

	"github.com/realestate-mocks/mockserver/mockserver/junit"
)

// A report with one suite: a case that passed, one that broke a rule, and
// one that was skipped. Suite.Add and Suites.Add keep the counts.
func Example() {
	suite := junit.Suite{Name: "spark", Timestamp: "2026-01-02T03:04:05Z"}
	suite.Add(junit.Case{Name: "GET /listings/{id}", Classname: "spark"})
	suite.Add(junit.Case{Name: "POST /listings/{id}/notes", Classname: "spark", Failures: []junit.Failure{
		{Message: "status 201 is not documented", Type: "response-status", Text: "documented: 200, 400"},
	}})
	suite.Add(junit.Case{Name: "a message pact", Classname: "spark", Skipped: &junit.Skipped{Message: "not HTTP"}})
	report := junit.Suites{Name: "mockserver"}
	report.Add(suite)
	if err := report.Write(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <testsuites name="mockserver" tests="3" failures="1" skipped="1">
	//   <testsuite name="spark" tests="3" failures="1" skipped="1" timestamp="2026-01-02T03:04:05Z">
	//     <testcase name="GET /listings/{id}" classname="spark"></testcase>
	//     <testcase name="POST /listings/{id}/notes" classname="spark">
	//       <failure message="status 201 is not documented" type="response-status">documented: 200, 400</failure>
	//     </testcase>
	//     <testcase name="a message pact" classname="spark">
	//       <skipped message="not HTTP"></skipped>
	//     </testcase>
	//   </testsuite>
	// </testsuites>
}
