package dashboard

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
)

var funcs = template.FuncMap{
	"statusClass": statusClass,
	"clock":       func(t time.Time) string { return t.Format("15:04:05.000") },
	"stamp":       func(t time.Time) string { return t.Format("2006-01-02 15:04:05.000 MST") },
	"latency":     latency,
	"pretty":      pretty,
	"headers":     headerLines,
	"base":        func() string { return Base },
	"plural":      plural,
	"thousands":   thousands,
	"query":       readableQuery,
}

// latency is short and aligned: "812µs", "3.4ms", "1.20s".
func latency(d mockserver.Duration) string {
	v := time.Duration(d)
	switch {
	case v < time.Millisecond:
		return strconv.FormatInt(v.Microseconds(), 10) + "µs"
	case v < time.Second:
		return strconv.FormatFloat(float64(v)/float64(time.Millisecond), 'f', 1, 64) + "ms"
	}
	return strconv.FormatFloat(v.Seconds(), 'f', 2, 64) + "s"
}

// pretty indents a JSON body; anything else is shown as it came.
func pretty(body string) string {
	var buf bytes.Buffer
	if json.Indent(&buf, []byte(body), "", "  ") == nil {
		return buf.String()
	}
	return body
}

// readableQuery unescapes a query for reading; a malformed one is shown
// as it came.
func readableQuery(raw string) string {
	if s, err := url.QueryUnescape(raw); err == nil {
		return s
	}
	return raw
}

type headerLine struct{ Name, Value string }

func headerLines(h http.Header) []headerLine {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	var out []headerLine
	for _, name := range names {
		for _, v := range h[name] {
			out = append(out, headerLine{name, v})
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return thousands(n) + " " + one
	}
	return thousands(n) + " " + many
}

// thousands groups digits with a thin space: 10 000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if len(s) <= 4 {
		return s
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, "\u202f"...)
		}
		out = append(out, s[i])
	}
	return string(out)
}
