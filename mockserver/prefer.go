package mockserver

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/realestate-mocks/mockserver/spec"
)

// preferReply answers a Prism-style Prefer header (code=, example=,
// dynamic=true) from the spec's documented responses; nil when the
// request expresses none of these preferences.
func preferReply(ex *exchange) *Reply {
	values := ex.r.Header.Values("Prefer")
	if len(values) == 0 {
		return nil
	}
	prefs := parsePrefer(values)
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
			return Fail(spec.KindBadPrefer, fmt.Sprintf("code=%s is not documented for %s; documented: %s", code, op.op.Key(), joinInts(op.op.Statuses)))
		}
		status = n
	}
	reply := exampleReply(ex, status, name, dynamic)
	if reply.Kind != "" {
		return reply // not applied: the failure says why
	}
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
		return Fail(spec.KindInternal, fmt.Sprintf("%s documents no response %d", op.op.Key(), status))
	}
	switch {
	case name != "":
		body, ok := sr.examples[name]
		if !ok {
			avail := "none"
			if names := sr.names(); len(names) > 0 {
				avail = strings.Join(names, ", ")
			}
			return Fail(spec.KindBadPrefer, fmt.Sprintf("example=%s is not documented for %s %d; documented: %s", name, op.op.Key(), status, avail))
		}
		return &Reply{Status: status, raw: body}
	case dynamic && sr.hasJSON:
		if err := sr.fits(); err != nil {
			return Fail(spec.KindInternal, err.Error())
		}
		media, err := ex.m.c.libMedia(op.op, status)
		if err != nil {
			return Fail(spec.KindInternal, err.Error())
		}
		if media != nil {
			body, err := ex.m.c.generate(media, true)
			if err != nil {
				return Fail(spec.KindInternal, "cannot generate a body from the schema: "+err.Error())
			}
			return &Reply{Status: status, raw: body}
		}
	}
	if sr.genErr != nil && sr.fallback() == nil {
		return Fail(spec.KindInternal, fmt.Sprintf("%s documents no example for %d, and %v", op.op.Key(), status, sr.genErr))
	}
	return &Reply{Status: status, raw: sr.fallback()}
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
