package spec

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/pb33f/libopenapi"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/realestate-mocks/mockserver/spec/internal/yamltree"
)

//go:generate go run ./internal/treegen opentoclose.yaml spark.yaml

// The bundled documents; their node trees are in trees_gen.go.
//
//go:embed opentoclose.yaml spark.yaml
var embedded embed.FS

// bundledFiles maps each bundled API's name to its embedded document.
var bundledFiles = map[string]string{
	"opentoclose": "opentoclose.yaml",
	"spark":       "spark.yaml",
}

// API is one parsed, validated OpenAPI document with the facts the mock
// needs already extracted. It is shared read-only: never modify it.
type API struct {
	// Name identifies the API ("spark", "opentoclose" or a user's name).
	Name string
	// Source says where the document came from, for error messages.
	Source string
	// Raw is the document as loaded.
	Raw []byte
	// Doc is kin-openapi's model, used for routing and validation.
	Doc *openapi3.T
	// BasePath is the path of the first server URL ("/v1"), "" when none.
	BasePath string
	// Operations lists every operation, sorted by path then method.
	Operations []*Operation
	// Roles is the x-role-catalog, empty when the document has none.
	Roles map[string]Role
	// Envelope renders the API's own error bodies.
	Envelope *Envelope
	// Auth is how a request proves who it is; nil when the API is open.
	Auth *Auth
	// Webhooks are the calls a 3.1 document says the API makes: listed,
	// never served.
	Webhooks []Webhook

	// model is libopenapi's model, built on first use (see Model): it is
	// a second parse of the document that only generated bodies need, and
	// was a third of the start time.
	model func() (*libopenapi.DocumentModel[v3.Document], error)
	// exampleOrder is read from the document on first use (ExampleNames).
	exampleOrder func() map[orderKey][]string

	byID   map[string]*Operation
	paths  pathTable
	check  responseCache
	params paramMemo
	bodies bodyCache
}

// Operation is one method on one path.
type Operation struct {
	ID       string
	Method   string
	Path     string // the template, relative to BasePath: /listings/{ListingId}/shared/notes
	PathItem *openapi3.PathItem
	Op       *openapi3.Operation
	// Roles is the operation's x-roles; empty means any authenticated caller.
	Roles []string
	// NotImplemented is true when the only documented response is 405.
	NotImplemented bool
	// Statuses are the documented statuses, ascending ("default" omitted).
	Statuses []int
	// PrecheckHeaders are required headers marked x-checked-before-auth.
	PrecheckHeaders []string
	// Route is kin-openapi's view of the operation, for its validators.
	// Its operation carries no security: the mock authenticates before
	// kin-openapi, which would otherwise read and rebuild the body once
	// per scheme for nothing.
	Route *routers.Route

	// Secured is true when the operation requires the document's
	// credential: the document-wide security applies unless the operation
	// sets its own (`security: []` opens it).
	Secured bool

	headers map[int][]string // response headers each status documents
	plan    requestPlan
}

// Role is one entry of the x-role-catalog.
type Role struct {
	Writes bool `json:"writes"`
	// ActsAsContact marks a session that acts as one contact: its
	// principals name the contact, and calls about "my" records use it.
	ActsAsContact bool   `json:"actsAsContact,omitempty"`
	Description   string `json:"description,omitempty"`
}

// Auth describes the one security scheme the mock enforces per API.
type Auth struct {
	// SchemeName is the key under components.securitySchemes.
	SchemeName string
	// In is "query", "header" or "cookie" for an apiKey; "header" for bearer.
	In string
	// Name is the parameter or header name carrying the credential.
	Name string
	// Prefixes, for an Authorization header, are the accepted schemes
	// ("Bearer", and whatever x-token-prefixes adds); empty for an apiKey.
	Prefixes []string
}

// Credential extracts the credential from r, "" when there is none.
func (a *Auth) Credential(r *http.Request) string {
	var raw string
	switch a.In {
	case "query":
		raw = r.URL.Query().Get(a.Name)
	case "cookie":
		if c, err := r.Cookie(a.Name); err == nil {
			raw = c.Value
		}
	default:
		raw = r.Header.Get(a.Name)
	}
	if len(a.Prefixes) == 0 {
		return strings.TrimSpace(raw)
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(raw), " ")
	if !ok {
		return ""
	}
	for _, p := range a.Prefixes {
		if strings.EqualFold(scheme, p) {
			return strings.TrimSpace(token)
		}
	}
	return ""
}

