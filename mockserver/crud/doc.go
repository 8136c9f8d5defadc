// Package crud gives any OpenAPI document in-memory state, without code:
// Pack(api) finds each collection path (/pets) that has an item path
// beneath it (/pets/{petId}) and answers their operations from a store of
// records:
//
//   - POST on the collection creates a record from the request body and a
//     new id, and answers it with the operation's 2xx status;
//   - GET on the collection lists the records (honouring integer limit and
//     offset query parameters when the operation declares them);
//   - GET on the item reads one; PUT replaces it with the body, PATCH
//     merges the body's fields into it; DELETE removes it;
//   - an id with no record answers the API's notFound kind (404 in its
//     error envelope), so the operation should document 404.
//
// Ids follow the item path parameter's schema: an integer parameter gets
// 1, 2, 3…; a string parameter gets a random UUID. The id is written into
// the record's property named like the parameter, or "id", when the
// response schema has one. Answers are built from the request body and the
// id, and the engine validates each against the response schemas as it
// does every answer, so a document whose schemas disagree with its request
// bodies gets a 500 naming the rule in strict mode.
//
// Scenarios give starting records under `state:`, by collection name (the
// collection path's last segment), each record checked against the item
// response schema:
//
//	apis:
//	  pets:
//	    state:
//	      pets:
//	        - {id: 1, name: Rex, tag: dog}
package crud
