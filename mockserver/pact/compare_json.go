package pact

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// comparer walks an expected and an actual JSON document together,
// applying the body rules, and collects mismatches.
type comparer struct {
	rules []bodyRule
	out   []Mismatch
}

func (c *comparer) fail(path []string, msg string) {
	c.out = append(c.out, Mismatch{Where: "body", Path: pactPath(path), Pointer: pointer(path), Message: msg})
}

func child(path []string, step string) []string {
	return append(path[:len(path):len(path)], step)
}

func (c *comparer) compare(path []string, e, a any) {
	switch ev := e.(type) {
	case map[string]any:
		if am, ok := a.(map[string]any); ok {
			c.compareMap(path, ev, am)
			return
		}
	case []any:
		if al, ok := a.([]any); ok {
			c.compareList(path, ev, al)
			return
		}
	default:
		c.compareLeaf(path, e, a)
		return
	}
	c.kindMismatch(path, e, a)
}

// kindMismatch reports an object or array answered with another kind,
// unless a rule written for this very path allows it (a nullable object:
// type OR null).
func (c *comparer) kindMismatch(path []string, e, a any) {
	rs, cascaded, ok := best(c.rules, path)
	if ok && !cascaded {
		if msg := matchSet(valueLevel(rs), false, e, a); msg != "" {
			c.fail(path, msg)
		}
		return
	}
	c.fail(path, fmt.Sprintf("expected %s to match type but was %s", describe(e), describe(a)))
}

func (c *comparer) compareLeaf(path []string, e, a any) {
	if rs, cascaded, ok := best(c.rules, path); ok {
		if msg := matchSet(rs, cascaded, e, a); msg != "" {
			c.fail(path, msg)
		}
		return
	}
	if msg := matchEquality(e, a); msg != "" {
		c.fail(path, msg)
	}
}

// valueLevel is the rule set less the matchers that shape how children
// are compared (values, eachKey, eachValue, arrayContains).
func valueLevel(rs RuleSet) RuleSet {
	out := RuleSet{Combine: rs.Combine}
	for _, m := range rs.Matchers {
		switch m.kind() {
		case "values", "eachKey", "eachValue", "arrayContains":
		default:
			out.Matchers = append(out.Matchers, m)
		}
	}
	return out
}

// structural finds a matcher of one of the kinds in a rule set written
// for this path (they do not cascade).
func structural(rs RuleSet, cascaded bool, kinds ...string) (Matcher, bool) {
	if cascaded {
		return nil, false
	}
	for _, m := range rs.Matchers {
		for _, k := range kinds {
			if m.kind() == k {
				return m, true
			}
		}
	}
	return nil, false
}

func (c *comparer) compareMap(path []string, e, a map[string]any) {
	rs, cascaded, ok := best(c.rules, path)
	if !ok {
		c.compareKeys(path, e, a, false)
		return
	}
	if msg := matchSet(valueLevel(rs), cascaded, e, a); msg != "" {
		c.fail(path, msg)
	}
	eachKey, hasEachKey := structural(rs, cascaded, "eachKey")
	if hasEachKey {
		c.checkKeys(path, eachKey, a)
	}
	if m, has := structural(rs, cascaded, "values", "eachValue"); has {
		c.compareValues(path, m, e, a)
		return
	}
	c.compareKeys(path, e, a, hasEachKey)
}

// compareKeys compares each expected key's value; keys the pact does not
// name are allowed (a provider may answer more than a consumer reads).
func (c *comparer) compareKeys(path []string, e, a map[string]any, ignoreMissing bool) {
	for _, k := range sortedKeys(e) {
		av, present := a[k]
		switch {
		case present:
			c.compare(child(path, k), e[k], av)
		case !ignoreMissing:
			c.fail(child(path, k), fmt.Sprintf("expected %s but the key was missing", describe(e[k])))
		}
	}
}

// checkKeys applies eachKey's rules to every key of the answer.
func (c *comparer) checkKeys(path []string, m Matcher, a map[string]any) {
	rs := subRules(m)
	for _, k := range sortedKeys(a) {
		if msg := matchSet(rs, false, k, k); msg != "" {
			c.fail(child(path, k), "key "+quote(k)+": "+msg)
		}
	}
}

// compareValues compares every value of the answer with the expected
// value of the same key, or the first example: values ignores which keys
// there are; eachValue also applies its own rules (only them, as
// pact-reference does) to each value.
func (c *comparer) compareValues(path []string, m Matcher, e, a map[string]any) {
	keys := sortedKeys(e)
	if len(keys) == 0 {
		return
	}
	sub := c
	if m.kind() == "eachValue" {
		sub = c.only(path, subRules(m))
	}
	for _, k := range sortedKeys(a) {
		ev, present := e[k]
		if !present {
			ev = e[keys[0]]
		}
		sub.compare(child(path, k), ev, a[k])
	}
	if sub != c {
		c.out = append(c.out, sub.out...)
	}
}

