/** The error classes of @scopebound/redis: every error the store throws is one of them (a `ScopeboundError`). */
import { ScopeboundError } from '@scopebound/token';

/** Stable codes of every error @scopebound/redis throws. Branch on `code`, never on a message. */
export type RedisStoreErrorCode =
  | 'ERR_REDIS_STORE_INVALID_OPTION'
  | 'ERR_REDIS_STORE_INVALID_VALUE'
  | 'ERR_REDIS_UNAVAILABLE'
  | 'ERR_REDIS_STORE_CLOSED'
  | 'ERR_REDIS_RATE_LIMITER_INVALID_OPTION';

/**
 * Base class of the store's errors (a `ScopeboundError`). None of them carries a token, a key or a raw Redis
 * error object.
 */
export abstract class RedisStoreError extends ScopeboundError {
  /** The family code; every instance carries one of the `ERR_REDIS_*` codes of its subclass. */
  static override readonly code: string = 'ERR_REDIS';
  declare readonly code: RedisStoreErrorCode;

  constructor(code: RedisStoreErrorCode, message: string) {
    super(code, message);
  }
}

/** An option passed to `redisStore()` is missing or invalid. Thrown synchronously by the factory. */
export class RedisStoreOptionError extends RedisStoreError {
  static override readonly code: string = 'ERR_REDIS_STORE_INVALID_OPTION';
  /** The option's path, e.g. `encryptionKey[1].key`. */
  readonly option: string;

  constructor(option: string, problem: string) {
    super('ERR_REDIS_STORE_INVALID_OPTION', `redisStore(): option \`${option}\` ${problem}`);
    this.option = option;
  }
}

/** An option passed to `redisRateLimiter()` is missing or invalid. Thrown synchronously by the factory. */
export class RedisRateLimiterOptionError extends RedisStoreError {
  static override readonly code: string = 'ERR_REDIS_RATE_LIMITER_INVALID_OPTION';
  readonly option: string;

  constructor(option: string, problem: string) {
    super('ERR_REDIS_RATE_LIMITER_INVALID_OPTION', `redisRateLimiter(): option \`${option}\` ${problem}`);
    this.option = option;
  }
}

/** `store.set()` was given something that is not a StoredToken object (a caller bug; nothing is written). */
export class RedisStoreValueError extends RedisStoreError {
  static override readonly code: string = 'ERR_REDIS_STORE_INVALID_VALUE';

  constructor(message: string) {
    super('ERR_REDIS_STORE_INVALID_VALUE', message);
  }
}

/** Why a command did not run: Redis did not answer in time, the client is not connected, or Redis replied with an error. */
export type RedisUnavailableReason = 'timeout' | 'not-ready' | 'recovering' | 'error';

/**
 * Redis could not serve a command within `commandTimeoutMs`. The token provider treats this like a cache
 * miss: it falls back to its in-process cache and mints locally. The message carries the Redis client's
 * error text (never its arguments, which may hold a token).
 */
export class RedisUnavailableError extends RedisStoreError {
  static override readonly code: string = 'ERR_REDIS_UNAVAILABLE';
  readonly command: string;
  readonly reason: RedisUnavailableReason;

  constructor(command: string, reason: RedisUnavailableReason, detail: string) {
    super('ERR_REDIS_UNAVAILABLE', `Redis ${command} failed (${reason}): ${detail}. ${ADVICE[reason]}`);
    this.command = command;
    this.reason = reason;
  }
}

const ADVICE: Record<RedisUnavailableReason, string> = {
  timeout:
    'Check that Redis is reachable and not overloaded, or raise `commandTimeoutMs`; tokens are minted locally meanwhile.',
  'not-ready':
    'The Redis client is not connected (connect it before use, or wait for it to reconnect); tokens are minted locally meanwhile.',
  recovering:
    'Redis failed recently and a probe command is checking whether it is back; tokens are minted locally meanwhile.',
  error:
    'Check the Redis server and the ACL of this connection (it needs GET, SET, DEL, EVAL and PUBLISH/SUBSCRIBE on the prefix); tokens are minted locally meanwhile.',
};

/** The store was closed with `close()`; create a new one to use Redis again. */
export class RedisStoreClosedError extends RedisStoreError {
  static override readonly code: string = 'ERR_REDIS_STORE_CLOSED';

  constructor(command: string) {
    super('ERR_REDIS_STORE_CLOSED', `Redis ${command} called after store.close(); create a new store with redisStore() instead.`);
  }
}
