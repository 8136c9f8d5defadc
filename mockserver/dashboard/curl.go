package dashboard

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/realestate-mocks/mockserver/mockserver"
	"github.com/realestate-mocks/mockserver/spec"
)

// The journal puts redactedMark in place of a mocked API's credential's
// middle, and hiddenMark in place of a proxied API's whole credential.
const (
	redactedMark = "…"
	hiddenMark   = "[redacted]"
)

// curl writes a shell command that sends the request again. Anyone who
// reaches the mock chooses the method, path, headers and body, and the
// command is pasted into a shell: each argument is one single-quoted word,
// which a POSIX shell takes literally whatever it holds. The one thing
// left for the shell to expand is "$TOKEN", outside the quotes, in place
// of a credential the journal redacted that matches no single token of
// the active scenario (one that does is put back: those are fixtures, not
// secrets; the role the journal noted tells apart tokens that redact
// alike).
func (u *ui) curl(e *mockserver.Entry, origin string) string {
	tokens := u.scenarioTokens(e.API, e.Role)
	creds := u.credentials(e.API)
	// -g: curl would read [] and {} in the URL as its own patterns.
	parts := []string{"curl", "-g", "-i"}
	switch e.Method {
	case http.MethodGet:
	case http.MethodHead:
		parts = append(parts, "-I") // with -X HEAD, curl waits for a body
	default:
		parts = append(parts, "-X", shellQuote(e.Method))
	}
	parts = append(parts, targetWord(origin+e.Path, e.Query, creds, tokens).String())
	for _, name := range slices.Sorted(maps.Keys(e.Header)) {
		for _, v := range e.Header[name] {
			parts = append(parts, "-H", headerWord(name, v, creds.IsHeader(name), tokens).String())
		}
	}
	if e.Body != "" {
		parts = append(parts, "--data-raw", shellQuote(e.Body))
	}
	return strings.Join(parts, " ")
}

// credentials are where the API's requests carry credentials: only a
// value found there is taken for a redacted one.
func (u *ui) credentials(api string) spec.Credentials {
	if a := u.s.API(api); a != nil {
		return a.Credentials()
	}
	return spec.Credentials{Headers: []string{"Authorization"}}
}

// word is one shell word: literal text, with "$TOKEN" between each part
// and the next.
type word []string

func (w word) String() string {
	var b strings.Builder
	for i, lit := range w {
		if i > 0 {
			b.WriteString(`"$TOKEN"`)
		}
		if lit != "" || len(w) == 1 {
			b.WriteString(shellQuote(lit))
		}
	}
	return b.String()
}

// headerWord is curl's -H argument for one header. A credential header's
// redacted value keeps its scheme ("Bearer "); the rest is the restored
// token or $TOKEN. curl drops a header given as "Name:", so an empty value
// is written "Name;".
func headerWord(name, value string, credential bool, tokens []string) word {
	if value == "" {
		return word{name + ";"}
	}
	if !credential || !isRedacted(value) {
		return word{name + ": " + value}
	}
	scheme, cred, found := strings.Cut(value, " ")
	if !found {
		scheme, cred = "", value
	}
	head := name + ": "
	if scheme != "" {
		head += scheme + " "
	}
	if t, ok := restore(cred, tokens); ok {
		return word{head + t}
	}
	return word{head, ""}
}

// targetWord is the URL with each redacted credential parameter restored
// or made $TOKEN; the rest of the query stays as the client wrote it.
func targetWord(base, rawQuery string, creds spec.Credentials, tokens []string) word {
	if rawQuery == "" {
		return word{base}
	}
	w := word{base + "?"}
	for i, pair := range strings.Split(rawQuery, "&") {
		if i > 0 {
			w[len(w)-1] += "&"
		}
		key, value, hasValue := strings.Cut(pair, "=")
		name, kerr := url.QueryUnescape(key)
		plain, verr := url.QueryUnescape(value)
		if !hasValue || kerr != nil || verr != nil || !creds.IsQuery(name) || !isRedacted(plain) {
			w[len(w)-1] += pair
			continue
		}
		w[len(w)-1] += key + "="
		if t, ok := restore(plain, tokens); ok {
			w[len(w)-1] += url.QueryEscape(t)
		} else {
			w = append(w, "")
		}
	}
	return w
}

func isRedacted(v string) bool {
	return strings.Contains(v, redactedMark) || strings.HasSuffix(v, hiddenMark)
}

// restore finds the one token that the redacted value was made from.
func restore(redacted string, tokens []string) (string, bool) {
	head, tail, found := strings.Cut(redacted, redactedMark)
	if !found {
		return "", false // hidden whole: a real secret, never a fixture
	}
	match := ""
	for _, t := range tokens {
		if len(t) > len(head)+len(tail) && strings.HasPrefix(t, head) && strings.HasSuffix(t, tail) {
			if match != "" {
				return "", false
			}
			match = t
		}
	}
	return match, match != ""
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
