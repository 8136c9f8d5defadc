package pact

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// GenerateContext is what request generators draw on: the provider
// state's parameters (for ProviderState expressions) and the time the
// Date, Time and DateTime generators start from.
type GenerateContext struct {
	StateParams map[string]any
	Now         time.Time
}

// Generate replaces the request's example values with generated ones
// where the pact asks (its "generators"), as a provider verification does
// before sending the request: ProviderState (${name} from the state's
// parameters), RandomInt, RandomDecimal, RandomHexadecimal, RandomString,
// Regex, Uuid, Date, Time, DateTime and RandomBoolean. Generators it
// cannot apply (another type, a missing state parameter, a date
// expression) leave the value as the pact wrote it and are listed in
// unsupported, one line each naming the category, path and reason. err
// is for a request that cannot be changed at all (a body that is not
// JSON).
func (r *Request) Generate(ctx GenerateContext) (unsupported []string, err error) {
	if ctx.Now.IsZero() {
		ctx.Now = time.Now()
	}
	for _, category := range sortedKeys(r.Generators) {
		gens := r.Generators[category]
		for _, key := range sortedKeys(gens) {
			note, err := r.applyGenerator(category, key, gens[key], ctx)
			if err != nil {
				return unsupported, fmt.Errorf("generator %s %s: %w", category, quote(key), err)
			}
			if note != "" {
				unsupported = append(unsupported, fmt.Sprintf("%s %s: %s", category, displayKey(key), note))
			}
		}
	}
	return unsupported, nil
}

func displayKey(key string) string {
	if key == "" {
		return "(whole)"
	}
	return key
}

// applyGenerator generates one value and puts it in place; note says why
// it did not.
func (r *Request) applyGenerator(category, key string, gen map[string]any, ctx GenerateContext) (note string, err error) {
	switch category {
	case "path":
		return generateInto(gen, ctx, r.Path, func(v any) { r.Path = textOf(v) }), nil
	case "query":
		return generateValues(r.Query, key, gen, ctx), nil
	case "header":
		return generateValues(r.Headers, headerKey(r.Headers, key), gen, ctx), nil
	case "body":
		return r.generateBody(key, gen, ctx)
	case "method":
		return generateInto(gen, ctx, r.Method, func(v any) { r.Method = strings.ToUpper(textOf(v)) }), nil
	}
	return fmt.Sprintf("generators for %s are not applied to a request", quote(category)), nil
}

func generateValues(m map[string][]string, key string, gen map[string]any, ctx GenerateContext) string {
	values, ok := m[key]
	if !ok {
		return "no such parameter in the request"
	}
	for i, old := range values {
		if note := generateInto(gen, ctx, old, func(v any) { values[i] = textOf(v) }); note != "" {
			return note
		}
	}
	return ""
}

// generateInto generates a value (from old, for ProviderState's
// expression) and hands it to set; it returns why it could not.
func generateInto(gen map[string]any, ctx GenerateContext, old any, set func(any)) string {
	v, note := generateValue(gen, ctx, old)
	if note == "" {
		set(v)
	}
	return note
}

