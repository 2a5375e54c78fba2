/**
 * `memoryStore()`: the default L2 store. Bounded (least recently used entries go first), expiring (each entry
 * lives `ttlMs`), with a per-key lease and `waitFor` so two providers sharing one store mint once.
 */
import { InvalidOptionError } from './errors';
import type { Lease, StoredToken, TokenStore } from './types';

export interface MemoryStoreOptions {
  /** Most entries kept (default 1000). */
  max?: number | undefined;
  /** Epoch milliseconds; defaults to Date.now (fake timers work). */
  clock?: (() => number) | undefined;
}

export interface MemoryStore extends TokenStore {
  readonly size: number;
  clear(): void;
  lease(key: string, ttlMs: number): Promise<Lease | undefined>;
  waitFor(key: string, timeoutMs: number): Promise<StoredToken | undefined>;
}

export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const max = options.max ?? 1000;
  if (!Number.isInteger(max) || max < 1) throw new InvalidOptionError('max', 'must be a whole number ≥ 1');
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw new InvalidOptionError('clock', 'must be a function returning epoch milliseconds');
  }
  const now = options.clock ?? (() => Date.now());
  const entries = new Map<string, { value: StoredToken; expiresAt: number }>();
  const leases = new Map<string, { owner: symbol; expiresAt: number }>();
  const waiters = new Map<string, Set<(value: StoredToken) => void>>();

  const read = (key: string): StoredToken | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (now() >= entry.expiresAt) {
      entries.delete(key);
      return undefined;
    }
    entries.delete(key);
    entries.set(key, entry); // most recently used last
    return entry.value;
  };

  return {
    get size() {
      return entries.size;
    },
    async get(key) {
      return read(key);
    },
    async set(key, value, ttlMs) {
      if (!(ttlMs > 0)) {
        entries.delete(key);
        return;
      }
      const copy = Object.freeze({ ...value, scopes: Object.freeze([...value.scopes]) }) as StoredToken;
      entries.delete(key);
      entries.set(key, { value: copy, expiresAt: now() + ttlMs });
      while (entries.size > max) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
      const ws = waiters.get(key);
      if (ws) {
        waiters.delete(key);
        for (const w of ws) w(copy);
      }
    },
    async delete(key) {
      entries.delete(key);
    },
    async lease(key, ttlMs) {
      const held = leases.get(key);
      if (held && now() < held.expiresAt) return undefined;
      const owner = Symbol('lease');
      leases.set(key, { owner, expiresAt: now() + ttlMs });
      return {
        async release() {
          if (leases.get(key)?.owner === owner) leases.delete(key);
        },
      };
    },
    waitFor(key, timeoutMs) {
      const existing = read(key);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve) => {
        let set = waiters.get(key);
        if (!set) waiters.set(key, (set = new Set()));
        const done = (value: StoredToken | undefined) => {
          clearTimeout(timer);
          const current = waiters.get(key);
          current?.delete(done);
          if (current && current.size === 0) waiters.delete(key);
          resolve(value);
        };
        const timer = setTimeout(() => done(undefined), timeoutMs);
        (timer as { unref?: () => void }).unref?.();
        set.add(done);
      });
    },
    clear() {
      entries.clear();
      leases.clear();
    },
  };
}
