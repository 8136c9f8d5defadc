// Package spec holds the OpenAPI documents the mock serves and loads them
// into a read-only form that the rest of the project shares.
//
// The two bundled documents, Open To Close's Property Contacts and Spark's
// Listing Notes, are embedded in the binary. Load parses a bundled document
// once per process and hands every caller the same *API; Parse and LoadFile
// do the same for any other OpenAPI 3.0, 3.1 or 3.2 document, uncached.
// The bundled documents are 3.0.3, the version every tool reads.
//
// A 3.1 or later document's schemas are JSON Schema 2020-12: kin-openapi
// validates requests and answers with those semantics on its own
// (openapi3filter), SchemaOptions gives them to any other VisitJSON, and
// SchemaFailures turns a 2020-12 report into one failure per broken rule
// with its pointer. Webhooks are listed (API.Webhooks), never served; a
// jsonSchemaDialect other than 2020-12 is refused.
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
