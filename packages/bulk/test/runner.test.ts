import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { BulkOptionError, JournalMismatchError, readJournal, runBulk, type BulkCall } from '../src/index';
import { BULK_CLIENT, bulkTenant, tempDir, userId } from './tenant';

const updates = (n: number, tag = 'a'): BulkCall[] =>
  Array.from({ length: n }, (_, i) => ({ operation: 'users.update', params: { id: userId(i) }, body: { app_metadata: { plan: 'pro', tag, n: i } }, line: i + 1 }));

let env: Awaited<ReturnType<typeof bulkTenant>> | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('runBulk over HTTP against a rate-limited emulator', () => {
  it('applies every call once, with one token minted for exactly update:users_app_metadata', async () => {
    env = await bulkTenant(200, { burst: 20, perSecond: 400 });
    const scopes = new Set<string>();
    const client = env.client({ onEvent: (e) => e.type === 'request' && scopes.add(e.scopes.join(' ')) });
    const journal = join(tempDir(), 'j.jsonl');
    const result = await runBulk(updates(200), { client, journal, total: 200 });
    await client.close();
    expect(result).toMatchObject({ total: 200, done: 200, sent: 200, skipped: 0, failed: [], toCheck: [], interrupted: false });
    const applied = env.applied();
    expect(applied.size).toBe(200);
    expect([...applied.values()].every((c) => c === 1)).toBe(true);
    expect(env.tenant.journal.mintsFor(BULK_CLIENT.clientId)).toBe(1);
    const mint = env.tenant.journal.list({ operation: 'oauth.token' });
    expect(mint).toHaveLength(1);
    expect([...scopes]).toEqual(['update:users_app_metadata']);
    expect(readJournal(journal).filter((e) => e.t === 'ok')).toHaveLength(200);

    // A rerun with the same journal sends nothing; a different input at the same positions is refused.
    const again = env.client();
    const rerun = await runBulk(updates(200), { client: again, journal });
    expect(rerun).toMatchObject({ done: 200, sent: 0, skipped: 200 });
    await expect(runBulk(updates(200, 'b'), { client: again, journal })).rejects.toThrow(JournalMismatchError);
    await again.close();
    expect(env.applied().size).toBe(200);
  });

  it('keeps going through a fault storm mid-run and accounts for every call exactly', async () => {
    env = await bulkTenant(300, { burst: 20, perSecond: 400 });
    const client = env.client({ timeout: 5_000 }); // a dropped socket fails fast
    let faulted = false;
    const calls = updates(300);
    async function* withStorm() {
      for (const [i, c] of calls.entries()) {
        if (i === 100 && !faulted) {
          faulted = true;
          // Mid-run: 40 answers 503 (not idempotent: reported, maybe applied) and the tenant's limit squeezed to 5/s.
          env!.tenant.admin.addFault({ id: 'storm-503', match: { operation: 'users.update' }, status: 503, times: 40 });
          await env!.tenant.admin.setRateLimit({ tenant: { burst: 5, perSecond: 50 } });
        }
        if (i === 200) {
          env!.tenant.admin.clearFaults();
          await env!.tenant.admin.setRateLimit({ tenant: { burst: 20, perSecond: 400 } });
          env!.tenant.admin.addFault({ id: 'drop', match: { operation: 'users.update' }, drop: true, times: 5 });
        }
        yield c;
      }
    }
    const result = await runBulk(withStorm(), { client, journal: join(tempDir(), 'j.jsonl'), total: 300 });
    await client.close();
    expect(result.done + result.failed.length).toBe(300);
    expect(result.failed.length).toBeGreaterThanOrEqual(40);
    for (const f of result.failed) {
      expect(f.line).toBe(f.seq);
      expect(['ERR_MANAGEMENT_API', 'ERR_NETWORK']).toContain(f.code);
      expect(f.ambiguous).toBe(true);
    }
    const applied = env.applied();
    expect([...applied.values()].every((c) => c === 1)).toBe(true);
    expect(applied.size).toBe(result.done);
    // The squeeze to 5/s may be absorbed by the client's pacer without a single 429 (any 429 engages it, and the
    // learned refill rate holds calls back): the storm is proven by the 503s above, the accounting by the counts.
    expect(env.tenant.journal.list({ status: 429 }).length).toBeLessThan(60);
  }, 90_000);

  it('bare synthetic 429s (which can stall the pacer): every call accounted, one held past callTimeoutMs is ERR_BULK_CALL_DEADLINE', async () => {
    env = await bulkTenant(60);
    const client = env.client();
    env.tenant.admin.addFault({ id: 'bare-429', match: { operation: 'users.update' }, status: 429, headers: { 'retry-after': '0' }, times: 30 });
    const result = await runBulk(updates(60), { client, callTimeoutMs: 3_000 });
    await client.close();
    expect(result.done + result.failed.length).toBe(60);
    for (const f of result.failed) expect(f).toMatchObject({ code: 'ERR_BULK_CALL_DEADLINE', ambiguous: true });
    expect([...env.applied().values()].every((c) => c === 1)).toBe(true);
  }, 60_000);

  it('stops sending when aborted, and a rerun finishes the rest exactly', async () => {
    env = await bulkTenant(150);
    const journal = join(tempDir(), 'j.jsonl');
    const stop = new AbortController();
    const client = env.client();
    async function* stopAt50() {
      for (const [i, c] of updates(150).entries()) {
        if (i === 50) stop.abort();
        yield c;
      }
    }
    const first = await runBulk(stopAt50(), { client, journal, signal: stop.signal });
    expect(first.interrupted).toBe(true);
    expect(first.done).toBe(50);
    const rest = await runBulk(updates(150), { client, journal });
    await client.close();
    expect(rest).toMatchObject({ done: 150, skipped: 50, sent: 100, failed: [], toCheck: [] });
    expect([...env.applied().values()].every((c) => c === 1)).toBe(true);
    expect(env.applied().size).toBe(150);
  });

  it('refuses bad options with BulkOptionError', async () => {
    env = await bulkTenant(1);
    const client = env.client();
    await expect(runBulk([], { client, concurrency: 0 })).rejects.toThrow(BulkOptionError);
    await client.close();
  });
});
