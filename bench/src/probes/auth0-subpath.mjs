/* global performance, process */
// The official SDK's documented "small" path: auth0/management auth + the auth0/users sub-client only.
const t0 = performance.now();
const { createManagementAuth } = await import('auth0/management');
const { UsersClient } = await import('auth0/users');
const t1 = performance.now();
const auth = createManagementAuth({ domain: 'bench.example.com', clientId: 'bench-client', clientSecret: 'bench-client-secret' });
const users = new UsersClient(auth.clientOptions);
const t2 = performance.now();
if (typeof users.get !== 'function') throw new Error('no users.get');
process.stdout.write(JSON.stringify({ bootMs: t0, importMs: t1 - t0, constructMs: t2 - t1, rssMiB: process.memoryUsage().rss / 2 ** 20 }));
