package pact

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"strings"
)

// rawBodyV4 is V4's body object.
type rawBodyV4 struct {
	Content     json.RawMessage `json:"content"`
	ContentType string          `json:"contentType"`
	Encoded     any             `json:"encoded"`
}

// parseBody reads a body: V4's {content, contentType, encoded} object, or
// V2/V3's JSON value (a string is the body's text unless the content type
// is JSON and the string is JSON text, as pact-reference reads it).
func parseBody(data json.RawMessage, headers map[string][]string, version string) (Body, error) {
	if len(data) == 0 {
		return Body{}, nil
	}
	ct := strings.Join(headers[headerKey(headers, "Content-Type")], ", ")
	if version == V4 && isV4Body(data) {
		return parseBodyV4(data, ct)
	}
	return bodyFromValue(data, ct), nil
}

// isV4Body tells V4's body object from a plain JSON object some writers
// still put there.
func isV4Body(data json.RawMessage) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return false
	}
	_, content := m["content"]
	_, ct := m["contentType"]
	_, enc := m["encoded"]
	return content || ct || enc
}

func parseBodyV4(data json.RawMessage, headerCT string) (Body, error) {
	var raw rawBodyV4
	if err := json.Unmarshal(data, &raw); err != nil {
		return Body{}, fmt.Errorf("%s", jsonError(data, err))
	}
	ct := raw.ContentType
	if ct == "" {
		ct = headerCT
	}
	switch enc := strings.ToLower(fmt.Sprint(raw.Encoded)); enc {
	case "base64", "true":
		var s string
		if err := json.Unmarshal(raw.Content, &s); err != nil {
			return Body{}, fmt.Errorf("an encoded body's content must be a base64 string")
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return Body{}, fmt.Errorf("content is not base64: %w", err)
		}
		return bodyFromBytes(b, ct), nil
	case "json":
		return Body{Present: true, ContentType: orJSON(ct), JSON: compact(raw.Content)}, nil
	case "false", "<nil>", "", "none", "utf-8", "utf8":
		if isAbsent(raw.Content) {
			return Body{Present: true, ContentType: ct}, nil
		}
		return bodyFromValue(raw.Content, ct), nil
	default:
		return Body{}, fmt.Errorf("encoded %q is not one of false, \"base64\" or \"json\"", enc)
	}
}

// bodyFromValue reads a body written as a JSON value.
func bodyFromValue(v json.RawMessage, ct string) Body {
	if string(v) == "null" {
		return Body{Present: true, ContentType: ct}
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return Body{Present: true, ContentType: orJSON(ct), JSON: compact(v)}
	}
	if s == "" {
		return Body{Present: true, ContentType: ct}
	}
	if (isJSONType(ct) || ct == "" && looksLikeJSONText(s)) && json.Valid([]byte(s)) {
		return Body{Present: true, ContentType: orJSON(ct), JSON: compact([]byte(s))}
	}
	if isJSONType(ct) {
		return Body{Present: true, ContentType: ct, JSON: compact(v)}
	}
	return Body{Present: true, ContentType: ct, Raw: []byte(s)}
}

// looksLikeJSONText says a string with no content type holds an object
// or an array.
func looksLikeJSONText(s string) bool {
	t := strings.TrimSpace(s)
	return strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")
}

// bodyFromBytes reads a body given as its bytes.
func bodyFromBytes(b []byte, ct string) Body {
	if len(b) == 0 {
		return Body{Present: true, ContentType: ct}
	}
	if (isJSONType(ct) || ct == "" && looksLikeJSONText(string(b))) && json.Valid(b) {
		return Body{Present: true, ContentType: orJSON(ct), JSON: compact(b)}
	}
	return Body{Present: true, ContentType: ct, Raw: b}
}

// isJSONType says whether a content type is JSON (application/json,
// anything +json, text/json).
func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(ct, ";")[0]))
	}
	return mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json")
}

func orJSON(ct string) string {
	if ct == "" {
		return "application/json"
	}
	return ct
}

func compact(v []byte) json.RawMessage {
	var buf bytes.Buffer
	if json.Compact(&buf, v) != nil {
		return json.RawMessage(v)
	}
	return buf.Bytes()
}