// Operation returns the operation with that operationId, or nil.
func (a *API) Operation(id string) *Operation { return a.byID[id] }

// PathOperations returns the operations declared on one path template.
func (a *API) PathOperations(path string) []*Operation {
	var ops []*Operation
	for _, op := range a.Operations {
		if op.Path == path {
			ops = append(ops, op)
		}
	}
	return ops
}

// Allow lists the methods that work on a path (not-implemented ones left
// out), in the order an Allow header shows them.
func (a *API) Allow(path string) []string {
	var methods []string
	for _, op := range a.PathOperations(path) {
		if !op.NotImplemented {
			methods = append(methods, op.Method)
		}
	}
	sortMethods(methods)
	return methods
}

// Documents reports whether the operation documents that status.
func (o *Operation) Documents(status int) bool {
	_, found := slices.BinarySearch(o.Statuses, status)
	return found
}

// Bundled lists the names of the embedded APIs, sorted.
func Bundled() []string {
	names := make([]string, 0, len(bundledFiles))
	for name := range bundledFiles {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Embedded returns the bytes of a bundled document.
func Embedded(name string) ([]byte, error) {
	file, ok := bundledFiles[name]
	if !ok {
		return nil, fmt.Errorf("no bundled API named %q (bundled: %s)", name, strings.Join(Bundled(), ", "))
	}
	return embedded.ReadFile(file)
}

var loaded sync.Map // name -> func() (*API, error)

// Load returns a bundled API, parsed and validated on first use and shared
// by every later caller in the process.
func Load(name string) (*API, error) {
	if _, ok := bundledFiles[name]; !ok {
		return nil, fmt.Errorf("no bundled API named %q (bundled: %s)", name, strings.Join(Bundled(), ", "))
	}
	once, _ := loaded.LoadOrStore(name, sync.OnceValues(func() (*API, error) {
		data, err := Embedded(name)
		if err != nil {
			return nil, err
		}
		tree := []byte(embeddedTrees[bundledFiles[name]])
		return parse(name, "embedded "+bundledFiles[name], data, embeddedChecked, tree)
	}))
	return once.(func() (*API, error))()
}

// MustLoad is Load for bundled documents known to be valid; it panics
// otherwise, which a test of this package would already have caught.
func MustLoad(name string) *API {
	api, err := Load(name)
	if err != nil {
		panic(err)
	}
	return api
}

// LoadFile parses and validates a document from disk under the given name.
func LoadFile(name, path string) (*API, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read spec %s: %w", name, err)
	}
	return Parse(name, filepath.Clean(path), data)
}

// Parse validates an OpenAPI 3.0, 3.1 or 3.2 document with kin-openapi
// (3.1 and later with JSON Schema 2020-12 semantics) and extracts
// the operations, roles, error envelope and auth scheme. libopenapi reads
// the document only when Model is first asked for.
func Parse(name, source string, data []byte) (*API, error) {
	return parse(name, source, data, false, nil)
}

// embeddedChecked says the embedded documents need no kin-openapi
// Validate at load: they are part of the binary, and
// TestBothLibrariesAccept validates them (with format validation on top
// of what parse checks) before any binary is built from them. Validating
// them again at every start was a tenth of its CPU time.
const embeddedChecked = true

// parse is Parse; checked skips kin-openapi's Validate of a document
// known to pass it, and a tree (yamltree's form of data) stands in for
// parsing data's YAML. Everything the mock reads from the document is still
// extracted and checked.
func parse(name, source string, data []byte, checked bool, tree []byte) (*API, error) {
	fail := func(err error) (*API, error) {
		return nil, &LoadError{Name: name, Source: source, Problems: locate(data), Err: err}
	}

	doc, err := loadDoc(data, tree)
	if err != nil {
		return fail(fmt.Errorf("kin-openapi cannot load it: %w", err))
	}
	if err := checkVersion(doc); err != nil {
		return fail(err)
	}
	if !checked {
		if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
			return fail(fmt.Errorf("kin-openapi rejects it: %w", err))
		}
	}
	api := &API{Name: name, Source: source, Raw: data, Doc: doc, byID: map[string]*Operation{}}
	api.model = sync.OnceValues(func() (*libopenapi.DocumentModel[v3.Document], error) {
		return buildModel(name, source, data)
	})
	api.exampleOrder = sync.OnceValue(func() map[orderKey][]string { return readExampleOrder(data) })
	if err := api.extract(); err != nil {
		return fail(err)
	}
	return api, nil
}

