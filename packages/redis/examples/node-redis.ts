import { createClient } from 'redis';
import { clientSecret, createTokenProvider } from '@scopebound/token';
import { redisStore } from '@scopebound/redis';

export async function createFleetTokens(env: Record<string, string | undefined> = process.env) {
  // The app's own client: connect it before use; the store never closes it.
  const redis = createClient({ url: env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
  redis.on('error', () => {}); // node-redis requires a listener; the store logs each outage once
  await redis.connect();

  const store = redisStore({
    client: redis,
    prefix: 'myapp:auth0:',
    // 32 random bytes, base64 (`openssl rand -base64 32`), the same on every instance.
    encryptionKey: { id: '2025-06', key: env.TOKEN_CACHE_KEY! },
  });

  const tokens = createTokenProvider({
    domain: env.AUTH0_DOMAIN!, // my-tenant.eu.auth0.com
    baseUrl: env.AUTH0_BASE_URL, // optional: an emulator or proxy
    credentials: clientSecret({ clientId: env.AUTH0_CLIENT_ID!, clientSecret: env.AUTH0_CLIENT_SECRET! }),
    store,
  });

  async function close() {
    await tokens.settle();
    await store.close(); // ends waiters and the store's pub/sub connection
    redis.destroy();
  }
  return { tokens, close };
}
