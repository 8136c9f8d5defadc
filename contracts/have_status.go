package contracts

import (
	"fmt"
)

// HaveStatus succeeds when the response has that HTTP status.
//
//	Expect(res).To(HaveStatus(http.StatusNotFound))
func HaveStatus(status int) *HaveStatusMatcher {
	return &HaveStatusMatcher{Status: status}
}

// HaveStatusMatcher is the matcher behind HaveStatus.
type HaveStatusMatcher struct {
	Status int
}

// Match implements types.GomegaMatcher.
func (m *HaveStatusMatcher) Match(actual any) (bool, error) {
	r, err := asResponse("HaveStatus", actual)
	if err != nil {
		return false, err
	}
	if m.Status < 100 || m.Status > 599 {
		return false, fmt.Errorf("HaveStatus: %d is not an HTTP status", m.Status)
	}
	return r.StatusCode == m.Status, nil
}

// FailureMessage implements types.GomegaMatcher.
func (m *HaveStatusMatcher) FailureMessage(actual any) string {
	return expectation(actual, fmt.Sprintf("to have status %d", m.Status))
}

// NegatedFailureMessage implements types.GomegaMatcher.
func (m *HaveStatusMatcher) NegatedFailureMessage(actual any) string {
	return expectation(actual, fmt.Sprintf("not to have status %d", m.Status))
}