// loadDoc is kin-openapi's model of data, decoded from tree when there is
// one: the YAML scan it skips was a sixth of the CPU time of a start.
func loadDoc(data, tree []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	if tree == nil {
		return loader.LoadFromData(data)
	}
	root, err := yamltree.Decode(tree)
	if err != nil {
		return nil, err
	}
	doc := &openapi3.T{}
	if err := root.Decode(doc); err != nil {
		return nil, err
	}
	if err := loader.ResolveRefsIn(doc, nil); err != nil {
		return nil, err
	}
	return doc, nil
}

// SchemaOptions are the options to validate a value against one of the
// document's schemas with Schema.VisitJSON: JSON Schema 2020-12 semantics
// for OpenAPI 3.1 and later, as openapi3filter applies on its own.
func (a *API) SchemaOptions() []openapi3.SchemaValidationOption {
	if a.Doc.IsOpenAPI31OrLater() {
		return []openapi3.SchemaValidationOption{openapi3.EnableJSONSchema2020()}
	}
	return nil
}

// Model is libopenapi's model of the document, used to generate bodies
// from schemas; it is built on the first call and shared.
func (a *API) Model() (*libopenapi.DocumentModel[v3.Document], error) { return a.model() }

func buildModel(name, source string, data []byte) (model *libopenapi.DocumentModel[v3.Document], err error) {
	fail := func(err error) (*libopenapi.DocumentModel[v3.Document], error) {
		return nil, &LoadError{Name: name, Source: source, Problems: locate(data), Err: err}
	}
	defer func() {
		// The model is built on a call's path, for a document kin-openapi
		// accepted: a libopenapi crash is that call's error, not the
		// server's end.
		if v := recover(); v != nil {
			model, err = fail(fmt.Errorf("libopenapi failed on it: %v", v))
		}
	}()
	libDoc, err := libopenapi.NewDocument(data)
	if err != nil {
		return fail(fmt.Errorf("libopenapi cannot read it: %w", err))
	}
	if model, err = libDoc.BuildV3Model(); err != nil {
		return fail(fmt.Errorf("libopenapi rejects it: %w", err))
	}
	return model, nil
}

func (a *API) extract() error {
	if len(a.Doc.Servers) > 0 {
		u, err := url.Parse(a.Doc.Servers[0].URL)
		if err != nil {
			return fmt.Errorf("servers[0].url: %w", err)
		}
		a.BasePath = strings.TrimRight(u.Path, "/")
	}
	if err := decodeExtension(a.Doc.Extensions, "x-role-catalog", &a.Roles); err != nil {
		return err
	}
	envelope, err := newEnvelope(a.Doc.Extensions)
	if err != nil {
		return err
	}
	a.Envelope = envelope
	if a.Auth, err = authFrom(a.Doc); err != nil {
		return err
	}

	a.Webhooks = webhooks(a.Doc)
	a.paths = newPathTable(a.Doc.Paths.InMatchingOrder())
	for _, path := range a.Doc.Paths.InMatchingOrder() {
		item := a.Doc.Paths.Value(path)
		for method, op := range item.Operations() {
			o, err := a.operation(path, method, item, op)
			if err != nil {
				return fmt.Errorf("%s %s: %w", method, path, err)
			}
			if o.ID != "" {
				if _, dup := a.byID[o.ID]; dup {
					return fmt.Errorf("operationId %q is used twice", o.ID)
				}
				a.byID[o.ID] = o
			}
			a.Operations = append(a.Operations, o)
		}
	}
	sort.Slice(a.Operations, func(i, j int) bool {
		x, y := a.Operations[i], a.Operations[j]
		if x.Path != y.Path {
			return x.Path < y.Path
		}
		return methodRank(x.Method) < methodRank(y.Method)
	})
	return nil
}

