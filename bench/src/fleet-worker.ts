/**
 * One process of the fleet rate-limit load: builds its client (Scopebound with the shared Redis limiter or its
 * own pacer, or the official SDK), reports `ready`, and on `go` runs its share of `users.get` calls closed-loop.
 */
import { createManagementClient } from '@scopebound/management';
import { redisRateLimiter } from '@scopebound/redis';
import { clientSecret } from '@scopebound/token';
import { createClient } from 'redis';
import { auth0Client } from './lib/auth0';
import { serveParent } from './lib/child';
import { countedLoop, type CountedResult } from './lib/load';

export interface FleetWorkerConfig {
  sdk: 'scopebound-shared' | 'scopebound-local' | 'auth0';
  origin: string;
  redisUrl: string;
  prefix: string;
  calls: number;
  concurrency: number;
  clientId: string;
  clientSecret: string;
  userId: string;
}

export type FleetWorkerResult = CountedResult;

const config = JSON.parse(process.argv[2] ?? '{}') as FleetWorkerConfig;
const credentials = { clientId: config.clientId, clientSecret: config.clientSecret };
let call: () => Promise<unknown>;
let shutdown = async () => {};

if (config.sdk === 'auth0') {
  const c = auth0Client({ origin: config.origin, ...credentials, maxRetries: 10 });
  call = () => c.users.get(config.userId);
} else {
  let rateLimiter;
  if (config.sdk === 'scopebound-shared') {
    const redis = createClient({ url: config.redisUrl });
    redis.on('error', () => {});
    await redis.connect();
    rateLimiter = redisRateLimiter({ client: redis, prefix: config.prefix });
    shutdown = async () => {
      redis.destroy();
    };
  }
  const mgmt = createManagementClient({ baseUrl: config.origin, credentials: clientSecret(credentials), ...(rateLimiter ? { rateLimiter } : {}) });
  const before = shutdown;
  shutdown = async () => {
    await mgmt.close();
    await before();
  };
  call = () => mgmt.users.get({ id: config.userId });
}

serveParent({
  go: (): Promise<FleetWorkerResult> => countedLoop(call, config.calls, config.concurrency),
  close: async () => {
    await shutdown();
    return true;
  },
});
process.send?.({ type: 'ready' });
