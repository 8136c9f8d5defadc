package contracts

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/onsi/gomega/types"
)

// asResponse is the actual value every matcher takes. Anything else is a
// misuse, reported as an error that says what to pass instead.
func asResponse(matcher string, actual any) (*Response, error) {
	switch r := actual.(type) {
	case *Response:
		if r != nil {
			return r, nil
		}
	case *http.Response:
		return nil, fmt.Errorf("%s expects a *contracts.Response, got an *http.Response: read it with contracts.ReadResponse first", matcher)
	}
	return nil, fmt.Errorf("%s expects a *contracts.Response, got %T (%v)", matcher, actual, actual)
}

// expectation lays out a failure the way Gomega's own matchers do, with
// the whole response so a failed contract shows what came back.
func expectation(actual any, to string) string {
	return "Expected\n" + indent(fmt.Sprint(actual)) + "\n" + to
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// The matchers are Gomega matchers.
var (
	_ types.GomegaMatcher = (*ConformToMatcher)(nil)
	_ types.GomegaMatcher = (*HaveSparkCodeMatcher)(nil)
	_ types.GomegaMatcher = (*HaveStatusMatcher)(nil)
	_ types.GomegaMatcher = (*HaveAllowHeaderMatcher)(nil)
)
