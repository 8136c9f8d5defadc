'use strict';
// The interactions the pact-js consumer test records, shared by every step
// of make test-pact. Faithful ones match the real services' wire formats
// (shared/reference/*.md, spec/*.yaml) and the bundled scenarios' data
// (fixtures/default.yaml); each wrong one is a mistake a consumer team
// makes, in a pact file of its own, with what `mockserver pact verify`
// must say about it: `static` and `dynamic` are a RegExp the problem's
// message must match, or null where that check must find nothing.
const { MatchersV3: M } = require('@pact-foundation/pact');

const LISTING = '20100815153524571646000000';
const NOTED = '20100912536192756362000000'; // holds the hot-tub note; the VOW token acts as it
const UNNOTED = '20100912153422758914000000'; // a contact with no note
const NOTES = `/v1/listings/${LISTING}/shared/notes`;
const OTC_TOKEN = { api_token: 'otc-demo-token' };
const SPARK = { consumer: 'notes-app', provider: 'spark' };
const OTC = { consumer: 'deals-app', provider: 'opentoclose' };

const json = { 'Content-Type': 'application/json' };
const accept = { Accept: 'application/json' };
// What the Ruby gem and a careful app send to Spark.
const spark = (token, extra = {}) => ({
  Authorization: `Bearer ${token}`,
  'X-SparkApi-User-Agent': 'notes-app/1.0',
  ...accept,
  ...extra,
});
const jsonType = { 'Content-Type': M.regex('application/json.*', 'application/json') };
const resourceUri = (contact) =>
  M.regex('^/v1/listings/[0-9]{26}/shared/notes/contacts/[0-9]{26}/?$', `${NOTES}/contacts/${contact}`);
const sparkError = (code) => ({ D: { Success: false, Code: code, Message: M.string('why') } });
const created = { date: M.regex('^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}$', '2024-01-15 09:30:00.000000'), timezone_type: M.integer(3), timezone: M.string('UTC') };
const link = (property, contact) => ({
  id: M.integer(7484664),
  contact_id: contact,
  primary: M.boolean(true),
  property: { id: property },
  contact: { id: contact },
  created,
});

