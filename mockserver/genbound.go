package mockserver

import (
	"errors"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// The bounds of a body generated from a schema (a response without an
// example, or Prefer: dynamic=true). A schema past them is answered with
// the "cannot generate" 500 in the API's envelope, at start and per
// call, rather than rendered: a 4 KB schema of 10 properties × 7 levels
// describes 10^7 values, which would take gigabytes to render.
const (
	// MaxGeneratedBytes bounds the size of a generated body.
	MaxGeneratedBytes = 1 << 20
	// MaxGeneratedDepth bounds how deep a generated body nests.
	MaxGeneratedDepth = 32
	// MaxGeneratedItems bounds the minItems a generated array is made with.
	MaxGeneratedItems = 1000
)

var errGenerationBound = errors.New("past the generation bounds")

// fitsGeneration estimates, without rendering, the size of the body
// libopenapi would generate from schema: every property, minItems items
// (at least one) of an array, each string at least its minLength. A
// schema already on the path ends the walk there, as the renderer's own
// cycle check does.
func fitsGeneration(ref *openapi3.SchemaRef) error {
	budget := int64(MaxGeneratedBytes)
	if err := estimate(ref, 0, &budget, map[*openapi3.Schema]bool{}); err != nil {
		return fmt.Errorf("cannot generate a body from the schema: %w", err)
	}
	return nil
}

func estimate(ref *openapi3.SchemaRef, depth int, budget *int64, path map[*openapi3.Schema]bool) error {
	if ref == nil || ref.Value == nil || path[ref.Value] {
		return nil
	}
	s := ref.Value
	if depth > MaxGeneratedDepth {
		return fmt.Errorf("%w: it nests deeper than %d levels", errGenerationBound, MaxGeneratedDepth)
	}
	path[s] = true
	defer delete(path, s)
	if *budget -= leafBytes(s); *budget < 0 {
		return fmt.Errorf("%w: the body would pass %d bytes", errGenerationBound, MaxGeneratedBytes)
	}
	for name, p := range s.Properties {
		*budget -= int64(len(name)) + 4
		if err := estimate(p, depth+1, budget, path); err != nil {
			return err
		}
	}
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, sub := range group {
			if err := estimate(sub, depth+1, budget, path); err != nil {
				return err
			}
		}
	}
	if s.Items == nil {
		return nil
	}
	if s.MinItems > MaxGeneratedItems {
		return fmt.Errorf("%w: an array has minItems %d, over %d", errGenerationBound, s.MinItems, MaxGeneratedItems)
	}
	for range max(s.MinItems, 1) {
		if err := estimate(s.Items, depth+1, budget, path); err != nil {
			return err
		}
	}
	return nil
}

// leafBytes is about what one value of the schema takes, not counting
// its properties or items.
func leafBytes(s *openapi3.Schema) int64 {
	if s.Type.Is(openapi3.TypeString) {
		return int64(min(max(s.MinLength, 8), 4096)) + 2
	}
	return 8
}
