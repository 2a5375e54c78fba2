import { describe, expectTypeOf, it } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import { Cluster as Cluster6, Redis as Redis6 } from 'ioredis6';
import { createClient, createCluster } from 'redis';
import { createClient as createClient6, createCluster as createCluster6 } from 'redis6';
import type { Lease, StoredToken, TokenStore } from '@scopebound/token';
import { redisStore, type RedisStore, type RedisStoreEvent } from '../src/index';

describe('redisStore types', () => {
  it('accepts node-redis and ioredis clients and clusters, v5 and v6', () => {
    expectTypeOf(redisStore({ client: createClient() })).toEqualTypeOf<RedisStore>();
    expectTypeOf(redisStore({ client: createClient({ RESP: 3 }) })).toEqualTypeOf<RedisStore>();
    expectTypeOf(redisStore({ client: new Redis() })).toEqualTypeOf<RedisStore>();
    redisStore({ client: createCluster({ rootNodes: [] }) });
    redisStore({ client: new Cluster([]) });
    redisStore({ client: createClient6() });
    redisStore({ client: createCluster6({ rootNodes: [] }) });
    redisStore({ client: new Redis6() });
    redisStore({ client: new Cluster6([]) });
    // @ts-expect-error not a Redis client
    redisStore({ client: { get: async () => null } });
  });

  it('is a TokenStore with the optional members implemented', () => {
    expectTypeOf<RedisStore>().toExtend<TokenStore>();
    expectTypeOf<RedisStore['lease']>().returns.resolves.toEqualTypeOf<Lease | undefined>();
    expectTypeOf<RedisStore['waitFor']>().returns.resolves.toEqualTypeOf<StoredToken | undefined>();
  });

  it('types options and events', () => {
    // @ts-expect-error client is required
    redisStore({ prefix: 'x:' });
    // @ts-expect-error a key needs an id
    redisStore({ client: new Redis(), encryptionKey: { key: 'x' } });
    redisStore({ client: new Redis(), encryptionKey: [{ id: 'a', key: new Uint8Array(32) }], logger: false });
    expectTypeOf<Extract<RedisStoreEvent, { type: 'unavailable' }>['reason']>().toEqualTypeOf<
      'timeout' | 'not-ready' | 'recovering' | 'error'
    >();
  });
});
