import { createClient } from 'redis';
import { createManagementClient } from '@scopebound/management';
import { redisRateLimiter } from '@scopebound/redis';
import { clientSecret } from '@scopebound/token';

export async function createFleetClient(env: Record<string, string | undefined> = process.env) {
  const redis = createClient({ url: env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
  redis.on('error', () => {}); // node-redis requires a listener; the limiter logs each outage once
  await redis.connect();

  const mgmt = createManagementClient({
    ...(env.AUTH0_BASE_URL ? { baseUrl: env.AUTH0_BASE_URL } : { domain: env.AUTH0_DOMAIN! }),
    credentials: clientSecret({ clientId: env.AUTH0_CLIENT_ID!, clientSecret: env.AUTH0_CLIENT_SECRET! }),
    // Every process of the fleet takes its send slots from one bucket per tenant in Redis.
    rateLimiter: redisRateLimiter({ client: redis, prefix: 'myapp:auth0:' }),
  });

  async function close() {
    await mgmt.close();
    redis.destroy();
  }
  return { mgmt, close };
}
