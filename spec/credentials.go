package spec

import (
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Credentials are where a document's security schemes carry secrets: the
// request headers, query parameters and cookies whose values must never
// be written anywhere (journal, logs, reports, recordings).
type Credentials struct {
	// Headers are canonical header names (Authorization for http schemes).
	Headers []string
	// Query and Cookies are parameter and cookie names, as documented.
	Query, Cookies []string
}

// Credentials lists every place any of the document's security schemes
// reads a credential from, whichever scheme the mock itself enforces.
// Authorization is always included: a client may send one even to an API
// documented with an apiKey.
func (a *API) Credentials() Credentials {
	c := Credentials{Headers: []string{"Authorization"}}
	if a.Doc == nil || a.Doc.Components == nil {
		return c
	}
	for _, ref := range a.Doc.Components.SecuritySchemes {
		if ref == nil || ref.Value == nil {
			continue
		}
		s := ref.Value
		switch {
		case s.Type == "apiKey" && s.In == openapi3.ParameterInQuery:
			c.Query = appendNew(c.Query, s.Name)
		case s.Type == "apiKey" && s.In == openapi3.ParameterInCookie:
			c.Cookies = appendNew(c.Cookies, s.Name)
		case s.Type == "apiKey" && s.In == openapi3.ParameterInHeader:
			c.Headers = appendNew(c.Headers, http.CanonicalHeaderKey(s.Name))
		}
	}
	slices.Sort(c.Headers)
	slices.Sort(c.Query)
	slices.Sort(c.Cookies)
	return c
}

// IsQuery reports whether a query parameter carries a credential.
func (c Credentials) IsQuery(name string) bool {
	return slices.ContainsFunc(c.Query, func(q string) bool { return strings.EqualFold(q, name) })
}

// IsHeader reports whether a header carries a credential (Cookie does when
// any scheme reads a cookie).
func (c Credentials) IsHeader(name string) bool {
	name = http.CanonicalHeaderKey(name)
	return slices.Contains(c.Headers, name) || (name == "Cookie" && len(c.Cookies) > 0)
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
