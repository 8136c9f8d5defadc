package mockserver

import (
	"log"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/realestate-mocks/mockserver/spec"
)

// redacted stands for a credential in every output of the proxy.
const redacted = "[redacted]"

// proxyJournalHeader keeps the journaled headers, with every credential
// replaced: a proxy sees real tokens, which must never reach the journal,
// the logs, a report or a recording.
func (s *Server) proxyJournalHeader(m *mounted, h http.Header) http.Header {
	creds := m.c.api.Credentials()
	out := http.Header{}
	keep := func(name string) {
		v := h.Values(name)
		if len(v) == 0 || out[name] != nil {
			return
		}
		if creds.IsHeader(name) {
			v = []string{redactCredential(v[0])}
		}
		out[name] = v
	}
	for _, name := range s.journaled {
		keep(name)
	}
	return out
}

// redactCredential keeps an Authorization scheme ("OAuth", "Bearer"),
// which helps tell clients apart, and nothing of the secret.
func redactCredential(v string) string {
	if scheme, _, ok := strings.Cut(strings.TrimSpace(v), " "); ok && scheme != "" && !strings.ContainsAny(scheme, "=:") {
		return scheme + " " + redacted
	}
	return redacted
}

// redactQuery replaces the value of every credential parameter, keeping
// the order and encoding of the rest as the client wrote them.
func redactQuery(raw string, creds spec.Credentials) string {
	if raw == "" || len(creds.Query) == 0 {
		return raw
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		key, _, _ := strings.Cut(p, "=")
		if name, err := url.QueryUnescape(key); err == nil && creds.IsQuery(name) {
			parts[i] = key + "=" + url.QueryEscape(redacted)
		}
	}
	return strings.Join(parts, "&")
}

// slogLogger adapts the Server's logger for httputil.ReverseProxy.
func slogLogger(l *slog.Logger) *log.Logger {
	return slog.NewLogLogger(l.Handler(), slog.LevelWarn)
}
