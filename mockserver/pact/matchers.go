package pact

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/big"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The date, time and datetime patterns a matcher without "format" uses
// (pact-reference's defaults).
const (
	defaultDate     = "yyyy-MM-dd"
	defaultTime     = "HH:mm:ss"
	defaultDateTime = "yyyy-MM-dd'T'HH:mm:ssXXX"
)

// compiled caches regular expressions and date formats by their text:
// a pact repeats the same few across many interactions.
var compiled sync.Map // string -> *regexp.Regexp | *dateFormat | error

func compileRegex(expr string) (*regexp.Regexp, error) {
	return cached("re:"+expr, func() (*regexp.Regexp, error) {
		// Pact's regex must match the whole value (the specification's test
		// cases say so; pact-jvm and pact-reference's Oniguruma agree).
		re, err := regexp.Compile(`^(?:` + expr + `)$`)
		if err != nil {
			return nil, fmt.Errorf("regex /%s/ cannot be checked (Go's RE2 syntax): %w", expr, err)
		}
		return re, nil
	})
}

func compileDate(pattern string) (*dateFormat, error) {
	return cached("date:"+pattern, func() (*dateFormat, error) { return compileDateFormat(pattern) })
}

// cached is build's result for key, built once; a failure is cached too.
func cached[T any](key string, build func() (T, error)) (T, error) {
	v, ok := compiled.Load(key)
	if !ok {
		t, err := build()
		v = t
		if err != nil {
			v = err
		}
		v, _ = compiled.LoadOrStore(key, v)
	}
	if err, isErr := v.(error); isErr {
		var zero T
		return zero, err
	}
	return v.(T), nil
}

// kind of a matcher ("type", "regex", ...).
func (m Matcher) kind() string {
	k, _ := m["match"].(string)
	return k
}

func (m Matcher) str(key string) string {
	switch v := m[key].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// intSetting reads an integer setting ("min", "max"); ok is false when
// it is absent.
func (m Matcher) intSetting(key string) (int, bool) {
	switch v := m[key].(type) {
	case float64:
		return int(v), true
	case json.Number:
		n, err := v.Int64()
		return int(n), err == nil
	case string:
		n, err := strconv.Atoi(v)
		return n, err == nil
	}
	return 0, false
}

// cascades says whether a matcher written for a parent also applies to
// its children (pact-reference: all but values, eachKey and eachValue).
func cascades(kind string) bool {
	switch kind {
	case "values", "eachKey", "eachValue":
		return false
	}
	return true
}

// matchValue checks one value against one matcher. expected is the
// pact's example at the same place; cascaded says the matcher was written
// for an ancestor. It returns why the value fails, or "".
func matchValue(m Matcher, cascaded bool, expected, actual any) string {
	kind := m.kind()
	if cascaded && !cascades(kind) {
		return ""
	}
	switch kind {
	case "equality", "values":
		return matchEquality(expected, actual)
	case "type":
		return matchType(m, cascaded, expected, actual)
	case "regex":
		return matchRegex(m.str("regex"), actual)
	case "include":
		if !strings.Contains(textOf(actual), m.str("value")) {
			return fmt.Sprintf("expected a value including %s but was %s", quote(m.str("value")), describe(actual))
		}
	case "integer", "decimal", "number", "boolean", "null", "notEmpty", "semver":
		return matchShape(kind, actual)
	case "date", "time", "datetime", "timestamp":
		return matchDate(m, kind, actual)
	case "contentType":
		return matchContentType(m.str("value"), actual)
	case "statusCode":
		return matchStatusCode(m["status"], actual)
	case "eachKey", "eachValue", "arrayContains":
		return fmt.Sprintf("%s applies to an object or an array, not %s", kind, describe(actual))
	default:
		return fmt.Sprintf("matcher %s is not supported", quote(kind))
	}
	return ""
}

func matchEquality(expected, actual any) string {
	if jsonEqual(expected, actual) {
		return ""
	}
	return fmt.Sprintf("expected %s but was %s", describe(expected), describe(actual))
}

// matchType checks that the value has the example's JSON type, and for an
// array the rule's min and max (not when cascaded, as pact-reference).
func matchType(m Matcher, cascaded bool, expected, actual any) string {
	if jsonKind(expected) != jsonKind(actual) {
		return fmt.Sprintf("expected %s to match type but was %s", describe(expected), describe(actual))
	}
	list, isList := actual.([]any)
	if !isList || cascaded {
		return ""
	}
	if lo, ok := m.intSetting("min"); ok && len(list) < lo {
		return fmt.Sprintf("expected at least %d item(s) but had %d", lo, len(list))
	}
	if hi, ok := m.intSetting("max"); ok && len(list) > hi {
		return fmt.Sprintf("expected at most %d item(s) but had %d", hi, len(list))
	}
	return ""
}

func matchRegex(expr string, actual any) string {
	re, err := compileRegex(expr)
	if err != nil {
		return err.Error()
	}
	if _, isObj := actual.(map[string]any); isObj {
		return "" // a regex written for an object reaches its leaves instead
	}
	if _, isList := actual.([]any); isList {
		return ""
	}
	if !re.MatchString(textOf(actual)) {
		return fmt.Sprintf("expected a value matching /%s/ but was %s", expr, describe(actual))
	}
	return ""
}

// matchShape checks the matchers that test what kind of value it is.
func matchShape(kind string, actual any) string {
	ok := false
	want := kind
	switch kind {
	case "integer":
		n, isNum := actual.(json.Number)
		ok, want = isNum && !strings.ContainsAny(string(n), ".eE"), "an integer"
	case "decimal":
		n, isNum := actual.(json.Number)
		ok, want = isNum && strings.ContainsAny(string(n), ".eE"), "a decimal number"
	case "number":
		_, ok = actual.(json.Number)
		want = "a number"
	case "boolean":
		s, isStr := actual.(string)
		_, isBool := actual.(bool)
		ok, want = isBool || isStr && (s == "true" || s == "false"), "a boolean"
	case "null":
		ok, want = actual == nil, "null"
	case "notEmpty":
		ok, want = notEmpty(actual), "a value that is not empty"
	case "semver":
		s, isStr := actual.(string)
		ok, want = isStr && semverRE.MatchString(s), "a semantic version"
	}
	if ok {
		return ""
	}
	return fmt.Sprintf("expected %s but was %s", want, describe(actual))
}

// semverRE is semver.org's expression for a version.
var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

func notEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case string:
		return v != ""
	case []any:
		return len(v) > 0
	case map[string]any:
		return len(v) > 0
	}
	return true
}

