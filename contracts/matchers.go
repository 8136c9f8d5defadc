package contracts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/onsi/gomega/types"

	"github.com/realestate-mocks/mockserver/spec"
)

// ConformTo succeeds when a *Response is one the API's spec documents for
// the request it answers: the operation documents its status, and its
// headers and body match what the spec says for that status
// (openapi3filter.ValidateResponse with IncludeResponseStatus). A method
// the path does not document at all conforms only as a 405 with an Allow
// header and the body of the path's documented 405.
//
//	Expect(res).To(ConformTo(spec.MustLoad("spark")))
//
// The operation is found from the request's path alone, whatever prefix
// the backend serves the API under: the spec's path templates are matched
// against the end of the path.
func ConformTo(api *spec.API) *ConformToMatcher {
	return &ConformToMatcher{API: api}
}

// ConformToMatcher is the matcher behind ConformTo.
type ConformToMatcher struct {
	API *spec.API

	// where is "operationId: METHOD template", or the path alone when the
	// method is undocumented; problem is why the response fails.
	where, problem string
}

// Match implements types.GomegaMatcher.
func (m *ConformToMatcher) Match(actual any) (bool, error) {
	r, err := asResponse("ConformTo", actual)
	if err != nil {
		return false, err
	}
	if m.API == nil || m.API.Doc == nil {
		return false, errors.New("ConformTo: no spec given; pass a loaded *spec.API, such as spec.MustLoad(\"spark\")")
	}
	if r.Request == nil || r.Request.URL == nil {
		return false, errors.New("ConformTo: the response has no Request, so its operation cannot be found; make it with Target.Do or ReadResponse")
	}
	template, params, ok := m.route(r.Request.URL)
	if !ok {
		m.where = ""
		m.problem = fmt.Sprintf("no path of the %s spec matches %s", m.API.Name, r.Request.URL.EscapedPath())
		return false, nil
	}
	op := m.operation(template, r.Request.Method)
	if op == nil {
		return m.matchUndocumentedMethod(r, template, params), nil
	}
	m.where = fmt.Sprintf("%s: %s %s", op.ID, op.Method, op.Path)
	return m.validate(r, op, params), nil
}

// matchUndocumentedMethod holds a method the path does not document to
// the only answer the spec allows it: a 405 shaped like the path's own.
func (m *ConformToMatcher) matchUndocumentedMethod(r *Response, template string, params map[string]string) bool {
	m.where = fmt.Sprintf("%s %s, a method the path does not document", r.Request.Method, template)
	if r.StatusCode != http.StatusMethodNotAllowed {
		m.problem = fmt.Sprintf("status %d: an undocumented method must be answered 405", r.StatusCode)
		return false
	}
	for _, op := range m.API.PathOperations(template) {
		if op.Documents(http.StatusMethodNotAllowed) {
			return m.validate(r, op, params)
		}
	}
	if len(r.Header.Values("Allow")) == 0 {
		m.problem = "a 405 must carry an Allow header"
		return false
	}
	return true
}

// validate runs kin-openapi's response validation against op.
func (m *ConformToMatcher) validate(r *Response, op *spec.Operation, params map[string]string) bool {
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    r.Request,
			PathParams: params,
			Route: &routers.Route{
				Spec: m.API.Doc, Path: op.Path, PathItem: op.PathItem,
				Method: op.Method, Operation: op.Op,
			},
		},
		Status: r.StatusCode,
		Header: r.Header,
		Body:   io.NopCloser(bytes.NewReader(r.Body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		m.problem = err.Error()
		if !op.Documents(r.StatusCode) {
			m.problem = fmt.Sprintf("status %d is not documented (documented: %s)", r.StatusCode, joinStatuses(op.Statuses))
		}
		return false
	}
	return true
}

// route finds the path template whose match ends the request path; when
// several do, the longest wins, then the spec's matching order (literal
// segments before parameters).
func (m *ConformToMatcher) route(u *url.URL) (string, map[string]string, bool) {
	path := u.EscapedPath()
	best, bestLen := "", -1
	var bestParams map[string]string
	for _, template := range m.API.Doc.Paths.InMatchingOrder() {
		names, re := templateRegexp(template)
		sub := re.FindStringSubmatch(path)
		if sub == nil || len(template) <= bestLen {
			continue
		}
		params := map[string]string{}
		for i, name := range names {
			v, err := url.PathUnescape(sub[i+1])
			if err != nil {
				v = sub[i+1]
			}
			params[name] = v
		}
		best, bestLen, bestParams = template, len(template), params
	}
	return best, bestParams, bestLen >= 0
}

var templateParam = regexp.MustCompile(`\{[^}]+\}`)

// templateRegexp matches a path ending in template, capturing each
// parameter (one path segment) in order. A template starts with "/", so a
// match always begins at a segment boundary.
func templateRegexp(template string) ([]string, *regexp.Regexp) {
	var names []string
	var b strings.Builder
	last := 0
	for _, loc := range templateParam.FindAllStringIndex(template, -1) {
		b.WriteString(regexp.QuoteMeta(template[last:loc[0]]))
		b.WriteString("([^/]+)")
		names = append(names, template[loc[0]+1:loc[1]-1])
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(template[last:]) + "$")
	return names, regexp.MustCompile(b.String())
}

func (m *ConformToMatcher) operation(template, method string) *spec.Operation {
	for _, op := range m.API.PathOperations(template) {
		if op.Method == method {
			return op
		}
	}
	return nil
}

// FailureMessage implements types.GomegaMatcher.
func (m *ConformToMatcher) FailureMessage(actual any) string {
	return expectation(actual, fmt.Sprintf("to conform to the %s spec%s, but:\n%s", m.API.Name, m.at(), indent(m.problem)))
}

// NegatedFailureMessage implements types.GomegaMatcher.
func (m *ConformToMatcher) NegatedFailureMessage(actual any) string {
	return expectation(actual, fmt.Sprintf("not to conform to the %s spec%s", m.API.Name, m.at()))
}

func (m *ConformToMatcher) at() string {
	if m.where == "" {
		return ""
	}
	return " (" + m.where + ")"
}

func joinStatuses(statuses []int) string {
	s := make([]string, len(statuses))
	for i, st := range statuses {
		s[i] = fmt.Sprint(st)
	}
	return strings.Join(s, ", ")
}

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
