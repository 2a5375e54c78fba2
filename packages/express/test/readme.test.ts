/** Every README example is a file under examples/, included verbatim, and runs here against the emulator. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { DEMO_CLIENTS, DEMO_IDS } from '@scopebound/emulator';
import { createManagementClient } from '@scopebound/management';
import { createApp as basicApp } from '../examples/basic';
import { createApp as multiTenantApp } from '../examples/multi-tenant';
import { createApp as asUserApp } from '../examples/as-user';
import { demoPool, emulator, get, serve, traffic } from './helpers';

const dir = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(`${dir}README.md`, 'utf8');
const admin = DEMO_CLIENTS.find((c) => c.key === 'appMetadata') as { clientId: string; clientSecret: string };
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

test.each(['basic.ts', 'multi-tenant.ts', 'as-user.ts'])('README includes examples/%s verbatim', (file) => {
  const source = readFileSync(`${dir}examples/${file}`, 'utf8');
  expect(readme).toContain('```ts\n' + source + '```');
});

test('examples/basic.ts: list, then a plan change (two token requests: read:users, then update:users_app_metadata)', async () => {
  const emu = emulator();
  const served = await serve(basicApp({ domain: emu.domain, clientId: admin.clientId, clientSecret: admin.clientSecret, fetch: emu.fetch as typeof fetch }));
  cleanup.push(() => emu.close(), () => served.close());
  expect((await get(`${served.url}/users`)).json).toHaveLength(10);
  const plan = await get(`${served.url}/users/${encodeURIComponent(DEMO_IDS.firstUser)}/plan`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ plan: 'pro' }),
  });
  expect(plan.json).toEqual({ user_id: DEMO_IDS.firstUser, plan: 'pro' });
  const tokenRequests = emu.journal.list().filter((e) => e.path === '/oauth/token');
  expect(tokenRequests).toHaveLength(2);
});

test('examples/multi-tenant.ts: each tenant its own client', async () => {
  const a = emulator('a.scopebound.test');
  const b = emulator('b.scopebound.test');
  const t = (e: typeof a) => ({ domain: e.domain, clientId: admin.clientId, clientSecret: admin.clientSecret, fetch: e.fetch as typeof fetch });
  const served = await serve(multiTenantApp({ a: t(a), b: t(b) }));
  cleanup.push(() => a.close(), () => b.close(), () => served.close());
  expect((await get(`${served.url}/users`, { headers: { 'x-tenant': 'a' } })).status).toBe(200);
  expect((await get(`${served.url}/users`, { headers: { 'x-tenant': 'b' } })).status).toBe(200);
  expect((await get(`${served.url}/users`, { headers: { 'x-tenant': 'zzz' } })).status).toBe(400);
  expect([traffic(a).api, traffic(b).api]).toEqual([1, 1]);
});

test('examples/as-user.ts: the bearer token of the request, 401 without it', async () => {
  const emu = emulator();
  const client = createManagementClient({ domain: emu.domain, fetch: emu.fetch, credentials: demoPool() });
  const served = await serve(asUserApp(client));
  cleanup.push(() => emu.close(), () => client.close(), () => served.close());
  const token = await emu.admin.mintToken({ sub: DEMO_IDS.firstUser, scope: 'read:current_user' });
  const me = await get(`${served.url}/me/${encodeURIComponent(DEMO_IDS.firstUser)}`, { headers: { authorization: `Bearer ${token}` } });
  expect(me.status).toBe(200);
  expect(me.json.name).toBe('Ada Lovelace');
  expect((await get(`${served.url}/me/${encodeURIComponent(DEMO_IDS.firstUser)}`)).status).toBe(401);
  expect(traffic(emu).mints).toBe(0);
});
