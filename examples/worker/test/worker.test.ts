/** examples/worker inside workerd (Miniflare), over real HTTP, against the emulator on 127.0.0.1. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_IDS } from '@scopebound/emulator';
import { start, type Running } from '../src/dev';

let running: Running;
beforeAll(async () => {
  running = await start();
}, 60_000);
afterAll(() => running?.close());

const plan = (id: string, body: unknown) =>
  fetch(`${running.url}/users/${encodeURIComponent(id)}/plan`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('PATCH /users/:id/plan updates app_metadata with a token for exactly update:users_app_metadata', async () => {
  const res = await plan(DEMO_IDS.firstUser, { plan: 'pro' });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({
    user_id: DEMO_IDS.firstUser,
    plan: 'pro',
    token: { requested: ['update:users_app_metadata'], granted: ['update:users_app_metadata'] },
  });
});

test('an unknown user is a 404 mapped by the Hono error handler', async () => {
  const res = await plan('auth0|does-not-exist', { plan: 'pro' });
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
});
