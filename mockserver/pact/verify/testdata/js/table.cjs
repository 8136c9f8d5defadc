'use strict';
// The comparison table of make test-pact: for each wrong interaction,
// whether `mockserver pact verify` flags it statically and dynamically
// (its --json reports from verify.test.cjs), whether pact-js's official
// Verifier flags it against the mock, and whether
// @pactflow/openapi-pact-comparator flags it from the spec alone. Prints
// the table as markdown; exits 1 when another tool flags an interaction
// pact verify passes, or when the comparator flags a faithful pact.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { OUT, ROOT, serve, officialVerify } = require('./harness.cjs');
const { wrong } = require('./cases.cjs');

const pactFile = (dir) => path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.json')));

// The comparator ignores OpenAPI 3 `servers`; its documented setting for a
// base path is info.x-opc-config-base-path, set here from the spec's first
// server URL so the pacts' /v1/... paths meet the operations.
function comparatorSpec(api) {
  const src = fs.readFileSync(path.join(ROOT, 'spec', `${api}.yaml`), 'utf8');
  const base = new URL(src.match(/^servers:\n\s+- url: (\S+)/m)[1]).pathname.replace(/\/$/, '');
  const file = path.join(os.tmpdir(), `opc-${process.pid}-${api}.yaml`);
  fs.writeFileSync(file, src.replace(/^info:\n/m, `info:\n  x-opc-config-base-path: ${base}\n`));
  return file;
}

function comparator(spec, file) {
  // The package exports no CLI path: its opc binary sits beside its main file.
  const cli = path.join(path.dirname(require.resolve('@pactflow/openapi-pact-comparator')), 'cli.cjs');
  const r = spawnSync(process.execPath, [cli, '--oas', spec, file], { encoding: 'utf8' });
  if (r.error || !r.stdout.trim()) throw new Error(`openapi-pact-comparator on ${file}: ${r.error || r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n')[0]).filter((x) => x.type === 'error');
}

const mark = (flagged, note) => (flagged ? `yes${note ? ` (${note})` : ''}` : 'no');
// cell is a problem in a few words: what differs and where, not the
// provider's whole answer.
const cell = (p) => {
  const text = p.message.split('; the provider answered')[0].split(' (documented:')[0] + (p.pointer ? ` at ${p.pointer}` : '');
  return (text.length > 80 ? `${text.slice(0, 79)}…` : text).replace(/\|/g, '\\|').replace(/\s+/g, ' ');
};

// row is one wrong case's line of the table; gap when another tool flags
// it and pact verify does not.
async function row(c, url, spec) {
  const file = pactFile(path.join(OUT(), 'wrong', c.id));
  const report = JSON.parse(fs.readFileSync(path.join(OUT(), 'verify', `${c.id}.json`), 'utf8'));
  const problems = report.interactions.flatMap((i) => i.problems);
  // The problem the case expects, else the check's first one.
  const pick = (check) => {
    const of = problems.filter((p) => p.check === check);
    return of.find((p) => c[check] && c[check].test(p.message)) || of[0];
  };
  const [stat, dyn] = [pick('static'), pick('dynamic')];
  const official = await officialVerify([file], url, url);
  const opc = comparator(spec, file);
  return {
    gap: !stat && !dyn && Boolean(official || opc.length),
    cells: [c.what, mark(stat, stat && cell(stat)), mark(dyn, dyn && cell(dyn)), mark(official), mark(opc.length, opc[0] && opc[0].code)],
  };
}

async function main() {
  const specs = { spark: comparatorSpec('spark'), opentoclose: comparatorSpec('opentoclose') };
  let gaps = 0;
  for (const f of fs.readdirSync(path.join(OUT(), 'faithful'))) {
    const api = JSON.parse(fs.readFileSync(path.join(OUT(), 'faithful', f))).provider.name;
    const errs = comparator(specs[api], path.join(OUT(), 'faithful', f));
    if (errs.length) { gaps++; console.error(`comparator flags the faithful ${f}: ${errs.map((e) => e.message).join('; ')}`); }
  }
  const mocks = { spark: await serve('spark'), opentoclose: await serve('opentoclose') };
  // The official Verifier sets each mock's state: one case at a time per
  // mock, the two mocks side by side.
  const rows = new Map();
  const byApi = (api) => wrong.filter((c) => c.provider === api);
  try {
    await Promise.all(Object.keys(mocks).map(async (api) => {
      for (const c of byApi(api)) rows.set(c.id, await row(c, mocks[api].url, specs[api]));
    }));
  } finally {
    for (const m of Object.values(mocks)) await m.stop();
  }
  const table = wrong.map((c) => rows.get(c.id));
  gaps += table.filter((r) => r.gap).length;
  console.log('| wrong interaction | pact verify: static | pact verify: dynamic | official Verifier vs mock | openapi-pact-comparator |');
  console.log('|---|---|---|---|---|');
  for (const r of table) console.log(`| ${r.cells.join(' | ')} |`);
  const count = (i) => table.filter((r) => r.cells[i] !== 'no').length;
  console.log(`| **flagged (of ${table.length})** | ${count(1)} | ${count(2)} | ${count(3)} | ${count(4)} |`);
  Object.values(specs).forEach((f) => fs.rmSync(f, { force: true }));
  if (gaps) {
    console.error(`${gaps} interaction(s) another tool flags and pact verify does not, or comparator false positives`);
    process.exit(1);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
