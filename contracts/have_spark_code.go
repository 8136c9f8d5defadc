package contracts

import (
	"encoding/json"
	"fmt"
)

// HaveSparkCode succeeds when the body is Spark's failure envelope with
// that code: {"D":{"Success":false,"Code":code,...}}. Clients branch on
// the code, not on the status or the message.
//
//	Expect(res).To(HaveSparkCode(1020))
func HaveSparkCode(code int) *HaveSparkCodeMatcher {
	return &HaveSparkCodeMatcher{Code: code}
}

// HaveSparkCodeMatcher is the matcher behind HaveSparkCode.
type HaveSparkCodeMatcher struct {
	Code int

	problem string
}

// Match implements types.GomegaMatcher.
func (m *HaveSparkCodeMatcher) Match(actual any) (bool, error) {
	r, err := asResponse("HaveSparkCode", actual)
	if err != nil {
		return false, err
	}
	if m.Code <= 0 {
		return false, fmt.Errorf("HaveSparkCode: Spark codes are positive; got %d", m.Code)
	}
	var envelope struct {
		D *struct {
			Success *bool
			Code    *json.Number
		}
	}
	switch {
	case json.Unmarshal(r.Body, &envelope) != nil:
		m.problem = "the body is not a JSON object"
	case envelope.D == nil:
		m.problem = "the body has no D object"
	case envelope.D.Success == nil || *envelope.D.Success:
		m.problem = "D.Success is not false"
	case envelope.D.Code == nil:
		m.problem = "D has no Code"
	case envelope.D.Code.String() != fmt.Sprint(m.Code):
		m.problem = "D.Code is " + envelope.D.Code.String()
	default:
		return true, nil
	}
	return false, nil
}

// FailureMessage implements types.GomegaMatcher.
func (m *HaveSparkCodeMatcher) FailureMessage(actual any) string {
	return expectation(actual, fmt.Sprintf("to carry the Spark failure envelope with Code %d, but %s", m.Code, m.problem))
}

// NegatedFailureMessage implements types.GomegaMatcher.
func (m *HaveSparkCodeMatcher) NegatedFailureMessage(actual any) string {
	return expectation(actual, fmt.Sprintf("not to carry the Spark failure envelope with Code %d", m.Code))
}
