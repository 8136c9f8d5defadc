package main

import (
	"slices"
	"testing"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
)

func TestAnsweredText(t *testing.T) {
	for _, tc := range []struct {
		answered map[int]int
		want     string
	}{
		{nil, ""},
		{map[int]int{200: 3}, ", answered 200×3"},
		{map[int]int{404: 1, 200: 3, 201: 2}, ", answered 200×3, 201×2, 404×1"},
	} {
		if got := answeredText(tc.answered); got != tc.want {
			t.Errorf("answeredText(%v) = %q, want %q", tc.answered, got, tc.want)
		}
	}
}

// Calls that matched no operation are cases of their own, in the same
// order on every run, so that CI tools can compare two reports.
func TestJUnitUnmatchedCallsInOrder(t *testing.T) {
	groups := []mockserver.ViolationGroup{}
	for _, op := range []string{"GET /z", "GET /a", "DELETE /m", "GET /b"} {
		groups = append(groups, mockserver.ViolationGroup{API: "spark", Operation: op, Rule: "request:notFound", Count: 1})
	}
	r := report{Generated: time.Now(), Violations: mockserver.ViolationReport{Total: 4, Groups: groups},
		Coverage: mockserver.Coverage{APIs: []mockserver.APICoverage{{API: "spark"}}}}
	for range 5 {
		var names []string
		for _, c := range junitReport(r).Suites[0].Cases {
			names = append(names, c.Name)
		}
		if want := []string{"DELETE /m", "GET /a", "GET /b", "GET /z"}; !slices.Equal(names, want) {
			t.Fatalf("cases %v, want %v", names, want)
		}
	}
}
