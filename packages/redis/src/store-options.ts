/**
 * `redisStore()` options: their types, their defaults, and the up-front validation that turns them into
 * what the store runs on (throws RedisStoreOptionError, synchronously).
 */
import { consoleLogger } from '@scopebound/token';
import { adaptClient, type ClientAdapter, type RedisClientLike } from './client-adapter';
import { createCodec, normalizeEncryptionKeys, type Codec, type EncryptionKey } from './encryption';
import { RedisStoreOptionError } from './errors';
import type { RedisStoreEvent, RedisStoreLogger } from './store-events';

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
  /** Outages (once each) and recoveries are logged here (pino-compatible: `warn(fields, message)`). Default `console`; `false` to silence. */
  readonly logger?: RedisStoreLogger | false;
}

/** The options, validated and with their defaults. */
export interface ResolvedStoreOptions {
  readonly adapter: ClientAdapter;
  readonly prefix: string;
  readonly codec: Codec;
  /** Ids of the encryption keys, for `util.inspect` (never the keys). */
  readonly keyIds: readonly string[];
  readonly leaseMs: number | undefined;
  readonly commandTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly onEvent: ((event: RedisStoreEvent) => void) | undefined;
  readonly logger: RedisStoreLogger | false;
}

/** The longest delay `setTimeout` and Redis `PX` take alike. */
export const MAX_MS = 2_147_483_647;
const DEFAULT_PREFIX = 'scopebound:';
const DEFAULT_COMMAND_TIMEOUT_MS = 500;
const DEFAULT_POLL_INTERVAL_MS = 250;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveNumber(options: RedisStoreOptions, name: keyof RedisStoreOptions, min: number): number | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_MS) {
    throw new RedisStoreOptionError(name, `must be a number of milliseconds between ${min} and ${MAX_MS}.`);
  }
  return value;
}

function keyIdsOf(input: unknown): string[] {
  if (input === undefined) return [];
  const list = Array.isArray(input) ? input : [input];
  return list.map((k: { id: string }) => k.id);
}

export function resolveStoreOptions(options: RedisStoreOptions): ResolvedStoreOptions {
  if (!isRecord(options)) throw new RedisStoreOptionError('options', 'must be an object `{ client, … }`.');
  const adapter = adaptClient(options.client);
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string' || prefix.length === 0 || prefix.length > 200) {
    throw new RedisStoreOptionError('prefix', 'must be a non-empty string of at most 200 characters, e.g. "myapp:scopebound:".');
  }
  const codec = createCodec(normalizeEncryptionKeys(options.encryptionKey));
  const keyIds = keyIdsOf(options.encryptionKey);
  const leaseMs = positiveNumber(options, 'leaseMs', 1);
  const commandTimeoutMs = positiveNumber(options, 'commandTimeoutMs', 1) ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const pollIntervalMs = positiveNumber(options, 'pollIntervalMs', 5) ?? DEFAULT_POLL_INTERVAL_MS;
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw new RedisStoreOptionError('onEvent', 'must be a function `(event) => void`.');
  }
  const logger = options.logger === undefined ? consoleLogger : options.logger;
  if (logger !== false && (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function')) {
    throw new RedisStoreOptionError('logger', 'must be a pino-compatible logger (debug/info/warn/error called as `(fields, message)`), or `false`.');
  }
  return { adapter, prefix, codec, keyIds, leaseMs, commandTimeoutMs, pollIntervalMs, onEvent: options.onEvent, logger };
}
