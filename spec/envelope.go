package spec

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Kind names a failure the mock can report. Each API maps every kind to an
// HTTP status (and, for APIs that have them, an application code) in its
// x-error-envelope extension.
type Kind string

// The kinds of failure, in the order of the request pipeline.
const (
	KindNotFound             Kind = "notFound"
	KindMethodNotAllowed     Kind = "methodNotAllowed"
	KindMissingHeader        Kind = "missingHeader"
	KindUnauthenticated      Kind = "unauthenticated"
	KindExpiredToken         Kind = "expiredToken"
	KindReadOnlyRole         Kind = "readOnlyRole"
	KindForbiddenRole        Kind = "forbiddenRole"
	KindBodyTooLarge         Kind = "bodyTooLarge"
	KindUnsupportedMediaType Kind = "unsupportedMediaType"
	KindMalformedBody        Kind = "malformedBody"
	KindMissingField         Kind = "missingField"
	KindInvalidField         Kind = "invalidField"
	KindInvalidParameter     Kind = "invalidParameter"
	KindBadPrefer            Kind = "badPrefer"
	KindConflict             Kind = "conflict"
	KindStoreFull            Kind = "storeFull"
	KindRateLimited          Kind = "rateLimited"
	KindInternal             Kind = "internal"
)

// Kinds lists every kind, in pipeline order.
func Kinds() []Kind { return slices.Clone(kinds) }

var kinds = []Kind{
	KindNotFound, KindMethodNotAllowed, KindMissingHeader, KindUnauthenticated, KindExpiredToken,
	KindReadOnlyRole, KindForbiddenRole, KindBodyTooLarge, KindUnsupportedMediaType, KindMalformedBody,
	KindMissingField, KindInvalidField, KindInvalidParameter, KindBadPrefer, KindConflict,
	KindStoreFull, KindRateLimited, KindInternal,
}

// KindSpec is how one API reports one kind of failure.
type KindSpec struct {
	Status  int    `json:"status"`
	Code    int    `json:"code,omitempty"`
	Message string `json:"message"`
}

// Envelope is an API's error body: a template and the status, code and
// default message of each kind.
type Envelope struct {
	Template any
	Kinds    map[Kind]KindSpec
}

// defaultEnvelope serves documents without x-error-envelope: a plain
// {"message": ...} body with conventional statuses. It has an entry for
// every kind, so every envelope (each starts from this one) renders a
// real status for each.
func defaultEnvelope() *Envelope {
	return &Envelope{
		Template: map[string]any{"message": "{{message}}", "errors": "{{errors}}"},
		Kinds: map[Kind]KindSpec{
			KindNotFound:             {Status: http.StatusNotFound, Message: "Not found"},
			KindMethodNotAllowed:     {Status: http.StatusMethodNotAllowed, Message: "Method not allowed"},
			KindMissingHeader:        {Status: http.StatusBadRequest, Message: "A required header is missing"},
			KindUnauthenticated:      {Status: http.StatusUnauthorized, Message: "Missing or unknown credential"},
			KindExpiredToken:         {Status: http.StatusUnauthorized, Message: "The credential has expired"},
			KindReadOnlyRole:         {Status: http.StatusMethodNotAllowed, Message: "This role may not write"},
			KindForbiddenRole:        {Status: http.StatusForbidden, Message: "This role may not use this resource"},
			KindBodyTooLarge:         {Status: http.StatusRequestEntityTooLarge, Message: "Request body too large"},
			KindUnsupportedMediaType: {Status: http.StatusUnsupportedMediaType, Message: "Unsupported content type"},
			KindMalformedBody:        {Status: http.StatusBadRequest, Message: "The body is not valid"},
			KindMissingField:         {Status: http.StatusBadRequest, Message: "A required field is missing"},
			KindInvalidField:         {Status: http.StatusBadRequest, Message: "A field is invalid"},
			KindInvalidParameter:     {Status: http.StatusBadRequest, Message: "A parameter is invalid"},
			KindBadPrefer:            {Status: http.StatusBadRequest, Message: "The Prefer header asks for something the spec does not document"},
			KindConflict:             {Status: http.StatusConflict, Message: "Conflict"},
			KindStoreFull:            {Status: http.StatusRequestEntityTooLarge, Message: "The mock's store is full"},
			KindRateLimited:          {Status: http.StatusTooManyRequests, Message: "Too many requests"},
			KindInternal:             {Status: http.StatusInternalServerError, Message: "Internal server error"},
		},
	}
}

func newEnvelope(ext map[string]any) (*Envelope, error) {
	env := defaultEnvelope()
	var raw struct {
		Template any               `json:"template"`
		Kinds    map[Kind]KindSpec `json:"kinds"`
	}
	if err := decodeExtension(ext, "x-error-envelope", &raw); err != nil {
		return nil, err
	}
	if raw.Template != nil {
		env.Template = raw.Template
	}
	for kind, ks := range raw.Kinds {
		if !slices.Contains(kinds, kind) {
			return nil, fmt.Errorf("x-error-envelope: unknown kind %q (known: %s)", kind, joinKinds())
		}
		if ks.Status < 400 || ks.Status > 599 {
			return nil, fmt.Errorf("x-error-envelope: kind %q has status %d, want 400-599", kind, ks.Status)
		}
		env.Kinds[kind] = ks
	}
	return env, nil
}

// Render builds the error body for a kind. detail, when set, is appended to
// the kind's message so the client learns what exactly was wrong; fields,
// when set, fill the template's {{errors}} placeholder.
func (e *Envelope) Render(kind Kind, detail string, fields map[string][]string) (status int, body []byte) {
	ks := e.Kinds[kind]
	message := ks.Message
	if detail != "" {
		message += ": " + detail
	}
	return ks.Status, e.render(ks.Status, ks.Code, message, fields)
}

// render fills the template with the values of one failure.
func (e *Envelope) render(status, code int, message string, fields map[string][]string) []byte {
	body, err := json.Marshal(fill(e.Template, status, code, message, fields))
	if err != nil {
		// The template came from JSON-compatible YAML, so this cannot
		// happen; a plain body still beats an empty answer.
		return []byte(`{"message":` + strconvQuote(message) + `}`)
	}
	return body
}

// omit marks a template key whose placeholder has nothing to say.
type omit struct{}

func fill(v any, status, code int, message string, fields map[string][]string) any {
	switch t := v.(type) {
	case string:
		switch t {
		case "{{code}}":
			return code
		case "{{status}}":
			return status
		case "{{message}}":
			return message
		case "{{errors}}":
			if len(fields) == 0 {
				return omit{}
			}
			return fields
		}
		return t
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, child := range t {
			if filled := fill(child, status, code, message, fields); filled != (omit{}) {
				out[k] = filled
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(t))
		for _, child := range t {
			if filled := fill(child, status, code, message, fields); filled != (omit{}) {
				out = append(out, filled)
			}
		}
		return out
	}
	return v
}

func joinKinds() string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// decodeExtension reads one vendor extension into out through JSON, which
// is how kin-openapi keeps extension values.
func decodeExtension(ext map[string]any, name string, out any) error {
	v, ok := ext[name]
	if !ok {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s has the wrong shape: %w", name, err)
	}
	return nil
}
