'use strict';
// What the steps of make test-pact share: where things are, the mock
// binary as a child process, and a proxy that spoils its answers.
const { spawn, spawnSync } = require('node:child_process');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through make test-pact`);
  return v;
}

const BIN = () => env('MOCKSERVER_BIN');
const OUT = () => env('PACT_OUT');
const ROOT = path.resolve(__dirname, '../../../../..');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// serve starts `mockserver serve` with the API at the root, so its pacts'
// paths (the real service's, /v1/...) reach it unchanged (the other API
// keeps its own prefix: both cannot own /v1/), and resolves once its admin
// API answers. The caller stops it with stop().
async function serve(api, args = []) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(BIN(), ['serve', '--addr', `127.0.0.1:${port}`, '--mount', `${api}=/`, '--log-level', 'warn', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`mockserver serve exited ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/__mock/health`)).ok) {
        return { url, stop: async () => { child.kill('SIGTERM'); await exited; }, stderr: () => stderr };
      }
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`mockserver serve did not answer on ${url}: ${stderr}`);
}

// pactVerify runs `mockserver pact verify` on the pact files or folders,
// with its --json report; it returns the exit code, the output and the
// parsed report (null when none was written).
function pactVerify(targets, jsonFile, extra = []) {
  const r = spawnSync(BIN(), ['pact', 'verify', '--json', jsonFile, ...extra, ...targets], { encoding: 'utf8' });
  let report = null;
  try { report = JSON.parse(require('node:fs').readFileSync(jsonFile, 'utf8')); } catch { /* none */ }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, report };
}

// spoilingProxy forwards everything to target, and deletes the named keys
// wherever they occur in a JSON answer: a provider that dropped a
// required field.
function spoilingProxy(target, keys) {
  const drop = (v) => {
    if (Array.isArray(v)) v.forEach(drop);
    else if (v && typeof v === 'object') {
      for (const k of keys) delete v[k];
      Object.values(v).forEach(drop);
    }
    return v;
  };
  const server = http.createServer((req, res) => {
    const up = http.request(new URL(req.url, target), { method: req.method, headers: req.headers }, (ur) => {
      const chunks = [];
      ur.on('data', (c) => chunks.push(c));
      ur.on('end', () => {
        let body = Buffer.concat(chunks);
        const headers = { ...ur.headers };
        if (/json/.test(headers['content-type'] || '') && body.length > 0) {
          body = Buffer.from(JSON.stringify(drop(JSON.parse(body))));
          headers['content-length'] = String(body.length);
        }
        res.writeHead(ur.statusCode, headers);
        res.end(body);
      });
    });
    up.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
    req.pipe(up);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) });
  }));
}

// officialVerify runs pact-js's official Verifier (verifier.cjs) on the
// pact files against baseUrl, with states set up through the mock's POST
// /__mock/pact/state at stateUrl; it resolves to null when verification
// passed, else to the Verifier's output.
async function officialVerify(pactUrls, baseUrl, stateUrl) {
  const r = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'verifier.cjs'), baseUrl, stateUrl, ...pactUrls], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('exit', (code) => resolve({ code, output }));
  });
  return r.code === 0 ? null : r.output || `the Verifier exited ${r.code}`;
}

module.exports = { BIN, OUT, ROOT, serve, pactVerify, spoilingProxy, officialVerify };
