/**
 * 4. Cold stampede: 10,000 concurrent calls spread over 20 operations (20 different scope sets) on an empty
 * cache, against the minimal server (its own process; token endpoint with 50 ms latency). Mints are counted
 * at the server.
 *   - Scopebound, 1 process, memory store; and 4 processes sharing the Redis store at 127.0.0.1:6379
 *     (a unique key prefix per run, deleted afterwards);
 *   - each with a narrowing token endpoint (grants exactly the requested scope: 20 granted sets) and with an
 *     Auth0-like one (grants every scope of the app whatever is asked: 1 granted set);
 *   - auth0's ManagementClient under the same load, 1 process and 4 processes.
 * Every run starts fresh worker processes, so caches are cold.
 */
import { createClient } from 'redis';
import { startChild, type Child } from './lib/child';
import { captureEnv, finishEnv } from './lib/env';
import { STAMPEDE_OPS } from './lib/ops';
import { envInt, saveResult } from './lib/results';
import { rotate, summarize } from './lib/stats';
import type { FixedServerStats } from './servers/fixed-server';
import type { WorkerConfig, WorkerResult } from './stampede-worker';
import { writeReport } from './report';
import { createManagementClient } from '@scopebound/management';
import { clientSecret } from '@scopebound/token';
import type { StampedeRun, StampedeData } from './lib/bench-data';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOTAL = envInt('BENCH_STAMPEDE_CALLS', 10_000);
const MINT_DELAY_MS = 50;

interface Scenario {
  id: string;
  label: string;
  sdk: 'scopebound' | 'auth0';
  store: 'memory' | 'redis';
  processes: number;
  grant: 'narrow' | 'all';
  /** What "1 mint per granted scope set" means here (auth0: none; it uses one token per process). */
  target?: number;
}

async function cleanRedis(prefix: string): Promise<number> {
  const redis = createClient({ url: REDIS_URL });
  redis.on('error', () => {});
  await redis.connect();
  let deleted = 0;
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      const list = (Array.isArray(keys) ? keys : [keys]) as string[];
      if (list.length) deleted += await redis.unlink(list);
    }
  } finally {
    redis.destroy();
  }
  return deleted;
}

async function runScenario(server: Child, origin: string, s: Scenario, allScopes: string[], run: number): Promise<StampedeRun> {
  await server.request('configure', { grant: s.grant, allScopes, mintDelayMs: MINT_DELAY_MS });
  await server.request('reset');
  const prefix = `scopebound-bench:${process.pid}:${Date.now()}:${run}:`;
  const workers: Child[] = [];
  try {
    for (let i = 0; i < s.processes; i++) {
      const cfg: WorkerConfig = { sdk: s.sdk, store: s.store, origin, redisUrl: REDIS_URL, prefix, index: i, workers: s.processes, total: TOTAL };
      workers.push(await startChild('stampede-worker.ts', [JSON.stringify(cfg)]));
    }
    // All workers are connected and idle: start them together.
    const results = await Promise.all(workers.map((w) => w.request<WorkerResult>('go', undefined, 120_000)));
    await Promise.all(workers.map((w) => w.request('close', undefined, 10_000).catch(() => undefined)));
    const stats = await server.request<FixedServerStats>('stats');
    const firstError = results.find((r) => r.firstError)?.firstError;
    return {
      mints: stats.mints,
      grantedSets: Object.keys(stats.mintsBySet).length,
      apiCalls: stats.apiCalls,
      ok: results.reduce((n, r) => n + r.ok, 0),
      failed: results.reduce((n, r) => n + r.failed, 0),
      ...(firstError ? { firstError } : {}),
      elapsedMs: Math.max(...results.map((r) => r.elapsedMs)),
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    if (s.store === 'redis') await cleanRedis(prefix);
  }
}

async function main() {
  const rounds = envInt('BENCH_STAMPEDE_ROUNDS', 3);
  const env = captureEnv();
  // The 20 operations must need 20 different scope sets.
  const probe = createManagementClient({ baseUrl: 'http://127.0.0.1:1', credentials: clientSecret({ clientId: 'x', clientSecret: 'y' }) });
  const sets = STAMPEDE_OPS.map((op) => (probe.scopesFor(op.name as never, {}).request ?? []).join(' '));
  await probe.close();
  if (new Set(sets).size !== STAMPEDE_OPS.length) throw new Error(`stampede operations share scope sets: ${sets.join(', ')}`);
  const allScopes = [...new Set(sets.flatMap((x) => x.split(' ')))].sort();

  const scenarios: Scenario[] = [
    { id: 'sb-memory-narrow', label: 'Scopebound, 1 process, memory store, narrowing tenant', sdk: 'scopebound', store: 'memory', processes: 1, grant: 'narrow', target: 20 },
    { id: 'sb-redis-narrow', label: 'Scopebound, 4 processes, Redis store, narrowing tenant', sdk: 'scopebound', store: 'redis', processes: 4, grant: 'narrow', target: 20 },
    { id: 'sb-memory-all', label: 'Scopebound, 1 process, memory store, Auth0-like tenant (grants all)', sdk: 'scopebound', store: 'memory', processes: 1, grant: 'all', target: 1 },
    { id: 'sb-redis-all', label: 'Scopebound, 4 processes, Redis store, Auth0-like tenant (grants all)', sdk: 'scopebound', store: 'redis', processes: 4, grant: 'all', target: 1 },
    { id: 'auth0-1', label: 'auth0 ManagementClient, 1 process', sdk: 'auth0', store: 'memory', processes: 1, grant: 'all' },
    { id: 'auth0-4', label: 'auth0 ManagementClient, 4 processes', sdk: 'auth0', store: 'memory', processes: 4, grant: 'all' },
  ];
  const server = await startChild('servers/fixed-server.ts', [JSON.stringify({ grant: 'all', allScopes, mintDelayMs: MINT_DELAY_MS })]);
  const origin = server.ready.origin as string;
  const runs = new Map<string, StampedeRun[]>(scenarios.map((s) => [s.id, []]));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const s of rotate(scenarios, r)) {
        const result = await runScenario(server, origin, s, allScopes, r);
        runs.get(s.id)!.push(result);
        console.log(`stampede round ${r + 1}/${rounds} ${s.id.padEnd(17)} mints ${String(result.mints).padStart(3)} (granted sets ${result.grantedSets}), ok ${result.ok}, failed ${result.failed}, ${result.elapsedMs.toFixed(0)} ms${result.firstError ? `  first error: ${result.firstError}` : ''}`);
      }
    }
  } finally {
    await server.stop();
  }
  const data: StampedeData = {
    total: TOTAL,
    scopeSets: STAMPEDE_OPS.length,
    mintDelayMs: MINT_DELAY_MS,
    rounds,
    scenarios: scenarios.map((s) => {
      const list = runs.get(s.id)!;
      return {
        id: s.id,
        label: s.label,
        processes: s.processes,
        grant: s.grant,
        ...(s.target !== undefined ? { target: s.target } : {}),
        runs: list,
        mints: summarize(list.map((x) => x.mints)),
        elapsedMs: summarize(list.map((x) => x.elapsedMs)),
      };
    }),
  };
  saveResult({ name: 'stampede', env: finishEnv(env), config: { rounds, total: TOTAL, mintDelayMs: MINT_DELAY_MS, redis: REDIS_URL, operations: STAMPEDE_OPS.map((o) => o.name) }, data });
  writeReport();
}

await main();
