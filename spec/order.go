package spec

import (
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v4"
)

// ExampleNames lists the named examples of op's JSON response for status
// in document order, which decides the default example. kin-openapi keeps
// examples in a map, so the order is read from the document's YAML tree,
// once, on the first call: a cheap parse next to libopenapi's model.
func (a *API) ExampleNames(op *Operation, status int) []string {
	return a.exampleOrder()[orderKey{op.Path, op.Method, status}]
}

type orderKey struct {
	path, method string
	status       int
}

func readExampleOrder(data []byte) map[orderKey][]string {
	out := map[orderKey][]string{}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return out
	}
	root := doc.Content[0]
	paths := mapValue(root, "paths")
	eachPair(paths, func(path string, item *yaml.Node) {
		eachPair(item, func(method string, op *yaml.Node) {
			eachPair(mapValue(op, "responses"), func(code string, resp *yaml.Node) {
				status, err := strconv.Atoi(code)
				if err != nil {
					return
				}
				resp = resolve(root, resp)
				examples := mapValue(mapValue(mapValue(resp, "content"), "application/json"), "examples")
				var names []string
				eachPair(examples, func(name string, _ *yaml.Node) { names = append(names, name) })
				if len(names) > 0 {
					out[orderKey{path, strings.ToUpper(method), status}] = names
				}
			})
		})
	})
	return out
}

// resolve follows a local $ref ("#/components/responses/NotFound").
func resolve(root, n *yaml.Node) *yaml.Node {
	ref := mapValue(n, "$ref")
	if ref == nil {
		return n
	}
	target, ok := strings.CutPrefix(ref.Value, "#/")
	if !ok {
		return nil
	}
	for _, part := range strings.Split(target, "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		if root = mapValue(root, part); root == nil {
			return nil
		}
	}
	return root
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func eachPair(n *yaml.Node, fn func(string, *yaml.Node)) {
	if n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		fn(n.Content[i].Value, n.Content[i+1])
	}
}
