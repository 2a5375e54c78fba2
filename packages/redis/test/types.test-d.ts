import { describe, expectTypeOf, it } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import type { Lease, StoredToken, TokenStore } from '@scopebound/token';
import { redisStore, type RedisStore, type RedisStoreEvent } from '../src/index';

describe('redisStore types', () => {
  it('accepts node-redis clients, ioredis clients and ioredis clusters', () => {
    expectTypeOf(redisStore({ client: createClient() })).toEqualTypeOf<RedisStore>();
    expectTypeOf(redisStore({ client: createClient({ RESP: 3 }) })).toEqualTypeOf<RedisStore>();
    expectTypeOf(redisStore({ client: new Redis() })).toEqualTypeOf<RedisStore>();
    // @ts-expect-error node-redis clusters are not supported (no isReady, keyed sendCommand)
    redisStore({ client: createCluster({ rootNodes: [] }) });
    redisStore({ client: new Cluster([]) });
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
