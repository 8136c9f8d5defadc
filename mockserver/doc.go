// Package mockserver is a validating, stateful mock of the APIs described
// by OpenAPI 3.0 and 3.1 documents, served as one http.Handler.
//
// New builds a Server that mounts every API under a prefix and answers
// each call through one pipeline, the list named pipeline in pipeline.go.
// Each step either passes the call on or replies, every failure as a
// spec.Kind rendered in that API's own envelope (x-error-envelope):
//
//   - route: no path template matches (KindNotFound);
//   - method: the path lacks the method, or documents it only as 405
//     (KindMethodNotAllowed, with Allow);
//   - precheck: a required header marked x-checked-before-auth is missing
//     (KindMissingHeader);
//   - authenticate: no credential, or one the scenario does not know
//     (KindUnauthenticated), or an expired one (KindExpiredToken);
//   - read body: within Options.MaxBodyBytes; a failure waits for validate;
//   - authorize: x-roles and x-role-catalog; a read-only role writing
//     (KindReadOnlyRole), a role the path does not serve (KindForbiddenRole);
//   - validate: the body's size and framing (KindBodyTooLarge,
//     KindMalformedBody), then kin-openapi's request validation;
//   - answer: the scenario's rules, Prefer (code, example, dynamic), the
//     operation's Behavior (a full store: KindStoreFull), or the spec's
//     examples.
//
// Whatever step replied, the response is then checked with
// spec.(*API).CheckResponse (in Strict mode a response that breaks the
// spec becomes a 500 naming the rule), written, counted for Coverage and
// kept in the journal with the step that answered.
//
// The engine knows no API of its own: each comes as a Pack (document,
// store, behaviours, scenario vocabulary) in Options.Packs, per Server.
// mockserver/bundled lists the built-in ones (mockserver/spark,
// mockserver/opentoclose); mockserver/crud makes one for any document with
// collection and item paths.
//
// Parsed specs, routers and pre-rendered examples are shared by every
// Server in the process; a Server owns only its state, journal and
// scenario, so creating one per test is cheap and tests stay isolated.
//
// The admin API under /__mock/ switches scenarios, resets state and reads
// the request journal; the same operations are methods on Server.
package mockserver
