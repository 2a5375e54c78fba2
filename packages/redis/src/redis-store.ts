import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { Lease, StoredToken, TokenStore } from '@scopebound/token';
import { adaptClient, type ClientAdapter, type RedisClientLike, type Subscription } from './client-adapter';
import { createCodec, normalizeEncryptionKeys, type EncryptionKey, type InvalidValueReason } from './encryption';
import {
  RedisStoreClosedError,
  RedisStoreOptionError,
  RedisUnavailableError,
  type RedisUnavailableReason,
} from './errors';
import { keyLayout } from './keys';

export interface RedisStoreLogger {
  warn(message: string): void;
  info?(message: string): void;
}

/** What the store reports through `onEvent`. Never contains a token, an encryption key or a provider key. */
export type RedisStoreEvent =
  | {
      /** Redis stopped answering; emitted once per outage (the first failing command). */
      readonly type: 'unavailable';
      readonly command: string;
      readonly reason: RedisUnavailableReason;
      readonly message: string;
    }
  | {
      /** The first command that succeeded after an outage. */
      readonly type: 'recovered';
      readonly downForMs: number;
    }
  | {
      /** A stored value was refused and treated as a miss (tampered, wrong or unknown key, …). */
      readonly type: 'invalid-value';
      /** The SHA-256 (base64url) of the provider's key, as used in the Redis key. */
      readonly keyHash: string;
      readonly reason: InvalidValueReason;
      readonly keyId?: string;
    }
  | {
      /** The pub/sub connection used by `waitFor` failed; waiters poll instead until it is back. */
      readonly type: 'subscriber-error';
      readonly message: string;
    };

export interface RedisStoreOptions {
  /** A connected node-redis v5 or ioredis v5 client. The store never closes it. */
  readonly client: RedisClientLike;
  /** Prefix of every key and of the pub/sub channel. Default `'scopebound:'`. */
  readonly prefix?: string;
  /** AES-256-GCM key(s). The first one encrypts; all of them decrypt (rotation). Omit to store plaintext JSON. */
  readonly encryptionKey?: EncryptionKey | readonly EncryptionKey[];
  /**
   * Lease duration in ms. When set it replaces the duration the provider asks for; keep it longer than the
   * token request timeout. Default: what the provider asks for (30 000 if it asks for nothing valid).
   */
  readonly leaseMs?: number;
  /** Upper bound for every Redis command, in ms. Default 500. */
  readonly commandTimeoutMs?: number;
  /** Longest pause between two polls of `waitFor` while pub/sub is not available, in ms. Default 250. */
  readonly pollIntervalMs?: number;
  /** Called for outages, recoveries, refused values and subscriber errors. Exceptions it throws are ignored. */
  readonly onEvent?: (event: RedisStoreEvent) => void;
  /** Outages (once each) and recoveries are logged here. Default `console`; `false` to silence. */
  readonly logger?: RedisStoreLogger | false;
}

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

const DEFAULT_PREFIX = 'scopebound:';
const DEFAULT_COMMAND_TIMEOUT_MS = 500;
const DEFAULT_POLL_INTERVAL_MS = 250;
const DEFAULT_LEASE_MS = 30_000;
const FIRST_POLL_MS = 25;
/** While pub/sub works, waiters still poll this often in case a notification was lost. */
const SAFETY_POLL_MS = 1_000;
const MAX_MS = 2_147_483_647;

const SET_AND_NOTIFY = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

const TIMEOUT = Symbol('timeout');

interface SubscriberEntry {
  subscription: Subscription;
  ready: boolean;
  errorReported: boolean;
}

function positiveNumber(options: RedisStoreOptions, name: keyof RedisStoreOptions, min: number): number | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_MS) {
    throw new RedisStoreOptionError(name, `must be a number of milliseconds between ${min} and ${MAX_MS}.`);
  }
  return value;
}

