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
// Each collection path is its own collection, keyed by its template:
// /pets and /owners/{ownerId}/pets never share records, and each has its
// own id rules. A record of a nested collection keeps the values of the
// collection path's parameters it was made under, so GET
// /owners/alice/pets lists alice's pets only and /owners/bob/pets/7 finds
// bob's pet 7 only; when the document has the parent collection
// (/owners with /owners/{ownerId}), a path through a parent record that
// does not exist answers notFound (404) at every level.
//
// Scenarios give starting records under `state:`, by collection key (the
// collection path template without its leading slash), each record
// checked against the item response schema; a nested collection lists
// groups of records by parent; "$next" gives the next integer id of a
// collection, which the state file saves so that a deleted id is not
// handed out again after a restart:
//
//	apis:
//	  pets:
//	    state:
//	      pets:
//	        - {id: 1, name: Rex, tag: dog}
//	      owners/{ownerId}/pets:
//	        - parent: {ownerId: alice}
//	          records:
//	            - {petId: 1, nick: cat}
//	      $next: {pets: 5}
package crud
