'use strict';
// `mockserver pact verify` on the pacts pact-js wrote (consumer.test.cjs):
// the faithful ones pass, each wrong one fails with the check and message
// its case names. The --json reports stay in $PACT_OUT/verify/ for the
// comparison table (table.cjs).
const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { OUT, pactVerify, serve } = require('./harness.cjs');
const { faithful, wrong } = require('./cases.cjs');

const reports = () => {
  const dir = path.join(OUT(), 'verify');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
};

test('the faithful pacts pass', () => {
  const r = pactVerify([path.join(OUT(), 'faithful')], path.join(reports(), 'faithful.json'));
  const failed = (r.report?.interactions || []).filter((i) => !i.ok);
  assert.deepStrictEqual(failed, [], r.stdout + r.stderr);
  assert.strictEqual(r.code, 0, r.stdout + r.stderr);
  assert.strictEqual(r.report.ok, true);
  assert.strictEqual(r.report.interactions.length, faithful.length);
});

// A problem in words: its check, what differs and where.
const said = (p) => `${p.check}: ${p.where ? `${p.where}: ` : ''}${p.message}${p.pointer ? ` at ${p.pointer}` : ''}`;
test('the faithful pacts pass against a running serve (--target, states through POST /__mock/pact/state)', async () => {
  for (const api of ['spark', 'opentoclose']) {
    const mock = await serve(api);
    try {
      const file = path.join(OUT(), 'faithful', fs.readdirSync(path.join(OUT(), 'faithful')).find((f) => f.endsWith(`-${api}.json`)));
      const r = pactVerify([file], path.join(reports(), `faithful-target-${api}.json`), ['--target', mock.url]);
      assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    } finally {
      await mock.stop();
    }
  }
});

const describe = (problems) => problems.map(said).join('\n');

for (const c of wrong) {
  test(`${c.id} fails: ${c.what}`, () => {
    const r = pactVerify([path.join(OUT(), 'wrong', c.id)], path.join(reports(), `${c.id}.json`));
    assert.strictEqual(r.code, 1, `exit code\n${r.stdout}${r.stderr}`);
    assert.strictEqual(r.report.ok, false);
    assert.strictEqual(r.report.interactions.length, 1);
    const [i] = r.report.interactions;
    assert.strictEqual(i.ok, false);
    assert.strictEqual(i.description, c.description);
    const of = (check) => i.problems.filter((p) => p.check === check);
    const all = describe(i.problems);
    if (c.static) {
      assert.ok(of('static').some((p) => c.static.test(said(p))), `no static problem matches ${c.static}:\n${all}`);
    } else {
      assert.deepStrictEqual(of('static'), [], `a schema cannot see this one, yet:\n${all}`);
    }
    assert.ok(describe(of('dynamic')).match(c.dynamic), `the dynamic problems do not match ${c.dynamic}:\n${all}`);
  });
}
