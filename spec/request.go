package spec

import (
	"bytes"
	"context"
	"hash/maphash"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// requestOptions are shared by every request check: security is checked
// before kin-openapi, defaults are never written into the request, and
// the validated body is kept so callers do not decode it twice.
var requestOptions = &openapi3filter.Options{
	AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
	SkipSettingDefaults: true,
	KeepValidatedValue:  true,
}

// requestPlan is what checking a request to one operation takes, worked
// out once at load: the parameters in kin-openapi's order (the path
// item's, unless the operation overrides them, then the operation's) and
// the request body, nil when none is documented.
type requestPlan struct {
	params []planParam
	body   *openapi3.RequestBody
}

// planParam is a parameter with its header key canonicalized once.
type planParam struct {
	*openapi3.Parameter
	headerKey string
}

func newPlanParam(p *openapi3.Parameter) planParam {
	pp := planParam{Parameter: p}
	if p.In == openapi3.ParameterInHeader {
		pp.headerKey = http.CanonicalHeaderKey(p.Name)
	}
	return pp
}

func newRequestPlan(item *openapi3.PathItem, op *openapi3.Operation) requestPlan {
	var plan requestPlan
	for _, ref := range item.Parameters {
		p := ref.Value
		if op.Parameters != nil && op.Parameters.GetByInAndName(p.In, p.Name) != nil {
			continue
		}
		plan.params = append(plan.params, newPlanParam(p))
	}
	for _, ref := range op.Parameters {
		plan.params = append(plan.params, newPlanParam(ref.Value))
	}
	if op.RequestBody != nil {
		plan.body = op.RequestBody.Value
	}
	return plan
}

// Request is one call to an operation, as CheckRequest sees it.
type Request struct {
	// Input is kin-openapi's input for the call; CheckRequest fills its
	// Route and Options. Its Request's body must hold Body.
	Input *openapi3filter.RequestValidationInput
	// Body is the request body, already read; nil when there is none.
	Body []byte
}

// CheckRequest holds a request to what op documents: every parameter and
// the body, with kin-openapi, the error being kin-openapi's. It returns
// the decoded body (a copy the caller may keep and change).
//
// Nothing is checked less than kin-openapi's ValidateRequest checks; what
// is remembered is which raw parameter values and which bodies (by
// content type and bytes) an operation has already found valid, so a
// repeated call costs a hash, not kin-openapi's decoding and schema walk.
func (a *API) CheckRequest(ctx context.Context, op *Operation, req Request) (any, error) {
	in := req.Input
	in.Route, in.Options = op.Route, requestOptions
	for _, p := range op.plan.params {
		key, memo := paramKey(in, p)
		if memo && a.params.seen(key) {
			continue
		}
		if err := openapi3filter.ValidateParameter(ctx, in, p.Parameter); err != nil {
			return nil, err
		}
		if memo {
			a.params.add(key)
		}
	}
	return a.checkBody(ctx, op, req)
}

// checkBody validates the body unless these bytes already passed for
// this operation and content type.
func (a *API) checkBody(ctx context.Context, op *Operation, req Request) (any, error) {
	body := op.plan.body
	if body == nil {
		return nil, nil
	}
	in := req.Input
	if len(req.Body) == 0 || len(body.Content) == 0 {
		// Nothing to remember: kin-openapi refuses a missing required body
		// and accepts anything else.
		return nil, openapi3filter.ValidateRequestBody(ctx, in, body)
	}
	contentType := in.Request.Header.Get("Content-Type")
	key := bodyKey(op, contentType, req.Body)
	if v, ok := a.bodies.get(key, contentType, req.Body); ok {
		return cloneJSON(v), nil
	}
	if err := openapi3filter.ValidateRequestBody(ctx, in, body); err != nil {
		return nil, err
	}
	var value any
	if v, ok := in.Request.Body.(interface{ ValidatedValue() any }); ok {
		value = v.ValidatedValue()
	}
	a.bodies.add(key, contentType, req.Body, cloneJSON(value))
	return value, nil
}

// paramKey names a parameter's raw value as kin-openapi would decode it;
// memo is false for the kinds it does not remember (cookies, content
// parameters, repeated values), which kin-openapi then checks every time.
func paramKey(in *openapi3filter.RequestValidationInput, pp planParam) (paramMemoKey, bool) {
	p := pp.Parameter
	if p.Content != nil {
		return paramMemoKey{}, false
	}
	var values []string
	switch p.In {
	case openapi3.ParameterInPath:
		v, ok := in.PathParams[p.Name]
		return paramMemoKey{param: p, present: ok, raw: v}, true
	case openapi3.ParameterInHeader:
		values = in.Request.Header[pp.headerKey]
	case openapi3.ParameterInQuery:
		if !formPrimitive(p) {
			// deepObject and exploded objects are spread over several keys.
			return paramMemoKey{}, false
		}
		if in.Request.URL.RawQuery == "" {
			return paramMemoKey{param: p}, true
		}
		values = in.GetQueryParams()[p.Name]
	default:
		return paramMemoKey{}, false
	}
	switch len(values) {
	case 0:
		return paramMemoKey{param: p, present: values != nil}, true
	case 1:
		return paramMemoKey{param: p, present: true, raw: values[0]}, true
	}
	return paramMemoKey{}, false
}

// formPrimitive reports whether a query parameter's whole value is the
// query key of its own name.
func formPrimitive(p *openapi3.Parameter) bool {
	if (p.Style != "" && p.Style != openapi3.SerializationForm) || p.Schema == nil || p.Schema.Value == nil {
		return false
	}
	s := p.Schema.Value
	if len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 || s.Type == nil {
		return false
	}
	for _, t := range *s.Type {
		switch t {
		case openapi3.TypeString, openapi3.TypeInteger, openapi3.TypeNumber, openapi3.TypeBoolean:
		default:
			return false
		}
	}
	return true
}

// paramMemoKey is one parameter's raw value; raw is compared whole, so a
// hit means exactly these bytes passed before.
type paramMemoKey struct {
	param   *openapi3.Parameter
	present bool
	raw     string
}

// paramMemo remembers raw parameter values found valid, bounded in bytes
// like the response cache.
type paramMemo struct {
	mu      sync.RWMutex
	entries map[paramMemoKey]struct{}
	bytes   int
}

const maxMemoBytes = 1 << 20

func (m *paramMemo) seen(k paramMemoKey) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, ok := m.entries[k]
	return ok
}

