package dashboard

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// redactedMark is what the journal puts in place of a credential's middle.
const redactedMark = "…"

// curl writes a shell command that sends the request again. The journal
// keeps credentials redacted; a redacted one that matches exactly one
// token of the active scenario is put back (those are fixtures, not
// secrets; the role the journal noted tells apart tokens that redact
// alike), and any other becomes $TOKEN for the user to set.
func (u *ui) curl(e *mockserver.Entry, origin string) string {
	tokens := u.scenarioTokens(e.API, e.Role)
	target := origin + e.Path
	if e.Query != "" {
		target += "?" + restoreQuery(e.Query, tokens)
	}
	parts := []string{"curl", "-i"}
	if e.Method != "GET" {
		parts = append(parts, "-X", e.Method)
	}
	parts = append(parts, shellQuote(target))
	for _, name := range slices.Sorted(maps.Keys(e.Header)) {
		for _, v := range e.Header[name] {
			parts = append(parts, "-H", headerArg(name, v, tokens))
		}
	}
	if e.Body != "" {
		parts = append(parts, "--data-raw", shellQuote(e.Body))
	}
	return strings.Join(parts, " ")
}

func headerArg(name, value string, tokens []string) string {
	if !strings.Contains(value, redactedMark) {
		return shellQuote(name + ": " + value)
	}
	scheme, cred, found := strings.Cut(value, " ")
	if !found {
		scheme, cred = "", value
	}
	if t, ok := restore(cred, tokens); ok {
		return shellQuote(strings.TrimSpace(name + ": " + scheme + " " + t))
	}
	// Double quotes so the shell expands the variable.
	return `"` + strings.TrimSpace(name+": "+scheme) + ` $TOKEN"`
}

func restoreQuery(raw string, tokens []string) string {
	q, err := url.ParseQuery(raw)
	if err != nil || !strings.Contains(raw, url.QueryEscape(redactedMark)) && !strings.Contains(raw, redactedMark) {
		return raw
	}
	for k, vs := range q {
		for i, v := range vs {
			if strings.Contains(v, redactedMark) {
				if t, ok := restore(v, tokens); ok {
					vs[i] = t
				} else {
					vs[i] = "TOKEN"
				}
			}
		}
		q[k] = vs
	}
	return q.Encode()
}

// restore finds the one token that the redacted value was made from.
func restore(redacted string, tokens []string) (string, bool) {
	head, tail, _ := strings.Cut(redacted, redactedMark)
	found := ""
	for _, t := range tokens {
		if len(t) > len(head)+len(tail) && strings.HasPrefix(t, head) && strings.HasSuffix(t, tail) {
			if found != "" {
				return "", false
			}
			found = t
		}
	}
	return found, found != ""
}

// scenarioTokens are the credentials the active scenario knows for api,
// those of role only when the entry names one.
func (u *ui) scenarioTokens(api, role string) []string {
	sc, err := u.s.Scenarios().Get(u.s.Scenario())
	if err != nil || api == "" {
		return nil
	}
	var tokens []string
	for t, p := range sc.API(api).Principals {
		// The journal names the role only of a live principal.
		if role == "" || p.Role == role && !p.Expired {
			tokens = append(tokens, t)
		}
	}
	return tokens
}

// shellQuote quotes for POSIX shells: single quotes, with each single
// quote closed, escaped and reopened.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
