/**
 * 5. Rate-limit adherence: 600 `users.get` at concurrency 100 against the emulator (its own process) limited
 * to a tenant-wide burst of 20 and 50 requests/s. The theoretical minimum is the time the bucket needs to let
 * every necessary request through: (600 calls − 20 burst) / 50 rps = 11.6 s (the token request draws on the
 * Authentication API's bucket). Reported: completion time vs that minimum, 429s the emulator answered (its journal), failed calls.
 *   - Scopebound with its default retry policy (429s waited out up to retry.maxRateLimitWaitMs, Retry-After honoured with jitter, pacing from the rate-limit headers);
 *   - auth0 with `maxRetries` (its documented retry option) raised to 10, and with its default (2).
 */
import { createManagementClient } from '@scopebound/management';
import { clientSecret } from '@scopebound/token';
import { auth0Client, BENCH_DOMAIN } from './lib/auth0';
import { startChild } from './lib/child';
import { captureEnv, finishEnv } from './lib/env';
import { countedLoop, type CountedResult } from './lib/load';
import { envInt, saveResult } from './lib/results';
import { rotate, summarize } from './lib/stats';
import type { EmulatorStats } from './servers/emulator-host';
import { writeReport } from './report';
import type { RateLimitRun, RateLimitData } from './lib/bench-data';

const CALLS = 600;
const CONCURRENCY = 100;
const BURST = 20;
const RPS = 50;
const CLIENT = { clientId: 'rate-limit-app', clientSecret: 'rate-limit-app-secret' };
const USER_ID = 'auth0|000000000000000000000001';

interface Contender {
  id: string;
  label: string;
  make: (origin: string) => { call: () => Promise<unknown>; close: () => Promise<void> };
}

function runOnce(call: () => Promise<unknown>): Promise<CountedResult> {
  return countedLoop(call, CALLS, CONCURRENCY);
}

async function main() {
  const rounds = envInt('BENCH_RATE_LIMIT_ROUNDS', 3);
  const env = captureEnv();
  const theoreticalMinMs = ((CALLS - BURST) / RPS) * 1000;
  const emulator = await startChild('servers/emulator-host.ts', [
    JSON.stringify({ domain: BENCH_DOMAIN, seed: 'demo', rateLimit: { tenant: { burst: BURST, perSecond: RPS } }, clients: [{ ...CLIENT, grants: ['read:users'] }] }),
  ]);
  const origin = emulator.ready.origin as string;
  const contenders: Contender[] = [
    {
      id: 'scopebound',
      label: 'Scopebound (default retry: paced, 429s waited out with jitter up to 60 s)',
      make: (o) => {
        const mgmt = createManagementClient({ baseUrl: o, credentials: clientSecret(CLIENT) });
        return { call: () => mgmt.users.get({ id: USER_ID }), close: () => mgmt.close() };
      },
    },
    {
      id: 'auth0-retries-10',
      label: 'auth0 (`maxRetries: 10`)',
      make: (o) => {
        const c = auth0Client({ origin: o, ...CLIENT, maxRetries: 10 });
        return { call: () => c.users.get(USER_ID), close: async () => {} };
      },
    },
    {
      id: 'auth0-default',
      label: 'auth0 (default `maxRetries`: 2)',
      make: (o) => {
        const c = auth0Client({ origin: o, ...CLIENT });
        return { call: () => c.users.get(USER_ID), close: async () => {} };
      },
    },
  ];
  const runs = new Map<string, RateLimitRun[]>(contenders.map((c) => [c.id, []]));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const c of rotate(contenders, r)) {
        // Let the previous run's 429 storm drain, then start with a full bucket and an empty journal.
        await new Promise((res) => setTimeout(res, 1_000));
        await emulator.request('reset');
        const client = c.make(origin);
        const result = await runOnce(client.call);
        await client.close();
        const stats = await emulator.request<EmulatorStats>('stats');
        const run: RateLimitRun = { ...result, status429: stats.status429, apiRequests: stats.apiRequests, tokenRequests: stats.tokenRequests };
        runs.get(c.id)!.push(run);
        console.log(
          `rate limit round ${r + 1}/${rounds} ${c.id.padEnd(17)} ${(run.elapsedMs / 1000).toFixed(2)} s (min ${(theoreticalMinMs / 1000).toFixed(2)} s), 429s ${run.status429}, failed ${run.failed}, requests ${run.apiRequests}+${run.tokenRequests}${run.firstError ? `  first error: ${run.firstError}` : ''}`,
        );
      }
    }
  } finally {
    await emulator.stop();
  }
  const data: RateLimitData = {
    calls: CALLS,
    concurrency: CONCURRENCY,
    burst: BURST,
    rps: RPS,
    theoreticalMinMs,
    rounds,
    contenders: contenders.map((c) => {
      const list = runs.get(c.id)!;
      return {
        id: c.id,
        label: c.label,
        runs: list,
        elapsedMs: summarize(list.map((x) => x.elapsedMs)),
        overMin: summarize(list.map((x) => x.elapsedMs / theoreticalMinMs - 1)),
        status429: summarize(list.map((x) => x.status429)),
        failed: summarize(list.map((x) => x.failed)),
      };
    }),
  };
  saveResult({ name: 'rate-limit', env: finishEnv(env), config: { rounds, calls: CALLS, concurrency: CONCURRENCY, burst: BURST, rps: RPS }, data });
  writeReport();
}

await main();
