package pact

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// A path expression ("$.a[*].b['c d'].*") is a list of tokens; a concrete
// path in a document is a list of steps ("$", "a", "0", "b", "c d").
type tokenKind int

const (
	tokRoot tokenKind = iota
	tokField
	tokIndex
	tokStar      // .* : any key or index
	tokStarIndex // [*] : any index
)

type pathToken struct {
	kind  tokenKind
	name  string
	index int
}

// parsePathExpr reads a matching rule's path expression.
func parsePathExpr(expr string) ([]pathToken, error) {
	rest, ok := strings.CutPrefix(expr, "$")
	if !ok {
		return nil, fmt.Errorf("path %s does not start with $", quote(expr))
	}
	tokens := []pathToken{{kind: tokRoot}}
	for rest != "" {
		var tok pathToken
		var err error
		switch rest[0] {
		case '.':
			tok, rest, err = fieldToken(rest[1:])
		case '[':
			tok, rest, err = bracketToken(rest[1:])
		default:
			err = fmt.Errorf("unexpected %q", rest[0])
		}
		if err != nil {
			return nil, fmt.Errorf("path %s: %w", quote(expr), err)
		}
		tokens = append(tokens, tok)
	}
	return tokens, nil
}

func fieldToken(s string) (pathToken, string, error) {
	end := strings.IndexAny(s, ".[")
	if end < 0 {
		end = len(s)
	}
	name := s[:end]
	switch name {
	case "":
		return pathToken{}, "", fmt.Errorf("empty field name")
	case "*":
		return pathToken{kind: tokStar}, s[end:], nil
	}
	return pathToken{kind: tokField, name: name}, s[end:], nil
}

func bracketToken(s string) (pathToken, string, error) {
	if q := s[0:min(1, len(s))]; q == "'" || q == `"` {
		end := strings.Index(s[1:], q+"]")
		if end < 0 {
			return pathToken{}, "", fmt.Errorf("unterminated ['...']")
		}
		return pathToken{kind: tokField, name: s[1 : end+1]}, s[end+3:], nil
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return pathToken{}, "", fmt.Errorf("unterminated [")
	}
	inner := s[:end]
	if inner == "*" {
		return pathToken{kind: tokStarIndex}, s[end+1:], nil
	}
	i, err := strconv.Atoi(inner)
	if err != nil || i < 0 {
		return pathToken{}, "", fmt.Errorf("index %q is not a number or *", inner)
	}
	return pathToken{kind: tokIndex, index: i}, s[end+1:], nil
}

// weight is how well an expression matches a path, as pact-reference
// weighs it: each token scores 2 for an exact name or index, 1 for a
// wildcard, 0 for no match, and the scores multiply. An expression
// shorter than the path matches its prefix, which is how a rule on a
// parent reaches (cascades to) its children.
func weight(expr []pathToken, path []string) int {
	if len(expr) > len(path) {
		return 0
	}
	w := 1
	for i, tok := range expr {
		w *= tokenWeight(tok, path[i])
		if w == 0 {
			return 0
		}
	}
	return w
}

func tokenWeight(tok pathToken, step string) int {
	step = stepText(step)
	switch tok.kind {
	case tokRoot:
		if step == "$" {
			return 2
		}
	case tokField:
		if step == tok.name {
			return 2
		}
	case tokIndex:
		if i, err := strconv.Atoi(step); err == nil && i == tok.index {
			return 2
		}
	case tokStarIndex:
		if _, err := strconv.Atoi(step); err == nil {
			return 1
		}
	case tokStar:
		return 1
	}
	return 0
}

// bodyRule is one parsed body rule.
type bodyRule struct {
	tokens []pathToken
	set    RuleSet
}

// parseBodyRules reads the rules of the body category, in a fixed order
// so that ties in weight are broken the same way every time.
func parseBodyRules(rules map[string]RuleSet) ([]bodyRule, []Mismatch) {
	var out []bodyRule
	var bad []Mismatch
	for _, expr := range sortedKeys(rules) {
		tokens, err := parsePathExpr(expr)
		if err != nil {
			bad = append(bad, Mismatch{Where: "body", Path: expr, Message: "matching rule not applied: " + err.Error()})
			continue
		}
		out = append(out, bodyRule{tokens: tokens, set: rules[expr]})
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].tokens) > len(out[j].tokens) })
	return out, bad
}

// best picks the rule set that applies at path: the highest weight times
// length, as pact-reference selects it (ties go to the longer, then the
// alphabetically first expression). cascaded says it was written for an
// ancestor of path.
func best(rules []bodyRule, path []string) (rs RuleSet, cascaded, ok bool) {
	score := 0
	for _, r := range rules {
		if s := weight(r.tokens, path) * len(r.tokens); s > score {
			score, rs, cascaded, ok = s, r.set, len(r.tokens) != len(path), true
		}
	}
	return rs, cascaded, ok
}

// pactPath renders path steps as a Pact path: $.a.b[0]['c d'].
func pactPath(path []string) string {
	out := "$"
	for _, step := range path[1:] {
		if isIndex(step) {
			out += "[" + stepText(step) + "]"
		} else {
			out = childPath(out, step)
		}
	}
	return out
}

// childPath is a property's Pact path.
func childPath(path, name string) string {
	if isPlainName(name) {
		return path + "." + name
	}
	return path + "['" + name + "']"
}

var pointerEscape = strings.NewReplacer("~", "~0", "/", "~1")

// pointer renders path steps as a JSON pointer: /a/b/0.
func pointer(path []string) string {
	var b strings.Builder
	for _, step := range path[1:] {
		b.WriteString("/" + pointerEscape.Replace(stepText(step)))
	}
	return b.String()
}

// Steps of a path are strings; an array index is marked by a prefix so
// that a key "0" and index 0 differ when rendered.
const indexMark = "\x00"

func indexStep(i int) string      { return indexMark + strconv.Itoa(i) }
func isIndex(step string) bool    { return strings.HasPrefix(step, indexMark) }
func stepText(step string) string { return strings.TrimPrefix(step, indexMark) }

func isPlainName(s string) bool {
	for i, r := range s {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}
