package spec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Response is one answer to an operation, as CheckResponse sees it.
type Response struct {
	// Request is the request answered; its method and URL matter.
	Request *http.Request
	// PathParams are the request's path parameters, unescaped.
	PathParams map[string]string
	Status     int
	Header     http.Header
	Body       []byte
}

// ResponseError is how a response breaks its operation's documentation.
type ResponseError struct {
	Operation *Operation
	Status    int
	// Undocumented is true when the operation documents no such status;
	// Err is then nil.
	Undocumented bool
	// Rule names the broken rule in a line: the field, kin-openapi's
	// reason and the schema keyword.
	Rule string
	// Err is kin-openapi's whole report (every violation).
	Err error
}

func (e *ResponseError) Error() string {
	if e.Undocumented {
		return fmt.Sprintf("status %d is not documented for %s (documented: %s)", e.Status, e.Operation.Key(), joinInts(e.Operation.Statuses))
	}
	return e.Rule
}

func (e *ResponseError) Unwrap() error { return e.Err }

// responseOptions make an undocumented status a violation too, and list
// every violation rather than the first.
var responseOptions = &openapi3filter.Options{
	AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	IncludeResponseStatus: true,
	MultiError:            true,
}

// CheckResponse is the one check of an answer against what op documents:
// the status, the required headers, and the body against its schema (so
// an error body is held to the API's own envelope). The mock checks its
// own answers with it, the contract matchers check any backend's, and the
// proxy checks the real service's. Bodies found valid are remembered per
// operation, status and required headers, so a repeated answer costs a
// hash rather than a JSON decode and a schema walk.
func (a *API) CheckResponse(ctx context.Context, op *Operation, res Response) error {
	if !op.Documents(res.Status) && op.Op.Responses.Default() == nil {
		return &ResponseError{Operation: op, Status: res.Status, Undocumented: true}
	}
	key := a.check.key(op, res)
	if a.check.seen(key, res.Body) {
		return nil
	}
	err := openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: res.Request, PathParams: res.PathParams, Route: op.Route,
		},
		Status: res.Status, Header: res.Header,
		Body:    io.NopCloser(bytes.NewReader(res.Body)),
		Options: responseOptions,
	})
	if err != nil {
		return &ResponseError{Operation: op, Status: res.Status, Rule: describeResponseError(err), Err: err}
	}
	a.check.add(key, res.Body)
	return nil
}

// Key names the operation: its operationId, or "METHOD template".
func (o *Operation) Key() string {
	if o.ID != "" {
		return o.ID
	}
	return o.Method + " " + o.Path
}

// describeResponseError says in one line which rule a response broke.
func describeResponseError(err error) string {
	var re *openapi3filter.ResponseError
	if !errors.As(err, &re) {
		return err.Error()
	}
	var se *openapi3.SchemaError
	if errors.As(re.Err, &se) {
		field := strings.Join(se.JSONPointer(), ".")
		if field == "" {
			field = "body"
		}
		return fmt.Sprintf("%s %s (schema rule %q)", field, SchemaReason(se), se.SchemaField)
	}
	if re.Err != nil {
		return re.Reason + ": " + re.Err.Error()
	}
	return re.Reason
}

// SchemaReason is kin-openapi's reason, which never echoes the value.
func SchemaReason(se *openapi3.SchemaError) string {
	if se.Reason != "" {
		return se.Reason
	}
	return se.Error()
}

// responseCache remembers bodies already found valid. It is bounded in
// bytes; when full it starts over, which costs one validation per
// distinct body and keeps memory flat.
type responseCache struct {
	mu      sync.RWMutex
	entries map[cacheKey][]byte
	bytes   int
}

type cacheKey struct {
	op     *Operation
	status int
	hash   uint64
}

// maxCachedBytes bounds what the cache keeps of each API's bodies.
const maxCachedBytes = 4 << 20

var cacheSeed = maphash.MakeSeed()

func (c *responseCache) key(op *Operation, res Response) cacheKey {
	var h maphash.Hash
	h.SetSeed(cacheSeed)
	_, _ = h.Write(res.Body)
	_, _ = h.WriteString(res.Header.Get("Content-Type"))
	// Required headers decide validity too: hash their presence.
	for _, name := range op.required[res.Status] {
		_, _ = h.WriteString(name)
		if res.Header.Get(name) != "" {
			_ = h.WriteByte(1)
		}
	}
	return cacheKey{op: op, status: res.Status, hash: h.Sum64()}
}

func (c *responseCache) seen(k cacheKey, body []byte) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	stored, ok := c.entries[k]
	return ok && bytes.Equal(stored, body)
}

func (c *responseCache) add(k cacheKey, body []byte) {
	if len(body) > maxCachedBytes/64 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || c.bytes+len(body) > maxCachedBytes {
		c.entries, c.bytes = make(map[cacheKey][]byte, 64), 0
	}
	c.entries[k] = slices.Clone(body)
	c.bytes += len(body) + 64
}

// requiredHeaders lists, per documented status, the headers a response
// must carry (Allow on a 405, say), canonical and sorted.
func requiredHeaders(o *Operation) map[int][]string {
	out := map[int][]string{}
	for _, status := range o.Statuses {
		resp := o.Op.Responses.Status(status)
		if resp == nil || resp.Value == nil {
			continue
		}
		for name, h := range resp.Value.Headers {
			if h.Value != nil && h.Value.Required {
				out[status] = append(out[status], http.CanonicalHeaderKey(name))
			}
		}
		slices.Sort(out[status])
	}
	return out
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}
