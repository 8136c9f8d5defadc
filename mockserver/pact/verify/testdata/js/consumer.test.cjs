'use strict';
// The consumers' side, as a team using pact-js writes it: each interaction
// is exercised against pact-js's own mock server, which writes the pact
// files into $PACT_OUT: faithful/ for the two apps' real expectations,
// wrong/<id>/ for each deliberate mistake (one pact file each, so every
// tool's verdict on it can be read apart).
const { test } = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { PactV4, MatchersV3 } = require('@pact-foundation/pact');
const { faithful, wrong } = require('./cases.cjs');

const out = process.env.PACT_OUT;
if (!out) throw new Error('PACT_OUT is not set: run through make test-pact');

// call sends the request the interaction describes, the way the app would,
// and returns the status pact-js's mock answered.
async function call(base, req) {
  const url = new URL(base + req.path);
  for (const [k, v] of Object.entries(req.query || {})) url.searchParams.set(k, MatchersV3.reify(v));
  const headers = Object.fromEntries(Object.entries(req.headers || {}).map(([k, v]) => [k, MatchersV3.reify(v)]));
  const body = req.body === undefined ? undefined : JSON.stringify(MatchersV3.reify(req.body));
  const res = await fetch(url, { method: req.method, headers, body });
  await res.arrayBuffer();
  return res.status;
}

async function record(dir, c) {
  const pact = new PactV4({ consumer: c.consumer, provider: c.provider, dir, logLevel: 'error' });
  await pact
    .addInteraction()
    .given(c.state)
    .uponReceiving(c.description)
    .withRequest(c.request.method, c.request.path, (b) => {
      if (c.request.query) b.query(c.request.query);
      if (c.request.headers) b.headers(c.request.headers);
      if (c.request.body !== undefined) b.jsonBody(c.request.body);
    })
    .willRespondWith(c.response.status, (b) => {
      if (c.response.headers) b.headers(c.response.headers);
      if (c.response.body !== undefined) b.jsonBody(c.response.body);
    })
    .executeTest(async (mock) => {
      assert.strictEqual(await call(mock.url, c.request), c.response.status);
    });
}

test('faithful interactions', async (t) => {
  for (const c of faithful) {
    await t.test(`${c.consumer}: ${c.description}`, () => record(path.join(out, 'faithful'), c));
  }
});

test('wrong interactions', async (t) => {
  for (const c of wrong) {
    await t.test(`${c.id}: ${c.what}`, () => record(path.join(out, 'wrong', c.id), c));
  }
});
