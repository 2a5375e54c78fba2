import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { redisStore } from '../src/index';
import { aclRule } from './acl-rule';
import { CLIENT_KINDS, connect, ownRedis, rawClient, sampleToken, type OwnRedis } from './helpers';

// The least-privilege ACL the README recommends, proven against a real server (its own, so the shared
// Redis' users are never touched).
const ACL = aclRule('acl-test-password');

describe.each(CLIENT_KINDS)('README ACL with %s', (kind) => {
  let server: OwnRedis;
  let admin: Redis;
  beforeAll(async () => {
    server = await ownRedis();
    admin = await rawClient(server.port);
    await admin.call('ACL', 'SETUSER', ...ACL);
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.kill();
  });

  it('is enough for every store operation, and nothing outside the prefix is reachable', async () => {
    const { client, close } = await connect(kind, server.port, { username: 'scopebound', password: 'acl-test-password' });
    const store = redisStore({ client, prefix: 'myapp:auth0:', logger: false });
    const other = redisStore({ client, prefix: 'elsewhere:', logger: false });
    try {
      const token = sampleToken();
      const lease = await store.lease('k', 10_000);
      expect(lease).toBeDefined();
      const waiting = store.waitFor('k', 5_000);
      await store.set('k', token, 60_000);
      expect(await waiting).toEqual(token);
      expect(await store.get('k')).toEqual(token);
      await lease!.release();
      expect(await store.lease('k', 10_000)).toBeDefined();
      await store.delete('k');
      expect(await store.get('k')).toBeUndefined();
      expect(store.health()).toEqual({ available: true, subscriber: 'ready' });
      await expect(other.get('k')).rejects.toMatchObject({ code: 'ERR_REDIS_UNAVAILABLE', reason: 'error' });
    } finally {
      await store.close();
      await other.close();
      await close();
    }
  });
});
