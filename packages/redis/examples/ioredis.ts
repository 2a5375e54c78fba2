import { Redis } from 'ioredis';
import { clientSecret, createTokenProvider } from '@scopebound/token';
import { redisStore } from '@scopebound/redis';

export async function createFleetTokens(env: Record<string, string | undefined> = process.env) {
  const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();

  const store = redisStore({
    client: redis,
    prefix: 'myapp:auth0:',
    encryptionKey: { id: '2025-06', key: env.TOKEN_CACHE_KEY! },
    commandTimeoutMs: 250, // Redis slower than this counts as down: mint locally instead
    onEvent: (event) => {
      if (event.type === 'invalid-value') console.warn(`token cache: ignored a stored value (${event.reason})`);
    },
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
    redis.disconnect();
  }
  return { tokens, close };
}
