package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/gorilla/mux"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/renderer"

	"github.com/realestate-mocks/mockserver/spec"
)

// compiledAPI is everything derived from one spec that does not depend on
// a Server's state. It is built once per *spec.API and shared, so a new
// Server costs a few small allocations, not a router and a validator.
type compiledAPI struct {
	api    *spec.API
	router *mux.Router
	paths  map[string]*compiledPath // by path template
	ops    map[string]*compiledOp   // by operationId (or method+path when none)
	cache  responseCache

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
	op    *spec.Operation
	route *routers.Route
	// responses holds, per documented status, its pre-rendered examples.
	responses map[int]*statusResponse
	// success is the lowest documented 2xx status (405 for not-implemented ones).
	success int
	media   map[int]*v3.MediaType // libopenapi's view, for dynamic generation
}

type statusResponse struct {
	hasJSON bool
	// names are the documented example names, in document order.
	names    []string
	examples map[string][]byte
	// fallback is the body used when no example is asked for: the first
	// example, else one generated from the schema at compile time.
	fallback []byte
	// requiredHeaders are headers the response must carry (Allow on 405).
	requiredHeaders []string
}

var compiled sync.Map // *spec.API -> func() (*compiledAPI, error)

func compile(api *spec.API) (*compiledAPI, error) {
	once, _ := compiled.LoadOrStore(api, sync.OnceValues(func() (*compiledAPI, error) { return build(api) }))
	return once.(func() (*compiledAPI, error))()
}

func build(api *spec.API) (*compiledAPI, error) {
	c := &compiledAPI{
		api:    api,
		router: mux.NewRouter().UseEncodedPath(),
		paths:  map[string]*compiledPath{},
		ops:    map[string]*compiledOp{},
		gen:    renderer.NewMockGenerator(renderer.JSON),
	}
	c.gen.SetSeed(1)
	server := &openapi3.Server{URL: api.BasePath}
	if len(api.Doc.Servers) > 0 {
		server = api.Doc.Servers[0]
	}
	// Register in the document's matching order so a literal segment wins
	// over a template, as OpenAPI requires.
	for _, template := range api.Doc.Paths.InMatchingOrder() {
		cp := &compiledPath{template: template, methods: map[string]*compiledOp{}}
		cp.allow = strings.Join(api.Allow(template), ", ")
		c.paths[template] = cp
		c.router.NewRoute().Path(api.BasePath + template).Name(template)
	}
	for _, op := range api.Operations {
		co, err := c.compileOp(op, server)
		if err != nil {
			return nil, fmt.Errorf("compile %s %s %s: %w", api.Name, op.Method, op.Path, err)
		}
		c.paths[op.Path].methods[op.Method] = co
		c.ops[opKey(op)] = co
	}
	return c, nil
}

func opKey(op *spec.Operation) string {
	if op.ID != "" {
		return op.ID
	}
	return op.Method + " " + op.Path
}

func (c *compiledAPI) compileOp(op *spec.Operation, server *openapi3.Server) (*compiledOp, error) {
	// Authentication is done before kin-openapi from the fixtures, so kin
	// gets a copy of the operation without security: otherwise it reads
	// and rebuilds the body once per scheme for nothing.
	noSecurity := *op.Op
	noSecurity.Security = &openapi3.SecurityRequirements{}
	co := &compiledOp{
		op: op,
		route: &routers.Route{
			Spec: c.api.Doc, Server: server, Path: op.Path,
			PathItem: op.PathItem, Method: op.Method, Operation: &noSecurity,
		},
		responses: map[int]*statusResponse{},
		media:     map[int]*v3.MediaType{},
		success:   http.StatusMethodNotAllowed,
	}
	for _, status := range op.Statuses {
		if status >= 200 && status < 300 {
			co.success = status
			break
		}
	}
	var libOp *v3.Operation
	if item, ok := c.api.Model.Model.Paths.PathItems.Get(op.Path); ok {
		libOp, _ = item.GetOperations().Get(strings.ToLower(op.Method))
	}
	for _, status := range op.Statuses {
		resp := op.Op.Responses.Status(status)
		if resp == nil || resp.Value == nil {
			continue
		}
		sr := &statusResponse{examples: map[string][]byte{}}
		for name, h := range resp.Value.Headers {
			if h.Value != nil && h.Value.Required {
				sr.requiredHeaders = append(sr.requiredHeaders, http.CanonicalHeaderKey(name))
			}
		}
		slices.Sort(sr.requiredHeaders)
		if media := resp.Value.Content.Get("application/json"); media != nil {
			sr.hasJSON = true
			var libMedia *v3.MediaType
			if libOp != nil && libOp.Responses != nil {
				if r, ok := libOp.Responses.Codes.Get(strconv.Itoa(status)); ok && r.Content != nil {
					libMedia, _ = r.Content.Get("application/json")
				}
			}
			co.media[status] = libMedia
			if libMedia != nil && libMedia.Examples != nil {
				for name := range libMedia.Examples.KeysFromOldest() {
					sr.names = append(sr.names, name)
				}
			}
			for name, ex := range media.Examples {
				if ex.Value == nil {
					continue
				}
				body, err := json.Marshal(ex.Value.Value)
				if err != nil {
					return nil, fmt.Errorf("response %d example %q: %w", status, name, err)
				}
				sr.examples[name] = body
				if !slices.Contains(sr.names, name) {
					sr.names = append(sr.names, name)
				}
			}
			switch {
			case len(sr.names) > 0:
				sr.fallback = sr.examples[sr.names[0]]
			case media.Example != nil:
				body, err := json.Marshal(media.Example)
				if err != nil {
					return nil, fmt.Errorf("response %d example: %w", status, err)
				}
				sr.fallback = body
			case libMedia != nil:
				body, err := c.generate(libMedia, false)
				if err != nil {
					return nil, fmt.Errorf("response %d: generate from schema: %w", status, err)
				}
				sr.fallback = body
			}
		}
		co.responses[status] = sr
	}
	return co, nil
}

// generate renders a body from the schema with libopenapi; with fromSchema
// it ignores examples, which is what Prefer: dynamic=true asks for.
func (c *compiledAPI) generate(media *v3.MediaType, fromSchema bool) ([]byte, error) {
	c.genMu.Lock()
	defer c.genMu.Unlock()
	if fromSchema {
		if media.Schema == nil {
			return nil, fmt.Errorf("no schema to generate from")
		}
		schema, err := media.Schema.BuildSchema()
		if err != nil {
			return nil, fmt.Errorf("build schema: %w", err)
		}
		return c.gen.GenerateMock(schema, "")
	}
	return c.gen.GenerateMock(media, "")
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
