'use strict';
// Pacts the mock writes (GET /__mock/pact after an app's calls), verified
// by pact-js's official Verifier against `mockserver serve` with its
// provider states set up through POST /__mock/pact/state: they pass, and
// they fail once a proxy drops a required field from the answers. The
// faithful pacts pact-js wrote pass the official Verifier against the mock
// too.
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { OUT, serve, spoilingProxy, officialVerify } = require('./harness.cjs');
const { LISTING, NOTED, UNNOTED } = require('./cases.cjs');

const NOTES = `/v1/listings/${LISTING}/shared/notes`;
const sparkAs = (token) => ({ Authorization: `Bearer ${token}`, 'X-SparkApi-User-Agent': 'notes-app/1.0', Accept: 'application/json', 'Content-Type': 'application/json' });
const otc = (p) => `${p}?api_token=otc-demo-token`;

// What each app does in its own test run against the mock, in order:
// the calls, with the status each must get. The deals app reads and
// deletes the link it has just made: the Verifier replays every
// interaction from the scenario's reset state, so those two pass only
// because the pact carries the records they met (the mockserver.records
// param), which the Verifier posts to the state setup URL.
const journeys = {
  spark: { consumer: 'notes-app', required: ['Success'], calls: [
    ['GET', NOTES, sparkAs('spark-vow-token'), undefined, 200],
    ['PUT', `${NOTES}/contacts/${UNNOTED}`, sparkAs('spark-private-token'), { D: { Note: 'Loved the garden.' } }, 200],
    ['GET', `${NOTES}/contacts/${NOTED}`, sparkAs('spark-private-token'), undefined, 200],
    ['PUT', NOTES, sparkAs('spark-idx-token'), { D: { Note: 'Nice.' } }, 405],
    ['DELETE', NOTES, sparkAs('spark-vow-token'), undefined, 200],
  ] },
  opentoclose: { consumer: 'deals-app', required: ['contact_id'], calls: [
    ['GET', otc('/v1/properties/123/contacts'), { Accept: 'application/json' }, undefined, 200],
    ['POST', otc('/v1/properties/124/contacts'), { 'Content-Type': 'application/json' }, { contact_id: 789 }, 201],
    ['GET', otc('/v1/properties/124/contacts/789'), { Accept: 'application/json' }, undefined, 200],
    ['DELETE', otc('/v1/properties/124/contacts/789'), { Accept: 'application/json' }, undefined, 204],
  ] },
};

const mocks = {};
before(async () => {
  for (const api of Object.keys(journeys)) mocks[api] = await serve(api);
});
after(async () => {
  for (const m of Object.values(mocks)) await m.stop();
});

async function writePact(api, j) {
  const mock = mocks[api];
  for (const [method, p, headers, body, status] of j.calls) {
    const res = await fetch(mock.url + p, { method, headers, body: body && JSON.stringify(body) });
    await res.arrayBuffer();
    assert.strictEqual(res.status, status, `${method} ${p}`);
  }
  const res = await fetch(`${mock.url}/__mock/pact?api=${api}&consumer=${j.consumer}`);
  const text = await res.text();
  assert.strictEqual(res.status, 200, text);
  const pact = JSON.parse(text);
  assert.strictEqual(pact.consumer.name, j.consumer);
  assert.strictEqual(pact.interactions.length, j.calls.length, text);
  const dir = path.join(OUT(), 'written');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${j.consumer}-${api}.json`);
  fs.writeFileSync(file, text);
  return file;
}

for (const [api, j] of Object.entries(journeys)) {
  test(`${api}: the pact the mock wrote passes the official Verifier, and fails once ${j.required} is dropped`, async () => {
    const mock = mocks[api];
    const file = await writePact(api, j);
    const err = await officialVerify([file], mock.url, mock.url);
    assert.strictEqual(err, null, `official Verifier against the mock: ${err}`);
    const proxy = await spoilingProxy(mock.url, j.required);
    try {
      const spoilt = await officialVerify([file], proxy.url, mock.url);
      assert.ok(spoilt, 'the Verifier passed answers without a required field');
    } finally {
      await proxy.stop();
    }
  });
}

test("the consumers' faithful pacts pass the official Verifier against the mock", async () => {
  const dir = path.join(OUT(), 'faithful');
  const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
  assert.strictEqual(files.length, 2);
  for (const f of files) {
    const { url } = mocks[JSON.parse(fs.readFileSync(f, 'utf8')).provider.name];
    const err = await officialVerify([f], url, url);
    assert.strictEqual(err, null, `${path.basename(f)}: ${err}`);
  }
});
