/**
 * 3. Token cache hit cost: `getToken` on a warm cache, calls/s (one caller awaiting each call), vs the
 * official SDK's `TokenProvider.getAccessToken()` (auth0/management) on a warm cache. Scopebound is measured
 * with a plain scope list, with arrays + anyOf, and with the ScopeNeed the management client passes for `users.get`.
 */
import { createManagementClient } from '@scopebound/management';
import { clientSecret, createTokenProvider, scopeNeed } from '@scopebound/token';
import { TokenProvider } from 'auth0/management';
import { BENCH_DOMAIN, loopbackFetch } from './lib/auth0';
import { startChild } from './lib/child';
import { captureEnv, finishEnv } from './lib/env';
import { closedLoop, settle, type LoadResult } from './lib/load';
import { envInt, saveResult } from './lib/results';
import { rotate, summarize } from './lib/stats';
import { writeReport } from './report';
import type { TokenCacheData } from './lib/bench-data';

async function main() {
  const rounds = envInt('BENCH_ROUNDS', 7);
  const measureMs = envInt('BENCH_MEASURE_MS', 1500);
  const env = captureEnv();
  const server = await startChild('servers/fixed-server.ts', [JSON.stringify({ grant: 'all', allScopes: ['read:users', 'update:users'] })]);
  const origin = server.ready.origin as string;

  const tokens = createTokenProvider({ domain: BENCH_DOMAIN, baseUrl: origin, credentials: clientSecret({ clientId: 'scopebound', clientSecret: 'scopebound-secret' }) });
  const decision = createManagementClient({ baseUrl: origin, tokens }).scopesFor('users.get', { params: { id: 'auth0|1' } });
  const a0 = new TokenProvider({
    domain: BENCH_DOMAIN,
    clientId: 'auth0',
    clientSecret: 'auth0-secret',
    audience: `https://${BENCH_DOMAIN}/api/v2/`,
    fetch: loopbackFetch(origin),
  } as unknown as ConstructorParameters<typeof TokenProvider>[0]);

  if (!decision.request) throw new Error('users.get: no scope set allowed');
  const request = decision.request;
  const anyOf = { anyOf: decision.eligible };
  // The management client compiles one ScopeNeed per scope decision and passes it on every call.
  const need = scopeNeed(decision.eligible);
  const contenders: { id: string; label: string; call: () => Promise<unknown> }[] = [
    { id: 'scopebound', label: "Scopebound `getToken(['read:users'])` (a fresh array each call)", call: () => tokens.getToken(['read:users']) },
    { id: 'scopebound-anyof', label: 'Scopebound `getToken(request, { anyOf })` (arrays)', call: () => tokens.getToken(request, anyOf) },
    { id: 'scopebound-need', label: 'Scopebound `getToken(need)` as `users.get` calls it (one ScopeNeed per decision)', call: () => tokens.getToken(need) },
    { id: 'auth0', label: 'auth0 `TokenProvider.getAccessToken()`', call: () => a0.getAccessToken() },
  ];
  for (const c of contenders) await c.call();
  const samples = new Map<string, LoadResult[]>(contenders.map((c) => [c.id, []]));
  for (const c of contenders) await closedLoop(c.call, 1, 500); // JIT warm-up
  for (let r = 0; r < rounds; r++) {
    for (const c of rotate(contenders, r)) {
      await settle();
      samples.get(c.id)!.push(await closedLoop(c.call, 1, measureMs));
    }
    process.stdout.write(`token cache: round ${r + 1}/${rounds}\r`);
  }
  process.stdout.write('\n');
  const stats = (await server.request('stats')) as { mints: number };
  await tokens.settle();
  await server.stop();
  const sb = samples.get('scopebound')!;
  const au = samples.get('auth0')!;
  const data: TokenCacheData = {
    rounds,
    measureMs,
    contenders: contenders.map((c) => {
      const s = samples.get(c.id)!;
      const cps = summarize(s.map((x) => x.opsPerSec));
      return { id: c.id, label: c.label, callsPerSec: cps, nsPerCall: 1e9 / cps.median, errors: s.reduce((n, x) => n + x.errors, 0) };
    }),
    ratioVsAuth0: summarize(sb.map((x, i) => x.opsPerSec / au[i]!.opsPerSec)),
    mints: stats.mints,
  };
  saveResult({ name: 'token-cache', env: finishEnv(env), config: { rounds, measureMs, concurrency: 1 }, data });
  for (const c of data.contenders) console.log(`${c.id.padEnd(17)} ${(c.callsPerSec.median / 1e6).toFixed(2)} M calls/s (${c.nsPerCall.toFixed(0)} ns/call)`);
  writeReport();
}

await main();
