package mockserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/renderer"

	"github.com/realestate-mocks/mockserver/spec"
)

// compiledAPI is everything derived from one spec that does not depend on
// a Server's state. It is built once per *spec.API and shared, so a new
// Server costs a few small allocations, not a router and a validator.
type compiledAPI struct {
	api   *spec.API
	paths map[string]*compiledPath // by path template
	ops   map[string]*compiledOp   // by operationId (or method+path when none)
	// creds are where the document's credentials are: the journal
	// redacts them.
	creds spec.Credentials
	// slots counts the (operation, documented status) pairs: the size of
	// each Server's coverage counters for this API.
	slots int
	// matches remembers the paths already matched (routeMemo).
	matches routeMemo

	// libopenapi's generator keeps a random source and lazily built
	// schemas, so dynamic generation is serialised per API.
	genMu sync.Mutex
	gen   *renderer.MockGenerator
}

type compiledPath struct {
	template string
	allow    string // the Allow header: methods that work, not-implemented ones left out
	methods  map[string]*compiledOp
}

type compiledOp struct {
	op *spec.Operation
	// responses holds, per documented status, its pre-rendered examples.
	responses map[int]*statusResponse
	// success is the lowest documented 2xx status (405 for not-implemented ones).
	success int
	// slot is where the operation's coverage counters start, one per
	// documented status in op.Statuses order.
	slot int
}

type statusResponse struct {
	hasJSON  bool
	examples map[string][]byte
	// names are the documented example names, in document order; read
	// from the document when first needed, since only a status with
	// several examples needs the order.
	names func() []string
	// body is the answer when no example is asked for and the status has
	// no named example: the media's example, else one generated from the
	// schema at compile time.
	body []byte
	// genErr is why body could not be generated.
	genErr error
	// fits says whether a body generated from the schema stays within
	// the generation bounds (genbound.go), worked out once.
	fits func() error
}

// fallback is the body used when no example is asked for: the first
// named example, else body.
func (sr *statusResponse) fallback() []byte {
	if len(sr.examples) == 0 {
		return sr.body
	}
	return sr.examples[sr.names()[0]]
}

var compiled sync.Map // *spec.API -> func() (*compiledAPI, error)

func compile(api *spec.API) (*compiledAPI, error) {
	once, _ := compiled.LoadOrStore(api, sync.OnceValues(func() (*compiledAPI, error) { return build(api) }))
	return once.(func() (*compiledAPI, error))()
}

func build(api *spec.API) (*compiledAPI, error) {
	c := &compiledAPI{
		api:   api,
		creds: api.Credentials(),
		paths: map[string]*compiledPath{},
		ops:   map[string]*compiledOp{},
		gen:   renderer.NewMockGenerator(renderer.JSON),
	}
	c.gen.SetSeed(1)
	if api.Doc.IsOpenAPI31OrLater() {
		// libopenapi renders only the properties a schema itself lists as
		// required, blind to a required written beside a $ref or in
		// another part of an allOf, which 3.1 documents use freely: every
		// property is rendered instead, so the body meets them all.
		c.gen.DisableRequiredCheck()
	}
	c.gen.SetMockGenerationOptions(renderer.MockGenerationOptions{MaxMockDepth: MaxGeneratedDepth, MaxMockBytes: MaxGeneratedBytes})
	for _, template := range api.Templates() {
		cp := &compiledPath{template: template, methods: map[string]*compiledOp{}}
		cp.allow = strings.Join(api.Allow(template), ", ")
		c.paths[template] = cp
	}
	for _, op := range api.Operations {
		co, err := c.compileOp(op)
		if err != nil {
			return nil, fmt.Errorf("compile %s %s %s: %w", api.Name, op.Method, op.Path, err)
		}
		co.slot, c.slots = c.slots, c.slots+len(op.Statuses)
		c.paths[op.Path].methods[op.Method] = co
		c.ops[op.Key()] = co
	}
	return c, nil
}

// missingHeaderDetail is the detail of a missing pre-checked header: its
// name, unless the envelope's message already says it.
func (c *compiledAPI) missingHeaderDetail(header string) string {
	msg := c.api.Envelope.Kinds[spec.KindMissingHeader].Message
	if strings.Contains(strings.ToLower(msg), strings.ToLower(header)) {
		return ""
	}
	return header
}

func (c *compiledAPI) compileOp(op *spec.Operation) (*compiledOp, error) {
	co := &compiledOp{
		op:        op,
		responses: map[int]*statusResponse{},
		success:   http.StatusMethodNotAllowed,
	}
	if i := slices.IndexFunc(op.Statuses, func(s int) bool { return s >= 200 && s < 300 }); i >= 0 {
		co.success = op.Statuses[i]
	}
	for _, status := range op.Statuses {
		resp := op.Op.Responses.Status(status)
		if resp == nil || resp.Value == nil {
			continue
		}
		sr := &statusResponse{examples: map[string][]byte{}, names: func() []string { return nil }}
		if media := resp.Value.Content.Get("application/json"); media != nil {
			if err := c.compileMedia(sr, op, status, media); err != nil {
				return nil, fmt.Errorf("response %d: %w", status, err)
			}
		}
		co.responses[status] = sr
	}
	return co, nil
}

