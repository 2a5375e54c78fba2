import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { redisStore } from '../src/index';
import { createFleetTokens as withNodeRedis } from '../examples/node-redis';
import { createFleetTokens as withIoredis } from '../examples/ioredis';
import { rotatingStore } from '../examples/key-rotation';
import { aclRule } from './acl-rule';
import { cleanup, ownRedis, rawClient, sampleToken, type OwnRedis } from './helpers';
import { countingTokenServer, type CountingTokenServer } from './token-server';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const EXAMPLES = ['node-redis.ts', 'ioredis.ts', 'key-rotation.ts', 'cluster.ts']; // cluster.ts runs in cluster.test.ts

describe('README', () => {
  it.each(EXAMPLES)('contains examples/%s verbatim', (file) => {
    const source = readFileSync(new URL(`../examples/${file}`, import.meta.url), 'utf8');
    expect(README).toContain(`\`\`\`ts\n${source}\`\`\``);
  });

  it('shows the ACL that test/acl.test.ts proves', () => {
    expect(README).toContain(`ACL SETUSER ${aclRule('long-random-password').join(' ')}`);
  });
});

// The examples use the fixed prefix `myapp:auth0:`, so they run against a redis-server of their own.
describe('README examples run', () => {
  let redis: OwnRedis;
  let raw: Redis;
  let server: CountingTokenServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await ownRedis();
    raw = await rawClient(redis.port);
    server = await countingTokenServer({ grants: 'requested', delayMs: 20 });
    env = {
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      TOKEN_CACHE_KEY: randomBytes(32).toString('base64'),
      AUTH0_DOMAIN: 'readme.example.com',
      AUTH0_BASE_URL: server.url,
      AUTH0_CLIENT_ID: 'readme-app',
      AUTH0_CLIENT_SECRET: 'readme-secret-value',
    };
  });
  afterAll(async () => {
    raw?.disconnect();
    await server?.close();
    await redis?.kill();
  });

  it.each([
    ['node-redis', withNodeRedis],
    ['ioredis', withIoredis],
  ])('%s: two instances share one encrypted token', async (_name, createFleetTokens) => {
    await cleanup('myapp:auth0:', redis.port);
    const before = server.totalMints();
    const one = await createFleetTokens(env);
    const two = await createFleetTokens(env);
    try {
      const [a, b] = await Promise.all([one.tokens.getToken(['read:users']), two.tokens.getToken(['read:users'])]);
      expect(a.value).toBe(b.value);
      expect(server.totalMints() - before).toBe(1);
      const keys = await raw.keys('myapp:auth0:token:*');
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const stored = (await raw.get(key))!;
        expect(stored).not.toContain(a.value);
        expect(JSON.parse(stored)).toMatchObject({ alg: 'A256GCM', kid: '2025-06' });
      }
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('key rotation: reads values written with the old key, writes with the new one', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const token = sampleToken();
    const before = redisStore({ client: raw, prefix: 'myapp:auth0:', encryptionKey: { id: '2025-06', key: oldKey }, logger: false });
    await before.set('rotation', token, 60_000);
    const during = rotatingStore(raw, { TOKEN_CACHE_KEY_NEW: newKey, TOKEN_CACHE_KEY_OLD: oldKey });
    expect(await during.get('rotation')).toEqual(token);
    await during.set('rotation-new', token, 60_000);
    const hash = createHash('sha256').update('rotation-new').digest('base64url');
    expect(JSON.parse((await raw.get(`myapp:auth0:token:${hash}`))!).kid).toBe('2025-12');
    await before.close();
    await during.close();
  });
});