// only is a comparer whose one rule set applies to every child of path.
func (c *comparer) only(path []string, rs RuleSet) *comparer {
	tokens := []pathToken{{kind: tokRoot}}
	for _, step := range path[1:] {
		if isIndex(step) {
			i, _ := strconv.Atoi(stepText(step))
			tokens = append(tokens, pathToken{kind: tokIndex, index: i})
		} else {
			tokens = append(tokens, pathToken{kind: tokField, name: step})
		}
	}
	tokens = append(tokens, pathToken{kind: tokStar})
	return &comparer{rules: []bodyRule{{tokens: tokens, set: rs}}}
}

// subRules reads the "rules" list of eachKey and eachValue.
func subRules(m Matcher) RuleSet {
	list, _ := m["rules"].([]any)
	var rs RuleSet
	for _, r := range list {
		if mm, ok := r.(map[string]any); ok && normalMatcher(mm) == nil {
			rs.Matchers = append(rs.Matchers, Matcher(mm))
		}
	}
	return rs
}

func (c *comparer) compareList(path []string, e, a []any) {
	rs, cascaded, ok := best(c.rules, path)
	if !ok {
		if len(e) == 0 && len(a) > 0 {
			c.fail(path, fmt.Sprintf("expected an empty array but had %d item(s)", len(a)))
			return
		}
		c.listItems(path, e, a, false)
		if len(e) != len(a) {
			c.fail(path, fmt.Sprintf("expected %d item(s) but had %d", len(e), len(a)))
		}
		return
	}
	if len(e) == 0 {
		return // nothing to compare the items with, as pact-reference
	}
	if msg := matchSet(valueLevel(rs), cascaded, e, a); msg != "" {
		c.fail(path, msg)
	}
	if m, has := structural(rs, cascaded, "arrayContains"); has {
		c.arrayContains(path, m, e, a)
		return
	}
	if m, has := structural(rs, cascaded, "eachValue"); has {
		sub := c.only(path, subRules(m))
		sub.listItems(path, e, a, true)
		c.out = append(c.out, sub.out...)
		return
	}
	c.listItems(path, e, a, true)
}

// listItems compares items by position. With like, answers beyond the
// examples are compared with the first example (a rule such as type with
// min says "items like this").
func (c *comparer) listItems(path []string, e, a []any, like bool) {
	n := len(e)
	if like && len(a) > n {
		n = len(a)
	}
	for i := 0; i < n; i++ {
		ev := e[0]
		if i < len(e) {
			ev = e[i]
		}
		p := child(path, indexStep(i))
		switch {
		case i < len(a):
			c.compare(p, ev, a[i])
		case !c.defined(p):
			c.fail(p, fmt.Sprintf("expected %s but the array had no item here", describe(ev)))
		}
	}
}

func (c *comparer) defined(path []string) bool {
	_, _, ok := best(c.rules, path)
	return ok
}

// arrayContains passes when, for each variant, some item of the answer
// matches the variant's example by the variant's own rules (or, with no
// variants, each example is equal to some item).
func (c *comparer) arrayContains(path []string, m Matcher, e, a []any) {
	variants, _ := m["variants"].([]any)
	if len(variants) == 0 {
		for i := range e {
			variants = append(variants, map[string]any{"index": float64(i)})
		}
	}
	for _, v := range variants {
		variant, _ := v.(map[string]any)
		idx, _ := variant["index"].(float64)
		i := int(idx)
		if i < 0 || i >= len(e) {
			c.fail(path, fmt.Sprintf("arrayContains variant %d has no example (the pact's array has %d)", i, len(e)))
			continue
		}
		rules, bad := variantRules(variant["rules"])
		c.out = append(c.out, bad...)
		if !anyItemMatches(rules, e[i], a) {
			c.fail(path, fmt.Sprintf("expected an item like %s but none of the %d matched", describe(e[i]), len(a)))
		}
	}
}

func anyItemMatches(rules []bodyRule, e any, a []any) bool {
	for _, item := range a {
		sub := &comparer{rules: rules}
		sub.compare([]string{"$"}, e, item)
		if len(sub.out) == 0 {
			return true
		}
	}
	return false
}

// variantRules reads a variant's rules ({"$.id": {"matchers": [...]}}),
// whose paths start at the item.
func variantRules(v any) ([]bodyRule, []Mismatch) {
	m, _ := v.(map[string]any)
	sets := map[string]RuleSet{}
	var bad []Mismatch
	for expr, raw := range m {
		data, _ := json.Marshal(raw)
		rs, err := parseRuleSet(data)
		if err != nil {
			bad = append(bad, Mismatch{Where: "body", Path: expr, Message: "arrayContains variant rule not applied: " + err.Error()})
			continue
		}
		sets[expr] = rs
	}
	rules, badPaths := parseBodyRules(sets)
	return rules, append(bad, badPaths...)
}
