// @scopebound/redis public surface
export { redisStore } from './redis-store';
export type { RedisStore, RedisStoreHealth } from './redis-store';
export type { RedisStoreOptions } from './store-options';
export { redisUsageStore } from './usage-store';
export type { RedisUsageStore, RedisUsageStoreOptions } from './usage-store';
export type { RedisStoreEvent, RedisStoreLogger } from './store-events';
export type { EncryptionKey, InvalidValueReason } from './encryption';
export type { RedisClientLike, NodeRedisClientLike, IoRedisClientLike } from './client-adapter';
export {
  RedisStoreError,
  RedisStoreOptionError,
  RedisStoreValueError,
  RedisUnavailableError,
  RedisStoreClosedError,
} from './errors';
export type { RedisStoreErrorCode, RedisUnavailableReason } from './errors';
