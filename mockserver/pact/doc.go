// Package pact reads and writes Pact contract files (specification 2.0,
// 3.0 and 4.0) and compares a provider's answer with an interaction's
// expected response by Pact's matching rules.
//
// It knows no API and nothing of the engine: Parse normalises every
// version into one model (File, Interaction, Request, Response), Compare
// judges an answer against a Response, and File.Marshal writes the model
// back as a Pact 4.0 document. The engine writes pacts from its journal
// with it (mockserver.Server.Pact); mockserver/pact/verify replays them.
//
// # Reading
//
// Parse accepts specification 1.0 and 1.1 as 2.0 (their subset: no
// matching rules), 2.0, 3.0 and 4.0; any other declared version is
// refused by name. V2's query string is parsed into a map, V2's flat
// matching rules ("$.body.x", "$.headers.X", "$.query.q", "$.path") are
// sorted into V3's categories, and V4's body object {content,
// contentType, encoded} is decoded (base64 when encoded). V3 messages and
// V4 interactions other than Synchronous/HTTP are kept with
// Interaction.Skip saying why they are not verified.
//
// # Comparing
//
// Compare follows Pact's response matching as pact-reference (the engine
// behind pact-js and the Pact CLI) does it, and as the specification's
// own test cases pin it: the most specific rule applies to each value
// (path weight: 2 per exact name or index, 1 per wildcard, multiplied,
// times the expression's length), a rule written for a parent reaches its
// children (all but values, eachKey and eachValue, and a cascaded type
// rule does not count array items), equality applies where no rule does,
// keys the pact does not name are allowed, and arrays are compared item
// by item with their length unless a rule says otherwise. A regex must
// match the whole value. Date, time and datetime formats are Java
// patterns; each is checked field by field (ranges, days in the month),
// and a pattern letter that cannot be checked is reported, never ignored.
// Where this package differs: numbers are equal by value (1 equals 1.0);
// an object or array answered as another kind passes when a rule written
// for that very path allows it (a nullable object, "type" OR "null"),
// and OR is honoured on objects and arrays (pact-reference refuses both
// there, so SchemaRules never writes them); date patterns may have
// DateTimeFormatter's optional [sections]; regexes are Go's RE2, so lookarounds and backreferences are reported as
// not checkable; XML bodies are compared as text.
//
// # Generating and writing
//
// Request.Generate applies a request's generators before a replay
// (ProviderState from the state's parameters, the Random* kinds, Uuid,
// Regex, Date/Time/DateTime) and lists the ones it cannot apply. Marshal
// writes Pact 4.0 as pact-reference does; SchemaRules derives body rules
// from an OpenAPI schema for pacts written from observed answers. Both
// were checked with pact-js 17.1.4's Verifier (libpact_ffi): it reads
// Marshal's output, passes a provider answering other schema-valid data,
// and flags the same paths Compare flags on a wrong answer.
//
// Input is bounded: over MaxSize bytes, or objects and arrays nested more
// than MaxDepth deep, is refused with an error wrapping ErrNotPact before
// it is decoded.
package pact
