import { createCluster } from 'redis';
import { clientSecret, createTokenProvider } from '@scopebound/token';
import { redisStore } from '@scopebound/redis';

// A Redis Cluster through node-redis (ioredis: `new Cluster(rootNodes)` works the same). See "Failover" below.
export async function createClusterTokens(rootNodes: { host: string; port: number }[], env: Record<string, string | undefined> = process.env) {
  const cluster = createCluster({ rootNodes: rootNodes.map((socket) => ({ socket })) });
  cluster.on('error', () => {}); // the store logs each outage once
  await cluster.connect();

  const store = redisStore({
    client: cluster,
    prefix: 'myapp:auth0:', // keys spread over the shards; notifications on the shard of `myapp:auth0:notify`
    encryptionKey: { id: '2025-06', key: env.TOKEN_CACHE_KEY! },
  });

  const tokens = createTokenProvider({
    domain: env.AUTH0_DOMAIN!,
    baseUrl: env.AUTH0_BASE_URL,
    credentials: clientSecret({ clientId: env.AUTH0_CLIENT_ID!, clientSecret: env.AUTH0_CLIENT_SECRET! }),
    store,
  });

  async function close() {
    await tokens.settle();
    await store.close();
    cluster.destroy();
  }
  return { tokens, store, close };
}
