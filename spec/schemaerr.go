package spec

import (
	"errors"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// SchemaFailure is one schema rule a value breaks.
type SchemaFailure struct {
	// Pointer locates the failing value (JSON Pointer tokens); for a
	// missing property, the property itself, whatever the version.
	Pointer []string
	// Keyword is the schema keyword broken: "required", "const",
	// "unevaluatedProperties"; "" when kin-openapi names none.
	Keyword string
	// Reason says why, without echoing the value.
	Reason string
}

// SchemaFailures lists the rules a schema error stands for. An OpenAPI 3.0
// error is one rule. A 3.1 error is kin-openapi's conversion of a JSON
// Schema 2020-12 report, a tree whose leaves are the rules; when a part of
// an allOf fails, 2020-12 drops that part's annotations, so
// unevaluatedProperties also refuses every property the part declared:
// those "false schema" echoes are left out while any other rule failed.
func SchemaFailures(se *openapi3.SchemaError) []SchemaFailure {
	if _, ok := cause2020(se); !ok {
		return []SchemaFailure{{Pointer: se.JSONPointer(), Keyword: se.SchemaField, Reason: SchemaReason(se)}}
	}
	var all, echoes []SchemaFailure
	for _, leaf := range leaves2020(se) {
		fs, echo := failures2020(leaf)
		if echo {
			echoes = append(echoes, fs...)
		} else {
			all = append(all, fs...)
		}
	}
	if len(all) == 0 {
		all = echoes
	}
	return slices.CompactFunc(all, func(a, b SchemaFailure) bool {
		return a.Reason == b.Reason && a.Keyword == b.Keyword && slices.Equal(a.Pointer, b.Pointer)
	})
}

// cause2020 is the JSON Schema 2020-12 error se was converted from, if any.
func cause2020(se *openapi3.SchemaError) (*jsonschema.ValidationError, bool) {
	own := *se
	own.Origin = nil // Unwrap then yields the cause kin-openapi keeps
	var verr *jsonschema.ValidationError
	ok := errors.As(own.Unwrap(), &verr)
	return verr, ok
}

// leaves2020 walks the converted tree: a node's sub-errors are a
// MultiError under its Origin.
func leaves2020(se *openapi3.SchemaError) []*openapi3.SchemaError {
	var children openapi3.MultiError
	if se.Origin != nil && errors.As(se.Origin, &children) {
		var out []*openapi3.SchemaError
		for _, c := range children {
			var child *openapi3.SchemaError
			if errors.As(c, &child) {
				out = append(out, leaves2020(child)...)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return []*openapi3.SchemaError{se}
}

var printer = message.NewPrinter(language.English)

// failures2020 describes a leaf: one failure per missing property, else
// one; echo is true for a "false schema" leaf (unevaluatedProperties:
// false and its kind).
func failures2020(leaf *openapi3.SchemaError) (fs []SchemaFailure, echo bool) {
	f := SchemaFailure{Pointer: leaf.JSONPointer(), Keyword: leaf.SchemaField, Reason: SchemaReason(leaf)}
	verr, ok := cause2020(leaf)
	if !ok {
		return []SchemaFailure{f}, false
	}
	f.Reason = verr.ErrorKind.LocalizedString(printer)
	missing := func(props []string, why string) []SchemaFailure {
		for _, p := range props {
			fs = append(fs, SchemaFailure{Pointer: append(slices.Clip(f.Pointer), p), Keyword: f.Keyword, Reason: `property "` + p + `" is ` + why})
		}
		return fs
	}
	switch k := verr.ErrorKind.(type) {
	case *kind.Required:
		return missing(k.Missing, "missing"), false
	case *kind.DependentRequired:
		f.Keyword = "dependentRequired"
		return missing(k.Missing, `required when "`+k.Prop+`" is present`), false
	case *kind.FalseSchema:
		// The keyword holding the false schema ends its location.
		_, frag, _ := strings.Cut(verr.SchemaURL, "#")
		f.Keyword = frag[strings.LastIndex(frag, "/")+1:]
		f.Reason = "is not allowed here (" + f.Keyword + ": false)"
		return []SchemaFailure{f}, true
	}
	return []SchemaFailure{f}, false
}

// Failures2020 lists the rules of the first JSON Schema 2020-12 error in
// err (see SchemaFailures); ok is false when err holds none, as for any
// OpenAPI 3.0 document.
func Failures2020(err error) (fs []SchemaFailure, ok bool) {
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return nil, false
	}
	if _, ok := cause2020(se); !ok {
		return nil, false
	}
	return SchemaFailures(se), true
}
