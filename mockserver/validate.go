package mockserver

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"net/http"
	"slices"
	"strings"
	"sync"

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
			reason = schemaReason(se)
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
		field := strings.Join(se.JSONPointer(), ".")
		if se.SchemaField == "required" {
			return spec.KindMissingField, field, map[string][]string{field: {"is required"}}
		}
		if field == "" {
			field = "body"
		}
		reason := schemaReason(se)
		return spec.KindInvalidField, field + ": " + reason, map[string][]string{field: {reason}}
	}
	return spec.KindInvalidParameter, "the request does not match the spec: " + re.Error(), nil
}

// schemaReason is kin's reason, which never echoes the value; for a
// pattern it names the pattern so the client knows the expected form.
func schemaReason(se *openapi3.SchemaError) string {
	if se.Reason != "" {
		return se.Reason
	}
	return se.Error()
}

func schemaType(s *openapi3.SchemaRef) string {
	if s == nil || s.Value == nil || s.Value.Type == nil || len(*s.Value.Type) == 0 {
		return "the documented type"
	}
	return "an " + strings.Join(*s.Value.Type, " or ")
}

// describeResponseError says which rule a response broke, for a strict
// mode 500 and for the journal.
func describeResponseError(err error) string {
	var re *openapi3filter.ResponseError
	if errors.As(err, &re) {
		var se *openapi3.SchemaError
		if errors.As(re.Err, &se) {
			field := strings.Join(se.JSONPointer(), ".")
			if field == "" {
				field = "body"
			}
			return fmt.Sprintf("%s %s (schema rule %q)", field, schemaReason(se), se.SchemaField)
		}
		if re.Err != nil {
			return re.Reason + ": " + re.Err.Error()
		}
		return re.Reason
	}
	return err.Error()
}

// responseCache remembers response bodies already validated for an
// operation and status, so repeated answers (examples, unchanged records)
// skip the JSON decode and schema walk that dominate validation cost.
type responseCache struct {
	mu      sync.RWMutex
	entries map[cacheKey][]byte
}

type cacheKey struct {
	op     *compiledOp
	status int
	hash   uint64
}

// maxCachedResponses bounds the cache; when full it starts over, which
// costs one validation per distinct body and keeps memory flat.
const maxCachedResponses = 4096

var cacheSeed = maphash.MakeSeed()

func (c *responseCache) key(op *compiledOp, status int, header http.Header, body []byte) cacheKey {
	var h maphash.Hash
	h.SetSeed(cacheSeed)
	_, _ = h.Write(body)
	// Required headers decide validity too: hash their presence.
	if sr := op.responses[status]; sr != nil {
		for _, name := range sr.requiredHeaders {
			_, _ = h.WriteString(name)
			if header.Get(name) != "" {
				_ = h.WriteByte(1)
			}
		}
	}
	return cacheKey{op: op, status: status, hash: h.Sum64()}
}

func (c *responseCache) seen(k cacheKey, body []byte) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	stored, ok := c.entries[k]
	return ok && bytes.Equal(stored, body)
}

func (c *responseCache) add(k cacheKey, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxCachedResponses {
		c.entries = make(map[cacheKey][]byte, 64)
	}
	c.entries[k] = slices.Clone(body)
}