func (a *API) operation(path, method string, item *openapi3.PathItem, op *openapi3.Operation) (*Operation, error) {
	o := &Operation{ID: op.OperationID, Method: method, Path: path, PathItem: item, Op: op}
	o.Route = a.route(o)
	o.plan = newRequestPlan(item, op)
	if err := decodeExtension(op.Extensions, "x-roles", &o.Roles); err != nil {
		return nil, err
	}
	for _, role := range o.Roles {
		if _, ok := a.Roles[role]; !ok {
			return nil, fmt.Errorf("x-roles names %q, which x-role-catalog does not define", role)
		}
	}
	o.Statuses = documentedStatuses(op)
	o.NotImplemented = len(o.Statuses) == 1 && o.Statuses[0] == http.StatusMethodNotAllowed
	o.headers = documentedHeaders(o)
	o.Secured = len(a.Doc.Security) > 0
	if op.Security != nil {
		o.Secured = len(*op.Security) > 0
	}
	var err error
	o.PrecheckHeaders, err = precheckHeaders(item, op)
	return o, err
}

// documentedStatuses lists the single statuses the operation documents,
// in order ("default" and ranges such as "2XX" are not single statuses).
func documentedStatuses(op *openapi3.Operation) []int {
	var out []int
	if op.Responses != nil {
		for code := range op.Responses.Map() {
			if status, err := strconv.Atoi(code); err == nil {
				out = append(out, status)
			}
		}
	}
	sort.Ints(out)
	return out
}

// precheckHeaders lists the required headers marked x-checked-before-auth.
func precheckHeaders(item *openapi3.PathItem, op *openapi3.Operation) ([]string, error) {
	var out []string
	for _, params := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, p := range params {
			if p.Value == nil || p.Value.In != openapi3.ParameterInHeader || !p.Value.Required {
				continue
			}
			var before bool
			if err := decodeExtension(p.Value.Extensions, "x-checked-before-auth", &before); err != nil {
				return nil, err
			}
			if before {
				out = append(out, http.CanonicalHeaderKey(p.Value.Name))
			}
		}
	}
	return out, nil
}

// authFrom reads the document-wide security requirement. The mock enforces
// one scheme per API; a document mixing several is refused rather than
// half-enforced.
func authFrom(doc *openapi3.T) (*Auth, error) {
	if len(doc.Security) == 0 {
		return nil, nil
	}
	if len(doc.Security) > 1 || len(doc.Security[0]) != 1 {
		return nil, errors.New("security: the mock enforces exactly one document-wide scheme")
	}
	var name string
	for n := range doc.Security[0] {
		name = n
	}
	if doc.Components == nil || doc.Components.SecuritySchemes[name] == nil || doc.Components.SecuritySchemes[name].Value == nil {
		return nil, fmt.Errorf("security: scheme %q is not defined", name)
	}
	s := doc.Components.SecuritySchemes[name].Value
	switch {
	case s.Type == "apiKey":
		return &Auth{SchemeName: name, In: s.In, Name: s.Name}, nil
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer"):
		prefixes := []string{"Bearer"}
		var extra []string
		if err := decodeExtension(s.Extensions, "x-token-prefixes", &extra); err != nil {
			return nil, err
		}
		for _, p := range extra {
			if !slices.ContainsFunc(prefixes, func(q string) bool { return strings.EqualFold(p, q) }) {
				prefixes = append(prefixes, p)
			}
		}
		return &Auth{SchemeName: name, In: "header", Name: "Authorization", Prefixes: prefixes}, nil
	default:
		return nil, fmt.Errorf("security: scheme %q of type %q is not one the mock enforces (apiKey, http bearer)", name, s.Type)
	}
}

var methodOrder = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions, http.MethodTrace}

func methodRank(m string) int {
	if i := slices.Index(methodOrder, m); i >= 0 {
		return i
	}
	return len(methodOrder)
}

func sortMethods(methods []string) {
	sort.SliceStable(methods, func(i, j int) bool { return methodRank(methods[i]) < methodRank(methods[j]) })
}

func (a *API) route(o *Operation) *routers.Route {
	server := &openapi3.Server{URL: a.BasePath}
	if len(a.Doc.Servers) > 0 {
		server = a.Doc.Servers[0]
	}
	noSecurity := *o.Op
	noSecurity.Security = &openapi3.SecurityRequirements{}
	return &routers.Route{
		Spec: a.Doc, Server: server, Path: o.Path,
		PathItem: o.PathItem, Method: o.Method, Operation: &noSecurity,
	}
}