// libMedia is libopenapi's view of a JSON response, which can generate
// bodies from the schema; nil when it has none. The error says why
// libopenapi cannot read the document, which kin-openapi accepted (a
// required circular reference, say): the rest of the API is still
// served, but nothing can be generated for it.
func (c *compiledAPI) libMedia(op *spec.Operation, status int) (*v3.MediaType, error) {
	model, err := c.api.Model()
	if err != nil {
		return nil, fmt.Errorf("cannot generate a body from the schema (the document: %w)", unwrapLoad(err))
	}
	item, ok := model.Model.Paths.PathItems.Get(op.Path)
	if !ok {
		return nil, nil
	}
	libOp, _ := item.GetOperations().Get(strings.ToLower(op.Method))
	if libOp == nil || libOp.Responses == nil {
		return nil, nil
	}
	r, ok := libOp.Responses.Codes.Get(strconv.Itoa(status))
	if !ok || r.Content == nil {
		return nil, nil
	}
	media, _ := r.Content.Get("application/json")
	return media, nil
}

// unwrapLoad keeps a LoadError's reason without its file and location
// lines, which the answer to a call has no use for.
func unwrapLoad(err error) error {
	var le *spec.LoadError
	if errors.As(err, &le) && le.Err != nil {
		return le.Err
	}
	return err
}

// compileMedia pre-renders a JSON response's examples and, when it has no
// named example, the body used when none is asked for: its example, else
// one generated from the schema.
func (c *compiledAPI) compileMedia(sr *statusResponse, op *spec.Operation, status int, media *openapi3.MediaType) error {
	sr.hasJSON = true
	sr.fits = sync.OnceValue(func() error { return fitsGeneration(media.Schema) })
	for name, ex := range media.Examples {
		if ex.Value == nil {
			continue
		}
		body, err := json.Marshal(ex.Value.Value)
		if err != nil {
			return fmt.Errorf("example %q: %w", name, err)
		}
		sr.examples[name] = body
	}
	if len(sr.examples) > 0 {
		sr.names = sync.OnceValue(func() []string { return exampleNames(c.api.ExampleNames(op, status), sr.examples) })
		return nil
	}
	var err error
	switch {
	case media.Example != nil:
		if sr.body, err = json.Marshal(media.Example); err != nil {
			return fmt.Errorf("example: %w", err)
		}
	default:
		libMedia, err := c.libMedia(op, status)
		if err != nil {
			// Answered as an error in the API's envelope when asked for.
			sr.genErr = err
			return nil
		}
		if err := sr.fits(); err != nil {
			sr.genErr = err
			return nil
		}
		if libMedia != nil {
			if sr.body, err = c.generate(libMedia, false); err != nil {
				return fmt.Errorf("generate from schema: %w", err)
			}
		}
	}
	return nil
}

// exampleNames puts the examples in document order; any the order does
// not know (a media type written other than application/json) follow,
// sorted.
func exampleNames(order []string, examples map[string][]byte) []string {
	names := make([]string, 0, len(examples))
	for _, name := range order {
		if _, ok := examples[name]; ok {
			names = append(names, name)
		}
	}
	var rest []string
	for name := range examples {
		if !slices.Contains(names, name) {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	return append(names, rest...)
}

// generate renders a body from the schema with libopenapi; with fromSchema
// it ignores examples, which is what Prefer: dynamic=true asks for.
func (c *compiledAPI) generate(media *v3.MediaType, fromSchema bool) (body []byte, err error) {
	c.genMu.Lock()
	defer c.genMu.Unlock()
	defer func() {
		// libopenapi's renderer walks schemas kin-openapi accepted but
		// it may not expect: a failure is the call's error, not a crash.
		if v := recover(); v != nil {
			body, err = nil, fmt.Errorf("libopenapi failed to generate a body: %v", v)
		}
	}()
	if fromSchema {
		if media.Schema == nil {
			return nil, fmt.Errorf("no schema to generate from")
		}
		schema, err := media.Schema.BuildSchema()
		if err != nil {
			return nil, fmt.Errorf("build schema: %w", err)
		}
		return bounded(c.gen.GenerateMock(schema, ""))
	}
	return bounded(c.gen.GenerateMock(media, ""))
}

// bounded refuses a generated body past MaxGeneratedBytes, which the
// estimate let through.
func bounded(body []byte, err error) ([]byte, error) {
	if err == nil && len(body) > MaxGeneratedBytes {
		return nil, fmt.Errorf("%w: the body is %d bytes, over %d", errGenerationBound, len(body), MaxGeneratedBytes)
	}
	return body, err
}

// nearestPaths names the served paths most like a path that matched none,
// so a 404 shows the client what it probably meant: the longest run of
// equal leading segments first (a template segment matches anything).
func (c *compiledAPI) nearestPaths(path string, n int) []string {
	got := strings.Split(strings.Trim(path, "/"), "/")
	type candidate struct {
		path  string
		score int
	}
	var cands []candidate
	for template := range c.paths {
		full := c.api.BasePath + template
		want := strings.Split(strings.Trim(full, "/"), "/")
		score := 0
		for i := 0; i < len(want) && i < len(got); i++ {
			if want[i] != got[i] && !strings.HasPrefix(want[i], "{") {
				break
			}
			score++
		}
		score -= abs(len(want) - len(got))
		cands = append(cands, candidate{full, score})
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if a.score != b.score {
			return b.score - a.score
		}
		return strings.Compare(a.path, b.path)
	})
	var out []string
	for _, cand := range cands[:min(n, len(cands))] {
		out = append(out, cand.path)
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
