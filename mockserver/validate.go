package mockserver

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/realestate-mocks/mockserver/spec"
)

// classify turns a kin-openapi request error into one of the API's failure
// kinds, with a detail naming what was wrong in the client's terms rather
// than kin-openapi's internal wording alone.
func classify(err error) (spec.Kind, string, map[string][]string) {
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return spec.KindInvalidParameter, "the request does not match the spec: " + err.Error(), nil
	}
	var se *openapi3.SchemaError
	hasSchemaErr := errors.As(re.Err, &se)
	switch {
	case re.Parameter != nil:
		p := re.Parameter
		where := fmt.Sprintf("%s parameter %s", p.In, p.Name)
		if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
			return spec.KindMissingField, where + " is required", map[string][]string{p.Name: {"is required"}}
		}
		reason := re.Reason
		if hasSchemaErr {
			reason = spec.SchemaFailures(se)[0].Reason
		} else if re.Err != nil {
			var pe *openapi3filter.ParseError
			if errors.As(re.Err, &pe) {
				reason = "cannot be parsed as " + schemaType(p.Schema)
			} else {
				reason = re.Err.Error()
			}
		}
		return spec.KindInvalidParameter, where + ": " + reason, map[string][]string{p.Name: {reason}}
	case re.RequestBody != nil:
		if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
			return spec.KindMalformedBody, "a JSON body is required", nil
		}
		if strings.HasPrefix(re.Reason, "header Content-Type") {
			ct := re.Input.Request.Header.Get("Content-Type")
			if ct == "" {
				return spec.KindUnsupportedMediaType, "no Content-Type; send application/json", nil
			}
			return spec.KindUnsupportedMediaType, fmt.Sprintf("Content-Type %q is not accepted; send application/json", ct), nil
		}
		var pe *openapi3filter.ParseError
		if errors.As(re.Err, &pe) || !hasSchemaErr {
			return spec.KindMalformedBody, "the body is not valid JSON", nil
		}
		f := spec.SchemaFailures(se)[0]
		field := strings.Join(f.Pointer, ".")
		if f.Keyword == "required" {
			return spec.KindMissingField, field, map[string][]string{field: {"is required"}}
		}
		if field == "" {
			field = "body"
		}
		reason := f.Reason
		return spec.KindInvalidField, field + ": " + reason, map[string][]string{field: {reason}}
	}
	return spec.KindInvalidParameter, "the request does not match the spec: " + re.Error(), nil
}

func schemaType(s *openapi3.SchemaRef) string {
	if s == nil || s.Value == nil || s.Value.Type == nil || len(*s.Value.Type) == 0 {
		return "the documented type"
	}
	return "an " + strings.Join(*s.Value.Type, " or ")
}

// validateRequest refuses a body that could not be read, then anything
// kin-openapi finds wrong with the parameters or the body. A body over the
// limit is ignored where the operation takes none, as kin-openapi ignores
// the body; one cut short is not: net/http has cancelled the request's
// context, and the answer would be an empty 200 after any latency.
func (s *Server) validateRequest(ex *exchange) *Reply {
	if ex.bodyErr != nil && (ex.op.op.Op.RequestBody != nil || !bodyTooBig(ex.bodyErr)) {
		return s.unreadBody(ex.bodyErr)
	}
	if reply := shallowJSON(ex); reply != nil {
		return reply
	}
	if reply := singleJSONValue(ex); reply != nil {
		return reply
	}
	ex.input = openapi3filter.RequestValidationInput{Request: ex.r, PathParams: ex.params}
	var err error
	ex.value, err = ex.m.c.api.CheckRequest(ex.r.Context(), ex.op.op, spec.Request{Input: &ex.input, Body: ex.body})
	if err != nil {
		kind, detail, fields := classify(err)
		reply := &Reply{Kind: kind, Detail: detail, Fields: fields}
		ex.entry.Errors = append(ex.entry.Errors, detail)
		ex.entry.Violations = append(ex.entry.Violations, requestViolation(ex.m.c.api.Envelope, reply).at(err))
		return reply
	}
	return fitIntegers(ex)
}

// bodyTooBig is apart from validateRequest because the target errors.As
// writes to escapes: declared there, it cost every call an allocation.
func bodyTooBig(err error) bool {
	var tooBig *http.MaxBytesError
	return errors.As(err, &tooBig)
}

// unreadBody is the reply to a body that could not be read.
func (s *Server) unreadBody(err error) *Reply {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return Fail(spec.KindBodyTooLarge, fmt.Sprintf("the body is over %d bytes", tooBig.Limit))
	case errors.Is(err, os.ErrDeadlineExceeded):
		return Fail(spec.KindMalformedBody, fmt.Sprintf("the body did not arrive within %s", s.opts.BodyTimeout))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return Fail(spec.KindMalformedBody, "the body could not be read: the connection ended before the body did")
	}
	return Fail(spec.KindMalformedBody, "the body could not be read: "+err.Error())
}
