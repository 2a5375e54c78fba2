/**
 * `redisStore()`: assembles the Redis TokenStore from its parts — validated options (store-options.ts),
 * bounded commands and outage tracking (command-runner.ts), leases (lease.ts), set + notify (notify.ts), pub/sub waiters (waiters.ts)
 * and the value codec (encryption.ts, stored-values.ts). All state is per instance, never module-level.
 */
import { inspect } from 'node:util';
import type { Lease, StoredToken, TokenStore } from '@scopebound/token';
import { createCommandRunner } from './command-runner';
import { RedisStoreValueError } from './errors';
import { keyLayout } from './keys';
import { setAndNotify } from './notify';
import { acquireLease, leaseDuration } from './lease';
import { createReporter } from './store-events';
import { isRecord, MAX_MS, resolveStoreOptions, type RedisStoreOptions } from './store-options';
import { storedValueDecoder } from './stored-values';
import { createWaiters } from './waiters';

export interface RedisStoreHealth {
  /** False between a failed command and the next successful one. */
  readonly available: boolean;
  /** State of the pub/sub connection used by `waitFor`. */
  readonly subscriber: 'none' | 'connecting' | 'ready';
}

/** A TokenStore on Redis, with fleet-wide leases and `waitFor`. */
export interface RedisStore extends TokenStore {
  lease(key: string, ttlMs: number): Promise<Lease | undefined>;
  waitFor(key: string, timeoutMs: number): Promise<StoredToken | undefined>;
  /** Ends pending `waitFor` calls (they resolve to `undefined`) and closes the pub/sub connection. Leaves `client` open. */
  close(): Promise<void>;
  health(): RedisStoreHealth;
}

/**
 * Creates a Redis-backed TokenStore for `createTokenProvider({ store })`.
 *
 * Throws RedisStoreOptionError (synchronously) for an invalid option.
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  const resolved = resolveStoreOptions(options);
  const { adapter, codec } = resolved;
  const layout = keyLayout(resolved.prefix);
  const reporter = createReporter(resolved.onEvent, resolved.logger);
  let closed = false;
  const isClosed = () => closed;
  const { run, available } = createCommandRunner({ adapter, commandTimeoutMs: resolved.commandTimeoutMs, reporter, isClosed });
  const decode = storedValueDecoder(codec, layout, reporter);

  async function get(key: string): Promise<StoredToken | undefined> {
    const hash = layout.hash(key);
    const raw = await run('GET', (signal) => adapter.get(layout.token(hash), signal));
    return decode(hash, raw);
  }

  const waiters = createWaiters({ adapter, layout, reporter, pollIntervalMs: resolved.pollIntervalMs, read: get, isClosed });

  const store: RedisStore = {
    get,

    async set(key, value, ttlMs) {
      if (!isRecord(value)) throw new RedisStoreValueError('redisStore.set(): value must be a StoredToken object.');
      const hash = layout.hash(key);
      const redisKey = layout.token(hash);
      if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
        // Already expired (or nonsense): never store it, and drop what is there.
        await run('DEL', (signal) => adapter.del(redisKey, signal));
        return;
      }
      const payload = codec.encode(value, redisKey);
      const px = String(Math.min(MAX_MS, Math.ceil(ttlMs)));
      await setAndNotify(run, adapter, { key: redisKey, payload, px, channel: layout.channel, message: hash });
    },

    async delete(key) {
      const redisKey = layout.token(layout.hash(key));
      await run('DEL', (signal) => adapter.del(redisKey, signal));
    },

    lease: (key, ttlMs) => acquireLease(run, adapter, layout.lease(layout.hash(key)), leaseDuration(resolved.leaseMs, ttlMs)),

    waitFor: (key, timeoutMs) => waiters.waitFor(key, timeoutMs),

    async close() {
      if (closed) return;
      closed = true;
      await waiters.close();
    },

    health: () => ({ available: available(), subscriber: waiters.subscriberState() }),
  };

  Object.defineProperty(store, inspect.custom, {
    value: () =>
      `RedisStore { client: ${adapter.kind}${adapter.cluster ? ' cluster' : ''}, prefix: ${JSON.stringify(resolved.prefix)}, encrypted: ${codec.encrypted}, keyIds: ${JSON.stringify(resolved.keyIds)} }`,
  });
  return store;
}
