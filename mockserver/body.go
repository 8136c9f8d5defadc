package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"mime"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/realestate-mocks/mockserver/mockserver/internal/jsondepth"
	"github.com/realestate-mocks/mockserver/spec"
)

// singleJSONValue refuses a JSON body with anything but white space after
// its value. kin-openapi decodes with a json.Decoder, which stops after the
// first value, so `{"contact_id":5} garbage` would otherwise pass.
func singleJSONValue(ex *exchange) *Reply {
	if len(ex.body) == 0 || !isJSONMedia(ex.r.Header.Get("Content-Type")) || json.Valid(ex.body) {
		return nil // json.Valid refuses trailing data without allocating; the decoder says where
	}
	dec := json.NewDecoder(bytes.NewReader(ex.body))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		return nil // kin-openapi reports a body that is not JSON at all
	}
	end := int(dec.InputOffset())
	rest := bytes.TrimLeft(ex.body[end:], " \t\r\n")
	if len(rest) == 0 {
		return nil
	}
	return Fail(spec.KindMalformedBody, fmt.Sprintf("unexpected data after the JSON value, at byte offset %d", len(ex.body)-len(rest)))
}

// MaxBodyNesting bounds how deep a JSON request body may nest. Against a
// recursive schema kin-openapi's work grows with depth: a 100 KB body
// nested 10 000 deep took 0.8 s and 300 MB a request (issue 21).
const MaxBodyNesting = 128

// shallowJSON refuses a JSON body nested deeper than MaxBodyNesting,
// before kin-openapi decodes it.
func shallowJSON(ex *exchange) *Reply {
	if len(ex.body) == 0 || !isJSONMedia(ex.r.Header.Get("Content-Type")) || jsondepth.Exceeds(ex.body, MaxBodyNesting) < 0 {
		return nil
	}
	return Fail(spec.KindMalformedBody, fmt.Sprintf("the JSON body nests deeper than %d levels", MaxBodyNesting))
}

func isJSONMedia(contentType string) bool {
	if contentType == "application/json" {
		return true // what nearly every client sends; ParseMediaType allocates
	}
	media, _, err := mime.ParseMediaType(contentType)
	return err == nil && (media == "application/json" || strings.HasSuffix(media, "+json"))
}

// fitIntegers runs after kin-openapi's validation. JSON Schema's integer
// is any whole number, so 1e3 is one and 9223372036854775808 is one too;
// kin-openapi admits both (its int64 format check compares float64s, which
// cannot tell 2^63 from 2^63-1). Behaviours keep ids as int64, so a whole
// number is rewritten in plain digits (1e3 becomes 1000) and one beyond
// int64 is refused, naming the field, instead of reading as missing.
func fitIntegers(ex *exchange) *Reply {
	if ex.value == nil {
		return nil
	}
	rb := ex.op.op.Op.RequestBody
	if rb == nil || rb.Value == nil {
		return nil
	}
	mt := rb.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	if field, bad := canonicalIntegers(mt.Schema, ex.value); bad != "" {
		reason := fmt.Sprintf("%s is out of the 64-bit integer range", bad)
		if field == "" {
			field = "body"
		}
		return &Reply{Kind: spec.KindInvalidField, Detail: field + ": " + reason, Fields: map[string][]string{field: {reason}}}
	}
	return nil
}

// canonicalIntegers walks value along schema, rewriting whole numbers at
// integer schemas in place; it returns the dotted field path, below value,
// and the number of the first one that does not fit an int64. A body that
// needs no rewriting costs no allocation: paths are built only for a
// number that does not fit.
func canonicalIntegers(schema *openapi3.SchemaRef, value any) (field, bad string) {
	if schema == nil || schema.Value == nil {
		return "", ""
	}
	s := schema.Value
	for _, sub := range s.AllOf {
		if field, bad = canonicalIntegers(sub, value); bad != "" {
			return field, bad
		}
	}
	switch v := value.(type) {
	case map[string]any:
		for name, prop := range s.Properties {
			child, ok := v[name]
			if !ok {
				continue
			}
			canon, field, bad := canonicalChild(prop, child)
			if bad != "" {
				return join(name, field), bad
			}
			if canon != "" {
				v[name] = canon
			}
		}
	case []any:
		for i, item := range v {
			canon, field, bad := canonicalChild(s.Items, item)
			if bad != "" {
				return join(strconv.Itoa(i), field), bad
			}
			if canon != "" {
				v[i] = canon
			}
		}
	}
	return "", ""
}

// canonicalChild is canonicalIntegers for one property or item; canon is
// the number to store in its place, "" when it stays as it is.
func canonicalChild(schema *openapi3.SchemaRef, value any) (canon json.Number, field, bad string) {
	n, isNum := value.(json.Number)
	if !isNum || schema == nil || schema.Value == nil || !schema.Value.Type.Is(openapi3.TypeInteger) {
		field, bad = canonicalIntegers(schema, value)
		return "", field, bad
	}
	c, fits := canonicalInt(n)
	if !fits {
		return "", "", n.String()
	}
	if c == n {
		return "", "", ""
	}
	return c, "", ""
}

var (
	minInt64 = new(big.Float).SetInt64(math.MinInt64)
	maxInt64 = new(big.Float).SetInt64(math.MaxInt64)
)

// canonicalInt writes a whole JSON number in plain digits, reporting
// whether it fits an int64. The range is checked before converting, so
// 1e999999999 costs no more than 1e3.
func canonicalInt(n json.Number) (json.Number, bool) {
	if plainInt64(string(n)) {
		return n, true
	}
	f, _, err := big.ParseFloat(n.String(), 10, 128, big.ToNearestEven)
	if err != nil || !f.IsInt() {
		return n, true // not whole: kin-openapi has already refused it
	}
	if f.Cmp(minInt64) < 0 || f.Cmp(maxInt64) > 0 {
		return n, false
	}
	i, _ := f.Int64()
	return json.Number(strconv.FormatInt(i, 10)), true
}

// plainInt64 says whether s is already an int64 in plain digits: at most
// 18 digits, an optional minus, no leading zero and not "-0".
func plainInt64(s string) bool {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || len(digits) > 18 || (digits[0] == '0' && s != "0") {
		return false
	}
	for i := range len(digits) {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

func join(parent, child string) string {
	if child == "" {
		return parent
	}
	return parent + "." + child
}
