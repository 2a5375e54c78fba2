import type { Redis } from 'ioredis';
import { redisStore } from '@scopebound/redis';

// Rotating the encryption key without a cold cache:
// 1. deploy [new, old]: new values are written with the new key, old values still read;
// 2. once every instance runs step 1 and the old values have expired (a token's lifetime, 24 h by
//    default), deploy [new] alone. A value no listed key can read is a cache miss, never an error.
export function rotatingStore(redis: Redis, env: Record<string, string | undefined> = process.env) {
  return redisStore({
    client: redis,
    prefix: 'myapp:auth0:',
    encryptionKey: [
      { id: '2025-12', key: env.TOKEN_CACHE_KEY_NEW! }, // writes and reads
      { id: '2025-06', key: env.TOKEN_CACHE_KEY_OLD! }, // reads only
    ],
  });
}
