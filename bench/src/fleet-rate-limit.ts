/**
 * 9. One rate limit for the whole fleet: 1, 4 and 8 processes calling `users.get` against the emulator (its own
 * process) with a tenant-wide bucket of burst 20 refilled at 50 requests/s — 600 calls for 1 process, 150 per
 * process for 4 and 8 — each process at concurrency 50. Contenders, side by side in one run (order rotating per round):
 *   - Scopebound with `redisRateLimiter` (one bucket in Redis at 127.0.0.1:6379, a unique prefix per run);
 *   - Scopebound with its default per-process pacer;
 *   - the official SDK (`auth0`, `maxRetries: 10` so that it completes).
 * Theoretical minimum: (calls − burst) ÷ 50/s (token requests draw on the Authentication API's bucket, as on
 * Auth0, not this one). Counted at the emulator: 429s, requests.
 */
import { createClient } from 'redis';
import { performance } from 'node:perf_hooks';
import { BENCH_DOMAIN } from './lib/auth0';
import type { FleetData, FleetRun } from './lib/bench-data';
import { startChild, type Child } from './lib/child';
import { captureEnv, finishEnv } from './lib/env';
import { envInt, saveResult } from './lib/results';
import { rotate, summarize } from './lib/stats';
import type { FleetWorkerConfig, FleetWorkerResult } from './fleet-worker';
import type { EmulatorStats } from './servers/emulator-host';
import { writeReport } from './report';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BURST = 20;
const RPS = 50;
const CONCURRENCY = 50;
const CLIENT = { clientId: 'fleet-app', clientSecret: 'fleet-app-secret' };
const USER_ID = 'auth0|000000000000000000000001';
const FLEETS = [
  { processes: 1, perProcess: 600 },
  { processes: 4, perProcess: 150 },
  { processes: 8, perProcess: 150 },
];
const CONTENDERS: { id: FleetWorkerConfig['sdk']; label: string }[] = [
  { id: 'scopebound-shared', label: 'Scopebound, `redisRateLimiter` (one bucket in Redis)' },
  { id: 'scopebound-local', label: 'Scopebound, per-process pacing (default)' },
  { id: 'auth0', label: 'auth0 (`maxRetries: 10`)' },
];

async function cleanRedis(prefix: string): Promise<void> {
  const redis = createClient({ url: REDIS_URL });
  redis.on('error', () => {});
  await redis.connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
      const list = (Array.isArray(keys) ? keys : [keys]) as string[];
      if (list.length) await redis.unlink(list);
    }
  } finally {
    redis.destroy();
  }
}

async function runOnce(emulator: Child, origin: string, sdk: FleetWorkerConfig['sdk'], processes: number, perProcess: number, run: string): Promise<FleetRun> {
  // Let the previous run's 429 storm drain, then start with a full bucket and an empty journal.
  await new Promise((res) => setTimeout(res, 1_000));
  const prefix = `scopebound-bench:fleet:${process.pid}:${run}:`;
  const workers: Child[] = [];
  try {
    for (let i = 0; i < processes; i++) {
      const cfg: FleetWorkerConfig = { sdk, origin, redisUrl: REDIS_URL, prefix, calls: perProcess, concurrency: CONCURRENCY, ...CLIENT, userId: USER_ID };
      workers.push(await startChild('fleet-worker.ts', [JSON.stringify(cfg)]));
    }
    await emulator.request('reset');
    const start = performance.now();
    const results = await Promise.all(workers.map((w) => w.request<FleetWorkerResult>('go', undefined, 300_000)));
    const elapsedMs = performance.now() - start;
    await Promise.all(workers.map((w) => w.request('close', undefined, 10_000).catch(() => undefined)));
    const stats = await emulator.request<EmulatorStats>('stats');
    const firstError = results.find((r) => r.firstError)?.firstError;
    const calls = processes * perProcess;
    const theoreticalMinMs = ((calls - BURST) / RPS) * 1000;
    return {
      elapsedMs,
      theoreticalMinMs,
      ok: results.reduce((n, r) => n + r.ok, 0),
      failed: results.reduce((n, r) => n + r.failed, 0),
      status429: stats.status429,
      apiRequests: stats.apiRequests,
      tokenRequests: stats.tokenRequests,
      ...(firstError ? { firstError } : {}),
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    if (sdk === 'scopebound-shared') await cleanRedis(prefix);
  }
}

async function main() {
  const rounds = envInt('BENCH_FLEET_ROUNDS', 3);
  const env = captureEnv();
  const emulator = await startChild('servers/emulator-host.ts', [
    JSON.stringify({ domain: BENCH_DOMAIN, seed: 'demo', rateLimit: { tenant: { burst: BURST, perSecond: RPS } }, clients: [{ ...CLIENT, grants: ['read:users'] }] }),
  ]);
  const origin = emulator.ready.origin as string;
  const runs = new Map<string, FleetRun[]>();
  const id = (sdk: string, processes: number) => `${sdk}-${processes}`;
  try {
    for (let r = 0; r < rounds; r++) {
      for (const fleet of FLEETS) {
        for (const c of rotate(CONTENDERS, r)) {
          const run = await runOnce(emulator, origin, c.id, fleet.processes, fleet.perProcess, `${r}-${fleet.processes}`);
          runs.set(id(c.id, fleet.processes), [...(runs.get(id(c.id, fleet.processes)) ?? []), run]);
          console.log(
            `fleet round ${r + 1}/${rounds} ${fleet.processes} × ${fleet.perProcess} ${c.id.padEnd(17)} ${(run.elapsedMs / 1000).toFixed(2)} s = ${(run.elapsedMs / run.theoreticalMinMs).toFixed(3)}× min, 429s ${run.status429}, failed ${run.failed}${run.firstError ? `  first error: ${run.firstError}` : ''}`,
          );
        }
      }
    }
  } finally {
    await emulator.stop();
  }
  const data: FleetData = {
    burst: BURST,
    rps: RPS,
    concurrency: CONCURRENCY,
    rounds,
    fleets: FLEETS.map((f) => ({
      ...f,
      contenders: CONTENDERS.map((c) => {
        const list = runs.get(id(c.id, f.processes)) ?? [];
        return {
          id: c.id,
          label: c.label,
          runs: list,
          ratio: summarize(list.map((x) => x.elapsedMs / x.theoreticalMinMs)),
          status429: summarize(list.map((x) => x.status429)),
        };
      }),
    })),
  };
  saveResult({ name: 'fleet-rate-limit', env: finishEnv(env), config: { rounds, burst: BURST, rps: RPS, concurrency: CONCURRENCY, fleets: FLEETS, redis: REDIS_URL }, data });
  writeReport();
}

await main();
