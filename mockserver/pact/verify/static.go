package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/mockserver/pact"
	"github.com/realestate-mocks/mockserver/spec"
)

// staticResult is what the static check found, and the request path as
// the real service sees it (base path included), which the replay uses.
type staticResult struct {
	path     string
	problems []Problem
}

// checkStatic holds one interaction to the OpenAPI document: the
// operation, the request, the status and the response body, in that
// order; it stops only where the next step has nothing to check.
func checkStatic(ctx context.Context, api *spec.API, it *pact.Interaction) staticResult {
	var st staticResult
	match, full, ok := resolvePath(api, it.Request.Path)
	st.path = full
	if !ok {
		st.add("request path", fmt.Sprintf("no such operation: no path %s in the %s API", full, api.Name), "")
		return st
	}
	method := strings.ToUpper(it.Request.Method)
	status := it.Response.Status
	op := operation(api, match.Template, method)
	if op == nil || (op.NotImplemented && status != http.StatusMethodNotAllowed) {
		if status != http.StatusMethodNotAllowed {
			st.add("request method", fmt.Sprintf("method not allowed: %s is not offered on %s; Allow %s", method, match.Template, strings.Join(api.Allow(match.Template), ", ")), "")
		}
		return st // the API answers 405 before anything else
	}
	req, body := staticRequest(ctx, full, method, &it.Request)
	st.checkRequest(ctx, api, op, match, req, body, status)
	st.checkResponse(ctx, api, op, match, req, &it.Response)
	return st
}

func (st *staticResult) add(where, message, pointer string) {
	st.problems = append(st.problems, Problem{Check: Static, Where: where, Message: message, Pointer: pointer})
}

// resolvePath matches a pact path, with or without the document's base
// path, and returns it with the base path.
func resolvePath(api *spec.API, path string) (spec.PathMatch, string, bool) {
	escaped := (&url.URL{Path: path}).EscapedPath()
	if m, ok := api.MatchPath(escaped); ok {
		return m, path, true
	}
	if api.BasePath == "" || strings.HasPrefix(path, api.BasePath+"/") {
		return spec.PathMatch{}, path, false
	}
	m, ok := api.MatchPath(api.BasePath + escaped)
	return m, api.BasePath + path, ok
}

func operation(api *spec.API, template, method string) *spec.Operation {
	for _, op := range api.PathOperations(template) {
		if op.Method == method {
			return op
		}
	}
	return nil
}

// staticRequest is the pact's request as written, for the request and
// response checks.
func staticRequest(ctx context.Context, path, method string, pr *pact.Request) (*http.Request, []byte) {
	u := &url.URL{Scheme: "http", Host: "pact.invalid", Path: path, RawQuery: url.Values(pr.Query).Encode()}
	body := requestBody(pr.Body)
	r, _ := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body)) // a valid method and URL
	r.Header = requestHeader(pr)
	if body == nil {
		r.Body = http.NoBody
	}
	return r, body
}

func requestBody(b pact.Body) []byte {
	switch {
	case !b.Present:
		return nil
	case b.JSON != nil:
		return b.JSON
	}
	return b.Raw
}

// requestHeader is the pact's headers, with its body's content type when
// no header gives one.
func requestHeader(pr *pact.Request) http.Header {
	h := make(http.Header, len(pr.Headers)+1)
	for k, vs := range pr.Headers {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if h.Get("Content-Type") == "" && pr.Body.Present && pr.Body.ContentType != "" {
		h.Set("Content-Type", pr.Body.ContentType)
	}
	return h
}

// checkRequest runs the engine's request check. A failure is no problem
// when the pact expects the very status the API refuses it with.
func (st *staticResult) checkRequest(ctx context.Context, api *spec.API, op *spec.Operation, match spec.PathMatch, r *http.Request, body []byte, status int) {
	in := openapi3filter.RequestValidationInput{Request: r, PathParams: match.Params}
	_, err := api.CheckRequest(ctx, op, spec.Request{Input: &in, Body: body})
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err == nil {
		return
	}
	v, refusal := mockserver.RequestViolation(api, err)
	if refusal == status {
		return
	}
	where := "request"
	var re *openapi3filter.RequestError
	if errors.As(err, &re) && re.RequestBody != nil {
		where = "request body"
	}
	st.add(where, fmt.Sprintf("%s (the API answers %d)", v.Message, refusal), v.Pointer)
}

// checkResponse holds the expected status and body to the document: the
// body the pact's example values make, checked like any answer of the
// operation (its headers, when the pact names them), less the fields the
// pact leaves out.
func (st *staticResult) checkResponse(ctx context.Context, api *spec.API, op *spec.Operation, match spec.PathMatch, r *http.Request, pr *pact.Response) {
	documented := op.Documents(pr.Status) || op.Op.Responses.Default() != nil
	if !documented {
		st.add("response status", (&spec.ResponseError{Operation: op, Status: pr.Status, Undocumented: true}).Error(), "")
		return
	}
	if !pr.Body.Present {
		return
	}
	if !documentsBody(op, pr.Status) {
		st.add("response body", fmt.Sprintf("%s documents no body for status %d; the pact expects one", op.Key(), pr.Status), "")
		return
	}
	header := responseHeader(pr)
	err := api.CheckResponse(ctx, op, spec.Response{Request: r, PathParams: match.Params, Status: pr.Status, Header: header, Body: requestBody(pr.Body)})
	if err == nil {
		return
	}
	for _, v := range mockserver.ResponseViolations(err) {
		where := "response body"
		switch v.Rule {
		case "response:schema:required":
			// A consumer states only the fields it reads, and Pact allows
			// the rest: a field the pact leaves out is not a problem.
			continue
		case "response:header":
			name, named := quotedHeader(v.Message)
			if !named || header.Get(name) == "" {
				continue // a header the pact does not expect is none of its business
			}
			where = "response header " + name
		}
		st.add(where, v.Message, v.Pointer)
	}
}

// documentsBody reports whether the status's documented response has
// content (a 204 has none).
func documentsBody(op *spec.Operation, status int) bool {
	ref := op.Op.Responses.Status(status)
	if ref == nil {
		ref = op.Op.Responses.Default()
	}
	return ref != nil && ref.Value != nil && len(ref.Value.Content) > 0
}

func responseHeader(pr *pact.Response) http.Header {
	h := make(http.Header, len(pr.Headers)+1)
	for k, vs := range pr.Headers {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if h.Get("Content-Type") == "" {
		ct := pr.Body.ContentType
		if ct == "" && pr.Body.JSON != nil {
			ct = "application/json"
		}
		h.Set("Content-Type", ct)
	}
	return h
}

// quotedHeader finds the header kin-openapi names in quotes in a
// response header error ("response header \"Allow\" missing").
func quotedHeader(msg string) (string, bool) {
	_, rest, ok := strings.Cut(msg, `"`)
	if !ok {
		return "", false
	}
	name, _, ok := strings.Cut(rest, `"`)
	return name, ok && name != ""
}
