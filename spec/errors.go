package spec

import (
	"errors"
	"fmt"
	"strings"

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
	for _, e := range leafErrors(buildErr) {
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

// leafErrors flattens errors.Join trees.
func leafErrors(err error) []error {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range joined.Unwrap() {
			out = append(out, leafErrors(e)...)
		}
		return out
	}
	return []error{err}
}
