// Package mockserver is a validating, stateful mock of the APIs described
// by OpenAPI 3.0 documents, served as one http.Handler.
//
// New builds a Server that mounts every API under a prefix
// (/opentoclose/v1/... and /spark/v1/... by default) and answers each
// request through a fixed pipeline, every failure in that API's own error
// envelope (see the spec package's x-error-envelope):
//
//  1. no route for the path: 404;
//  2. the path exists but not the method, or the spec documents the method
//     only as 405: 405 with an Allow header;
//  3. a required header marked x-checked-before-auth is missing (Spark's
//     X-SparkApi-User-Agent): 400/1016;
//  4. authentication from the spec's security scheme: 401;
//  5. authorization from x-roles and x-role-catalog: a read-only role
//     writing is 405/1017, a role the path does not serve is 403/1500;
//  6. request validation with kin-openapi (body limit 413, content type,
//     parameters, body schema);
//  7. fixture rules, Prefer (code, example, dynamic), then the operation's
//     behaviour, or the spec's examples for operations without one;
//  8. response validation with kin-openapi: in strict mode a response
//     that breaks the spec becomes a 500 saying which rule broke.
//
// Parsed specs, routers and pre-rendered examples are shared by every
// Server in the process; a Server owns only its state, journal and
// scenario, so creating one per test is cheap and tests stay isolated.
//
// The admin API under /__mock/ switches scenarios, resets state and reads
// the request journal; the same operations are methods on Server.
package mockserver
