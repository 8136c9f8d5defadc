package crud

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/realestate-mocks/mockserver/spec"
)

// resource is one collection path and its item path.
type resource struct {
	// key is the collection path template without its leading slash
	// ("pets", "owners/{ownerId}/pets"): the collection's key in the
	// store and in State, so that /pets and /owners/{ownerId}/pets are
	// two collections.
	key string
	// parents are the collection path's own parameters ("ownerId"), kept
	// with each record: a list under /owners/alice holds alice's only.
	parents []string
	// parent is the resource whose item path is this collection's parent
	// (/owners/{ownerId} for /owners/{ownerId}/pets), nil when the
	// document has none: a record under a parent that does not exist
	// cannot be reached.
	parent *resource
	// param is the item path's parameter ("petId"); idField the record
	// property holding the id, "" when the record schema has none.
	param, idField string
	// intID is true for integer ids, false for generated UUID strings.
	intID bool
	// schema is the record as the item GET (or create) answers it.
	schema *openapi3.Schema
	// ops are the operations by role: create, list, read, replace, patch, delete.
	ops map[string]*spec.Operation
}

// name is the collection path's last segment ("pets"), for messages.
func (r *resource) name() string { return r.key[strings.LastIndex(r.key, "/")+1:] }

// findResources pairs each collection path with the item path made of it
// and one path parameter.
func findResources(api *spec.API) ([]*resource, error) {
	byPath := map[string][]*spec.Operation{}
	for _, op := range api.Operations {
		byPath[op.Path] = append(byPath[op.Path], op)
	}
	var out []*resource
	for path, ops := range byPath {
		collection, param, ok := itemOf(path)
		if !ok || byPath[collection] == nil {
			continue
		}
		r, err := newResource(collection, param, byPath[collection], ops)
		if err != nil {
			return nil, fmt.Errorf("%s and %s: %w", collection, path, err)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, errors.New("no collection path with an item path beneath it (/things and /things/{id}) to keep records for")
	}
	slices.SortFunc(out, func(a, b *resource) int { return strings.Compare(a.key, b.key) })
	for _, r := range out {
		if r.key == nextKey {
			return nil, fmt.Errorf("the collection /%s is named like the state's id counters", r.key)
		}
		r.parent = parentOf(r, out)
	}
	return out, nil
}

// parentOf finds the resource whose item path is r's collection path
// without its last segment.
func parentOf(r *resource, all []*resource) *resource {
	if len(r.parents) == 0 {
		return nil
	}
	collection, param, ok := itemOf("/" + r.key[:max(strings.LastIndex(r.key, "/"), 0)])
	if !ok {
		return nil
	}
	for _, p := range all {
		if "/"+p.key == collection && p.param == param {
			return p
		}
	}
	return nil
}

// templateParams lists the {name} segments of a path template, in order.
func templateParams(path string) []string {
	var out []string
	for seg := range strings.SplitSeq(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, seg[1:len(seg)-1])
		}
	}
	return out
}

// itemOf splits "/pets/{petId}" into "/pets" and "petId".
func itemOf(path string) (collection, param string, ok bool) {
	i := strings.LastIndex(path, "/")
	last := path[i+1:]
	if i <= 0 || !strings.HasPrefix(last, "{") || !strings.HasSuffix(last, "}") {
		return "", "", false
	}
	return path[:i], last[1 : len(last)-1], true
}

func newResource(collection, param string, collOps, itemOps []*spec.Operation) (*resource, error) {
	r := &resource{key: strings.TrimPrefix(collection, "/"), parents: templateParams(collection), param: param, ops: map[string]*spec.Operation{}}
	r.assign(collOps, map[string]string{http.MethodPost: "create", http.MethodGet: "list"})
	r.assign(itemOps, map[string]string{http.MethodGet: "read", http.MethodPut: "replace", http.MethodPatch: "patch", http.MethodDelete: "delete"})
	r.intID = slices.ContainsFunc(itemOps, func(op *spec.Operation) bool {
		p := pathParam(op, param)
		return p != nil && p.Value.Type.Is(openapi3.TypeInteger)
	})
	for _, role := range []string{"read", "create", "replace", "patch"} {
		if op := r.ops[role]; op != nil && r.schema == nil {
			r.schema = successSchema(op)
		}
	}
	if r.schema == nil || !r.schema.Type.Is(openapi3.TypeObject) {
		return nil, errors.New("no object schema for a record in the answers of its GET, POST, PUT or PATCH")
	}
	for _, name := range []string{param, "id"} {
		if r.schema.Properties[name] != nil {
			r.idField = name
			break
		}
	}
	return r, nil
}

// assign gives the operations their roles by method; an operation
// documented only as 405 has none.
func (r *resource) assign(ops []*spec.Operation, roles map[string]string) {
	for _, op := range ops {
		if role, ok := roles[op.Method]; ok && !op.NotImplemented {
			r.ops[role] = op
		}
	}
}

// pathParam is the operation's path parameter of that name, with a schema.
func pathParam(op *spec.Operation, name string) *openapi3.SchemaRef {
	for _, params := range []openapi3.Parameters{op.PathItem.Parameters, op.Op.Parameters} {
		for _, p := range params {
			if p.Value != nil && p.Value.In == openapi3.ParameterInPath && p.Value.Name == name && p.Value.Schema != nil && p.Value.Schema.Value != nil {
				return p.Value.Schema
			}
		}
	}
	return nil
}

// success is the operation's lowest documented 2xx status.
func success(op *spec.Operation) int {
	for _, status := range op.Statuses {
		if status >= 200 && status < 300 {
			return status
		}
	}
	return http.StatusOK
}

// successSchema is the JSON schema of the success answer, nil without one.
func successSchema(op *spec.Operation) *openapi3.Schema {
	resp := op.Op.Responses.Status(success(op))
	if resp == nil || resp.Value == nil {
		return nil
	}
	media := resp.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		return nil
	}
	return media.Schema.Value
}
