/**
 * Profiling helper (not part of `bench`): runs one contender of the per-call benchmark in a loop so it can be
 * profiled, e.g. `node --cpu-prof --cpu-prof-dir=.tmp/prof --import tsx src/profile.ts scopebound 64 5000`.
 * Contenders: scopebound | undici | auth0 | getToken.
 */
import { createManagementClient } from '@scopebound/management';
import { clientSecret, createTokenProvider } from '@scopebound/token';
import { Agent } from 'undici';
import { auth0Client, BENCH_DOMAIN } from './lib/auth0';
import { startChild } from './lib/child';
import { closedLoop } from './lib/load';

const [which = 'scopebound', conc = '64', ms = '5000'] = process.argv.slice(2);
const server = await startChild('servers/fixed-server.ts', [JSON.stringify({ grant: 'all', allScopes: ['read:users'] })]);
const origin = server.ready.origin as string;
const USER_ID = 'auth0|000000000000000000000001';
let call: () => Promise<unknown>;
let close = async () => {};
if (which === 'scopebound') {
  const mgmt = createManagementClient({ baseUrl: origin, credentials: clientSecret({ clientId: 'sb', clientSecret: 'sb-secret' }) });
  call = () => mgmt.users.get({ id: USER_ID });
  close = () => mgmt.close();
} else if (which === 'getToken') {
  const tokens = createTokenProvider({ domain: BENCH_DOMAIN, baseUrl: origin, credentials: clientSecret({ clientId: 'sb', clientSecret: 'sb-secret' }) });
  call = () => tokens.getToken(['read:users']);
} else if (which === 'auth0') {
  const a0 = auth0Client({ origin, clientId: 'a0', clientSecret: 'a0-secret' });
  call = () => a0.users.get(USER_ID);
} else {
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const headers = { authorization: 'Bearer x.y.z', accept: 'application/json' };
  const path = `/api/v2/users/${encodeURIComponent(USER_ID)}`;
  call = async () => (await agent.request({ origin, path, method: 'GET', headers })).body.json();
  close = () => agent.close();
}
await call();
const r = await closedLoop(call, Number(conc), Number(ms));
console.log(which, `c=${conc}`, Math.round(r.opsPerSec), 'ops/s', r.cpuUsPerOp.toFixed(1), 'µs CPU/op', r.errors, 'errors');
await close();
await server.stop();