function describeError(error: unknown): string {
  // Only the name and message: ioredis errors carry the command's arguments (a token) on `command.args`.
  const text = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Creates a Redis-backed TokenStore for `createTokenProvider({ store })`.
 *
 * Throws RedisStoreOptionError (synchronously) for an invalid option.
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  if (!isRecord(options)) throw new RedisStoreOptionError('options', 'must be an object `{ client, … }`.');
  const adapter: ClientAdapter = adaptClient(options.client);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string' || prefix.length === 0 || prefix.length > 200) {
    throw new RedisStoreOptionError('prefix', 'must be a non-empty string of at most 200 characters, e.g. "myapp:scopebound:".');
  }
  const codec = createCodec(normalizeEncryptionKeys(options.encryptionKey));
  const keyIds = normalizeKeyIds(options.encryptionKey);
  const leaseMs = positiveNumber(options, 'leaseMs', 1);
  const commandTimeoutMs = positiveNumber(options, 'commandTimeoutMs', 1) ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const pollIntervalMs = positiveNumber(options, 'pollIntervalMs', 5) ?? DEFAULT_POLL_INTERVAL_MS;
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw new RedisStoreOptionError('onEvent', 'must be a function `(event) => void`.');
  }
  const logger = options.logger === undefined ? console : options.logger;
  if (logger !== false && (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function')) {
    throw new RedisStoreOptionError('logger', 'must be an object with a `warn(message)` method, or `false`.');
  }
  const onEvent = options.onEvent;
  const layout = keyLayout(prefix);

  // ---- per-instance state (never module-level) ----
  let closed = false;
  let down = false;
  let downSince = 0;
  let probing = false;
  let subscriber: SubscriberEntry | undefined;
  const waiters = new Map<string, Set<() => void>>();
  const onClose = new Set<() => void>();
  const loggedInvalid = new Set<InvalidValueReason>();

  function emit(event: RedisStoreEvent): void {
    try {
      onEvent?.(event);
    } catch {
      // a listener's failure must not break a token request
    }
  }

  function log(level: 'warn' | 'info', message: string): void {
    if (logger === false) return;
    try {
      if (level === 'info' && logger.info) logger.info(message);
      else logger.warn(message);
    } catch {
      // ignore logger failures
    }
  }

  function markDown(error: RedisUnavailableError): RedisUnavailableError {
    if (!down) {
      down = true;
      downSince = performance.now();
      emit({ type: 'unavailable', command: error.command, reason: error.reason, message: error.message });
      log('warn', `[@scopebound/redis] ${error.message}`);
    }
    return error;
  }

  function markUp(): void {
    if (!down) return;
    down = false;
    const downForMs = Math.round(performance.now() - downSince);
    emit({ type: 'recovered', downForMs });
    log('info', `[@scopebound/redis] Redis is back after ${downForMs} ms; the fleet shares tokens again.`);
  }

  /** Runs one command, bounded by commandTimeoutMs, failing fast while Redis is known to be down. */
  async function run<T>(command: string, op: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (closed) throw new RedisStoreClosedError(command);
    const state = adapter.state();
    if (state === 'down' || (state === 'connecting' && down)) {
      throw markDown(new RedisUnavailableError(command, 'not-ready', 'the Redis client is not connected'));
    }
    let probe = false;
    if (down) {
      // One command at a time checks whether Redis is back; the others fail fast meanwhile.
      if (probing) throw new RedisUnavailableError(command, 'recovering', 'waiting for a probe command');
      probing = probe = true;
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<typeof TIMEOUT>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve(TIMEOUT);
      }, commandTimeoutMs);
    });
    try {
      const pending = op(controller.signal);
      pending.catch(() => {}); // it may reject after the timeout won the race
      const result = await Promise.race([pending, timeout]);
      if (result === TIMEOUT) {
        throw markDown(new RedisUnavailableError(command, 'timeout', `no reply within ${commandTimeoutMs} ms`));
      }
      markUp();
      return result;
    } catch (error) {
      if (error instanceof RedisUnavailableError) throw error;
      throw markDown(new RedisUnavailableError(command, 'error', describeError(error)));
    } finally {
      clearTimeout(timer);
      if (probe) probing = false;
    }
  }

  function onMessage(hash: string): void {
    const set = waiters.get(hash);
    if (set) for (const wake of [...set]) wake();
  }

  function wakeAll(): void {
    for (const set of waiters.values()) for (const wake of [...set]) wake();
  }

  function ensureSubscriber(): void {
    if (subscriber || closed) return;
    const entry: SubscriberEntry = { subscription: { close: async () => {} }, ready: false, errorReported: false };
    try {
      const { ready, subscription } = adapter.subscribe(layout.channel, onMessage, (error) => {
        if (entry.errorReported) return;
        entry.errorReported = true;
        emit({ type: 'subscriber-error', message: describeError(error) });
      });
      entry.subscription = subscription;
      subscriber = entry;
      ready.then(
        () => {
          if (subscriber !== entry) return;
          entry.ready = true;
          entry.errorReported = false;
          wakeAll(); // a value may have been set before the subscription existed
        },
        (error: unknown) => {
          if (subscriber !== entry) return;
          if (!entry.errorReported) emit({ type: 'subscriber-error', message: describeError(error) });
          subscriber = undefined; // the next waitFor tries again
          entry.subscription.close().catch(() => {});
        },
      );
    } catch (error) {
      emit({ type: 'subscriber-error', message: describeError(error) });
    }
  }

  function decode(hash: string, raw: string | undefined): StoredToken | undefined {
    if (raw === undefined) return undefined;
    const decoded = codec.decode(raw, layout.token(hash));
    if (decoded.ok) return decoded.value as unknown as StoredToken;
    emit({
      type: 'invalid-value',
      keyHash: hash,
      reason: decoded.reason,
      ...(decoded.keyId === undefined ? {} : { keyId: decoded.keyId }),
    });
    if (!loggedInvalid.has(decoded.reason)) {
      loggedInvalid.add(decoded.reason);
      log('warn', `[@scopebound/redis] Ignored a stored token (${decoded.reason}); treating it as a miss. Check encryptionKey on every instance.`);
    }
    return undefined;
  }

  async function get(key: string): Promise<StoredToken | undefined> {
    const hash = layout.hash(key);
    const raw = await run('GET', (signal) => adapter.get(layout.token(hash), signal));
    return decode(hash, raw);
  }

  const store: RedisStore = {
    get,

    async set(key, value, ttlMs) {
      if (!isRecord(value)) throw new TypeError('redisStore.set(): value must be a StoredToken object.');
      const hash = layout.hash(key);
      const redisKey = layout.token(hash);
      if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
        // Already expired (or nonsense): never store it, and drop what is there.
        await run('DEL', (signal) => adapter.del(redisKey, signal));
        return;
      }
      const payload = codec.encode(value, redisKey);
      const px = String(Math.min(MAX_MS, Math.ceil(ttlMs)));
      await run('SET', (signal) => adapter.eval(SET_AND_NOTIFY, [redisKey], [payload, px, layout.channel, hash], signal));
    },

    async delete(key) {
      const redisKey = layout.token(layout.hash(key));
      await run('DEL', (signal) => adapter.del(redisKey, signal));
    },

    async lease(key, ttlMs) {
      const leaseKey = layout.lease(layout.hash(key));
      const duration = Math.ceil(
        leaseMs ?? (typeof ttlMs === 'number' && Number.isFinite(ttlMs) && ttlMs > 0 ? Math.min(ttlMs, MAX_MS) : DEFAULT_LEASE_MS),
      );
      const owner = randomBytes(16).toString('base64url');
      const acquired = await run('SET NX', (signal) => adapter.setNxPx(leaseKey, owner, duration, signal));
      if (!acquired) return undefined;
      let released: Promise<void> | undefined;
      return {
        release() {
          // Compare-and-delete: never removes a lease that expired and now belongs to someone else.
          // Never rejects: if Redis is unreachable the lease simply expires after its duration.
          released ??= run('EVAL release', (signal) => adapter.eval(RELEASE, [leaseKey], [owner], signal)).then(
            () => undefined,
            () => undefined,
          );
          return released;
        },
      };
    },

    async waitFor(key, timeoutMs) {
      if (closed) return undefined;
      const hash = layout.hash(key);
      const deadline = performance.now() + (Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 0);
      let wake: () => void = () => {};
      const waker = () => wake();
      let set = waiters.get(hash);
      if (!set) waiters.set(hash, (set = new Set()));
      set.add(waker);
      onClose.add(waker);
      ensureSubscriber();
      let interval = FIRST_POLL_MS;
      try {
        for (;;) {
          // Arm the wake-up before reading, so a notification between the read and the wait is not lost.
          const woken = new Promise<void>((resolve) => (wake = resolve));
          const value = await get(key);
          if (value !== undefined) return value;
          const remaining = deadline - performance.now();
          if (closed || remaining <= 0) return undefined;
          const pause = subscriber?.ready ? Math.max(SAFETY_POLL_MS, pollIntervalMs) : interval;
          interval = Math.min(interval * 2, pollIntervalMs);
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.min(pause, remaining))))]);
          clearTimeout(timer);
          if (closed) return undefined;
        }
      } finally {
        set.delete(waker);
        if (set.size === 0 && waiters.get(hash) === set) waiters.delete(hash);
        onClose.delete(waker);
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const wake of [...onClose]) wake();
      const current = subscriber;
      subscriber = undefined;
      await current?.subscription.close().catch(() => {});
    },

    health() {
      return {
        available: !down,
        subscriber: subscriber === undefined ? 'none' : subscriber.ready ? 'ready' : 'connecting',
      };
    },
  };

  Object.defineProperty(store, inspect.custom, {
    value: () => `RedisStore { client: ${adapter.kind}, prefix: ${JSON.stringify(prefix)}, encrypted: ${codec.encrypted}, keyIds: ${JSON.stringify(keyIds)} }`,
  });
  return store;
}

function normalizeKeyIds(input: unknown): string[] {
  if (input === undefined) return [];
  const list = Array.isArray(input) ? input : [input];
  return list.map((k: { id: string }) => k.id);
}
