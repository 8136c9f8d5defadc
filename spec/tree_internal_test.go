package spec

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/realestate-mocks/mockserver/spec/internal/yamltree"
)

// Each embedded tree is the one yamltree builds from its document today,
// and kin-openapi's model decoded from it is the model LoadFromData reads
// from the YAML: the tree is only a faster road to the same document.
func TestEmbeddedTreesMatch(t *testing.T) {
	for _, name := range Bundled() {
		t.Run(name, func(t *testing.T) {
			data, err := Embedded(name)
			if err != nil {
				t.Fatal(err)
			}
			tree := []byte(embeddedTrees[bundledFiles[name]])
			built, err := yamltree.Build(data)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(built, tree) {
				t.Fatalf("the tree of %s in trees_gen.go is stale: run go generate ./spec", bundledFiles[name])
			}
			fromTree, err := loadDoc(data, tree)
			if err != nil {
				t.Fatal(err)
			}
			loader := openapi3.NewLoader()
			loader.IsExternalRefsAllowed = false
			fromYAML, err := loader.LoadFromData(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fromTree, fromYAML) {
				a, _ := fromTree.MarshalJSON()
				b, _ := fromYAML.MarshalJSON()
				t.Fatalf("the model from the tree differs from the YAML's (JSON equal: %v)", bytes.Equal(a, b))
			}
		})
	}
}
