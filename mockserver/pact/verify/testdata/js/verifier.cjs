'use strict';
// node verifier.cjs BASE_URL STATE_URL PACT...: pact-js's official Verifier
// on the pacts against BASE_URL, provider states set up through
// STATE_URL/__mock/pact/state. A process of its own, so that the report
// libpact_ffi prints goes where the caller wants it; exit 0 when every
// interaction passed.
const { Verifier } = require('@pact-foundation/pact');

const [baseUrl, stateUrl, ...pactUrls] = process.argv.slice(2);
new Verifier({
  providerBaseUrl: baseUrl,
  pactUrls,
  providerStatesSetupUrl: `${stateUrl}/__mock/pact/state`,
  logLevel: process.env.PACT_LOG_LEVEL || 'error',
})
  .verifyProvider()
  .then(() => process.exit(0), (e) => { console.error(String(e)); process.exit(1); });
