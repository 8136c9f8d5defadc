package mockserver

import (
	"encoding/json"
	"mime"
	"net/url"
	"strings"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/realestate-mocks/mockserver/mockserver/pact"
	"github.com/realestate-mocks/mockserver/spec"
)

// request rebuilds what the client sent as the real service would see
// it, credentials restored or replaced by placeholders.
func (w *pactWriter) request(e *Entry, rest string) (pact.Request, string) {
	path, err := url.PathUnescape(rest)
	if err != nil {
		return pact.Request{}, "its path is not validly escaped"
	}
	req := pact.Request{Method: e.Method, Path: path}
	if e.Query != "" {
		q, err := url.ParseQuery(e.Query)
		if err != nil {
			return pact.Request{}, "its query is not validly escaped"
		}
		for name, vs := range q {
			if w.m.c.creds.IsQuery(name) {
				for i := range vs {
					vs[i] = w.credential(e, "query", name, "")
				}
			}
		}
		req.Query = q
	}
	req.Headers = make(map[string][]string, len(e.Header))
	for name, vs := range e.Header {
		switch {
		case skippedPactHeader(name):
		case w.m.c.creds.IsHeader(name):
			req.Headers[name] = []string{w.credential(e, "header", name, vs[0])}
		default:
			req.Headers[name] = vs
		}
	}
	req.Body = pactBody(e.Body, e.Header.Get("Content-Type"))
	return req, ""
}

// credential is the value a pact gives a credential: the one sent when
// the active scenario knew it (a public fixture token, which the pact
// must carry to replay against the mock), else a placeholder a verifier
// replaces ("Bearer <token>", "<api_token>"). journaled is the header's
// redacted value, whose scheme is kept.
func (w *pactWriter) credential(e *Entry, in, name, journaled string) string {
	auth := w.m.c.api.Auth
	known := e.credential != "" && auth != nil && auth.In == in && strings.EqualFold(auth.Name, name)
	scheme, _, hasScheme := strings.Cut(strings.TrimSpace(journaled), " ")
	hasScheme = hasScheme && scheme != "" && !strings.ContainsAny(scheme, "=:")
	switch {
	case known && len(auth.Prefixes) > 0 && hasScheme:
		return scheme + " " + e.credential
	case known:
		return e.credential
	case hasScheme:
		return scheme + " <token>"
	}
	return "<" + name + ">"
}

// response is the answer as sent, with matching rules from the schema
// the operation documents for its status.
func (w *pactWriter) response(e *Entry) (pact.Response, string) {
	res := pact.Response{Status: e.Status, Headers: map[string][]string{}}
	if vs := e.ResponseHeader["Content-Type"]; len(vs) > 0 {
		res.Headers["Content-Type"] = vs
	}
	if vs := e.ResponseHeader["Allow"]; len(vs) > 0 {
		res.Headers["Allow"] = listValues(vs)
	}
	ct := e.ResponseHeader.Get("Content-Type")
	res.Body = pactBody(e.ResponseBody, ct)
	if res.Body.JSON == nil {
		return res, ""
	}
	if op := w.m.c.ops[e.Operation]; op != nil {
		rules := pact.SchemaRules(responseSchema(op.op, e.Status, ct), "$")
		if e.Status >= 400 {
			// The error code is what a client branches on: equal, not typed.
			for _, path := range envelopeCodePaths(w.m.c.api.Envelope.Template, "$") {
				delete(rules, path)
			}
		}
		if len(rules) > 0 {
			res.Rules = pact.Rules{"body": rules}
		}
	}
	return res, ""
}

// listValues splits a comma-list header ("GET, PUT, DELETE") into one
// value per item: Pact verifiers (pact-js's among them) split the real
// header on commas and compare item by item, so one value holding the
// whole list never matches.
func listValues(vs []string) []string {
	var out []string
	for _, v := range vs {
		for item := range strings.SplitSeq(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// pactBody is a journaled body as a pact body: JSON when it is JSON.
func pactBody(body, contentType string) pact.Body {
	if body == "" {
		return pact.Body{}
	}
	if json.Valid([]byte(body)) && isJSONMedia(contentType) {
		return pact.Body{Present: true, ContentType: contentType, JSON: json.RawMessage(body)}
	}
	return pact.Body{Present: true, ContentType: contentType, Raw: []byte(body)}
}

// responseSchema is the schema op documents for a status and media type
// (the status's own, else the default response; the media type's, else
// the first JSON one), or nil.
func responseSchema(op *spec.Operation, status int, contentType string) *openapi3.Schema {
	if op.Op == nil || op.Op.Responses == nil {
		return nil
	}
	ref := op.Op.Responses.Status(status)
	if ref == nil {
		ref = op.Op.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return nil
	}
	media, _, _ := mime.ParseMediaType(contentType)
	mt := ref.Value.Content.Get(media)
	if mt == nil {
		for name, m := range ref.Value.Content {
			if isJSONMedia(name) {
				mt = m
				break
			}
		}
	}
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

// envelopeCodePaths lists the Pact paths of an error envelope template's
// {{code}} and {{status}} placeholders.
func envelopeCodePaths(tmpl any, path string) []string {
	switch t := tmpl.(type) {
	case string:
		if t == "{{code}}" || t == "{{status}}" {
			return []string{path}
		}
	case map[string]any:
		var out []string
		for k, v := range t {
			out = append(out, envelopeCodePaths(v, pactPath(path, k))...)
		}
		return out
	}
	return nil
}

// pactPath appends a key to a Pact path, bracketed when it is not a
// plain name.
func pactPath(path, key string) string {
	plain := key != ""
	for _, r := range key {
		if !(r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			plain = false
		}
	}
	if plain {
		return path + "." + key
	}
	return path + "['" + key + "']"
}
