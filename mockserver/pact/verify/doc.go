// Package verify checks consumers' Pact files against the APIs the mock
// serves, two ways per HTTP interaction:
//
//   - static, against the OpenAPI document alone (what bi-directional
//     contract testing does): the path and method name an operation
//     (spec.(*API).MatchPath; a path that exists with another method is
//     "method not allowed" with the Allow list), the request passes the
//     engine's own request check (spec.(*API).CheckRequest), the expected
//     status is documented, and the expected body, the pact's example
//     values, fits that status's schema, error envelope included
//     (spec.(*API).CheckResponse);
//   - dynamic, by replaying the request (after the pact's generators,
//     with Options.Header and Options.Query overriding what it carries)
//     against a fresh in-process mock or Options.Target, and comparing
//     the answer with pact.Compare, Pact's own rules. This catches what a
//     schema cannot see: a read-only role's 405, a 201 where the pact says
//     200, a missing header the API refuses with its own code.
//
// A request the pact expects to be refused (its status is the one the
// API answers the request check's failure with, such as 400 for a
// missing X-SparkApi-User-Agent) is not a static problem: the consumer is
// testing the refusal, and the dynamic check holds it to the exact answer.
//
// # Provider states
//
// Before each interaction the provider is put in its states through the
// mock's POST /__mock/pact/state, in process or on a target mockserver:
// the state's mapped scenario (mockserver.Options.PactStates), else the
// scenario of the same name, else "default", reset to its starting
// records. Several states must agree on one scenario (the mock runs one
// at a time). A target that answers 404 there is a real service: its
// state is whatever it is, and the report says so once.
//
// # Paths
//
// Pact paths are the real service's: the document's base path plus the
// operation's path ("/v1/listings/..."). A path without the base path is
// accepted too. Against a mockserver the mount prefix is found through
// GET /__mock/health, so --target http://127.0.0.1:8080 is enough, and
// the mock's answers quoted in the report name paths as the pact does.
package verify
