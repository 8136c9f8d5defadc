// Command treegen writes, beside each YAML document named on its command
// line, the document's node tree as yamltree builds it (name.yaml.tree).
// spec's go:generate runs it for the bundled documents.
package main

import (
	"fmt"
	"os"

	"github.com/realestate-mocks/mockserver/spec/internal/yamltree"
)

func main() {
	for _, path := range os.Args[1:] {
		if err := write(path); err != nil {
			fmt.Fprintf(os.Stderr, "treegen: %s: %v\n", path, err)
			os.Exit(1)
		}
	}
}

func write(path string) error {
	doc, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	tree, err := yamltree.Build(doc)
	if err != nil {
		return err
	}
	return os.WriteFile(path+".tree", tree, 0o644)
}