// generateBody applies a generator to every value of a JSON body its path
// expression names.
func (r *Request) generateBody(expr string, gen map[string]any, ctx GenerateContext) (string, error) {
	if r.Body.JSON == nil {
		return "the request has no JSON body", nil
	}
	tokens, err := parsePathExpr(expr)
	if err != nil {
		return err.Error(), nil
	}
	doc, err := decodeJSON(r.Body.JSON)
	if err != nil {
		return "", fmt.Errorf("request body: %w", err)
	}
	note := ""
	doc = replaceAt(doc, []string{"$"}, tokens, func(old any) any {
		v, n := generateValue(gen, ctx, old)
		if n != "" {
			note = n
			return old
		}
		return v
	})
	if note != "" {
		return note, nil
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	r.Body.JSON = data
	return "", nil
}

// replaceAt returns doc with every value at a path the expression names
// exactly replaced by gen(value).
func replaceAt(v any, path []string, expr []pathToken, gen func(any) any) any {
	if len(path) == len(expr) {
		if weight(expr, path) > 0 {
			return gen(v)
		}
		return v
	}
	switch v := v.(type) {
	case map[string]any:
		for k, c := range v {
			v[k] = replaceAt(c, child(path, k), expr, gen)
		}
	case []any:
		for i, c := range v {
			v[i] = replaceAt(c, child(path, indexStep(i)), expr, gen)
		}
	}
	return v
}

// generateValue makes one value; note says why it could not.
func generateValue(gen map[string]any, ctx GenerateContext, old any) (any, string) {
	m := Matcher(gen)
	switch typ := m.str("type"); typ {
	case "ProviderState":
		return fromState(m, ctx.StateParams)
	case "RandomInt":
		lo, hi := intOr(m, "min", 0), intOr(m, "max", 2147483647)
		if hi < lo {
			return nil, fmt.Sprintf("RandomInt min %d is over max %d", lo, hi)
		}
		return json.Number(strconv.Itoa(lo + rand.IntN(hi-lo+1))), ""
	case "RandomDecimal":
		return json.Number(randomDecimal(intOr(m, "digits", 10))), ""
	case "RandomHexadecimal":
		return randomFrom("0123456789abcdef", intOr(m, "digits", 10)), ""
	case "RandomString":
		return randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", intOr(m, "size", 20)), ""
	case "RandomBoolean":
		return rand.IntN(2) == 1, ""
	case "Uuid":
		return uuid(m.str("format")), ""
	case "Regex":
		return fromRegex(m.str("regex"))
	case "Date", "Time", "DateTime":
		return fromClock(m, typ, ctx.Now)
	default:
		return nil, fmt.Sprintf("generator type %s is not supported (value left as in the pact)", quote(typ))
	}
}

func intOr(m Matcher, key string, def int) int {
	if n, ok := m.intSetting(key); ok {
		return n
	}
	return def
}

var stateExpr = regexp.MustCompile(`\$\{([^}]*)\}`)

// fromState evaluates a ProviderState expression: "${id}" alone keeps the
// parameter's type; within text, each ${name} is replaced by its value.
func fromState(m Matcher, params map[string]any) (any, string) {
	expr := m.str("expression")
	var missing []string
	lookup := func(name string) any {
		v, ok := params[strings.TrimSpace(name)]
		if !ok {
			missing = append(missing, name)
		}
		return v
	}
	var v any
	if sub := stateExpr.FindStringSubmatch(expr); sub != nil && sub[0] == expr {
		v = stateValue(lookup(sub[1]))
	} else {
		v = stateExpr.ReplaceAllStringFunc(expr, func(s string) string {
			return textOf(stateValue(lookup(s[2 : len(s)-1])))
		})
	}
	if len(missing) > 0 {
		return nil, fmt.Sprintf("ProviderState expression %s needs state parameter(s) %s, which the state does not give", quote(expr), strings.Join(missing, ", "))
	}
	return convertState(v, m.str("dataType"))
}

// stateValue turns a parameter decoded as float64 into a JSON number.
func stateValue(v any) any {
	if f, ok := v.(float64); ok {
		return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
	}
	return v
}

// convertState applies a ProviderState generator's dataType.
func convertState(v any, dataType string) (any, string) {
	s := textOf(v)
	switch strings.ToUpper(dataType) {
	case "", "RAW":
		return v, ""
	case "STRING":
		return s, ""
	case "INTEGER":
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			return nil, fmt.Sprintf("state value %s is not an INTEGER", quote(s))
		}
		return json.Number(s), ""
	case "DECIMAL", "FLOAT":
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return nil, fmt.Sprintf("state value %s is not a %s", quote(s), dataType)
		}
		return json.Number(s), ""
	case "BOOLEAN":
		b, err := strconv.ParseBool(s)
		if err != nil {
			return nil, fmt.Sprintf("state value %s is not a BOOLEAN", quote(s))
		}
		return b, ""
	}
	return nil, fmt.Sprintf("dataType %s is not supported", quote(dataType))
}

func randomFrom(alphabet string, n int) string {
	n = max(0, min(n, 10000))
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}

// randomDecimal is a decimal number with the given count of digits, one
// of them after the point.
func randomDecimal(digits int) string {
	digits = max(2, min(digits, 100))
	s := randomFrom("123456789", 1) + randomFrom("0123456789", digits-1)
	point := 1 + rand.IntN(digits-1)
	return s[:point] + "." + s[point:]
}

func uuid(format string) string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(rand.IntN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	s := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
	switch format {
	case "simple":
		return strings.ReplaceAll(s, "-", "")
	case "upper-case-hyphenated":
		return strings.ToUpper(s)
	case "URN":
		return "urn:uuid:" + s
	}
	return s
}

// fromClock formats the context's time with the generator's Java pattern.
// An "expression" ("+ 1 day") is not evaluated: the value is left alone.
func fromClock(m Matcher, typ string, now time.Time) (any, string) {
	if m.str("expression") != "" {
		return nil, fmt.Sprintf("%s expression %s is not supported (value left as in the pact)", typ, quote(m.str("expression")))
	}
	format := m.str("format")
	if format == "" {
		format = map[string]string{"Date": defaultDate, "Time": defaultTime, "DateTime": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"}[typ]
	}
	s, err := formatJava(now, format)
	if err != nil {
		return nil, err.Error()
	}
	return s, ""
}
