package pact

import (
	"encoding/json"
	"fmt"
	"strings"
)

// parseRules reads matchingRules: V2's flat {"$.body.x": matcher} or
// V3/V4's {"body": {"$.x": {"matchers": [...], "combine": ...}}}.
func parseRules(data json.RawMessage, version string) (Rules, error) {
	if isAbsent(data) {
		return nil, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("must be an object, not %s", clip(data))
	}
	if len(top) == 0 {
		return nil, nil
	}
	rules := Rules{}
	for _, key := range sortedKeys(top) {
		var err error
		if strings.HasPrefix(key, "$") {
			err = rules.addV2(key, top[key])
		} else {
			err = rules.addCategory(key, top[key])
		}
		if err != nil {
			return nil, err
		}
	}
	return rules, nil
}

// addV2 sorts one of V2's flat rules into its category.
func (r Rules) addV2(key string, data json.RawMessage) error {
	category, path, ok := splitV2Path(key)
	if !ok {
		return fmt.Errorf("%s: a V2 rule path starts with $.body, $.headers, $.query, $.path or $.status", quote(key))
	}
	rs, err := parseRuleSet(data)
	if err != nil {
		return fmt.Errorf("%s: %w", quote(key), err)
	}
	r.set(category, path, rs)
	return nil
}

// splitV2Path maps "$.body.a" to ("body", "$.a"), "$.headers.X" and
// "$.headers['X']" to ("header", "X"), "$.query.q" to ("query", "q"), and
// "$.path" to ("path", "").
func splitV2Path(key string) (category, path string, ok bool) {
	for _, c := range []struct{ prefix, category string }{
		{"$.body", "body"}, {"$.headers", "header"}, {"$.header", "header"}, {"$.query", "query"},
	} {
		rest, found := strings.CutPrefix(key, c.prefix)
		if !found || rest != "" && rest[0] != '.' && rest[0] != '[' {
			continue
		}
		if c.category == "body" {
			return "body", "$" + rest, true
		}
		name := strings.TrimPrefix(rest, ".")
		if strings.HasPrefix(rest, "['") && strings.HasSuffix(rest, "']") {
			name = rest[2 : len(rest)-2]
		}
		return c.category, name, name != ""
	}
	switch key {
	case "$.path":
		return "path", "", true
	case "$.status":
		return "status", "", true
	}
	return "", "", false
}

// addCategory reads one V3/V4 category: path and status hold one rule
// set, the others a rule set per path or name.
func (r Rules) addCategory(name string, data json.RawMessage) error {
	category := normalCategory(name)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("%s must be an object, not %s", name, clip(data))
	}
	if _, single := m["matchers"]; single {
		rs, err := parseRuleSet(data)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		r.set(category, "", rs)
		return nil
	}
	for _, key := range sortedKeys(m) {
		rs, err := parseRuleSet(m[key])
		if err != nil {
			return fmt.Errorf("%s %s: %w", name, quote(key), err)
		}
		if key == "$" && (category == "path" || category == "status") {
			key = ""
		}
		r.set(category, key, rs)
	}
	return nil
}

func normalCategory(name string) string {
	switch name {
	case "headers":
		return "header"
	case "queries":
		return "query"
	}
	return name
}

func (r Rules) set(category, path string, rs RuleSet) {
	if r[category] == nil {
		r[category] = map[string]RuleSet{}
	}
	r[category][path] = rs
}

// parseRuleSet reads {"matchers": [...], "combine": ...} or a lone
// matcher as V2 writes it.
func parseRuleSet(data json.RawMessage) (RuleSet, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return RuleSet{}, fmt.Errorf("a rule must be an object, not %s", clip(data))
	}
	var rs RuleSet
	if _, ok := probe["matchers"]; ok {
		if err := json.Unmarshal(data, &rs); err != nil {
			return RuleSet{}, fmt.Errorf("%s", jsonError(data, err))
		}
	} else {
		var m Matcher
		if err := json.Unmarshal(data, &m); err != nil {
			return RuleSet{}, err
		}
		rs.Matchers = []Matcher{m}
	}
	rs.Combine = strings.ToUpper(rs.Combine)
	if rs.Combine != "" && rs.Combine != "AND" && rs.Combine != "OR" {
		return RuleSet{}, fmt.Errorf("combine %s is neither AND nor OR", quote(rs.Combine))
	}
	for i, m := range rs.Matchers {
		if err := normalMatcher(m); err != nil {
			return RuleSet{}, fmt.Errorf("matcher %d: %w", i, err)
		}
	}
	return rs, nil
}

// normalMatcher names the kind of a matcher that leaves it implied, as V2
// does: {"regex": ...} is a regex, {"min": 1} a type matcher.
func normalMatcher(m Matcher) error {
	if m == nil {
		return fmt.Errorf("a matcher must be an object")
	}
	if _, ok := m["match"]; !ok {
		switch {
		case m["regex"] != nil:
			m["match"] = "regex"
		case m["min"] != nil || m["max"] != nil:
			m["match"] = "type"
		}
	}
	if kind, ok := m["match"].(string); !ok || kind == "" {
		return fmt.Errorf("no \"match\" naming its kind")
	}
	return nil
}

// parseGenerators reads generators: {"body": {"$.id": {"type": ...}},
// "path": {"type": ...}, ...}; path and status hold one generator, filed
// under "".
func parseGenerators(data json.RawMessage) (Generators, error) {
	if isAbsent(data) {
		return nil, nil
	}
	var top map[string]map[string]any
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("must be an object of categories, each an object: %s", jsonError(data, err))
	}
	g := Generators{}
	for name, m := range top {
		category := normalCategory(name)
		g[category] = map[string]map[string]any{}
		if _, single := m["type"].(string); single {
			g[category][""] = m
			continue
		}
		for key, v := range m {
			gen, ok := v.(map[string]any)
			if _, typed := gen["type"].(string); !ok || !typed {
				return nil, fmt.Errorf("%s %s: a generator is an object with a \"type\"", name, quote(key))
			}
			g[category][key] = gen
		}
	}
	return g, nil
}
