/**
 * 2. Per-call overhead: `users.get` requests/s against the minimal local server (its own process), at
 * concurrency 1 and 64, for
 *   - raw undici (`Agent.request` + `body.json()` with a fixed bearer token): the floor;
 *   - raw global fetch (what `auth0` sends through): the floor of auth0's transport;
 *   - Scopebound `mgmt.users.get({ id })` (default undici transport, token from its cache);
 *   - auth0 `client.users.get(id)` (its own token provider and retries; global fetch).
 * Both SDKs mint once (the server answers client credentials) and then serve from their caches.
 * Rounds alternate the contenders (order rotating); each contender warms up before every measurement.
 */
import { createManagementClient } from '@scopebound/management';
import { clientSecret } from '@scopebound/token';
import { auth0Client } from './lib/auth0';
import { startPerCallBench, USER_ID } from './lib/raw-floor';
import { finishEnv } from './lib/env';
import { closedLoop, settle, type LoadResult } from './lib/load';
import { saveResult } from './lib/results';
import { rotate, summarize } from './lib/stats';
import { writeReport } from './report';
import type { OverheadData } from './lib/bench-data';

async function main() {
  const { config, env, server, origin, floor } = await startPerCallBench();
  const { rounds, measureMs, warmupMs } = config;
  const { headers, path, agent } = floor;

  const mgmt = createManagementClient({ baseUrl: origin, credentials: clientSecret({ clientId: 'scopebound', clientSecret: 'scopebound-secret' }) });
  const a0 = auth0Client({ origin, clientId: 'auth0', clientSecret: 'auth0-secret' });

  const contenders: { id: string; label: string; call: () => Promise<unknown> }[] = [
    {
      id: 'undici',
      label: 'raw undici (floor)',
      call: async () => {
        const res = await agent.request({ origin, path, method: 'GET', headers });
        return res.body.json();
      },
    },
    {
      id: 'fetch',
      label: 'raw global fetch',
      call: async () => {
        const res = await fetch(origin + path, { headers });
        return res.json();
      },
    },
    { id: 'scopebound', label: 'Scopebound `mgmt.users.get`', call: () => mgmt.users.get({ id: USER_ID }) },
    { id: 'auth0', label: 'auth0 `client.users.get`', call: () => a0.users.get(USER_ID) },
  ];
  for (const c of contenders) {
    const user = (await c.call()) as { user_id?: string };
    if (user.user_id !== USER_ID) throw new Error(`${c.id} returned an unexpected body`);
  }

  const data: OverheadData = { rounds, measureMs, warmupMs, levels: [], serverStats: undefined };
  for (const concurrency of [1, 64]) {
    const samples = new Map<string, LoadResult[]>(contenders.map((c) => [c.id, []]));
    for (const c of contenders) await closedLoop(c.call, concurrency, 1000); // JIT warm-up
    for (let r = 0; r < rounds; r++) {
      for (const c of rotate(contenders, r)) {
        await closedLoop(c.call, concurrency, warmupMs);
        await settle();
        samples.get(c.id)!.push(await closedLoop(c.call, concurrency, measureMs));
      }
      process.stdout.write(`overhead c=${concurrency}: round ${r + 1}/${rounds}\r`);
    }
    process.stdout.write('\n');
    const floor = samples.get('undici')!;
    data.levels.push({
      concurrency,
      contenders: contenders.map((c) => {
        const s = samples.get(c.id)!;
        const errors = s.reduce((n, x) => n + x.errors, 0);
        const firstError = s.find((x) => x.firstError)?.firstError;
        return { id: c.id, label: c.label, rps: summarize(s.map((x) => x.opsPerSec)), cpuUsPerCall: summarize(s.map((x) => x.cpuUsPerOp)), errors, ...(firstError ? { firstError } : {}) };
      }),
      overheadVsUndici: Object.fromEntries(
        contenders.filter((c) => c.id !== 'undici').map((c) => [c.id, summarize(samples.get(c.id)!.map((x, i) => floor[i]!.opsPerSec / x.opsPerSec - 1))]),
      ),
    });
  }
  data.serverStats = await server.request('stats');
  await mgmt.close();
  await agent.close();
  await server.stop();
  saveResult({ name: 'overhead', env: finishEnv(env), config, data });
  for (const level of data.levels) {
    for (const c of level.contenders) {
      const o = level.overheadVsUndici[c.id];
      console.log(`c=${level.concurrency} ${c.id.padEnd(11)} ${c.rps.median.toFixed(0).padStart(7)} req/s (${c.rps.min.toFixed(0)}–${c.rps.max.toFixed(0)}) ${c.cpuUsPerCall.median.toFixed(0)} µs CPU/call${o ? `  overhead ${(o.median * 100).toFixed(1)} %` : ''}${c.errors ? `  errors ${c.errors}` : ''}`);
    }
  }
  writeReport();
}

await main();
