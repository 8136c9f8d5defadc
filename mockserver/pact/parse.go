package pact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/realestate-mocks/mockserver/mockserver/internal/jsondepth"
)

// MaxSize is the largest pact Parse and ReadFile accept, in bytes: a pact
// is a hand-sized contract, and a bigger input is a mistake or an attack.
const MaxSize = 64 << 20

// MaxDepth is how deeply objects and arrays may nest in a pact, counted
// from the document's top level (an interaction's body starts at depth 4
// in V2/V3 and 5 in V4). Deeper input is refused before it is decoded, so
// nothing downstream (Compare, Marshal) recurses without bound.
const MaxDepth = 256

// ErrNotPact is wrapped by every error saying the input is not a pact at
// all (rather than a pact with a bad part).
var ErrNotPact = errors.New("not a pact")

// ReadFile reads and parses the pact at path; errors name the file.
func ReadFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pact %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("pact %s: %w", path, err)
	}
	p, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("pact %s: %w", path, err)
	}
	return p, nil
}

// rawFile is a pact of any version as written.
type rawFile struct {
	Consumer     *rawParty         `json:"consumer"`
	Provider     *rawParty         `json:"provider"`
	Interactions []json.RawMessage `json:"interactions"`
	Messages     []json.RawMessage `json:"messages"`
	Metadata     map[string]any    `json:"metadata"`
}

type rawParty struct {
	Name string `json:"name"`
}

// Parse reads a pact of specification 1.x, 2.0, 3.0 or 4.0 into the
// model. Specification 1.0 and 1.1 are read as 2.0, of which they are a
// subset (no matching rules; 1.0's query string is parsed like 2.0's).
func Parse(data []byte) (*File, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: input is over %d MiB", ErrNotPact, MaxSize>>20)
	}
	if err := checkDepth(data); err != nil {
		return nil, err
	}
	var raw rawFile
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrNotPact, jsonError(data, err))
	}
	if raw.Interactions == nil && raw.Messages == nil {
		return nil, fmt.Errorf("%w: no \"interactions\" (or \"messages\") array", ErrNotPact)
	}
	version, err := specVersion(raw.Metadata)
	if err != nil {
		return nil, err
	}
	f := &File{Version: version, Metadata: raw.Metadata}
	delete(f.Metadata, "pactSpecification")
	delete(f.Metadata, "pact-specification")
	delete(f.Metadata, "pactSpecificationVersion")
	if raw.Consumer != nil {
		f.Consumer = raw.Consumer.Name
	}
	if raw.Provider != nil {
		f.Provider = raw.Provider.Name
	}
	for i, m := range raw.Interactions {
		it, err := parseInteraction(m, version)
		if err != nil {
			return nil, fmt.Errorf("interaction %d: %w", i, err)
		}
		f.Interactions = append(f.Interactions, it)
	}
	for i, m := range raw.Messages {
		it, err := parseMessage(m)
		if err != nil {
			return nil, fmt.Errorf("message %d: %w", i, err)
		}
		f.Interactions = append(f.Interactions, it)
	}
	return f, nil
}

// specVersion finds the declared specification in any of the spellings
// the Pact tools have used, and maps it to V2, V3 or V4.
func specVersion(meta map[string]any) (string, error) {
	declared := ""
	for _, key := range []string{"pactSpecification", "pact-specification"} {
		if m, ok := meta[key].(map[string]any); ok {
			declared, _ = m["version"].(string)
		}
	}
	if s, ok := meta["pactSpecificationVersion"].(string); ok && declared == "" {
		declared = s
	}
	if declared == "" {
		return V2, nil
	}
	major, _, _ := strings.Cut(strings.TrimPrefix(strings.ToLower(declared), "v"), ".")
	switch major {
	case "1", "2":
		return V2, nil
	case "3":
		return V3, nil
	case "4":
		return V4, nil
	}
	return "", fmt.Errorf("pact specification %q is not supported (only 1.x, 2.0, 3.0 and 4.0)", declared)
}

// checkDepth refuses input nested deeper than MaxDepth.
func checkDepth(data []byte) error {
	if at := jsondepth.Exceeds(data, MaxDepth); at >= 0 {
		return fmt.Errorf("%w: nested deeper than %d levels (at byte %d)", ErrNotPact, MaxDepth, at)
	}
	return nil
}

// jsonError says where a JSON error is, as line and column.
func jsonError(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("%s must be %s, not %s", typ.Field, kindName(typ.Type.Kind().String()), typ.Value)
		}
		off = typ.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return err.Error()
	}
	line := bytes.Count(data[:off], []byte("\n")) + 1
	col := off - int64(bytes.LastIndexByte(data[:off], '\n'))
	return fmt.Sprintf("invalid JSON at line %d, column %d: %v", line, col, err)
}

func kindName(k string) string {
	switch k {
	case "slice":
		return "an array"
	case "map", "struct", "ptr":
		return "an object"
	}
	return "a " + k
}

// quote is strconv.Quote for messages that name a value.
func quote(s string) string { return strconv.Quote(s) }
