package mockserver

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/realestate-mocks/mockserver/mockserver/internal/oneline"
	"github.com/realestate-mocks/mockserver/spec"
)

// Violation is one rule of the spec that a proxied request or the real
// service's response broke.
type Violation struct {
	// Rule names the broken rule: "request:<kind>" for the request (the
	// kind the mock would have refused it with, such as
	// request:missingHeader), "response:status" for an undocumented
	// status, "response:header" for a missing required header,
	// "response:allow" for a 405 without Allow, "response:body" for a body
	// that is not JSON, and "response:schema:<keyword>" for a body that
	// breaks its schema (response:schema:required, response:schema:type).
	Rule string `json:"rule"`
	// Pointer is the JSON pointer of the offending field in the body, ""
	// when the rule is not about one field.
	Pointer string `json:"pointer,omitempty"`
	// Message says what was wrong, without echoing values.
	Message string `json:"message"`
}

func (v Violation) String() string {
	if v.Pointer != "" {
		return v.Rule + " " + v.Pointer
	}
	return v.Rule
}

// In says which side of the exchange broke the rule: "request" or
// "response".
func (v Violation) In() string {
	side, _, _ := strings.Cut(v.Rule, ":")
	return side
}

// requestViolation turns a step's refusal into the violation it stands for.
func requestViolation(env *spec.Envelope, reply *Reply) Violation {
	msg := env.Kinds[reply.Kind].Message
	if reply.Detail != "" {
		msg += ": " + reply.Detail
	}
	return Violation{Rule: "request:" + string(reply.Kind), Message: msg}
}

// at points v at the first field err's schema errors name, if any.
func (v Violation) at(err error) Violation {
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		v.Pointer = pointer(spec.SchemaFailures(se)[0].Pointer)
	}
	return v
}

// responseViolations splits CheckResponse's error into one violation per
// broken rule: kin-openapi reports every schema error of a body at once.
func responseViolations(err error) []Violation {
	var re *spec.ResponseError
	if errors.As(err, &re) && re.Undocumented {
		return []Violation{{Rule: "response:status", Message: re.Error()}}
	}
	var out []Violation
	collectViolations(err, &out)
	if len(out) == 0 {
		out = append(out, Violation{Rule: "response:body", Message: oneline.Cut(err.Error(), violationLine)})
	}
	return out
}

// collectViolations walks kin-openapi's error tree: response errors
// holding multi errors holding schema errors, each schema error a leaf.
func collectViolations(err error, out *[]Violation) {
	switch e := err.(type) {
	case nil:
	case *spec.ResponseError:
		collectViolations(e.Err, out)
	case openapi3.MultiError:
		for _, child := range e {
			collectViolations(child, out)
		}
	case *openapi3.SchemaError:
		for _, f := range spec.SchemaFailures(e) {
			*out = append(*out, Violation{Rule: "response:schema:" + f.Keyword, Pointer: pointer(f.Pointer), Message: f.Reason})
		}
	case *openapi3filter.ResponseError:
		n := len(*out)
		if e.Err != nil && strings.Contains(e.Reason, "match schema") {
			collectViolations(e.Err, out)
		}
		if len(*out) > n {
			return
		}
		rule := "response:body"
		if strings.HasPrefix(e.Reason, "response header") || strings.Contains(e.Reason, "header \"") {
			rule = "response:header"
		}
		*out = append(*out, Violation{Rule: rule, Message: e.Reason})
	default:
		if u := errors.Unwrap(err); u != nil {
			collectViolations(u, out)
			return
		}
		*out = append(*out, Violation{Rule: "response:body", Message: oneline.Cut(err.Error(), violationLine)})
	}
}

func pointer(segments []string) string {
	if len(segments) == 0 {
		return ""
	}
	esc := strings.NewReplacer("~", "~0", "/", "~1")
	var b strings.Builder
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(esc.Replace(s))
	}
	return b.String()
}

