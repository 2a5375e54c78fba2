import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, randomPrefix, REDIS_PORT, type ClientKind } from './helpers';
import { countingTokenServer, type CountingTokenServer } from './token-server';

const WORKER = fileURLToPath(new URL('./fixtures/fleet-worker.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const WORKERS = 8;
const CALLS = 200;
const SCOPE_SETS = [['read:users'], ['read:roles'], ['read:clients', 'read:client_grants'], ['read:logs']];

interface Report {
  ok: number;
  failures: string[];
  tokensBySet: Record<string, string[]>;
  storeErrors: string[];
}

interface Worker {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<void>;
  report: Promise<Report>;
}

function startWorker(config: Record<string, unknown>): Worker {
  const child = spawn(process.execPath, ['--conditions=@scopebound/source', '--import', 'tsx', WORKER, JSON.stringify(config)], {
    cwd: PACKAGE_DIR,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  let onReady: () => void;
  let onReport: (r: Report) => void;
  let onFail: (e: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  const report = new Promise<Report>((resolve, reject) => {
    onReport = resolve;
    const previous = onFail;
    onFail = (e) => {
      previous(e);
      reject(e);
    };
  });
  report.catch(() => {});
  ready.catch(() => {});
  lines.on('line', (line) => {
    try {
      const message = JSON.parse(line) as { ready?: boolean; done?: boolean } & Report;
      if (message.ready) onReady();
      if (message.done) onReport(message);
    } catch {
      // not ours
    }
  });
  child.on('exit', (code) => onFail(new Error(`worker exited with ${code}: ${stderr.slice(-2000)}`)));
  return { child, ready, report };
}

async function runFleet(server: CountingTokenServer, prefix: string, encryptionKey?: string): Promise<Report[]> {
  const kinds: ClientKind[] = ['node-redis', 'ioredis'];
  const workers = Array.from({ length: WORKERS }, (_, i) =>
    startWorker({ kind: kinds[i % 2], redisPort: REDIS_PORT, prefix, tokenUrl: server.url, scopeSets: SCOPE_SETS, calls: CALLS, encryptionKey }),
  );
  try {
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin.write('go\n'); // every worker starts cold, at once
    return await Promise.all(workers.map((w) => w.report));
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  }
}

describe('a fleet of 8 processes × 200 concurrent getToken on a cold cache', () => {
  const prefixes: string[] = [];
  const servers: CountingTokenServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    for (const prefix of prefixes) await cleanup(prefix);
  });

  it('mints exactly once per scope set (narrowing token server, encrypted store), half the workers on node-redis, half on ioredis', async () => {
    const server = await countingTokenServer({ grants: 'requested', delayMs: 50 });
    servers.push(server);
    const prefix = randomPrefix('fleet');
    prefixes.push(prefix);
    const reports = await runFleet(server, prefix, randomBytes(32).toString('base64'));

    expect(reports.reduce((n, r) => n + r.ok, 0)).toBe(WORKERS * CALLS);
    expect(reports.flatMap((r) => r.failures)).toEqual([]);
    expect(reports.flatMap((r) => r.storeErrors)).toEqual([]);
    expect(Object.fromEntries(server.mints)).toEqual(Object.fromEntries(SCOPE_SETS.map((s) => [[...s].sort().join(' '), 1])));
    // Every process got the same token for a scope set: the one minted once, shared through Redis.
    for (const set of SCOPE_SETS) {
      const seen = new Set(reports.flatMap((r) => r.tokensBySet[set.join(' ')] ?? []));
      expect(seen.size).toBe(1);
    }
  }, 120_000);

  it('mints at most once per requested set, against a server that grants every scope whatever is asked (Auth0)', async () => {
    const server = await countingTokenServer({ grants: 'all', allScopes: SCOPE_SETS.flat(), delayMs: 50 });
    servers.push(server);
    const prefix = randomPrefix('fleet-all');
    prefixes.push(prefix);
    const reports = await runFleet(server, prefix);

    expect(reports.reduce((n, r) => n + r.ok, 0)).toBe(WORKERS * CALLS);
    expect(reports.flatMap((r) => r.failures)).toEqual([]);
    expect(reports.flatMap((r) => r.storeErrors)).toEqual([]);
    for (const count of server.mints.values()) expect(count).toBe(1);
    expect(server.totalMints()).toBeLessThanOrEqual(SCOPE_SETS.length);
    console.info(`[fleet] Auth0-like server: ${server.totalMints()} mint(s) for ${SCOPE_SETS.length} scope sets × ${WORKERS} processes`);
  }, 120_000);
});