func matchDate(m Matcher, kind string, actual any) string {
	// pact-jvm's V3 writes {"match": "date", "date": "..."}.
	format := cmp.Or(m.str("format"), m.str(kind), defaultFormat(kind))
	df, err := compileDate(format)
	if err != nil {
		return err.Error()
	}
	if s, ok := actual.(string); !ok || !df.check(s) {
		return fmt.Sprintf("expected a %s formatted %s but was %s", kind, quote(format), describe(actual))
	}
	return ""
}

// defaultFormat is the pattern a date, time, datetime or timestamp
// matcher without one checks.
func defaultFormat(kind string) string {
	switch kind {
	case "date":
		return defaultDate
	case "time":
		return defaultTime
	}
	return defaultDateTime
}

// matchContentType sniffs the value's content type (a string is taken as
// the content) and compares its media type with the one expected.
func matchContentType(want string, actual any) string {
	data := []byte(textOf(actual))
	got := http.DetectContentType(data)
	if json.Valid(data) {
		got = "application/json"
	}
	wantType, _, err := mime.ParseMediaType(want)
	if err != nil {
		wantType = strings.ToLower(want)
	}
	gotType, _, _ := mime.ParseMediaType(got)
	if gotType == wantType || strings.HasSuffix(wantType, "+json") && gotType == "application/json" {
		return ""
	}
	return fmt.Sprintf("expected content of type %s but it looks like %s", want, gotType)
}

// matchStatusCode checks a status against "success", "clientError", ...
// or a list of codes.
func matchStatusCode(status any, actual any) string {
	num, _ := actual.(json.Number) // a status is compared as a number; anything else is code 0
	n, _ := num.Int64()
	code := int(n)
	var ok bool
	switch s := status.(type) {
	case string:
		lo, hi, known := statusClass(s)
		if !known {
			return fmt.Sprintf("status class %s is not one of information, success, redirect, clientError, serverError, nonError, error", quote(s))
		}
		ok = code >= lo && code <= hi
	case []any:
		for _, c := range s {
			if f, isNum := c.(float64); isNum && int(f) == code {
				ok = true
			}
		}
	}
	if ok {
		return ""
	}
	return fmt.Sprintf("expected a status that is %v but was %d", status, code)
}

func statusClass(s string) (lo, hi int, ok bool) {
	switch s {
	case "information":
		return 100, 199, true
	case "success":
		return 200, 299, true
	case "redirect":
		return 300, 399, true
	case "clientError":
		return 400, 499, true
	case "serverError":
		return 500, 599, true
	case "nonError":
		return 100, 399, true
	case "error":
		return 400, 599, true
	}
	return 0, 0, false
}

// jsonKind names a decoded JSON value's type.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// textOf is a value as text: a string itself, anything else its JSON.
func textOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// describe renders a value for a message: its JSON (clipped) and type.
func describe(v any) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s + " (" + jsonKind(v) + ")"
}

// jsonEqual compares decoded JSON; numbers by value (1 equals 1.0).
func jsonEqual(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		bn, ok := b.(json.Number)
		if !ok {
			return false
		}
		// big.Float, not big.Rat: an exponent like 1e999999999 stays cheap.
		x, _, errx := big.ParseFloat(string(a), 10, 256, big.ToNearestEven)
		y, _, erry := big.ParseFloat(string(bn), 10, 256, big.ToNearestEven)
		okx, oky := errx == nil, erry == nil
		if !okx || !oky {
			return string(a) == string(bn)
		}
		return x.Cmp(y) == 0
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			if w, present := bm[k]; !present || !jsonEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		bl, ok := b.([]any)
		if !ok || len(a) != len(bl) {
			return false
		}
		for i := range a {
			if !jsonEqual(a[i], bl[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}
