package mockserver

import (
	"errors"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/realestate-mocks/mockserver/spec"
)

// Violation is one rule of the spec that a request or a response broke,
// as the journal keeps it for people and tools to group and read.
type Violation struct {
	// In is "request" or "response".
	In string `json:"in"`
	// Rule names what broke: a JSON Schema keyword ("required", "type",
	// "pattern"…), or "status", "header", "parameter", "content-type".
	Rule string `json:"rule"`
	// Pointer is the JSON pointer of the offending value in the body
	// ("" for the body as a whole), or the parameter's name.
	Pointer string `json:"pointer,omitempty"`
	// Message is the spec's words for the rule.
	Message string `json:"message"`
}

// requestViolation describes kin-openapi's complaint about a request.
func requestViolation(err error, detail string) Violation {
	v := Violation{In: "request", Rule: "request", Message: detail}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		switch {
		case re.Parameter != nil:
			v.Rule, v.Pointer = "parameter", re.Parameter.In+" "+re.Parameter.Name
		case strings.HasPrefix(re.Reason, "header Content-Type"):
			v.Rule = "content-type"
		case re.RequestBody != nil:
			v.Rule = "body"
		}
	}
	return withSchemaError(v, err)
}

// responseViolation describes what a response broke: an undocumented
// status, a header, or the body's schema.
func responseViolation(err error) Violation {
	v := Violation{In: "response", Rule: "response", Message: err.Error()}
	var re *spec.ResponseError
	if !errors.As(err, &re) {
		return v
	}
	if re.Undocumented {
		v.Rule = "status"
		return v
	}
	v.Message = re.Rule
	var fre *openapi3filter.ResponseError
	if errors.As(re.Err, &fre) && strings.Contains(strings.ToLower(fre.Reason), "header") {
		v.Rule = "header"
	}
	return withSchemaError(v, re.Err)
}

// withSchemaError fills in the keyword and pointer of a schema error.
func withSchemaError(v Violation, err error) Violation {
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return v
	}
	v.Rule = se.SchemaField
	if v.Rule == "" {
		v.Rule = "schema"
	}
	if v.Pointer == "" || v.Rule != "parameter" {
		v.Pointer = jsonPointer(se.JSONPointer())
	}
	if se.Reason != "" {
		v.Message = se.Reason
	}
	return v
}

// jsonPointer escapes each token as RFC 6901 asks.
func jsonPointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}

// journalResponse keeps what was sent, for the journal's readers.
func journalResponse(e *Entry, header http.Header, body []byte) {
	e.ResponseHeader = header.Clone()
	e.ResponseBody = journalBody(body)
}
