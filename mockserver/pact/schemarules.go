package pact

import (
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// The datetime patterns SchemaRules gives an RFC 3339 date-time: without
// and with a fraction of a second (1 to 9 digits). pact-reference's
// patterns have no optional sections, so the two are combined with OR.
const (
	rfc3339Seconds  = "yyyy-MM-dd'T'HH:mm:ssXXX"
	rfc3339Fraction = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX"
)

// maxSchemaDepth bounds the walk through a recursive schema: rules for
// deeper levels are left to the type rules that cascade from above.
const maxSchemaDepth = 32

// SchemaRules derives body matching rules from a response schema, so
// that a pact written from one provider's answers also verifies against
// another whose data differs but keeps the documented shape. Keys are
// Pact paths from root ("$"). Strings and booleans get type (a
// string with a pattern gets regex, one with an enum a regex of its
// values, format uuid a regex, date gets date yyyy-MM-dd, date-time two datetime
// patterns combined with OR); integers get integer; arrays get type with
// min from minItems (and max from maxItems) and their items' rules under
// [*]; objects their properties' rules, and a map (additionalProperties)
// values with its values' rules under .*; nullable adds null with OR to
// strings, numbers and booleans (not to objects and arrays: see
// isContainer).
// Numbers get number, and nullable booleans boolean, which hold whatever
// the example was; a type rule compares with the example, so where the
// example is null a non-null answer fails it: Pact cannot say from a null
// what a string, object or array should look like.
// allOf is merged; oneOf, anyOf and untyped schemas get type, which
// cascades to whatever the example holds.
func SchemaRules(schema *openapi3.Schema, root string) map[string]RuleSet {
	w := schemaWalk{rules: map[string]RuleSet{}, onPath: map[*openapi3.Schema]bool{}}
	if schema != nil {
		w.walk(schema, root, 0)
	}
	return w.rules
}

type schemaWalk struct {
	rules  map[string]RuleSet
	onPath map[*openapi3.Schema]bool // schemas being walked: a ref cycle stops here
}

func (w *schemaWalk) walk(s *openapi3.Schema, path string, depth int) {
	if s == nil || w.onPath[s] || depth > maxSchemaDepth {
		return
	}
	w.onPath[s] = true
	defer delete(w.onPath, s)
	if len(s.AllOf) > 0 {
		for _, ref := range s.AllOf {
			w.walk(ref.Value, path, depth+1)
		}
		return
	}
	matchers := w.own(s, path, depth)
	if len(matchers) == 0 {
		return
	}
	rs := RuleSet{Matchers: matchers}
	if len(matchers) > 1 {
		rs.Combine = "OR"
	}
	if _, taken := w.rules[path]; !taken {
		w.rules[path] = rs
	}
	if (s.Nullable || s.Type != nil && s.Type.IncludesNull()) && !isContainer(s) {
		w.orNull(path)
	}
}

// own is the matchers for the value at path itself (alternatives, any of
// which may hold), after walking its children.
func (w *schemaWalk) own(s *openapi3.Schema, path string, depth int) []Matcher {
	switch {
	case len(s.OneOf) > 0 || len(s.AnyOf) > 0 || s.Type == nil || s.Type.IsEmpty():
		if len(s.Properties) > 0 {
			w.properties(s, path, depth)
			return nil
		}
		return []Matcher{{"match": "type"}}
	case s.Type.Is("array"):
		return w.array(s, path, depth)
	case s.Type.Is("object"):
		return w.object(s, path, depth)
	case s.Type.Is("integer"):
		return []Matcher{{"match": "integer"}}
	case s.Type.Is("number"):
		return []Matcher{{"match": "number"}}
	case s.Type.Is("boolean") && s.Nullable:
		// type would compare with the example, which may be the null.
		return []Matcher{{"match": "boolean"}}
	case s.Type.Is("string"):
		return stringMatchers(s)
	}
	return []Matcher{{"match": "type"}}
}

func (w *schemaWalk) array(s *openapi3.Schema, path string, depth int) []Matcher {
	m := Matcher{"match": "type"}
	if s.MinItems > 0 {
		m["min"] = float64(s.MinItems)
	}
	if s.MaxItems != nil {
		m["max"] = float64(*s.MaxItems)
	}
	if s.Items != nil {
		w.walk(s.Items.Value, path+"[*]", depth+1)
	}
	return []Matcher{m}
}

// object walks the properties; a map (additionalProperties with a
// schema and no properties) gets values, so any keys are accepted.
func (w *schemaWalk) object(s *openapi3.Schema, path string, depth int) []Matcher {
	w.properties(s, path, depth)
	extra := s.AdditionalProperties.Schema
	if len(s.Properties) == 0 && extra != nil && extra.Value != nil {
		w.walk(extra.Value, path+".*", depth+1)
		return []Matcher{{"match": "values"}}
	}
	return nil
}

// isContainer says the schema is an object or an array. Pact cannot say
// "this object or null": pact-reference refuses any other kind where the
// example is an object or array before it looks at rules, and does not
// combine OR for them, so a nullable container gets no null rule.
func isContainer(s *openapi3.Schema) bool {
	return s.Type != nil && (s.Type.Is("object") || s.Type.Is("array")) ||
		len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil
}

func (w *schemaWalk) properties(s *openapi3.Schema, path string, depth int) {
	for _, name := range sortedKeys(s.Properties) {
		if ref := s.Properties[name]; ref != nil {
			w.walk(ref.Value, childPath(path, name), depth+1)
		}
	}
}

func stringMatchers(s *openapi3.Schema) []Matcher {
	switch {
	case len(s.Enum) > 0:
		return []Matcher{{"match": "regex", "regex": enumRegex(s.Enum)}}
	case s.Pattern != "" && validRE2(s.Pattern):
		return []Matcher{{"match": "regex", "regex": unanchoredPattern(s.Pattern)}}
	case s.Format == "date":
		return []Matcher{{"match": "date", "format": defaultDate}}
	case s.Format == "uuid":
		return []Matcher{{"match": "regex", "regex": "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"}}
	case s.Format == "date-time":
		return []Matcher{{"match": "datetime", "format": rfc3339Seconds}, {"match": "datetime", "format": rfc3339Fraction}}
	}
	return []Matcher{{"match": "type"}}
}

// enumRegex is a regex matching exactly the enum's string values.
func enumRegex(values []any) string {
	var alts []string
	for _, v := range values {
		if s, ok := v.(string); ok {
			alts = append(alts, regexp.QuoteMeta(s))
		}
	}
	return strings.Join(alts, "|")
}

// unanchoredPattern: an OpenAPI pattern searches (ECMA-262), a Pact
// regex must match the whole value, so the pattern is widened unless it
// is anchored at both ends already.
func unanchoredPattern(p string) string {
	if strings.HasPrefix(p, "^") && strings.HasSuffix(p, "$") && !strings.HasSuffix(p, `\$`) && !strings.Contains(p, "|") {
		return p[1 : len(p)-1]
	}
	return ".*(?:" + p + ").*"
}

func validRE2(p string) bool {
	_, err := regexp.Compile(p)
	return err == nil
}

// orNull lets the value at path also be null.
func (w *schemaWalk) orNull(path string) {
	rs := w.rules[path]
	if len(rs.Matchers) == 0 {
		rs.Matchers = []Matcher{{"match": "type"}}
	}
	for _, m := range rs.Matchers {
		if m.kind() == "null" {
			return
		}
	}
	rs.Combine = "OR"
	rs.Matchers = append(rs.Matchers, Matcher{"match": "null"})
	w.rules[path] = rs
}
