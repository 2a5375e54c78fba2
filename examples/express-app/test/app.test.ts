/** The example app's flows end to end: the app over real HTTP on 127.0.0.1:0, the emulator in-process. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator, DEMO_CLIENTS, DEMO_IDS, type Emulator } from '@scopebound/emulator';
import { createManagementClient } from '@scopebound/management';
import { clientSecret } from '@scopebound/token';
import { createApp, searchQuery, type ExampleApp } from '../src/app';
import { createTokenLog, type TokenLog } from '../src/token-log';

const ADA = DEMO_IDS.firstUser;
const credentials = () =>
  DEMO_CLIENTS.filter((c) => c.clientSecret).map((c) => clientSecret({ clientId: c.clientId, clientSecret: c.clientSecret as string, grants: c.scopes }));

let emu: Emulator;
let example: ExampleApp;
let log: TokenLog;
let url: string;
let closeServer: () => Promise<void>;

beforeAll(async () => {
  emu = createEmulator({ seed: 'demo', narrowScopes: true });
  log = createTokenLog();
  example = createApp({ domain: emu.domain, fetch: emu.fetch as typeof fetch, credentials: credentials(), onTokenEvent: (e) => log.record(e) });
  const server = createServer(example.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeServer = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
});

afterAll(async () => {
  await closeServer();
  await example.close();
  await emu.close();
});

async function call(path: string, init: RequestInit & { json?: unknown; form?: Record<string, string> } = {}) {
  const { json, form, ...rest } = init;
  const res = await fetch(url + path, {
    redirect: 'manual',
    ...rest,
    headers: {
      accept: 'application/json',
      ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(rest.headers as Record<string, string> | undefined),
    },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

const apiCalls = () => emu.journal.list().filter((e) => e.path.startsWith('/api/v2'));

describe('admin list', () => {
  test('paginates with totals', async () => {
    const first = await call('/users?per_page=5');
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(DEMO_IDS.users);
    expect(first.body.users).toHaveLength(5);
    const second = await call('/users?per_page=5&page=1');
    expect(second.body.users).toHaveLength(5);
    const ids = new Set([...first.body.users, ...second.body.users].map((u: { user_id: string }) => u.user_id));
    expect(ids.size).toBe(10);
    // per_page is capped; junk falls back to defaults.
    expect((await call('/users?per_page=500')).body.per_page).toBe(50);
    expect((await call('/users?page=-3&per_page=x')).body).toMatchObject({ page: 0, per_page: 10 });
  });

  test('searches (q), and a search box cannot inject query syntax', async () => {
    const ada = await call('/users?q=ada&per_page=50');
    expect(ada.status).toBe(200);
    expect(ada.body.users.length).toBeGreaterThan(0);
    expect(ada.body.users.every((u: { name: string; email: string }) => /ada/i.test(u.name + u.email))).toBe(true);
    expect(ada.body.total).toBeLessThan(DEMO_IDS.users);
    expect(searchQuery('name:(x) OR [1 TO 2]')).toBe('name x 1 TO 2');
    expect((await call('/users?q=' + encodeURIComponent('name:(x)'))).status).toBe(200);
    expect(searchQuery('   ')).toBeUndefined();
  });

  test('HTML: table, search form, pagination links, and the route allow-list', async () => {
    const page = await call('/users?per_page=5', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('<form method="get" action="/users">');
    expect(page.text).toContain('href="/users?page=1&amp;per_page=5"');
    expect(page.text).toContain(`href="/users/${encodeURIComponent(ADA)}"`);
    expect(page.text).toContain('<span class="scopes">read:users</span>');
    expect(page.text).not.toMatch(/<(script|link|img)\b/);
  });
});

describe('profile, plan and roles', () => {
  test('profile reads user_metadata and the plan from app_metadata', async () => {
    const json = await call(`/users/${encodeURIComponent(ADA)}`);
    expect(json.status).toBe(200);
    expect(json.body.user_id).toBe(ADA);
    expect(Object.keys(json.body.user_metadata)).toEqual(expect.arrayContaining(['theme', 'locale']));
    expect(['free', 'pro', 'enterprise']).toContain(json.body.plan);
    const htmlPage = await call(`/users/${encodeURIComponent(ADA)}`, { headers: { accept: 'text/html' } });
    expect(htmlPage.text).toContain('Preferences (user_metadata)');
    expect(htmlPage.text).toContain(`<td>${json.body.user_metadata.theme}</td>`);
  });

  test('plan change uses a token for update:users_app_metadata alone; the second one is a cache hit', async () => {
    log.take();
    const before = emu.journal.list().length;
    const changed = await call(`/users/${encodeURIComponent(ADA)}/plan`, { method: 'POST', json: { plan: 'enterprise' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ user_id: ADA, plan: 'enterprise' });
    const minted = log.tokens().filter((t) => t.requested.includes('update:users_app_metadata'));
    expect(minted).toHaveLength(1);
    expect(minted[0]).toMatchObject({ requested: ['update:users_app_metadata'], granted: ['update:users_app_metadata'], clientId: 'sb-demo-app-metadata' });
    const patch = emu.journal.list().slice(before).filter((e) => e.method === 'PATCH');
    expect(patch).toHaveLength(1);
    expect(patch[0]?.clientId).toBe('sb-demo-app-metadata');

    const again = await call(`/users/${encodeURIComponent(ADA)}/plan`, { method: 'POST', json: { plan: 'pro' } });
    expect(again.status).toBe(200);
    expect(log.take()).toContain('cache hit [update:users_app_metadata]');
    expect(log.tokens().filter((t) => t.requested.includes('update:users_app_metadata'))).toHaveLength(1);
    expect((await call(`/users/${encodeURIComponent(ADA)}`)).body.plan).toBe('pro');
  });

  test('plan change from the HTML form redirects back to the profile', async () => {
    const res = await call(`/users/${encodeURIComponent(ADA)}/plan`, { method: 'POST', form: { plan: 'free' }, headers: { accept: 'text/html' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/users/${encodeURIComponent(ADA)}`);
    expect((await call(`/users/${encodeURIComponent(ADA)}`)).body.plan).toBe('free');
  });

  test('an unknown plan is refused by the app (400) without calling Auth0', async () => {
    const before = apiCalls().length;
    const res = await call(`/users/${encodeURIComponent(ADA)}/plan`, { method: 'POST', json: { plan: 'platinum', blocked: true } });
    expect(res.status).toBe(400);
    expect(apiCalls().length).toBe(before);
  });

  test('role assignment shows up on the profile', async () => {
    const user = 'auth0|000000000000000000000004';
    const before = (await call(`/users/${encodeURIComponent(user)}`)).body.roles as string[];
    expect(before).not.toContain('support');
    const res = await call(`/users/${encodeURIComponent(user)}/roles`, { method: 'POST', json: { role: DEMO_IDS.roles.support } });
    expect(res.status).toBe(200);
    expect((await call(`/users/${encodeURIComponent(user)}`)).body.roles).toContain('support');
    expect(log.tokens().some((t) => t.requested.join(' ') === 'create:role_members')).toBe(true);
  });

  test('an unknown user is a 404 page, without Auth0 text', async () => {
    const res = await call(`/users/${encodeURIComponent('auth0|nope')}`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(res.text).toContain('Not found.');
    expect(res.text).not.toMatch(/inexistent|eyJ/);
  });

  test('user data is escaped in HTML', async () => {
    const admin = createManagementClient({ domain: emu.domain, fetch: emu.fetch as typeof fetch, credentials: credentials() });
    const created = (await admin.users.create({
      connection: 'Username-Password-Authentication',
      email: 'xss@example.com',
      password: 'Correct-horse-battery-staple-1',
      name: '<script>alert(1)</script>',
      user_metadata: { theme: '"><img src=x onerror=alert(1)>' },
    })) as { user_id: string };
    await admin.close();
    const res = await call(`/users/${encodeURIComponent(created.user_id)}`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).not.toContain('<script>');
    expect(res.text).not.toContain('<img');
  });
});

describe('allow-lists', () => {
  test('every route declares one; the home page calls nothing', () => {
    for (const r of example.routes) {
      if (r.path === '/') expect(r.scopes).toEqual([]);
      else expect(r.scopes.length, `${r.method} ${r.path}`).toBeGreaterThan(0);
    }
    expect(example.routes.find((r) => r.path === '/users/:id/plan')?.scopes).toEqual(['update:users_app_metadata']);
  });

  test('a call outside the allow-list is refused with 403 before any network traffic', async () => {
    const before = emu.journal.list().length;
    const res = await call('/demo/refused');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('scope_not_allowed');
    expect(res.body.error.message).toContain('delete:users');
    expect(emu.journal.list().length).toBe(before);
    const htmlRes = await call('/demo/refused', { headers: { accept: 'text/html' } });
    expect(htmlRes.status).toBe(403);
    expect(htmlRes.text).toContain('scope_not_allowed');
  });

  test('the home page mints nothing', async () => {
    const fresh = createEmulator({ seed: 'demo' });
    const app2 = createApp({ domain: fresh.domain, fetch: fresh.fetch as typeof fetch, credentials: credentials() });
    const server = createServer(app2.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('POST /users/:id/plan');
    expect(fresh.journal.list()).toEqual([]);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app2.close();
    await fresh.close();
  });
});
