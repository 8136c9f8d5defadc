package pact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// Actual is a provider's answer to compare with an expected Response.
type Actual struct {
	Status int
	Header http.Header
	Body   []byte
}

// Mismatch is one way an answer differs from what the pact expects.
type Mismatch struct {
	// Where is "status", "header" or "body".
	Where string
	// Path is the Pact path of a body value ("$.D.Results[0].Note") or
	// the header's name; empty for the status.
	Path string
	// Pointer is the body value's JSON pointer ("/D/Results/0/Note");
	// empty elsewhere and for the whole body.
	Pointer string
	Message string
}

// String renders the mismatch as one line: "$.D.Code: expected ...".
func (m Mismatch) String() string {
	switch {
	case m.Where == "header":
		return "header " + m.Path + ": " + m.Message
	case m.Path != "":
		return m.Path + ": " + m.Message
	}
	return m.Message
}

// Compare judges an answer by the expected response's rules, as a Pact
// provider verification does: the status exactly (or by a statusCode
// rule); each expected header present, its value by its rule or equal
// (names case-insensitive, comma-separated values compared in order,
// whitespace ignored, Content-Type by media type and the parameters the
// pact names); the body by its matching rules, equal where no rule
// applies, with keys the pact does not name allowed. No mismatches means
// the answer satisfies the interaction.
func Compare(expected Response, actual Actual) []Mismatch {
	var out []Mismatch
	out = append(out, compareStatus(expected, actual.Status)...)
	out = append(out, compareHeaders(expected, actual.Header)...)
	out = append(out, compareBody(expected, actual.Body)...)
	return out
}

func compareStatus(expected Response, status int) []Mismatch {
	if rs, ok := expected.Rules["status"][""]; ok && len(rs.Matchers) > 0 {
		if msg := matchSet(rs, false, json.Number(fmt.Sprint(expected.Status)), json.Number(fmt.Sprint(status))); msg != "" {
			return []Mismatch{{Where: "status", Message: msg}}
		}
		return nil
	}
	if expected.Status != status {
		return []Mismatch{{Where: "status", Message: fmt.Sprintf("expected %d but was %d", expected.Status, status)}}
	}
	return nil
}

func compareHeaders(expected Response, actual http.Header) []Mismatch {
	var out []Mismatch
	for _, name := range sortedKeys(expected.Headers) {
		want := strings.Join(expected.Headers[name], ", ")
		got, present := actual[headerKey(actual, name)]
		rs, ruled := findRule(expected.Rules["header"], name)
		switch {
		case !present:
			out = append(out, Mismatch{Where: "header", Path: name, Message: fmt.Sprintf("expected %s but the header was missing", quote(want))})
		case ruled:
			for _, v := range got {
				if msg := matchSet(rs, false, want, v); msg != "" {
					out = append(out, Mismatch{Where: "header", Path: name, Message: msg})
				}
			}
		default:
			if msg := headerEqual(name, want, strings.Join(got, ", ")); msg != "" {
				out = append(out, Mismatch{Where: "header", Path: name, Message: msg})
			}
		}
	}
	return out
}

