package contracts

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

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
	match, ok := m.API.MatchPathSuffix(r.Request.URL.EscapedPath())
	template, params := match.Template, match.Params
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

// validate holds the response to what op documents, with the same
// check the mock applies to its own answers.
func (m *ConformToMatcher) validate(r *Response, op *spec.Operation, params map[string]string) bool {
	err := m.API.CheckResponse(context.Background(), op, spec.Response{
		Request: r.Request, PathParams: params, Status: r.StatusCode, Header: r.Header, Body: r.Body,
	})
	var re *spec.ResponseError
	switch {
	case err == nil:
		return true
	case errors.As(err, &re) && re.Undocumented:
		m.problem = fmt.Sprintf("status %d is not documented (documented: %s)", r.StatusCode, joinStatuses(op.Statuses))
	case re != nil && re.Err != nil:
		m.problem = re.Err.Error()
	default:
		m.problem = err.Error()
	}
	return false
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
