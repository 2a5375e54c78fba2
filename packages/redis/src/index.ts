// @scopebound/redis public surface
export { redisStore } from './redis-store';
export type { RedisStore, RedisStoreHealth } from './redis-store';
export type { RedisStoreOptions } from './store-options';
export { redisUsageStore } from './usage-store';
export type { RedisUsageStore, RedisUsageStoreOptions } from './usage-store';
export { redisRateLimiter } from './rate-limiter';
export type { RedisRateLimiterOptions } from './rate-limiter';
export type { RedisStoreEvent, RedisStoreLegacyLogger, RedisStoreLogger } from './store-events';
export type { EncryptionKey, InvalidValueReason } from './encryption';
export type { RedisClientLike, NodeRedisClientLike, NodeRedisClusterLike, IoRedisClientLike } from './client-adapter';
export {
  RedisStoreError,
  RedisStoreOptionError,
  RedisStoreValueError,
  RedisUnavailableError,
  RedisStoreClosedError,
  RedisRateLimiterOptionError,
} from './errors';
export type { RedisStoreErrorCode, RedisUnavailableReason } from './errors';
