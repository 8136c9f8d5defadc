package pact

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"unicode/utf8"
)

// v4File is a Pact 4.0 document as pact-reference writes it.
type v4File struct {
	Consumer     v4Party        `json:"consumer"`
	Provider     v4Party        `json:"provider"`
	Interactions []any          `json:"interactions"`
	Metadata     map[string]any `json:"metadata"`
}

type v4Party struct {
	Name string `json:"name"`
}

type v4Interaction struct {
	Type           string          `json:"type"`
	Key            string          `json:"key"`
	Description    string          `json:"description"`
	Pending        bool            `json:"pending"`
	ProviderStates []ProviderState `json:"providerStates,omitempty"`
	Request        v4Request       `json:"request"`
	Response       v4Response      `json:"response"`
}

type v4Request struct {
	Method string              `json:"method"`
	Path   string              `json:"path"`
	Query  map[string][]string `json:"query,omitempty"`
	v4Message
}

type v4Response struct {
	Status int `json:"status"`
	v4Message
}

// v4Message is what a V4 request and response both hold.
type v4Message struct {
	Headers       map[string][]string `json:"headers,omitempty"`
	Body          *v4Body             `json:"body,omitempty"`
	MatchingRules map[string]any      `json:"matchingRules,omitempty"`
	Generators    map[string]any      `json:"generators,omitempty"`
}

type v4Body struct {
	Content     any    `json:"content"`
	ContentType string `json:"contentType,omitempty"`
	Encoded     any    `json:"encoded"`
}

// Marshal writes the pact as a Pact 4.0 document (what pact-js 12+ and
// the Pact CLI read): HTTP interactions typed Synchronous/HTTP with a
// key (the pact's, or a hash of the interaction), bodies as {content,
// contentType, encoded}, rules and generators in V4's categories. Skipped
// interactions are written back as read (a V3 message as a V4 one).
func (f *File) Marshal() ([]byte, error) {
	doc := v4File{
		Consumer:     v4Party{Name: f.Consumer},
		Provider:     v4Party{Name: f.Provider},
		Interactions: []any{},
		Metadata:     maps.Clone(f.Metadata),
	}
	if doc.Metadata == nil {
		doc.Metadata = map[string]any{}
	}
	doc.Metadata["pactSpecification"] = map[string]any{"version": V4}
	for i, it := range f.Interactions {
		v, err := marshalInteraction(it)
		if err != nil {
			return nil, fmt.Errorf("interaction %d (%q): %w", i, it.Description, err)
		}
		doc.Interactions = append(doc.Interactions, v)
	}
	return json.MarshalIndent(doc, "", "  ")
}

func marshalInteraction(it Interaction) (any, error) {
	if it.Skip != "" {
		return skippedInteraction(it)
	}
	req, err := marshalRequest(it.Request)
	if err != nil {
		return nil, fmt.Errorf("request: %w", err)
	}
	resp, err := marshalResponse(it.Response)
	if err != nil {
		return nil, fmt.Errorf("response: %w", err)
	}
	v := v4Interaction{
		Type:           HTTPInteraction,
		Key:            it.Key,
		Description:    it.Description,
		Pending:        it.Pending,
		ProviderStates: it.States,
		Request:        req,
		Response:       resp,
	}
	if v.Key == "" {
		v.Key = interactionKey(v)
	}
	return v, nil
}

// interactionKey is a stable key for an interaction that has none: a
// hash of what it is.
func interactionKey(v v4Interaction) string {
	data, _ := json.Marshal(v)
	return hashKey(data)
}

func marshalRequest(r Request) (v4Request, error) {
	msg, err := marshalMessage(r.Headers, r.Body, r.Rules, r.Generators)
	return v4Request{Method: r.Method, Path: r.Path, Query: r.Query, v4Message: msg}, err
}

func marshalResponse(r Response) (v4Response, error) {
	msg, err := marshalMessage(r.Headers, r.Body, r.Rules, r.Generators)
	return v4Response{Status: r.Status, v4Message: msg}, err
}

func marshalMessage(headers map[string][]string, b Body, r Rules, g Generators) (v4Message, error) {
	body, err := marshalBody(b)
	return v4Message{Headers: headers, Body: body, MatchingRules: marshalRules(r), Generators: marshalGenerators(g)}, err
}

// marshalBody writes JSON as a value, text as a string, and anything
// that is not UTF-8 as base64.
func marshalBody(b Body) (*v4Body, error) {
	switch {
	case !b.Present:
		return nil, nil
	case b.JSON != nil:
		if !json.Valid(b.JSON) {
			return nil, fmt.Errorf("body is marked JSON but is not valid JSON")
		}
		return &v4Body{Content: b.JSON, ContentType: orJSON(b.ContentType), Encoded: false}, nil
	case len(b.Raw) == 0:
		return &v4Body{Content: "", ContentType: b.ContentType, Encoded: false}, nil
	case utf8.Valid(b.Raw):
		return &v4Body{Content: string(b.Raw), ContentType: cmp.Or(b.ContentType, "text/plain"), Encoded: false}, nil
	}
	return &v4Body{Content: base64.StdEncoding.EncodeToString(b.Raw), ContentType: cmp.Or(b.ContentType, "application/octet-stream"), Encoded: "base64"}, nil
}

// marshalRules writes V4's categories: path holds one rule set, status
// one under "$", the others one per path or name.
func marshalRules(r Rules) map[string]any {
	if len(r) == 0 {
		return nil
	}
	out := map[string]any{}
	for category, sets := range r {
		m := map[string]any{}
		for key, rs := range sets {
			switch {
			case category == "path":
				out["path"] = rs
				continue
			case category == "status" && key == "":
				key = "$"
			}
			m[key] = rs
		}
		if category != "path" {
			out[category] = m
		}
	}
	return out
}

// marshalGenerators writes path, status and method generators bare, the
// others by path or name.
func marshalGenerators(g Generators) map[string]any {
	if len(g) == 0 {
		return nil
	}
	out := map[string]any{}
	for category, gens := range g {
		if single, ok := gens[""]; ok && len(gens) == 1 {
			out[category] = single
			continue
		}
		out[category] = gens
	}
	return out
}

// skippedInteraction writes back an interaction Parse kept but does not
// verify: a V4 one as read, a V3 message in V4's message shape.
func skippedInteraction(it Interaction) (any, error) {
	if len(it.Raw) == 0 {
		return nil, fmt.Errorf("a skipped interaction without its original text cannot be written")
	}
	var m map[string]any
	if err := json.Unmarshal(it.Raw, &m); err != nil {
		return nil, err
	}
	if _, isV4 := m["type"]; isV4 {
		return json.RawMessage(it.Raw), nil
	}
	meta, _ := m["metaData"].(map[string]any)
	ct, _ := meta["contentType"].(string)
	out := map[string]any{
		"type":        it.Type,
		"key":         hashKey(it.Raw),
		"description": it.Description,
		"pending":     false,
		"contents":    map[string]any{"content": m["contents"], "contentType": orJSON(ct), "encoded": false},
	}
	if len(it.States) > 0 {
		out["providerStates"] = it.States
	}
	for from, to := range map[string]string{"metaData": "metadata", "matchingRules": "matchingRules", "generators": "generators"} {
		if v, ok := m[from]; ok {
			out[to] = v
		}
	}
	return out, nil
}

// hashKey is a V4 interaction key: the first 8 bytes of the text's
// SHA-256, in hex.
func hashKey(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}