const faithful = [
  {
    ...SPARK, state: 'default', description: 'the VOW contact reads its shared note',
    request: { method: 'GET', path: NOTES, headers: spark('spark-vow-token') },
    response: {
      status: 200, headers: jsonType,
      body: { D: { Success: true, Results: M.eachLike({ ResourceUri: resourceUri(NOTED), ContactId: M.regex('^[0-9]{26}$', NOTED), Note: M.string('Great home, wondering if seller is willing to include hot tub.') }) } },
    },
  },
  {
    ...SPARK, state: 'default', description: "the agent saves a contact's note",
    request: { method: 'PUT', path: `${NOTES}/contacts/${UNNOTED}`, headers: spark('spark-private-token', json), body: { D: { Note: 'Loved the garden.' } } },
    response: {
      status: 200, headers: jsonType,
      body: { D: { Success: true, Results: M.eachLike({ ResourceUri: resourceUri(UNNOTED), Note: 'Loved the garden.' }) } },
    },
  },
  {
    ...SPARK, state: 'default', description: 'the agent reads a contact with no note',
    request: { method: 'GET', path: `${NOTES}/contacts/${UNNOTED}`, headers: spark('spark-private-token') },
    response: { status: 200, headers: jsonType, body: { D: { Success: true, Results: [] } } },
  },
  {
    ...SPARK, state: 'default', description: 'the VOW contact deletes its note',
    request: { method: 'DELETE', path: NOTES, headers: spark('spark-vow-token') },
    response: { status: 200, headers: jsonType, body: { D: { Success: true } } },
  },
  {
    ...SPARK, state: 'default', description: 'an IDX key may not write a note',
    request: { method: 'PUT', path: NOTES, headers: spark('spark-idx-token', json), body: { D: { Note: 'Nice.' } } },
    response: { status: 405, headers: jsonType, body: sparkError(1017) },
  },
  {
    ...SPARK, state: 'default', description: 'a read without X-SparkApi-User-Agent is refused',
    request: { method: 'GET', path: NOTES, headers: { Authorization: 'Bearer spark-vow-token', ...accept } },
    response: { status: 400, headers: jsonType, body: sparkError(1016) },
  },
  {
    ...OTC, state: 'default', description: "the deal's contacts are listed",
    request: { method: 'GET', path: '/v1/properties/123/contacts', query: OTC_TOKEN, headers: accept },
    response: { status: 200, headers: jsonType, body: M.eachLike(link(M.integer(123), M.integer(456))) },
  },
  {
    ...OTC, state: 'default', description: 'a contact is linked to a deal',
    request: { method: 'POST', path: '/v1/properties/124/contacts', query: OTC_TOKEN, headers: { ...accept, ...json }, body: { contact_id: 456 } },
    response: { status: 201, headers: jsonType, body: { ...link(124, 456), primary: M.boolean(false) } },
  },
  {
    ...OTC, state: 'default', description: "one of the deal's links is read",
    request: { method: 'GET', path: '/v1/properties/123/contacts/456', query: OTC_TOKEN, headers: accept },
    response: { status: 200, headers: jsonType, body: { ...link(123, 456), role: M.string('Buyer') } },
  },
  {
    ...OTC, state: 'default', description: 'a link is removed',
    request: { method: 'DELETE', path: '/v1/properties/123/contacts/456', query: OTC_TOKEN, headers: accept },
    response: { status: 204 },
  },
  {
    ...OTC, state: 'default', description: 'an unknown deal is not found',
    request: { method: 'GET', path: '/v1/properties/999/contacts', query: OTC_TOKEN, headers: accept },
    response: { status: 404, headers: jsonType, body: { message: M.string('Not found') } },
  },
  {
    ...OTC, state: 'opentoclose-live', description: 'the live service refuses to remove a link',
    request: { method: 'DELETE', path: '/v1/properties/123/contacts/456', query: OTC_TOKEN, headers: accept },
    response: { status: 405, headers: { Allow: M.regex('GET', 'GET') }, body: { message: M.string('Method not allowed') } },
  },
];