// ViolationReport groups every violation a Server's proxy met since it
// started (or since ClearRequests), by API, operation, rule and field.
type ViolationReport struct {
	// Total counts every violation, grouped or not.
	Total  int              `json:"total"`
	Groups []ViolationGroup `json:"groups"`
	// Dropped counts violations not grouped because the report already
	// held maxViolationGroups groups.
	Dropped int `json:"dropped,omitempty"`
}

// ViolationGroup is one rule broken on one operation.
type ViolationGroup struct {
	API string `json:"api"`
	// Operation is the operation's key, or "METHOD path" for a request
	// that matched none.
	Operation string `json:"operation"`
	Rule      string `json:"rule"`
	// Pointer is the JSON pointer of the first example; array indexes
	// differ between examples of the same group.
	Pointer string           `json:"pointer,omitempty"`
	Count   int              `json:"count"`
	First   ViolationExample `json:"first"`
	Last    ViolationExample `json:"last"`
}

// ViolationExample is one exchange that broke the rule.
type ViolationExample struct {
	Seq     int64     `json:"seq"`
	Time    time.Time `json:"time"`
	Method  string    `json:"method"`
	Path    string    `json:"path"`
	Status  int       `json:"status"`
	Message string    `json:"message"`
}

// maxViolationGroups bounds the report's memory whatever the traffic.
const maxViolationGroups = 10000

type violationKey struct{ api, operation, rule, pointer string }

// violations aggregates for the Server's whole life, like coverage.
type violations struct {
	mu      sync.Mutex
	groups  map[violationKey]*ViolationGroup
	order   []violationKey
	total   int
	dropped int
}

// indexes are array positions in a pointer, folded so that the same field
// of every array item is one group.
var indexes = regexp.MustCompile(`/[0-9]+(/|$)`)

func (v *violations) add(api string, e *Entry, list []Violation) {
	if len(list) == 0 {
		return
	}
	op := e.Operation
	if op == "" {
		op = e.Method + " " + e.Path
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.groups == nil {
		v.groups = map[violationKey]*ViolationGroup{}
	}
	for _, x := range list {
		v.total++
		key := violationKey{api, op, x.Rule, indexes.ReplaceAllString(x.Pointer, "/-$1")}
		ex := ViolationExample{Seq: e.Seq, Time: e.Time, Method: e.Method, Path: e.Path, Status: e.Status, Message: x.Message}
		g := v.groups[key]
		if g == nil {
			if len(v.groups) >= maxViolationGroups {
				v.dropped++
				continue
			}
			g = &ViolationGroup{API: api, Operation: op, Rule: x.Rule, Pointer: x.Pointer, First: ex}
			v.groups[key] = g
			v.order = append(v.order, key)
		}
		g.Count++
		g.Last = ex
	}
}

func (v *violations) clear() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.groups, v.order, v.total, v.dropped = nil, nil, 0, 0
}

// Violations reports what the proxied traffic broke, grouped by API,
// operation, rule and field, sorted that way.
func (s *Server) Violations() ViolationReport {
	v := &s.violations
	v.mu.Lock()
	defer v.mu.Unlock()
	r := ViolationReport{Total: v.total, Dropped: v.dropped, Groups: make([]ViolationGroup, 0, len(v.order))}
	for _, k := range v.order {
		r.Groups = append(r.Groups, *v.groups[k])
	}
	slices.SortStableFunc(r.Groups, func(a, b ViolationGroup) int {
		return strings.Compare(a.API+"\x00"+a.Operation+"\x00"+a.Rule+"\x00"+a.Pointer, b.API+"\x00"+b.Operation+"\x00"+b.Rule+"\x00"+b.Pointer)
	})
	return r
}

// violationHeader is the X-Mock-Violation value naming the broken rules.
func violationHeader(list []Violation) string {
	names := make([]string, 0, len(list))
	for _, v := range list {
		if n := v.String(); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	h := strings.Join(names, ", ")
	if len(h) > 1000 {
		h = h[:1000] + "…"
	}
	return h
}

func describeViolations(list []Violation) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = fmt.Sprintf("%s: %s", v, v.Message)
	}
	return out
}
