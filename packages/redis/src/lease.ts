/**
 * Fleet-wide mint leases: `SET NX PX` with a random owner id, released by compare-and-delete so a lease that
 * expired and now belongs to another process is never removed.
 */
import { randomBytes } from 'node:crypto';
import type { Lease } from '@scopebound/token';
import type { ClientAdapter } from './client-adapter';
import type { RunCommand } from './command-runner';
import { MAX_MS } from './store-options';

const DEFAULT_LEASE_MS = 30_000;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** The lease duration: the configured `leaseMs`, else what the provider asks for, else 30 s. */
export function leaseDuration(leaseMs: number | undefined, asked: unknown): number {
  const fallback = typeof asked === 'number' && Number.isFinite(asked) && asked > 0 ? Math.min(asked, MAX_MS) : DEFAULT_LEASE_MS;
  return Math.ceil(leaseMs ?? fallback);
}

/** Takes the lease at `leaseKey` for `durationMs`; undefined when another owner holds it. */
export async function acquireLease(run: RunCommand, adapter: ClientAdapter, leaseKey: string, durationMs: number): Promise<Lease | undefined> {
  const owner = randomBytes(16).toString('base64url');
  const acquired = await run('SET NX', (signal) => adapter.setNxPx(leaseKey, owner, durationMs, signal));
  if (!acquired) return undefined;
  let released: Promise<void> | undefined;
  return {
    release() {
      // Never rejects: if Redis is unreachable the lease simply expires after its duration.
      released ??= run('EVAL release', (signal) => adapter.eval(RELEASE, [leaseKey], [owner], signal)).then(
        () => undefined,
        () => undefined,
      );
      return released;
    },
  };
}
