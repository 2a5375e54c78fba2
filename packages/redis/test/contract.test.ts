import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { describeStoreContract } from '@scopebound/token/testing';
import { redisStore, type RedisStore } from '../src/index';
import { ALL_CLIENT_KINDS, cleanup, connect, randomPrefix, type TestClient } from './helpers';

// The token package's store contract, against the real Redis on 127.0.0.1:6379, with every supported client
// major (node-redis 5 and 6, ioredis 5 and 6), plaintext and encrypted. Each test gets its own prefix (a fresh, empty store); everything is deleted after.
for (const kind of ALL_CLIENT_KINDS) {
  for (const encrypted of [false, true]) {
    const runPrefix = randomPrefix(`contract-${kind}-${encrypted ? 'enc' : 'plain'}`);
    let client: TestClient;
    let n = 0;
    beforeAll(async () => {
      client = await connect(kind);
    });
    afterAll(async () => {
      await cleanup(runPrefix);
      await client.close();
    });
    describeStoreContract(
      {
        name: `redisStore (${kind}${encrypted ? ', encrypted' : ''})`,
        create: () =>
          redisStore({
            client: client.client,
            prefix: `${runPrefix}${n++}:`,
            logger: false,
            ...(encrypted ? { encryptionKey: { id: 'contract', key: randomBytes(32) } } : {}),
          }),
        destroy: async (store) => {
          await (store as RedisStore).close();
        },
      },
      { describe, it, expect, afterEach },
    );
  }
}
