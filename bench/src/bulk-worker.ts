/**
 * The bulk benchmark's client process (killed with SIGKILL by the driver in the resume scenario). argv[2] is
 * JSON `{mode, origin, input, journal?, ids?}`; prints one JSON line with its result on stdout when it ends.
 *   - `scopebound`: `runBulk` over the input file with a journal (auto concurrency, the client's own pacing);
 *   - `sdk`: a plain `Promise.all` of `users.update` over the official `auth0` SDK (its default retries).
 */
import { readCalls, runBulk } from '@scopebound/bulk';
import { createManagementClient } from '@scopebound/management';
import { clientSecret } from '@scopebound/token';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { auth0Client } from './lib/auth0';

interface WorkerConfig {
  mode: 'scopebound' | 'sdk';
  origin: string;
  input: string;
  journal?: string;
  client: { clientId: string; clientSecret: string };
}

const config = JSON.parse(process.argv[2]!) as WorkerConfig;

async function scopebound() {
  const client = createManagementClient({ baseUrl: config.origin, credentials: clientSecret(config.client) });
  const total = readFileSync(config.input, 'utf8').split('\n').filter(Boolean).length;
  const r = await runBulk(readCalls(config.input), { client, journal: config.journal!, total });
  await client.close();
  return { elapsedMs: r.elapsedMs, done: r.done, sent: r.sent, skipped: r.skipped, failed: r.failed.length, toCheck: r.toCheck.map((c) => c.seq) };
}

async function sdk() {
  const c = auth0Client({ origin: config.origin, ...config.client });
  const calls = readFileSync(config.input, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { params: { id: string }; body: Record<string, unknown> });
  const start = performance.now();
  let failed = 0;
  let firstError: string | undefined;
  await Promise.all(
    calls.map((call) =>
      c.users.update(call.params.id, call.body).then(
        () => undefined,
        (err: unknown) => {
          failed += 1;
          firstError ??= (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).split('\n')[0];
        },
      ),
    ),
  );
  return { elapsedMs: performance.now() - start, done: calls.length - failed, sent: calls.length, failed, ...(firstError ? { firstError } : {}) };
}

const result = config.mode === 'sdk' ? await sdk() : await scopebound();
process.stdout.write(`${JSON.stringify(result)}\n`);
