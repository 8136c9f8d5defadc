package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/realestate-mocks/mockserver/mockserver"
)

// Options configure a Recorder.
type Options struct {
	// Dir is the directory the scenario file is written to; it is created
	// when missing.
	Dir string
	// Name is the scenario's name, and the file's (<Name>.yaml); "" means
	// "recorded".
	Name string
	// Extends is the scenario the recording starts from; "" means "empty".
	Extends string
	// Learners gives, per API name, the learner of its records; an API
	// without one is recorded as rules only. Server.NewLearner provides
	// the bundled APIs'.
	Learners map[string]mockserver.Learner
	// Upstreams are named in the file's description, each with its
	// password replaced by "xxxxx": a recording is meant to be committed.
	Upstreams map[string]string
}

// Recorder collects exchanges (Observe, safe for concurrent use) and
// writes them as one scenario file (Write).
type Recorder struct {
	opts  Options
	start time.Time

	mu   sync.Mutex
	apis map[string]*apiRecording
	seen int
}

type apiRecording struct {
	learner mockserver.Learner
	learnt  bool
	rules   []*callRecording
	byKey   map[string]*callRecording
	notes   []string
}

// callRecording is one operation called with one set of parameters and
// one request body, and the answers it got, in order.
type callRecording struct {
	operation string
	path      map[string]string
	query     map[string]string
	// body is the request's JSON object, matched field by field on
	// replay, so a write answers what the upstream answered that body
	// whatever order the replay sends them in; nil for no JSON object.
	body    map[string]any
	answers []answer
}

type answer struct {
	Status  int               `yaml:"status"`
	Headers map[string]string `yaml:"headers,omitempty"`
	Body    any               `yaml:"body,omitempty"`
	key     string
}

// New returns a Recorder that writes to opts.Dir.
func New(opts Options) (*Recorder, error) {
	if opts.Dir == "" {
		return nil, fmt.Errorf("record: no directory given")
	}
	if opts.Name == "" {
		opts.Name = "recorded"
	}
	if opts.Extends == "" {
		opts.Extends = "empty"
	}
	if strings.ContainsAny(opts.Name, `/\`) {
		return nil, fmt.Errorf("record: scenario name %q: use letters, digits, '-' or '_'", opts.Name)
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	opts.Upstreams = redactAll(opts.Upstreams)
	return &Recorder{opts: opts, start: time.Now(), apis: map[string]*apiRecording{}}, nil
}

// redactAll copies upstream URLs with their passwords hidden; a value
// that does not parse as a URL is not written at all, since where its
// password is cannot be told.
func redactAll(ups map[string]string) map[string]string {
	out := make(map[string]string, len(ups))
	for name, raw := range ups {
		u, err := url.Parse(raw)
		if err != nil {
			out[name] = "an upstream URL that does not parse"
			continue
		}
		out[name] = u.Redacted()
	}
	return out
}

// Path is the file Write writes.
func (r *Recorder) Path() string { return filepath.Join(r.opts.Dir, r.opts.Name+".yaml") }

// Observe records one exchange; it is mockserver.ProxyOptions.OnExchange.
func (r *Recorder) Observe(x *mockserver.Exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen++
	a := r.apis[x.API]
	if a == nil {
		a = &apiRecording{learner: r.opts.Learners[x.API], byKey: map[string]*callRecording{}}
		r.apis[x.API] = a
	}
	switch {
	case len(x.Violations) > 0:
		a.notes = append(a.notes, fmt.Sprintf("%s → %d, not recorded: %s", describeCall(x), x.Status, strings.Join(ruleNames(x.Violations), ", ")))
	case x.Status == http.StatusUnauthorized || x.Status == http.StatusForbidden:
		a.notes = append(a.notes, fmt.Sprintf("%s → %d, not recorded: it depends on the credential, which the replay's principals decide", describeCall(x), x.Status))
	case a.learner != nil && a.learner.Learn(x):
		a.learnt = true
	default:
		a.add(x)
	}
}

func (a *apiRecording) add(x *mockserver.Exchange) {
	query := map[string]string{}
	for k, v := range x.Query {
		if len(v) > 0 {
			query[k] = v[0]
		}
	}
	c := &callRecording{operation: x.Operation.Key(), path: maps.Clone(x.PathParams), query: query, body: requestObject(x)}
	key := c.key()
	if known := a.byKey[key]; known != nil {
		c = known
	} else {
		a.byKey[key] = c
		a.rules = append(a.rules, c)
	}
	ans := answerOf(x)
	c.answers = append(c.answers, ans)
}

func (c *callRecording) key() string {
	b, _ := json.Marshal([]any{c.operation, c.path, c.query, c.body})
	return string(b)
}

// constraints counts what a call's rule matches on besides its operation.
func (c *callRecording) constraints() int { return len(c.path) + len(c.query) + len(c.body) }

// requestObject is the request body when it is a JSON object the
// operation documents a body for.
func requestObject(x *mockserver.Exchange) map[string]any {
	if x.Operation.Op.RequestBody == nil || len(x.RequestBody) == 0 {
		return nil
	}
	obj, _ := jsonValue(x.RequestBody).(map[string]any)
	// A rule's body keys are dotted paths: a field whose own name is
	// empty or holds a dot cannot be named by one, so it is not matched.
	maps.DeleteFunc(obj, func(k string, _ any) bool { return k == "" || strings.Contains(k, ".") })
	if len(obj) == 0 {
		return nil
	}
	return obj
}

// answerOf keeps the status, the headers the spec documents for it, and
// the body when the spec documents one.
func answerOf(x *mockserver.Exchange) answer {
	a := answer{Status: x.Status}
	resp := x.Operation.Op.Responses.Status(x.Status)
	if resp == nil || resp.Value == nil {
		resp = x.Operation.Op.Responses.Default()
	}
	if resp != nil && resp.Value != nil {
		for _, name := range slices.Sorted(maps.Keys(resp.Value.Headers)) {
			if v := x.Header.Get(name); v != "" {
				if a.Headers == nil {
					a.Headers = map[string]string{}
				}
				a.Headers[http.CanonicalHeaderKey(name)] = v
			}
		}
		if resp.Value.Content.Get("application/json") != nil && len(bytes.TrimSpace(x.Body)) > 0 {
			a.Body = jsonValue(x.Body)
		}
	}
	k, _ := json.Marshal(a)
	a.key = string(k)
	return a
}

// jsonValue decodes JSON keeping integers as integers, so that YAML
// writes 7484664 rather than 7.484664e+06.
func jsonValue(b []byte) any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	return numbers(v)
}

func numbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case map[string]any:
		for k, child := range t {
			t[k] = numbers(child)
		}
	case []any:
		for i, child := range t {
			t[i] = numbers(child)
		}
	}
	return v
}

func describeCall(x *mockserver.Exchange) string {
	path := x.Operation.Path
	for k, v := range x.PathParams {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	return fmt.Sprintf("%s %s (%s)", x.Method, path, x.Operation.Key())
}

func ruleNames(vs []mockserver.Violation) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	return out
}
