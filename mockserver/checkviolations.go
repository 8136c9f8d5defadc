package mockserver

import (
	"github.com/realestate-mocks/mockserver/spec"
)

// RequestViolation says how the pipeline would refuse a request that
// spec.(*API).CheckRequest found wrong: the violation (rule
// "request:<kind>", the offending field's pointer, the API's own message
// with the detail) and the status the API answers that kind with. A
// checker outside the pipeline (pact verify's static check) judges a
// request in the mock's words without a round trip.
func RequestViolation(api *spec.API, err error) (Violation, int) {
	kind, detail, _ := classify(err)
	v := requestViolation(api.Envelope, &Reply{Kind: kind, Detail: detail}).at(err)
	return v, api.Envelope.Kinds[kind].Status
}

// ResponseViolations splits a spec.(*API).CheckResponse error into one
// violation per broken rule, as the proxy reports them.
func ResponseViolations(err error) []Violation { return responseViolations(err) }
