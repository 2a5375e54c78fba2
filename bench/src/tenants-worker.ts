/**
 * One sample of the many-tenants benchmark, in a fresh process: N tenants through one contender's per-tenant
 * clients (Scopebound's adapter resolver, or a map of the official SDK's ManagementClient), optionally one
 * `users.get` each (a minted, cached token per tenant); prints the retained heap per tenant after a full GC
 * (one-time costs excluded: a throwaway tenant goes first).
 * Argument: JSON `{ contender, tenants, warm, maxTenants, graceMs, origin }`.
 */
import { resolveSettings } from '@scopebound/management/adapter';
import { clientSecret } from '@scopebound/token';
import { ManagementClient } from 'auth0';
import { BENCH_DOMAIN, loopbackFetch } from './lib/auth0';

export interface TenantsProbe {
  contender: 'scopebound' | 'auth0';
  tenants: number;
  warm: boolean;
  /** Scopebound only: the resolver's bound. */
  maxTenants: number;
  graceMs: number;
  origin: string;
}

export interface TenantsSample {
  bytesPerTenant: number;
  heapDeltaMiB: number;
  /** Clients still reachable at the end: Scopebound's live + retiring, or the SDK's map size. */
  clientsOpen: number;
  live: number;
  retiring: number;
  evicted: number;
  errors: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function heap(): number {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
}

async function inBatches(n: number, size: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let errors = 0;
  for (let start = 0; start < n; start += size) {
    const batch = Array.from({ length: Math.min(size, n - start) }, (_, k) => fn(start + k).catch(() => void errors++));
    await Promise.all(batch);
  }
  return errors;
}

/** One-time costs (lazy module state, the operation index, JIT) are paid by a throwaway tenant before measuring. */
async function warmUp(p: TenantsProbe, run: (q: TenantsProbe) => Promise<TenantsSample>): Promise<void> {
  await run({ ...p, tenants: 1, maxTenants: 1 });
}

async function scopebound(p: TenantsProbe): Promise<TenantsSample> {
  // Every tenant its own application (client id) on the same loopback origin, sharing the global fetch pool
  // (the SDK uses it too); the resolver builds the tenant's credentials, as an app reading its tenant table would.
  const before = heap();
  const { source } = resolveSettings<number>({
    tenant: (i) => ({
      key: `t${i}`,
      baseUrl: p.origin,
      credentials: clientSecret({ clientId: `tenant-${i}`, clientSecret: `secret-of-tenant-${i}` }),
      fetch: globalThis.fetch,
    }),
    maxTenants: p.maxTenants,
    evictionGraceMs: p.graceMs,
  });
  const errors = await inBatches(p.tenants, 50, async (i) => {
    const client = await source.resolve(i);
    if (p.warm) await client.users.get({ id: 'auth0|1' });
  });
  const after = heap();
  const stats = source.stats();
  const sample = {
    bytesPerTenant: (after - before) / p.tenants,
    heapDeltaMiB: (after - before) / 2 ** 20,
    clientsOpen: stats.live + stats.retiring,
    live: stats.live,
    retiring: stats.retiring,
    evicted: stats.evicted,
    errors,
  };
  await source.close();
  return sample;
}

async function auth0(p: TenantsProbe): Promise<TenantsSample> {
  const fetch = loopbackFetch(p.origin);
  const before = heap();
  // The usual multi-tenant pattern with the SDK: a map of clients, one per tenant, never evicted.
  const clients = new Map<number, ManagementClient>();
  const errors = await inBatches(p.tenants, 50, async (i) => {
    let client = clients.get(i);
    if (!client) {
      client = new ManagementClient({ domain: BENCH_DOMAIN, clientId: `tenant-${i}`, clientSecret: `secret-of-tenant-${i}`, fetch } as ConstructorParameters<
        typeof ManagementClient
      >[0]);
      clients.set(i, client);
    }
    if (p.warm) await client.users.get('auth0|1');
  });
  const after = heap();
  return {
    bytesPerTenant: (after - before) / p.tenants,
    heapDeltaMiB: (after - before) / 2 ** 20,
    clientsOpen: clients.size,
    live: clients.size,
    retiring: 0,
    evicted: 0,
    errors,
  };
}

const probe = JSON.parse(process.argv[2] ?? '{}') as TenantsProbe;
const run = probe.contender === 'scopebound' ? scopebound : auth0;
await warmUp(probe, run);
const sample = await run(probe);
process.stdout.write(`${JSON.stringify(sample)}\n`);
process.exit(0);