// headerKey is the spelling of a header's name in h: name itself, or the
// first key equal to it ignoring case (name when there is none).
func headerKey(h map[string][]string, name string) string {
	if _, ok := h[name]; ok {
		return name
	}
	for k := range h {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}

// findRule is the rule set for a header, its name matched ignoring case.
func findRule(rules map[string]RuleSet, name string) (RuleSet, bool) {
	for k, rs := range rules {
		if strings.EqualFold(k, name) && len(rs.Matchers) > 0 {
			return rs, true
		}
	}
	return RuleSet{}, false
}

// headerEqual compares a header with no rule: media types for
// Content-Type and Accept, else comma-separated values in order.
func headerEqual(name, want, got string) string {
	if strings.EqualFold(name, "Content-Type") || strings.EqualFold(name, "Accept") {
		if sameMediaTypes(want, got) {
			return ""
		}
		return fmt.Sprintf("expected %s but was %s", quote(want), quote(got))
	}
	w, g := splitCommas(want), splitCommas(got)
	if strings.Join(w, ",") == strings.Join(g, ",") {
		return ""
	}
	return fmt.Sprintf("expected %s but was %s", quote(want), quote(got))
}

func splitCommas(s string) []string {
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// sameMediaTypes says whether got has the media types want names, each
// with at least want's parameters (values compared case-insensitively,
// as charsets are).
func sameMediaTypes(want, got string) bool {
	w, g := splitMediaTypes(want), splitMediaTypes(got)
	if len(w) != len(g) {
		return false
	}
	for i := range w {
		wt, wp, err1 := mime.ParseMediaType(w[i])
		gt, gp, err2 := mime.ParseMediaType(g[i])
		if err1 != nil || err2 != nil || !strings.Contains(wt, "/") {
			if strings.TrimSpace(w[i]) != strings.TrimSpace(g[i]) {
				return false
			}
			continue
		}
		if wt != gt {
			return false
		}
		for k, v := range wp {
			if !strings.EqualFold(gp[k], v) {
				return false
			}
		}
	}
	return true
}

func splitMediaTypes(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// compareBody checks the body: none expected is no check; an empty one
// expects an empty answer; JSON by the rules; other content as text (a
// "$" rule applies to the whole text).
func compareBody(expected Response, body []byte) []Mismatch {
	want := expected.Body
	switch {
	case !want.Present:
		return nil
	case want.JSON != nil:
		return compareJSONBody(want.JSON, body, expected.Rules["body"])
	case len(want.Raw) > 0:
		return compareText(want.Raw, body, expected.Rules["body"])
	case len(bytes.TrimSpace(body)) > 0:
		return []Mismatch{{Where: "body", Path: "$", Message: fmt.Sprintf("expected an empty body but it had %d bytes", len(body))}}
	}
	return nil
}

func compareText(want, got []byte, rules map[string]RuleSet) []Mismatch {
	if rs, ok := rules["$"]; ok && len(rs.Matchers) > 0 {
		if len(got) == 0 {
			return []Mismatch{{Where: "body", Path: "$", Message: "expected a body but it was empty"}}
		}
		if msg := matchSet(rs, false, string(want), string(got)); msg != "" {
			return []Mismatch{{Where: "body", Path: "$", Message: msg}}
		}
		return nil
	}
	if !bytes.Equal(want, got) {
		return []Mismatch{{Where: "body", Path: "$", Message: fmt.Sprintf("expected %s but was %s", describe(string(want)), describe(string(got)))}}
	}
	return nil
}

func compareJSONBody(want json.RawMessage, got []byte, rules map[string]RuleSet) []Mismatch {
	e, err := decodeJSON(want)
	if err != nil {
		return []Mismatch{{Where: "body", Path: "$", Message: "the pact's body is not JSON: " + err.Error()}}
	}
	if len(bytes.TrimSpace(got)) == 0 {
		return []Mismatch{{Where: "body", Path: "$", Message: fmt.Sprintf("expected %s but the body was empty", describe(e))}}
	}
	a, err := decodeJSON(got)
	if err != nil {
		return []Mismatch{{Where: "body", Path: "$", Message: "expected a JSON body but it is not JSON: " + err.Error()}}
	}
	parsed, bad := parseBodyRules(rules)
	c := &comparer{rules: parsed}
	c.compare([]string{"$"}, e, a)
	return append(bad, c.out...)
}

// decodeJSON decodes one JSON value keeping numbers exact, and refuses
// nesting deeper than MaxDepth so the comparison is bounded.
func decodeJSON(data []byte) (any, error) {
	if err := checkDepth(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return v, nil
}

// matchSet applies a rule set to one value: every matcher (AND) or any
// (OR). It returns why the value fails, or "".
func matchSet(rs RuleSet, cascaded bool, expected, actual any) string {
	var fails []string
	for _, m := range rs.Matchers {
		msg := matchValue(m, cascaded, expected, actual)
		if msg == "" && rs.Combine == "OR" {
			return ""
		}
		if msg != "" {
			fails = append(fails, msg)
		}
	}
	if rs.Combine == "OR" && len(fails) == len(rs.Matchers) && len(fails) > 0 {
		return strings.Join(fails, "; or ")
	}
	return strings.Join(fails, "; ")
}
