import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { describeStoreContract } from '@scopebound/token/testing';
import { createClusterTokens } from '../examples/cluster';
import { redisStore, type RedisStore } from '../src/index';
import { startCluster, connectCluster, type TestCluster } from './cluster';
import { ALL_CLIENT_KINDS, eventually, randomPrefix, sampleToken, type TestClient } from './helpers';
import { countingTokenServer } from './token-server';

// The store on a real Redis Cluster started here (3 masters + 3 replicas on free loopback ports), through
// node-redis `createCluster` and ioredis `Cluster`, v5 and v6: the store contract, keys spread over the
// shards, and waiters woken over sharded pub/sub. The failover run is in cluster-failover.test.ts.
let cluster: TestCluster;
const clients: TestClient[] = [];

beforeAll(async () => {
  cluster = await startCluster();
}, 60_000);
afterAll(async () => {
  for (const c of clients) await c.close();
  await cluster?.stop();
});

async function clusterClient(kind: (typeof ALL_CLIENT_KINDS)[number]): Promise<TestClient> {
  const c = await connectCluster(kind, cluster);
  clients.push(c);
  return c;
}

// Not iovalkey: its Cluster (0.4) has no `shardedSubscribers`, so SSUBSCRIBE lands on a node that never sees the
// shard's SPUBLISH and waiters in other processes are not woken (measured; the store is for its standalone client).
const CLUSTER_KINDS = ALL_CLIENT_KINDS.filter((k) => k !== 'iovalkey');

for (const kind of CLUSTER_KINDS) {
  describe(`on a cluster (${kind})`, () => {
    let client: TestClient;
    let n = 0;
    const runPrefix = randomPrefix(`cluster-${kind}`);
    beforeAll(async () => {
      client = await clusterClient(kind);
    });

    describeStoreContract(
      {
        name: `redisStore (${kind} cluster)`,
        create: () => redisStore({ client: client.client, prefix: `${runPrefix}${n++}:`, logger: false }),
        destroy: async (store) => {
          await (store as RedisStore).close();
        },
      },
      { describe, it, expect, afterEach },
    );

    it('spreads token keys over the shards: commands follow the slots, not one node', async () => {
      const store = redisStore({ client: client.client, prefix: randomPrefix('spread'), logger: false });
      const keys = Array.from({ length: 24 }, (_, i) => `tenant|aud|client|scope-${i}`);
      for (const key of keys) await store.set(key, sampleToken({ clientId: key }), 60_000);
      for (const key of keys) expect((await store.get(key))?.clientId).toBe(key);
      // Count the keys each master holds (each master answers for its own slots only).
      const masters = new Set(await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k) => cluster.masterOf(k))));
      const counts = await Promise.all([...masters].map(async (port) => Number((await cluster.cli(port, 'DBSIZE')).trim())));
      expect(masters.size).toBe(3);
      expect(counts.filter((c) => c > 0).length).toBeGreaterThan(1);
      await store.close();
    });

    it('wakes a waiter in another process over sharded pub/sub (SSUBSCRIBE on the channel’s shard)', async () => {
      const prefix = randomPrefix('sharded');
      const other = await clusterClient(kind);
      // A minute between safety polls: only the notification can wake the waiter before its deadline.
      const waiting = redisStore({ client: other.client, prefix, logger: false, pollIntervalMs: 60_000 });
      const writer = redisStore({ client: client.client, prefix, logger: false });
      const key = 'tenant|aud|client|read:users';
      const result = waiting.waitFor(key, 20_000);
      await eventually(() => waiting.health().subscriber === 'ready', 300, 20);
      const channel = `${prefix}notify`;
      const shard = await cluster.masterOf(channel);
      const subscribers = (await cluster.cli(shard, 'PUBSUB', 'SHARDNUMSUB', channel)).trim().split('\n');
      expect(subscribers).toEqual([channel, '1']);
      await new Promise((resolve) => setTimeout(resolve, 100)); // let the waiter finish its read after subscribing
      const token = sampleToken();
      await writer.set(key, token, 60_000);
      expect(await result).toEqual(token);
      await Promise.all([waiting.close(), writer.close()]);
    }, 30_000);
  });
}

describe('README cluster example', () => {
  it('two instances on the cluster share one encrypted token', async () => {
    const server = await countingTokenServer({ grants: 'requested', delayMs: 20 });
    const env = {
      TOKEN_CACHE_KEY: randomBytes(32).toString('base64'),
      AUTH0_DOMAIN: 'readme.example.com',
      AUTH0_BASE_URL: server.url,
      AUTH0_CLIENT_ID: 'readme-app',
      AUTH0_CLIENT_SECRET: 'readme-secret-value',
    };
    const one = await createClusterTokens([...cluster.rootNodes], env);
    const two = await createClusterTokens([...cluster.rootNodes], env);
    try {
      const [a, b] = await Promise.all([one.tokens.getToken(['read:users']), two.tokens.getToken(['read:users'])]);
      expect(a.value).toBe(b.value);
      expect(server.totalMints()).toBe(1);
      expect(one.store.health().available && two.store.health().available).toBe(true);
    } finally {
      await one.close();
      await two.close();
      await server.close();
    }
  }, 30_000);
});
