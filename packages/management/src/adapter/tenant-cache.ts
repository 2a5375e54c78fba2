/**
 * The per-tenant client cache: a least-recently-used map of at most `maxTenants` live clients, whose evicted
 * clients stay open for `graceMs` (calls in flight finish) — at most `maxTenants` of them at once, the oldest
 * closed at once beyond that — so a stream of new tenants never holds more than 2 × maxTenants clients.
 */
export interface Closeable {
  close(): Promise<void>;
}

export interface TenantCacheStats {
  /** Clients in the LRU (served to requests). */
  readonly live: number;
  /** Evicted clients still open for their grace period. */
  readonly retiring: number;
  readonly created: number;
  readonly evicted: number;
}

export interface TenantCache<C extends Closeable> {
  /** The client for `key`, made by `create` on a miss (and the least recently used one evicted past the bound). */
  get(key: string, create: () => C): C;
  stats(): TenantCacheStats;
  /** Closes every live and retiring client. */
  close(): Promise<void>;
}

export interface TenantCacheOptions {
  readonly maxTenants: number;
  readonly graceMs: number;
  /** The timer a retiring client waits on (injectable; default `setTimeout`, unref'd). */
  readonly schedule?: (run: () => void, ms: number) => { cancel(): void };
}

const defaultSchedule = (run: () => void, ms: number) => {
  const timer = setTimeout(run, ms);
  (timer as { unref?: () => void }).unref?.();
  return { cancel: () => clearTimeout(timer) };
};

export function createTenantCache<C extends Closeable>(options: TenantCacheOptions): TenantCache<C> {
  const { maxTenants, graceMs } = options;
  const schedule = options.schedule ?? defaultSchedule;
  const live = new Map<string, C>();
  // Insertion order is eviction order: the first entry retired longest ago.
  const retiring = new Map<C, { cancel(): void }>();
  let created = 0;
  let evicted = 0;

  const closeNow = (client: C) => {
    retiring.get(client)?.cancel();
    retiring.delete(client);
    client.close().catch(() => undefined);
  };

  const retire = (client: C) => {
    evicted++;
    if (graceMs === 0) {
      client.close().catch(() => undefined);
      return;
    }
    retiring.set(client, schedule(() => closeNow(client), graceMs));
    if (retiring.size > maxTenants) closeNow(retiring.keys().next().value as C);
  };

  return {
    get(key, create) {
      const hit = live.get(key);
      if (hit) {
        live.delete(key);
        live.set(key, hit);
        return hit;
      }
      const client = create();
      created++;
      live.set(key, client);
      if (live.size > maxTenants) {
        const [oldestKey, oldest] = live.entries().next().value as [string, C];
        live.delete(oldestKey);
        retire(oldest);
      }
      return client;
    },
    stats: () => ({ live: live.size, retiring: retiring.size, created, evicted }),
    async close() {
      const all = [...live.values(), ...retiring.keys()];
      for (const timer of retiring.values()) timer.cancel();
      live.clear();
      retiring.clear();
      await Promise.all(all.map((c) => c.close()));
    },
  };
}
