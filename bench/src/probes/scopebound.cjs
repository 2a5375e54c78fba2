/* global performance, process, require */
/* eslint-disable @typescript-eslint/no-require-imports -- this probe measures CommonJS require() */
// CommonJS: require @scopebound/management + @scopebound/token (dist/index.cjs) and construct a client.
const t0 = performance.now();
const { createManagementClient } = require('@scopebound/management');
const { clientSecret } = require('@scopebound/token');
const t1 = performance.now();
const client = createManagementClient({
  domain: 'bench.example.com',
  credentials: clientSecret({ clientId: 'bench-client', clientSecret: 'bench-client-secret' }),
});
const t2 = performance.now();
if (typeof client.users.get !== 'function') throw new Error('no users.get');
process.stdout.write(JSON.stringify({ bootMs: t0, importMs: t1 - t0, constructMs: t2 - t1, rssMiB: process.memoryUsage().rss / 2 ** 20 }));
