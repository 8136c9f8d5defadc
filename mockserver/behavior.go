package mockserver

import (
	"net/http"

	"github.com/realestate-mocks/mockserver/fixtures"
	"github.com/realestate-mocks/mockserver/spec"
)

// Behavior answers one operation once the request has passed routing,
// authentication, authorization and validation. Its Reply is validated
// against the spec before it is sent.
type Behavior interface {
	Serve(*Call) *Reply
}

// BehaviorFunc adapts a function to Behavior.
type BehaviorFunc func(*Call) *Reply

// Serve calls f.
func (f BehaviorFunc) Serve(c *Call) *Reply { return f(c) }

// Call is a validated request, as a Behavior sees it.
type Call struct {
	Request   *http.Request
	API       *spec.API
	Operation *spec.Operation
	// PathParams are the path parameters, unescaped. The map is shared
	// by every call to the same path: read it, never change it.
	PathParams map[string]string
	// Principal is who the credential belongs to (zero for open APIs).
	Principal fixtures.Principal
	// Body is the decoded, validated JSON body; nil when there is none.
	Body any
	// Store is the Server's store for this API, nil for APIs without one.
	Store Store
	// Scenario is the active scenario's part for this API.
	Scenario *fixtures.APIScenario
}

// Reply is a Behavior's answer. Set Kind to answer with one of the API's
// errors in its own envelope; otherwise Body (any JSON value) or nothing.
type Reply struct {
	Status int
	Header http.Header
	Body   any
	// raw is a body already encoded, such as a spec example.
	raw []byte

	Kind   spec.Kind
	Detail string
	Fields map[string][]string
}

// JSON is a reply with a JSON body.
func JSON(status int, body any) *Reply { return &Reply{Status: status, Body: body} }

// RawJSON is a reply whose body is JSON already encoded, such as one a
// store keeps from call to call so as not to encode it each time. It is
// sent, journaled and held to the spec like any other, without a copy:
// body must not change once it is handed over.
func RawJSON(status int, body []byte) *Reply { return &Reply{Status: status, raw: body} }

// Empty is a reply with no body, such as 204.
func Empty(status int) *Reply { return &Reply{Status: status} }

// Fail is a reply in the API's error envelope; detail says what exactly
// was wrong and is appended to the kind's message.
func Fail(kind spec.Kind, detail string) *Reply { return &Reply{Kind: kind, Detail: detail} }

// Store holds one API's records for one Server.
type Store interface {
	// Reset replaces every record with the scenario's starting state
	// (what the Pack's scenario Vocabulary decodes, or nil for none).
	Reset(state any) error
	// Snapshot returns the current records in the same form Reset takes.
	Snapshot() any
}

// failureKinds is implemented by a Behavior that says which failures it
// may answer with (Declare), so reachable can tell which documented
// statuses the operation really produces.
type failureKinds interface {
	FailureKinds() []spec.Kind
}

// Declare wraps a Behavior with the failure kinds it may answer, so that
// the statuses the pipeline can answer for its operation include theirs.
func Declare(b Behavior, kinds ...spec.Kind) Behavior { return declared{b, kinds} }

type declared struct {
	Behavior
	kinds []spec.Kind
}

func (d declared) FailureKinds() []spec.Kind { return d.kinds }
