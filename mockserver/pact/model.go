package pact

import "encoding/json"

// Specification versions a File can come from; a written File is V4.
const (
	V2 = "2.0.0"
	V3 = "3.0.0"
	V4 = "4.0"
)

// HTTPInteraction is the V4 type of a request/response interaction; every
// V2 and V3 interaction is one too.
const HTTPInteraction = "Synchronous/HTTP"

// File is one pact, whatever specification it was written in.
type File struct {
	Consumer string
	Provider string
	// Version is the pactSpecification version the file declared (V2 when
	// it declared none, as the Pact tools assume).
	Version      string
	Interactions []Interaction
	// Metadata is kept as read, less pactSpecification, for a round trip.
	Metadata map[string]any
}

// Interaction is one expected request and its response.
type Interaction struct {
	Description string
	// Key is V4's interaction key; empty for older versions.
	Key string
	// Type is HTTPInteraction, or the V4 type of an interaction this
	// package does not verify ("Asynchronous/Messages", ...).
	Type string
	// Skip says why an interaction is not an HTTP one and cannot be
	// verified (a message pact, another V4 kind); empty for HTTP.
	Skip string
	// Raw is a skipped interaction as the pact wrote it, so that Marshal
	// writes it back instead of losing it.
	Raw    json.RawMessage
	States []ProviderState
	// Pending is V4's pending flag: a failure is reported, not counted.
	Pending  bool
	Request  Request
	Response Response
}

// ProviderState is a state the provider is put in before the interaction
// (V2's single providerState becomes one with no Params).
type ProviderState struct {
	Name   string         `json:"name"`
	Params map[string]any `json:"params,omitempty"`
}

// Request is what the consumer sends.
type Request struct {
	Method string
	// Path is as the consumer sends it, not escaped.
	Path string
	// Query holds each parameter's values in order (V2's query string is
	// parsed into it).
	Query map[string][]string
	// Headers holds each header's values; names keep the pact's spelling
	// (compare them case-insensitively).
	Headers    map[string][]string
	Body       Body
	Rules      Rules
	Generators Generators
}

// Response is what the consumer expects back.
type Response struct {
	Status     int
	Headers    map[string][]string
	Body       Body
	Rules      Rules
	Generators Generators
}

// Body is a request's or response's body. A pact distinguishes a missing
// body (no expectation) from an empty or null one.
type Body struct {
	Present     bool
	ContentType string
	// JSON is the body when it is JSON (Content-Type application/json or
	// +json, or no type and a JSON value); Raw otherwise.
	JSON json.RawMessage
	Raw  []byte
}

// Rules are matching rules by category ("body", "header", "query",
// "path", "status"), then by path within it: "$.D.Results[*].Note" for
// body, the header or parameter name for the others, "" for path and
// status. V2's flat "$.body.x" / "$.headers.X" keys are sorted into the
// same shape.
type Rules map[string]map[string]RuleSet

// RuleSet is the matchers that apply at one path, combined with "AND"
// (every one must hold; the default) or "OR".
type RuleSet struct {
	Combine  string    `json:"combine,omitempty"`
	Matchers []Matcher `json:"matchers"`
}

// Matcher is one matching rule as the pact writes it: "match" names the
// kind ("type", "regex", "include", "integer", "decimal", "number",
// "boolean", "null", "equality", "date", "time", "datetime", "timestamp",
// "values", "eachKey", "eachValue", "arrayContains", "contentType",
// "semver", "notEmpty", "statusCode"), the other keys its settings
// ("min", "max", "regex", "value", "format", "rules", "variants").
type Matcher map[string]any

// Generators are value generators by category ("body", "path", "query",
// "header", "status"), then by path, each an object with a "type"
// ("ProviderState", "RandomInt", "Date", ...) and its settings.
type Generators map[string]map[string]map[string]any
