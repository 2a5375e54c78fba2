/**
 * 6a. Emulator throughput: token-verified `GET /api/v2/users/{id}` over HTTP (the emulator in its own process,
 * rate limits off) in requests/s at concurrency 1 and 64, with raw undici as the load generator; the peer is
 * a bare node:http server (the minimal server, its own process) answering the same user JSON without any
 * verification. Both servers are fed the same requests; rounds alternate.
 */
import { Agent } from 'undici';
import { BENCH_DOMAIN } from './lib/auth0';
import { startChild } from './lib/child';
import { captureEnv, finishEnv } from './lib/env';
import { closedLoop, settle, type LoadResult } from './lib/load';
import { envInt, saveResult } from './lib/results';
import { rotate, summarize } from './lib/stats';
import { writeReport } from './report';
import type { EmulatorData } from './lib/bench-data';

const CLIENT = { clientId: 'throughput-app', clientSecret: 'throughput-app-secret' };
const USER_ID = 'auth0|000000000000000000000001';

async function main() {
  const rounds = envInt('BENCH_ROUNDS', 7);
  const measureMs = envInt('BENCH_MEASURE_MS', 1500);
  const env = captureEnv();
  const emulator = await startChild('servers/emulator-host.ts', [
    JSON.stringify({ domain: BENCH_DOMAIN, seed: 'demo', rateLimit: false, journalLimit: 1000, clients: [{ ...CLIENT, grants: ['read:users'] }] }),
  ]);
  const emuOrigin = emulator.ready.origin as string;
  const tokenRes = await fetch(`${emuOrigin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, audience: `https://${BENCH_DOMAIN}/api/v2/` }),
  });
  if (!tokenRes.ok) throw new Error(`emulator token request failed: ${tokenRes.status} ${await tokenRes.text()}`);
  const token = ((await tokenRes.json()) as { access_token: string }).access_token;
  const path = `/api/v2/users/${encodeURIComponent(USER_ID)}`;
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const userRes = await fetch(emuOrigin + path, { headers });
  if (!userRes.ok) throw new Error(`emulator users.get failed: ${userRes.status}`);
  const userJson = await userRes.text();
  const bare = await startChild('servers/fixed-server.ts', [JSON.stringify({ userJson })]);
  const bareOrigin = bare.ready.origin as string;

  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const get = (origin: string) => async () => {
    const res = await agent.request({ origin, path, method: 'GET', headers });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`status ${res.statusCode}`);
    }
    return res.body.text();
  };
  const servers = [
    { id: 'emulator', label: '@scopebound/emulator (JWT verified, scope checked, stateful lookup, journal)', call: get(emuOrigin) },
    { id: 'bare', label: 'bare node:http server, same JSON, no verification', call: get(bareOrigin) },
  ];
  const data: EmulatorData = { rounds, measureMs, bodyBytes: Buffer.byteLength(userJson), levels: [] };
  try {
    for (const concurrency of [1, 64]) {
      const samples = new Map<string, LoadResult[]>(servers.map((s) => [s.id, []]));
      for (const s of servers) await closedLoop(s.call, concurrency, 1000); // warm-up (both servers JIT)
      for (let r = 0; r < rounds; r++) {
        for (const s of rotate(servers, r)) {
          await settle();
          samples.get(s.id)!.push(await closedLoop(s.call, concurrency, measureMs));
        }
        process.stdout.write(`emulator c=${concurrency}: round ${r + 1}/${rounds}\r`);
      }
      process.stdout.write('\n');
      const emu = samples.get('emulator')!;
      const peer = samples.get('bare')!;
      data.levels.push({
        concurrency,
        servers: servers.map((s) => {
          const list = samples.get(s.id)!;
          const firstError = list.find((x) => x.firstError)?.firstError;
          return { id: s.id, label: s.label, rps: summarize(list.map((x) => x.opsPerSec)), errors: list.reduce((n, x) => n + x.errors, 0), ...(firstError ? { firstError } : {}) };
        }),
        ratio: summarize(emu.map((x, i) => x.opsPerSec / peer[i]!.opsPerSec)),
      });
      const l = data.levels.at(-1)!;
      console.log(`c=${concurrency} emulator ${l.servers[0]!.rps.median.toFixed(0)} req/s, bare ${l.servers[1]!.rps.median.toFixed(0)} req/s, ratio ${(l.ratio.median * 100).toFixed(1)} %`);
    }
  } finally {
    await agent.close();
    await Promise.all([emulator.stop(), bare.stop()]);
  }
  saveResult({ name: 'emulator', env: finishEnv(env), config: { rounds, measureMs, userId: USER_ID }, data });
  writeReport();
}

await main();
