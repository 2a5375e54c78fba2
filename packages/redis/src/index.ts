// @scopebound/redis public surface
export { redisStore } from './redis-store';
export type { RedisStore, RedisStoreOptions, RedisStoreEvent, RedisStoreHealth, RedisStoreLogger } from './redis-store';
export type { EncryptionKey, InvalidValueReason } from './encryption';
export type { RedisClientLike, NodeRedisClientLike, IoRedisClientLike } from './client-adapter';
export {
  RedisStoreError,
  RedisStoreOptionError,
  RedisUnavailableError,
  RedisStoreClosedError,
} from './errors';
export type { RedisStoreErrorCode, RedisUnavailableReason } from './errors';
