/* global performance, process, require */
/* eslint-disable @typescript-eslint/no-require-imports -- this probe measures CommonJS require() */
// CommonJS: require('auth0') and construct its ManagementClient.
const t0 = performance.now();
const { ManagementClient } = require('auth0');
const t1 = performance.now();
const client = new ManagementClient({ domain: 'bench.example.com', clientId: 'bench-client', clientSecret: 'bench-client-secret' });
const t2 = performance.now();
if (typeof client.users.get !== 'function') throw new Error('no users.get');
process.stdout.write(JSON.stringify({ bootMs: t0, importMs: t1 - t0, constructMs: t2 - t1, rssMiB: process.memoryUsage().rss / 2 ** 20 }));
