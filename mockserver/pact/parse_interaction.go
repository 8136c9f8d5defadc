package pact

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// rawInteraction is an interaction of any version as written.
type rawInteraction struct {
	Type           string          `json:"type"`
	Key            string          `json:"key"`
	Description    string          `json:"description"`
	Pending        bool            `json:"pending"`
	ProviderState  *string         `json:"providerState"`
	ProviderState1 *string         `json:"provider_state"`
	ProviderStates []ProviderState `json:"providerStates"`
	Request        *rawMessage     `json:"request"`
	Response       *rawMessage     `json:"response"`
}

// rawMessage is a request or a response as written.
type rawMessage struct {
	Method        string          `json:"method"`
	Path          json.RawMessage `json:"path"`
	Query         json.RawMessage `json:"query"`
	Status        *int            `json:"status"`
	Headers       json.RawMessage `json:"headers"`
	Body          json.RawMessage `json:"body"`
	MatchingRules json.RawMessage `json:"matchingRules"`
	Generators    json.RawMessage `json:"generators"`
}

func parseInteraction(data json.RawMessage, version string) (Interaction, error) {
	var raw rawInteraction
	if err := json.Unmarshal(data, &raw); err != nil {
		return Interaction{}, fmt.Errorf("%s", jsonError(data, err))
	}
	it := Interaction{
		Description: raw.Description,
		Key:         raw.Key,
		Type:        raw.Type,
		Pending:     raw.Pending,
		States:      states(raw),
	}
	if it.Type == "" {
		it.Type = HTTPInteraction
	}
	if it.Type != HTTPInteraction {
		it.Skip = fmt.Sprintf("a V4 %s interaction is not an HTTP request/response; only %s interactions are verified", it.Type, HTTPInteraction)
		it.Raw = data
		return it, nil
	}
	if raw.Request == nil || raw.Response == nil {
		return it, fmt.Errorf("%q: an HTTP interaction needs a \"request\" and a \"response\"", raw.Description)
	}
	var err error
	if it.Request, err = parseRequest(raw.Request, version); err != nil {
		return it, fmt.Errorf("%q: request: %w", raw.Description, err)
	}
	if it.Response, err = parseResponse(raw.Response, version); err != nil {
		return it, fmt.Errorf("%q: response: %w", raw.Description, err)
	}
	return it, nil
}

// parseMessage reads a V3 message, which is listed and skipped.
func parseMessage(data json.RawMessage) (Interaction, error) {
	var raw rawInteraction
	if err := json.Unmarshal(data, &raw); err != nil {
		return Interaction{}, fmt.Errorf("%s", jsonError(data, err))
	}
	return Interaction{
		Description: raw.Description,
		Type:        "Asynchronous/Messages",
		States:      states(raw),
		Skip:        "a V3 message is not an HTTP request/response; only HTTP interactions are verified",
		Raw:         data,
	}, nil
}

func states(raw rawInteraction) []ProviderState {
	if raw.ProviderStates != nil {
		return raw.ProviderStates
	}
	for _, s := range []*string{raw.ProviderState, raw.ProviderState1} {
		if s != nil && *s != "" {
			return []ProviderState{{Name: *s}}
		}
	}
	return nil
}

func parseRequest(raw *rawMessage, version string) (Request, error) {
	r := Request{Method: strings.ToUpper(raw.Method)}
	if r.Method == "" {
		r.Method = "GET"
	}
	var err error
	if r.Path, err = parsePath(raw.Path); err != nil {
		return r, err
	}
	if r.Query, err = parseQuery(raw.Query); err != nil {
		return r, fmt.Errorf("query: %w", err)
	}
	if r.Headers, err = parseHeaders(raw.Headers); err != nil {
		return r, fmt.Errorf("headers: %w", err)
	}
	if r.Body, err = parseBody(raw.Body, r.Headers, version); err != nil {
		return r, fmt.Errorf("body: %w", err)
	}
	if r.Rules, err = parseRules(raw.MatchingRules, version); err != nil {
		return r, fmt.Errorf("matchingRules: %w", err)
	}
	if r.Generators, err = parseGenerators(raw.Generators); err != nil {
		return r, fmt.Errorf("generators: %w", err)
	}
	return r, nil
}

func parseResponse(raw *rawMessage, version string) (Response, error) {
	r := Response{Status: 200}
	if raw.Status != nil {
		r.Status = *raw.Status
	}
	if r.Status < 100 || r.Status > 599 {
		return r, fmt.Errorf("status %d is not an HTTP status", r.Status)
	}
	var err error
	if r.Headers, err = parseHeaders(raw.Headers); err != nil {
		return r, fmt.Errorf("headers: %w", err)
	}
	if r.Body, err = parseBody(raw.Body, r.Headers, version); err != nil {
		return r, fmt.Errorf("body: %w", err)
	}
	if r.Rules, err = parseRules(raw.MatchingRules, version); err != nil {
		return r, fmt.Errorf("matchingRules: %w", err)
	}
	if r.Generators, err = parseGenerators(raw.Generators); err != nil {
		return r, fmt.Errorf("generators: %w", err)
	}
	return r, nil
}

func parsePath(data json.RawMessage) (string, error) {
	if isAbsent(data) {
		return "/", nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return "", fmt.Errorf("path must be a string, not %s", data)
	}
	return s, nil
}

// parseQuery reads V2's query string or V3/V4's object of a value or
// values per name.
func parseQuery(data json.RawMessage) (map[string][]string, error) {
	if isAbsent(data) {
		return nil, nil
	}
	var s string
	if json.Unmarshal(data, &s) == nil {
		v, err := url.ParseQuery(s)
		if err != nil {
			return nil, fmt.Errorf("query string %s: %w", quote(s), err)
		}
		return v, nil
	}
	return stringsMap(data)
}

// parseHeaders reads V2/V3's one string per name or V4's string or
// strings per name.
func parseHeaders(data json.RawMessage) (map[string][]string, error) {
	if isAbsent(data) {
		return nil, nil
	}
	return stringsMap(data)
}

// stringsMap reads an object whose values are a string or an array of
// strings.
func stringsMap(data json.RawMessage) (map[string][]string, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("must be an object, not %s", clip(data))
	}
	out := make(map[string][]string, len(m))
	for _, name := range sortedKeys(m) {
		var one string
		if json.Unmarshal(m[name], &one) == nil {
			out[name] = []string{one}
			continue
		}
		var many []string
		if err := json.Unmarshal(m[name], &many); err != nil {
			return nil, fmt.Errorf("%s must be a string or an array of strings, not %s", quote(name), clip(m[name]))
		}
		out[name] = many
	}
	return out, nil
}

func isAbsent(data json.RawMessage) bool {
	return len(data) == 0 || string(data) == "null"
}

// clip shortens a value quoted in an error.
func clip(data []byte) string {
	if len(data) > 60 {
		return string(data[:57]) + "..."
	}
	return string(data)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
