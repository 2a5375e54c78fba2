/**
 * Measures (run with `pnpm --filter @scopebound/management bench`, after `build`):
 *  - import time of the built package, construction time of a client;
 *  - per-call overhead of `mgmt.users.get` over a raw undici request + JSON.parse to the same local server,
 *    at concurrency 1 and 64 (token source is a constant, so this is the client's own cost).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { Agent } from 'undici';

const body = JSON.stringify({ user_id: 'auth0|1', email: 'jane@example.com', app_metadata: { plan: 'pro' }, identities: [{ provider: 'auth0' }] });

async function main() {
  const importMs = [] as number[];
  for (let i = 0; i < 5; i++) {
    const out = execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      "const t=performance.now(); await import('@scopebound/management'); console.log(performance.now()-t)",
    ], { cwd: new URL('..', import.meta.url) });
    importMs.push(Number(String(out).trim()));
  }
  importMs.sort((a, b) => a - b);
  console.log(`import @scopebound/management (dist, ESM): median ${importMs[2]!.toFixed(1)} ms`);

  const { createManagementClient } = await import('@scopebound/management');
  const tokens = {
    getToken: async () => ({ value: 'tok', scopes: ['read:users'], expiresAt: Date.now() + 3_600_000, clientId: 'c' }),
    invalidate: async () => undefined,
  };
  const N = 2000;
  let t = performance.now();
  const clients = [];
  for (let i = 0; i < N; i++) clients.push(createManagementClient({ domain: 'a.example.com', tokens }));
  const construct = (performance.now() - t) / N;
  console.log(`createManagementClient: ${(construct * 1000).toFixed(1)} µs per client (mean of ${N})`);
  await Promise.all(clients.map((c) => c.close()));

  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const raw = async () => {
    const res = await agent.request({ origin, path: '/api/v2/users/auth0%7C1', method: 'GET', headers: { authorization: 'Bearer tok', accept: 'application/json' } });
    return JSON.parse(await res.body.text());
  };
  const mgmt = createManagementClient({ baseUrl: origin, tokens, retry: false });
  const client = () => mgmt.users.get({ id: 'auth0|1' });

  async function run(fn: () => Promise<unknown>, concurrency: number, total: number) {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        await fn();
      }
    }));
    return (performance.now() - t0) / total;
  }

  for (const c of [1, 64]) {
    const total = c === 1 ? 5000 : 40000;
    await run(raw, c, total / 4);
    await run(client, c, total / 4);
    // Interleaved rounds, best of each: the machine is shared, so the minimum is the least noisy estimate.
    const r: number[] = [];
    const m: number[] = [];
    for (let round = 0; round < 8; round++) {
      r.push(await run(raw, c, total / 4));
      m.push(await run(client, c, total / 4));
    }
    const rb = Math.min(...r);
    const mb = Math.min(...m);
    console.log(`concurrency ${c}: raw undici ${(rb * 1000).toFixed(1)} µs/req, client ${(mb * 1000).toFixed(1)} µs/req, overhead ${(((mb - rb) / rb) * 100).toFixed(1)}%`);
  }
  await mgmt.close();
  await agent.close();
  server.close();
}

await main();
