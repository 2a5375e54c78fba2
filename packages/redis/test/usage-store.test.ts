/** The fleet's shared usage record on a real Redis, through both clients: merged by many processes' snapshots. */
import { describe, expect, it } from 'vitest';
import { createUsageRecorder } from '@scopebound/management/usage';
import { redisUsageStore } from '../src/index';
import { CLIENT_KINDS, connect, randomPrefix, rawClient } from './helpers';

const call = { operation: 'users.update', route: 'PATCH /api/v2/users/{id}', alternatives: [['update:users_app_metadata'], ['update:users']], label: 'POST /plan' };

describe.each(CLIENT_KINDS)('redisUsageStore (%s)', (kind) => {
  it('adds snapshots from several recorders (counts add up, clients and grants unite) and reads them back validated', async () => {
    const prefix = randomPrefix('usage');
    const c = await connect(kind);
    try {
      const store = redisUsageStore({ client: c.client, prefix });
      const snapshots = ['app-1', 'app-1', 'app-2'].map((clientId, i) => {
        const rec = createUsageRecorder();
        for (let n = 0; n <= i; n++) rec.record({ ...call, clientId, granted: ['update:users_app_metadata'] });
        rec.record({ operation: 'users.get', route: 'GET /api/v2/users/{id}', alternatives: [['read:users']], clientId, granted: ['read:users'] });
        return rec.snapshot();
      });
      await Promise.all(snapshots.map((s) => store.add(s)));
      const fleet = await store.read();
      expect(fleet.calls.find((x) => x.operation === 'users.update')).toMatchObject({ count: 6, clients: ['app-1', 'app-2'], label: 'POST /plan' });
      expect(fleet.calls.find((x) => x.operation === 'users.get')).toMatchObject({ count: 3, label: '' });
      expect(fleet.grants).toEqual({ 'app-1': ['read:users', 'update:users_app_metadata'], 'app-2': ['read:users', 'update:users_app_metadata'] });
      await store.clear();
      expect((await store.read()).calls).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('refuses a damaged record with a clear error instead of planning from it', async () => {
    const prefix = randomPrefix('usage-bad');
    const c = await connect(kind);
    const raw = await rawClient();
    try {
      await raw.hset(`{${prefix}}:usage`, `c\n${JSON.stringify(['users.get', 'GET /api/v2/users/{id}', '', [['read:user']]])}`, '2');
      await expect(redisUsageStore({ client: c.client, prefix }).read()).rejects.toThrow(/Unknown Management API scope "read:user"/);
      expect(() => redisUsageStore({ client: c.client, prefix: 'bad prefix!' })).toThrow(/prefix/);
    } finally {
      await raw.del(`{${prefix}}:usage`);
      raw.disconnect();
      await c.close();
    }
  });
});
