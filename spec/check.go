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
// hash rather than a JSON decode and a schema walk; a remembered answer
// matches only the same body, content type and documented headers.
func (a *API) CheckResponse(ctx context.Context, op *Operation, res Response) error {
	if !op.Documents(res.Status) && op.Op.Responses.Default() == nil {
		return &ResponseError{Operation: op, Status: res.Status, Undocumented: true}
	}
	headers := op.responseHeaders(res.Status)
	key := a.check.key(op, res, headers)
	if a.check.seen(key, res, headers) {
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
	a.check.add(key, res, headers)
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
		f := SchemaFailures(se)[0]
		field := strings.Join(f.Pointer, ".")
		switch {
		case strings.HasPrefix(re.Reason, "response header "):
			// A header's value: name the header, not the body.
			field = strings.TrimSuffix(strings.TrimPrefix(re.Reason, "response "), " doesn't match schema")
		case field == "":
			field = "body"
		}
		return fmt.Sprintf("%s %s (schema rule %q)", field, f.Reason, f.Keyword)
	}
	if re.Err != nil {
		return re.Reason + ": " + re.Err.Error()
	}
	return re.Reason
}

// SchemaReason is kin-openapi's reason, which never echoes the value. A
// number beyond float64 (1e999) is one kin-openapi cannot read at all;
// its reason would name Go's json.Number.
func SchemaReason(se *openapi3.SchemaError) string {
	if errors.Is(se.Origin, strconv.ErrRange) {
		return "number is out of range (beyond a 64-bit float)"
	}
	if se.Reason != "" {
		return se.Reason
	}
	return se.Error()
}

// responseCache remembers answers already found valid. It is bounded in
// bytes; when full it starts over, which costs one validation per
// distinct answer and keeps memory flat.
type responseCache struct {
	mu      sync.RWMutex
	entries map[cacheKey]cachedResponse
	bytes   int
}

// cachedResponse is what decides an answer's validity besides its
// operation and status: the body, the content type (which picks the
// schema) and the values of the headers the response documents (kin-
// openapi checks them against their schemas, required or not).
type cachedResponse struct {
	body        []byte
	contentType string
	headers     [][]string // in the order of Operation.responseHeaders
}

type cacheKey struct {
	op     *Operation
	status int
	hash   uint64
}

// maxCachedBytes bounds what the cache keeps of each API's bodies.
const maxCachedBytes = 4 << 20

var cacheSeed = maphash.MakeSeed()

func (c *responseCache) key(op *Operation, res Response, headers []string) cacheKey {
	var h maphash.Hash
	h.SetSeed(cacheSeed)
	_, _ = h.Write(res.Body)
	_, _ = h.WriteString(res.Header.Get("Content-Type"))
	for _, name := range headers {
		_ = h.WriteByte(0)
		for _, v := range res.Header[name] {
			_, _ = h.WriteString(v)
			_ = h.WriteByte(1)
		}
	}
	return cacheKey{op: op, status: res.Status, hash: h.Sum64()}
}

// seen compares in full: a hash collision never passes a response.
func (c *responseCache) seen(k cacheKey, res Response, headers []string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[k]
	if !ok || !bytes.Equal(e.body, res.Body) || e.contentType != res.Header.Get("Content-Type") {
		return false
	}
	for i, name := range headers {
		if !slices.Equal(e.headers[i], res.Header[name]) {
			return false
		}
	}
	return true
}

func (c *responseCache) add(k cacheKey, res Response, headers []string) {
	e := cachedResponse{body: slices.Clone(res.Body), contentType: strings.Clone(res.Header.Get("Content-Type"))}
	size := len(e.body) + len(e.contentType) + 64
	if len(headers) > 0 {
		e.headers = make([][]string, len(headers))
		for i, name := range headers {
			e.headers[i] = slices.Clone(res.Header[name])
			for _, v := range e.headers[i] {
				size += len(v) + 16
			}
		}
	}
	if size > maxCachedBytes/64 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || c.bytes+size > maxCachedBytes {
		c.entries, c.bytes = make(map[cacheKey]cachedResponse, 64), 0
	}
	c.entries[k] = e
	c.bytes += size
}

// documentedHeaders lists, per documented status, the headers its
// response documents, canonical and sorted.
func documentedHeaders(o *Operation) map[int][]string {
	out := map[int][]string{}
	for _, status := range o.Statuses {
		out[status] = headerNames(o.Op.Responses.Status(status))
	}
	return out
}

// responseHeaders are the headers documented for a status: its own
// response's, else (an undocumented status answered under "default" or
// a range) those of the response kin-openapi picks.
func (o *Operation) responseHeaders(status int) []string {
	if names, ok := o.headers[status]; ok {
		return names
	}
	resp := o.Op.Responses.Status(status)
	if resp == nil {
		resp = o.Op.Responses.Default()
	}
	return headerNames(resp)
}

func headerNames(resp *openapi3.ResponseRef) []string {
	if resp == nil || resp.Value == nil {
		return nil
	}
	var names []string
	for name := range resp.Value.Headers {
		names = append(names, http.CanonicalHeaderKey(name))
	}
	slices.Sort(names)
	return names
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}
