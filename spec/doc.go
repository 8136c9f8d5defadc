// Package spec holds the OpenAPI 3.0 documents the mock serves and loads
// them into a read-only form that the rest of the project shares.
//
// The two bundled documents, Open To Close's Property Contacts and Spark's
// Listing Notes, are embedded in the binary. Load parses a bundled document
// once per process and hands every caller the same *API; Parse and LoadFile
// do the same for any other OpenAPI 3.0 document, uncached.
//
// A document is accepted only when both kin-openapi (load and Validate, with
// examples checked against their schemas) and libopenapi (the v3 model)
// accept it, so a spec that one of the two libraries would reject never
// ships.
//
// Besides standard OpenAPI, the package reads these vendor extensions:
//
//   - x-roles (operation): the session roles the operation serves.
//   - x-role-catalog (document): every role, and whether it may write.
//   - x-error-envelope (document): the API's own error body, as a template
//     with {{code}}, {{message}} and {{errors}} placeholders, and the
//     status and code for each kind of failure the mock can produce.
//   - x-checked-before-auth (header parameter): a required header whose
//     absence is reported before authentication (kind missingHeader).
//   - x-token-prefixes (http bearer security scheme): the Authorization
//     prefixes accepted besides "Bearer".
//
// An operation whose only documented response is 405 is "not implemented":
// the mock answers it 405 with an Allow header, like the real service.
package spec
