package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/spec"
)

// matchRule finds the first rule of the scenario that matches the request
// and still has uses left, and counts the use.
func matchRule(ex *exchange, part *fixtures.APIScenario, hits []atomic.Int64) (*fixtures.Rule, int) {
	var body any
	decoded := false
	for i := range part.Rules {
		rule := &part.Rules[i]
		if rule.Operation != ex.op.op.ID || !mapMatches(rule.PathParams, func(k string) string { return ex.params[k] }) ||
			!mapMatches(rule.Query, ex.r.URL.Query().Get) || !mapMatches(rule.Headers, ex.r.Header.Get) {
			continue
		}
		if len(rule.Body) > 0 {
			if !decoded {
				_ = json.Unmarshal(ex.body, &body)
				decoded = true
			}
			if !bodyMatches(rule.Body, body) {
				continue
			}
		}
		if n := hits[i].Add(1); rule.Times > 0 && n > int64(rule.Times) {
			continue
		}
		return rule, i
	}
	return nil, -1
}

func ruleName(rule *fixtures.Rule, index int) string {
	if rule.Name != "" {
		return rule.Name
	}
	return fmt.Sprintf("%s#%d", rule.Operation, index+1)
}

func mapMatches(want map[string]string, get func(string) string) bool {
	for k, v := range want {
		if get(k) != v {
			return false
		}
	}
	return true
}

// bodyMatches compares dotted paths ("D.Note") in the decoded body with
// the rule's values, both normalised through JSON so 1 and 1.0 agree.
func bodyMatches(want map[string]any, body any) bool {
	for path, v := range want {
		cur := body
		for _, key := range strings.Split(path, ".") {
			obj, ok := cur.(map[string]any)
			if !ok {
				return false
			}
			cur = obj[key]
		}
		if !reflect.DeepEqual(normalizeJSON(v), cur) {
			return false
		}
	}
	return true
}

func normalizeJSON(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(data, &out)
	return out
}

func ruleReply(ex *exchange, resp *fixtures.Response) *Reply {
	var reply *Reply
	switch {
	case resp.Example != "":
		reply = exampleReply(ex, resp.Status, resp.Example, false)
	case resp.Body != nil:
		reply = JSON(resp.Status, resp.Body)
	default:
		reply = Empty(resp.Status)
	}
	if reply.Header == nil {
		reply.Header = http.Header{}
	}
	for k, v := range resp.Headers {
		reply.Header.Set(k, v)
	}
	return reply
}

// preferReply answers a Prism-style Prefer header (code=, example=,
// dynamic=true) from the spec's documented responses; nil when the
// request expresses none of these preferences.
func preferReply(ex *exchange) *Reply {
	prefs := parsePrefer(ex.r.Header.Values("Prefer"))
	code, hasCode := prefs["code"]
	name, hasExample := prefs["example"]
	dynamic := strings.EqualFold(prefs["dynamic"], "true")
	if !hasCode && !hasExample && !dynamic {
		return nil
	}
	op := ex.op
	status := op.success
	if hasCode {
		n, err := strconv.Atoi(code)
		if err != nil || !op.op.Documents(n) {
			return Fail(spec.KindBadPrefer, fmt.Sprintf("code=%s is not documented for %s; documented: %s", code, opKey(op.op), joinInts(op.op.Statuses)))
		}
		status = n
	}
	reply := exampleReply(ex, status, name, dynamic)
	if reply.Header == nil {
		reply.Header = http.Header{}
	}
	reply.Header.Set("Preference-Applied", strings.Join(sortedPrefs(prefs), ", "))
	return reply
}

// exampleReply answers with a documented response: the named example, one
// generated from the schema, or the status's default body.
func exampleReply(ex *exchange, status int, name string, dynamic bool) *Reply {
	op := ex.op
	sr := op.responses[status]
	if sr == nil {
		return Fail(spec.KindInternal, fmt.Sprintf("%s documents no response %d", opKey(op.op), status))
	}
	switch {
	case name != "":
		body, ok := sr.examples[name]
		if !ok {
			avail := "none"
			if len(sr.names) > 0 {
				avail = strings.Join(sr.names, ", ")
			}
			return Fail(spec.KindBadPrefer, fmt.Sprintf("example=%s is not documented for %s %d; documented: %s", name, opKey(op.op), status, avail))
		}
		return &Reply{Status: status, raw: body}
	case dynamic && op.media[status] != nil:
		body, err := ex.m.c.generate(op.media[status], true)
		if err != nil {
			return Fail(spec.KindInternal, "cannot generate a body from the schema: "+err.Error())
		}
		return &Reply{Status: status, raw: body}
	}
	return &Reply{Status: status, raw: sr.fallback}
}

// parsePrefer reads RFC 7240 preferences; unknown ones are kept but
// ignored by the caller, as the RFC asks.
func parsePrefer(values []string) map[string]string {
	prefs := map[string]string{}
	for _, v := range values {
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
			k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
			if k = strings.ToLower(strings.TrimSpace(k)); k != "" {
				prefs[k] = strings.Trim(strings.TrimSpace(val), `"`)
			}
		}
	}
	return prefs
}

func sortedPrefs(prefs map[string]string) []string {
	var out []string
	for _, k := range []string{"code", "example", "dynamic"} {
		if v, ok := prefs[k]; ok {
			out = append(out, k+"="+v)
		}
	}
	return out
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}
