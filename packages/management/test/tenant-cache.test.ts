import { describe, expect, test } from 'vitest';
import { clientSecret } from '@scopebound/token';
import { createTenantCache, resolveSettings } from '../src/adapter/index';

// The per-tenant client cache's bound, without clocks: a grace timer only fires when the test says so.
function manualTimers() {
  const pending = new Set<() => void>();
  return {
    schedule: (run: () => void) => {
      pending.add(run);
      return { cancel: () => pending.delete(run) };
    },
    fireAll: () => {
      for (const run of [...pending]) {
        pending.delete(run);
        run();
      }
    },
    get size() {
      return pending.size;
    },
  };
}

function closeable(name: string, closed: string[]) {
  return { name, close: async () => void closed.push(name) };
}

describe('tenant cache', () => {
  test('keeps the most recently used tenants; an evicted client closes after its grace period', () => {
    const timers = manualTimers();
    const closed: string[] = [];
    const cache = createTenantCache<ReturnType<typeof closeable>>({ maxTenants: 2, graceMs: 30_000, schedule: timers.schedule });
    const get = (name: string) => cache.get(name, () => closeable(name, closed));
    get('a');
    get('b');
    expect(get('a').name).toBe('a'); // a hit: a is now the most recently used
    get('c'); // evicts b, the least recently used
    expect(cache.stats()).toEqual({ live: 2, retiring: 1, created: 3, evicted: 1 });
    expect(closed).toEqual([]); // still in its grace period
    timers.fireAll();
    expect(closed).toEqual(['b']);
    expect(cache.stats().retiring).toBe(0);
    get('b'); // a fresh client for b, evicting a
    expect(cache.stats()).toMatchObject({ live: 2, created: 4, evicted: 2 });
  });

  test('a stream of new tenants never holds more than 2 × maxTenants clients open', () => {
    const timers = manualTimers();
    const closed: string[] = [];
    const cache = createTenantCache<ReturnType<typeof closeable>>({ maxTenants: 100, graceMs: 3_600_000, schedule: timers.schedule });
    for (let i = 0; i < 10_000; i++) cache.get(`t${i}`, () => closeable(`t${i}`, closed));
    expect(cache.stats()).toEqual({ live: 100, retiring: 100, created: 10_000, evicted: 9_900 });
    // Beyond the retiring bound the oldest evicted clients were closed at once, oldest first.
    expect(closed).toHaveLength(9_800);
    expect(closed.slice(0, 3)).toEqual(['t0', 't1', 't2']);
    expect(timers.size).toBe(100);
  });

  test('grace 0 closes an evicted client at once; close() closes live and retiring clients', async () => {
    const closed: string[] = [];
    const now = createTenantCache<ReturnType<typeof closeable>>({ maxTenants: 1, graceMs: 0 });
    now.get('a', () => closeable('a', closed));
    now.get('b', () => closeable('b', closed));
    expect(closed).toEqual(['a']);
    const timers = manualTimers();
    const later = createTenantCache<ReturnType<typeof closeable>>({ maxTenants: 1, graceMs: 1_000, schedule: timers.schedule });
    later.get('x', () => closeable('x', closed));
    later.get('y', () => closeable('y', closed));
    await later.close();
    expect(closed.sort()).toEqual(['a', 'x', 'y']);
    expect(timers.size).toBe(0);
    expect(later.stats()).toMatchObject({ live: 0, retiring: 0 });
  });

  test('through the adapter core: real clients per tenant, bounded, each tenant its own client', async () => {
    const credentials = clientSecret({ clientId: 'tenant-app', clientSecret: 'tenant-secret-value' });
    const { source } = resolveSettings<{ tenant: string }>({
      tenant: (req) => ({ domain: `${req.tenant}.eu.auth0.com`, credentials }),
      maxTenants: 3,
      evictionGraceMs: 60_000,
    });
    const first = await source.resolve({ tenant: 't0' });
    for (let i = 0; i < 20; i++) await source.resolve({ tenant: `t${i}` });
    expect(source.tenants).toBe(3);
    expect(source.stats()).toEqual({ live: 3, retiring: 3, created: 20, evicted: 17 });
    expect(await source.resolve({ tenant: 't19' })).toBe(await source.resolve({ tenant: 't19' }));
    expect(await source.resolve({ tenant: 't0' })).not.toBe(first); // t0 was evicted: a new client
    await source.close();
  });
});
