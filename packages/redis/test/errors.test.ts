/** Every error class @scopebound/redis exports is a ScopeboundError with a stable code; set() refuses a non-token with one. */
import { ScopeboundError, type StoredToken } from '@scopebound/token';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  redisStore,
  RedisStoreClosedError,
  RedisStoreError,
  RedisStoreOptionError,
  RedisStoreValueError,
  RedisUnavailableError,
  RedisRateLimiterOptionError,
} from '../src/index';
import { connect, randomPrefix, type TestClient } from './helpers';

describe('error classes', () => {
  it.each([
    ['RedisStoreOptionError', RedisStoreOptionError, () => new RedisStoreOptionError('prefix', 'must be a string.')],
    ['RedisStoreValueError', RedisStoreValueError, () => new RedisStoreValueError('value must be a StoredToken object.')],
    ['RedisUnavailableError', RedisUnavailableError, () => new RedisUnavailableError('GET', 'timeout', 'no reply within 500 ms')],
    ['RedisStoreClosedError', RedisStoreClosedError, () => new RedisStoreClosedError('GET')],
    ['RedisRateLimiterOptionError', RedisRateLimiterOptionError, () => new RedisRateLimiterOptionError('horizonMs', 'must be a number.')],
  ] as const)('%s is a ScopeboundError whose instance code is the class code', (_name, Class, make) => {
    const error = make();
    expect(error).toBeInstanceOf(ScopeboundError);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(error).toBeInstanceOf(Class);
    expect(Class.code).toBe(error.code);
    expect(error.name).toBe(Class.name);
  });

  it('RedisStoreError is the (abstract) family: a ScopeboundError whose subclasses carry ERR_REDIS_* codes', () => {
    expect(RedisStoreError.prototype).toBeInstanceOf(ScopeboundError);
    expect(RedisStoreError.code).toBe('ERR_REDIS');
    expect(new RedisStoreClosedError('GET').code.startsWith(`${RedisStoreError.code}_`)).toBe(true);
  });
});

describe('set() with a value that is not a StoredToken', () => {
  let test: TestClient;
  beforeAll(async () => {
    test = await connect('node-redis');
  });
  afterAll(async () => {
    await test.close();
  });

  it('rejects with RedisStoreValueError (ERR_REDIS_STORE_INVALID_VALUE) and writes nothing', async () => {
    const store = redisStore({ client: test.client, prefix: randomPrefix('errors'), logger: false });
    try {
      await expect(store.set('k', 'not a token' as unknown as StoredToken, 60_000)).rejects.toBeInstanceOf(RedisStoreValueError);
      await expect(store.set('k', null as unknown as StoredToken, 60_000)).rejects.toMatchObject({ code: 'ERR_REDIS_STORE_INVALID_VALUE' });
      expect(await store.get('k')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