func (m *paramMemo) add(k paramMemoKey) {
	if len(k.raw) > maxMemoBytes/64 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil || m.bytes+len(k.raw) > maxMemoBytes {
		m.entries, m.bytes = make(map[paramMemoKey]struct{}, 64), 0
	}
	m.entries[k] = struct{}{}
	m.bytes += len(k.raw) + 48
}

// bodyCache remembers request bodies found valid, with their decoded
// value, per operation, content type and bytes; bounded in bytes.
type bodyCache struct {
	mu      sync.RWMutex
	entries map[cacheKey]cachedBody
	bytes   int
}

type cachedBody struct {
	contentType string
	body        []byte
	value       any // read only: callers get a copy
}

func bodyKey(op *Operation, contentType string, body []byte) cacheKey {
	var h maphash.Hash
	h.SetSeed(cacheSeed)
	_, _ = h.Write(body)
	_, _ = h.WriteString(contentType)
	return cacheKey{op: op, hash: h.Sum64()}
}

func (c *bodyCache) get(k cacheKey, contentType string, body []byte) (any, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[k]
	if !ok || e.contentType != contentType || !bytes.Equal(e.body, body) {
		return nil, false
	}
	return e.value, true
}

func (c *bodyCache) add(k cacheKey, contentType string, body []byte, value any) {
	size := 2*len(body) + len(contentType) + 96 // the bytes and, roughly, the decoded value
	if size > maxCachedBytes/64 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || c.bytes+size > maxCachedBytes {
		c.entries, c.bytes = make(map[cacheKey]cachedBody, 64), 0
	}
	c.entries[k] = cachedBody{contentType: strings.Clone(contentType), body: bytes.Clone(body), value: value}
	c.bytes += size
}

// cloneJSON copies a decoded JSON value (maps, slices and scalars), so a
// cached value is never shared with a caller that changes it.
func cloneJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = cloneJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = cloneJSON(e)
		}
		return out
	}
	return v
}