// id names the pact's folder; what says what is wrong, for the table.
const wrong = [
  {
    id: 'idx-put-403', what: "403 for an IDX key's PUT (real: 405, code 1017)",
    ...SPARK, state: 'default', description: 'an IDX key writing a note is forbidden',
    request: { method: 'PUT', path: NOTES, headers: spark('spark-idx-token', json), body: { D: { Note: 'Nice.' } } },
    response: { status: 403, headers: jsonType, body: sparkError(1500) },
    static: null, dynamic: /expected 403 but was 405.*1017/,
  },
  {
    id: 'create-200', what: '200 for a created link (real: 201)',
    ...OTC, state: 'default', description: 'a contact is linked to a deal (200)',
    request: { method: 'POST', path: '/v1/properties/124/contacts', query: OTC_TOKEN, headers: { ...accept, ...json }, body: { contact_id: 456 } },
    response: { status: 200, headers: jsonType, body: { id: M.integer(7484665), contact_id: 456 } },
    static: /status 200 is not documented for createPropertyContact/, dynamic: /expected 200 but was 201/,
  },
  {
    id: 'delete-body', what: 'a body from a DELETE that answers 204',
    ...OTC, state: 'default', description: 'removing a link answers what was removed',
    request: { method: 'DELETE', path: '/v1/properties/123/contacts/456', query: OTC_TOKEN, headers: accept },
    response: { status: 204, headers: jsonType, body: { id: M.integer(7484664), deleted: true } },
    static: /documents no body for status 204; the pact expects one/, dynamic: /but the body was empty/,
  },
  {
    id: 'no-user-agent', what: 'a read without X-SparkApi-User-Agent expecting 200 (real: 400, code 1016)',
    ...SPARK, state: 'default', description: 'the VOW contact reads its note without a user agent',
    request: { method: 'GET', path: NOTES, headers: { Authorization: 'Bearer spark-vow-token', ...accept } },
    response: { status: 200, headers: jsonType, body: { D: { Success: true, Results: M.eachLike({ Note: M.string('Great home') }) } } },
    static: /header parameter X-SparkApi-User-Agent is required/, dynamic: /expected 200 but was 400.*1016/,
  },
  {
    id: 'wrong-type', what: 'a field of the wrong type (contact_id as a string)',
    ...OTC, state: 'default', description: 'a link is read with its contact id as text',
    request: { method: 'GET', path: '/v1/properties/123/contacts/456', query: OTC_TOKEN, headers: accept },
    response: { status: 200, headers: jsonType, body: { id: M.integer(7484664), contact_id: '456' } },
    static: /must be an integer at \/contact_id/, dynamic: /expected "456" \(string\) but was 456 \(number\) at \/contact_id/,
  },
  {
    id: 'unknown-path', what: 'an unknown path',
    ...SPARK, state: 'default', description: 'the archived notes are read',
    request: { method: 'GET', path: `${NOTES}/archive`, headers: spark('spark-vow-token') },
    response: { status: 200, headers: jsonType, body: { D: { Success: true, Results: [] } } },
    static: /no such operation/, dynamic: /expected 200 but was 404/,
  },
  {
    id: 'wrong-method', what: 'a wrong method (PATCH a link)',
    ...OTC, state: 'default', description: 'a link is patched',
    request: { method: 'PATCH', path: '/v1/properties/123/contacts/456', query: OTC_TOKEN, headers: { ...accept, ...json }, body: { role: 'Seller' } },
    response: { status: 200, headers: jsonType, body: { id: M.integer(7484664), role: 'Seller' } },
    static: /method not allowed: .*Allow GET, PUT, DELETE/, dynamic: /expected 200 but was 405/,
  },
  {
    id: 'undocumented-status', what: 'an undocumented status (204 from a Spark DELETE; real: 200 with a body)',
    ...SPARK, state: 'default', description: 'the VOW contact deletes its note (204)',
    request: { method: 'DELETE', path: NOTES, headers: spark('spark-vow-token') },
    response: { status: 204 },
    static: /status 204 is not documented for deleteSharedNote/, dynamic: /expected 204 but was 200/,
  },
  {
    id: 'missing-field', what: 'a request body missing a required field (contact_id)',
    ...OTC, state: 'default', description: 'a link is created without its contact',
    request: { method: 'POST', path: '/v1/properties/124/contacts', query: OTC_TOKEN, headers: { ...accept, ...json }, body: { role: 'Buyer' } },
    response: { status: 201, headers: jsonType, body: { id: M.integer(7484665), role: 'Buyer' } },
    static: /required field is missing: contact_id/, dynamic: /expected 201 but was 400/,
  },
  {
    id: 'vow-private-path', what: "a VOW session writing another contact's note (real: 403, code 1500)",
    ...SPARK, state: 'default', description: "the VOW contact saves another contact's note",
    request: { method: 'PUT', path: `${NOTES}/contacts/${UNNOTED}`, headers: spark('spark-vow-token', json), body: { D: { Note: 'Mine now.' } } },
    response: { status: 200, headers: jsonType, body: { D: { Success: true, Results: M.eachLike({ ResourceUri: resourceUri(UNNOTED), Note: 'Mine now.' }) } } },
    static: null, dynamic: /expected 200 but was 403.*1500/,
  },
  {
    id: 'expired-token', what: 'an expired session expecting 200 (real: 401, code 1020)',
    ...SPARK, state: 'default', description: 'a contact reads its note with an expired session',
    request: { method: 'GET', path: NOTES, headers: spark('spark-expired-token') },
    response: { status: 200, headers: jsonType, body: { D: { Success: true, Results: M.eachLike({ Note: M.string('Great home') }) } } },
    static: null, dynamic: /expected 200 but was 401.*1020/,
  },
  {
    id: 'state-empty', what: 'a link read in a state that has none (scenario empty; real: 404)',
    ...OTC, state: 'empty', description: 'a link of a deal with no contacts is read',
    request: { method: 'GET', path: '/v1/properties/123/contacts/456', query: OTC_TOKEN, headers: accept },
    response: { status: 200, headers: jsonType, body: link(123, 456) },
    static: null, dynamic: /expected 200 but was 404/,
  },
];

module.exports = { faithful, wrong, LISTING, NOTED, UNNOTED };
