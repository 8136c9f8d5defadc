package spec

import (
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/index"
)

// LoadError is a document that kin-openapi or libopenapi refused. Problems
// holds each problem libopenapi can place at a line (a $ref to nothing,
// say); kin-openapi's own findings come without one and stay in Err.
type LoadError struct {
	Name, Source string
	Problems     []Problem
	Err          error
}

// Problem is one located finding in a document.
type Problem struct {
	Line, Column int
	Message      string
}

func (e *LoadError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "spec %s (%s): %v", e.Name, e.Source, e.Err)
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  %s:%d:%d: %s", e.Source, p.Line, p.Column, p.Message)
	}
	return b.String()
}

func (e *LoadError) Unwrap() error { return e.Err }

// locate asks libopenapi where a refused document goes wrong. It builds
// the model again on purpose: kin-openapi may have refused the document
// first, and only libopenapi's index keeps line numbers.
func locate(data []byte) []Problem {
	doc, err := libopenapi.NewDocument(data)
	if err != nil {
		return nil
	}
	_, buildErr := doc.BuildV3Model()
	var problems []Problem
	for _, e := range Leaves(buildErr) {
		var ie *index.IndexingError
		var re *index.ResolvingError
		switch {
		case errors.As(e, &ie) && ie.Node != nil:
			problems = append(problems, Problem{ie.Node.Line, ie.Node.Column, ie.Error()})
		case errors.As(e, &re) && re.Node != nil:
			problems = append(problems, Problem{re.Node.Line, re.Node.Column, re.Error()})
		}
	}
	return problems
}

// Leaves lists the errors at the ends of an error tree: errors.Join
// lists and kin-openapi's MultiError are opened, and so is an error that
// wraps several; any other error is a leaf, kept with its context.
func Leaves(err error) []error {
	var inner []error
	switch x := err.(type) {
	case nil:
		return nil
	case openapi3.MultiError:
		inner = x
	case interface{ Unwrap() []error }:
		inner = x.Unwrap()
	case interface{ Unwrap() error }:
		if leaves := Leaves(x.Unwrap()); len(leaves) > 1 {
			return leaves
		}
		return []error{err}
	default:
		return []error{err}
	}
	var out []error
	for _, e := range inner {
		out = append(out, Leaves(e)...)
	}
	return out
}
