/**
 * 7. Bulk change: 10,000 `users.update` app_metadata changes (one per user, distinct bodies) against the
 * emulator with a tenant bucket of burst 20 refilled at 200/s. Minimum: (10,000 − 20) ÷ 200/s (the token request
 * draws on the Authentication API's bucket, as on Auth0).
 * Counted server side from the emulator's journal: applied calls per user (sent twice = applied twice), 429s.
 *   - Scopebound `runBulk` (journal, auto concurrency), uninterrupted;
 *   - the same run killed with SIGKILL twice (at 30 % and 70 % applied) and resumed with the same journal;
 *   - a plain `Promise.all` over the official `auth0` SDK (default retries).
 * The emulator runs in this process; each client in its own child process.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEmulator } from '@scopebound/emulator';
import { BENCH_DOMAIN } from './lib/auth0';
import { captureEnv, finishEnv } from './lib/env';
import { BENCH_DIR, SRC_DIR } from './lib/paths';
import { envInt, saveResult } from './lib/results';
import { writeReport } from './report';
import type { BulkData, BulkScenario } from './report-bulk';

const CALLS = envInt('BENCH_BULK_CALLS', 10_000);
const BURST = 20;
const RPS = 200;
const CLIENT = { clientId: 'bulk-bench-app', clientSecret: 'bulk-bench-app-secret' };
const userId = (i: number) => `auth0|bulk${String(i).padStart(6, '0')}`;

const tenant = createEmulator({
  domain: BENCH_DOMAIN,
  seed: { users: Array.from({ length: CALLS }, (_, i) => ({ user_id: userId(i), email: `bulk${i}@example.com` })) },
  clients: [{ ...CLIENT, grants: ['read:users', 'update:users_app_metadata'] }],
  rateLimit: { tenant: { burst: BURST, perSecond: RPS } },
  journalLimit: 1_000_000,
});
const server = await tenant.listen({ port: 0 });
const dir = mkdtempSync(path.join(tmpdir(), 'scopebound-bench-bulk-'));

function writeInput(tag: string): string {
  const file = path.join(dir, `${tag}.jsonl`);
  const lines = Array.from({ length: CALLS }, (_, i) => JSON.stringify({ operation: 'users.update', params: { id: userId(i) }, body: { app_metadata: { plan: 'pro', run: tag, n: i } } }));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const appliedCount = () => tenant.journal.list({ operation: 'users.update', status: 200 }).length;

/** One client process; SIGKILLed once the server has applied `killAt` calls of this scenario. */
function child(mode: 'scopebound' | 'sdk', input: string, journal: string, killAt?: number): Promise<{ wallMs: number; killed: boolean; result?: Record<string, unknown> }> {
  const start = performance.now();
  const p = fork(path.join(SRC_DIR, 'bulk-worker.ts'), [JSON.stringify({ mode, origin: server.url, input, journal, client: CLIENT })], {
    cwd: BENCH_DIR,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let out = '';
  p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const poll = killAt === undefined ? undefined : setInterval(() => appliedCount() >= killAt && p.kill('SIGKILL'), 20);
  return new Promise((resolve) =>
    p.on('exit', (_code, signal) => {
      if (poll) clearInterval(poll);
      const line = out.trim().split('\n').pop();
      resolve({ wallMs: performance.now() - start, killed: signal === 'SIGKILL', ...(line ? { result: JSON.parse(line) } : {}) });
    }),
  );
}

function serverSide() {
  const perUser = new Map<string, number>();
  for (const e of tenant.journal.list({ operation: 'users.update', status: 200 })) perUser.set(e.path, (perUser.get(e.path) ?? 0) + 1);
  return {
    applied: perUser.size,
    sentTwice: [...perUser.values()].filter((c) => c > 1).length,
    status429: tenant.journal.list({ status: 429 }).length,
    mints: tenant.journal.mintsFor(CLIENT.clientId),
  };
}

async function scenario(id: string, label: string, run: (input: string, journal: string) => Promise<{ elapsedMs: number; wallMs: number; kills: number; result: Record<string, unknown> }>): Promise<BulkScenario> {
  await new Promise((r) => setTimeout(r, 1_000)); // the bucket refills
  tenant.journal.clear();
  const mintsBefore = tenant.journal.mintsFor(CLIENT.clientId);
  const r = await run(writeInput(id), path.join(dir, `${id}.journal`));
  const s = serverSide();
  const toCheck = (r.result.toCheck as number[] | undefined) ?? [];
  const out: BulkScenario = {
    id, label, elapsedMs: r.elapsedMs, wallMs: r.wallMs, kills: r.kills,
    done: Number(r.result.done), failed: Number(r.result.failed), toCheck: toCheck.length,
    applied: s.applied, sentTwice: s.sentTwice, status429: s.status429, mints: s.mints - mintsBefore,
    ...(r.result.firstError ? { firstError: String(r.result.firstError) } : {}),
  };
  console.log(`bulk ${id.padEnd(18)} ${(out.elapsedMs / 1000).toFixed(2)} s (wall ${(out.wallMs / 1000).toFixed(2)} s), done ${out.done}, failed ${out.failed}, to check ${out.toCheck}, applied ${out.applied}, sent twice ${out.sentTwice}, 429s ${out.status429}, mints ${out.mints}${out.firstError ? `  first error: ${out.firstError}` : ''}`);
  return out;
}

async function main() {
  const env = captureEnv();
  const theoreticalMinMs = ((CALLS - BURST) / RPS) * 1000;
  const scenarios: BulkScenario[] = [];
  try {
    scenarios.push(await scenario('scopebound', 'Scopebound `runBulk` (journal, auto concurrency)', async (input, journal) => {
      const c = await child('scopebound', input, journal);
      return { elapsedMs: Number(c.result!.elapsedMs), wallMs: c.wallMs, kills: 0, result: c.result! };
    }));
    scenarios.push(await scenario('scopebound-killed', 'Scopebound, SIGKILL at 30 % and 70 %, resumed twice', async (input, journal) => {
      const a = await child('scopebound', input, journal, Math.round(CALLS * 0.3));
      const b = await child('scopebound', input, journal, Math.round(CALLS * 0.7));
      const c = await child('scopebound', input, journal);
      const wallMs = a.wallMs + b.wallMs + c.wallMs;
      return { elapsedMs: wallMs, wallMs, kills: [a, b].filter((x) => x.killed).length, result: c.result! };
    }));
    scenarios.push(await scenario('auth0-promise-all', 'auth0 SDK, plain `Promise.all` (default `maxRetries`: 2)', async (input, journal) => {
      const c = await child('sdk', input, journal);
      return { elapsedMs: Number(c.result!.elapsedMs), wallMs: c.wallMs, kills: 0, result: c.result! };
    }));
  } finally {
    await tenant.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const data: BulkData = { calls: CALLS, burst: BURST, rps: RPS, theoreticalMinMs, scenarios };
  saveResult({ name: 'bulk', env: finishEnv(env), config: { calls: CALLS, burst: BURST, rps: RPS }, data });
  writeReport();
}

await main();
