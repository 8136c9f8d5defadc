package contracts

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// HaveAllowHeader succeeds when the Allow header lists exactly these
// methods, in any order; several Allow lines count as one list.
//
//	Expect(res).To(HaveAllowHeader("GET", "PUT", "DELETE"))
func HaveAllowHeader(methods ...string) *HaveAllowHeaderMatcher {
	return &HaveAllowHeaderMatcher{Methods: methods}
}

// HaveAllowHeaderMatcher is the matcher behind HaveAllowHeader.
type HaveAllowHeaderMatcher struct {
	Methods []string

	got []string
}

// Match implements types.GomegaMatcher.
func (m *HaveAllowHeaderMatcher) Match(actual any) (bool, error) {
	r, err := asResponse("HaveAllowHeader", actual)
	if err != nil {
		return false, err
	}
	if len(m.Methods) == 0 {
		return false, errors.New("HaveAllowHeader: name at least one method; an Allow header is never empty")
	}
	m.got = nil
	for _, line := range r.Header.Values("Allow") {
		for method := range strings.SplitSeq(line, ",") {
			if method = strings.TrimSpace(method); method != "" {
				m.got = append(m.got, method)
			}
		}
	}
	want := slices.Sorted(slices.Values(m.Methods))
	return slices.Equal(slices.Sorted(slices.Values(m.got)), want), nil
}

// FailureMessage implements types.GomegaMatcher.
func (m *HaveAllowHeaderMatcher) FailureMessage(actual any) string {
	found := "it has none"
	if len(m.got) > 0 {
		found = "it lists " + strings.Join(m.got, ", ")
	}
	return expectation(actual, fmt.Sprintf("to have an Allow header listing exactly %s, but %s", strings.Join(m.Methods, ", "), found))
}

// NegatedFailureMessage implements types.GomegaMatcher.
func (m *HaveAllowHeaderMatcher) NegatedFailureMessage(actual any) string {
	return expectation(actual, fmt.Sprintf("not to have an Allow header listing exactly %s", strings.Join(m.Methods, ", ")))
}
