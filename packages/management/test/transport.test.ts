import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManagementClient, InvalidRequestError, type ManagementClient } from '../src/index';
import { fakeTokens } from './helpers';
import { startLoopback } from './loopback';

let fake: Awaited<ReturnType<typeof startLoopback>>;
beforeAll(async () => {
  fake = await startLoopback();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.seen.length = 0;
  fake.setHandler((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
});

describe('undici transport over real HTTP on loopback', () => {
  it('sends method, path, query, JSON body and headers; reuses one keep-alive socket; close() releases it', async () => {
    const tokens = fakeTokens();
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens });
    fake.setHandler((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-auth0-requestid': 'rid' });
      res.end(JSON.stringify({ method: req.method, url: req.url }));
    });
    const r1 = await mgmt.users.get({ id: 'auth0|1', fields: 'email,name', include_fields: true });
    expect(r1).toEqual({ method: 'GET', url: '/api/v2/users/auth0%7C1?fields=email%2Cname&include_fields=true' });
    const r2 = await mgmt.users.update.withResponse({ id: 'u2' }, { app_metadata: { plan: 'pro' } });
    expect(r2.status).toBe(200);
    expect(r2.headers['x-auth0-requestid']).toBe('rid');
    const [get, patch] = fake.seen;
    expect(get!.headers.authorization).toBe(`Bearer ${tokens.issued[0]}`);
    expect(get!.headers['content-type']).toBeUndefined();
    expect(patch!.method).toBe('PATCH');
    expect(patch!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(patch!.body)).toEqual({ app_metadata: { plan: 'pro' } });
    for (let i = 0; i < 4; i++) await mgmt.users.get({ id: `u${i}` });
    // Sequential calls share keep-alive sockets instead of opening one each.
    expect(new Set(fake.seen.map((s) => s.socket)).size).toBeLessThanOrEqual(2);
    await mgmt.close();
    await expect(mgmt.users.get({ id: 'x' })).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
    await mgmt.close(); // idempotent
  });

  it('returns undefined for 204 and empty bodies', async () => {
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens: fakeTokens() });
    fake.setHandler((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    await expect(mgmt.users.delete({ id: 'u1' })).resolves.toBeUndefined();
    await mgmt.close();
  });

  it('honours a base path in baseUrl', async () => {
    const mgmt = createManagementClient({ baseUrl: `${fake.baseUrl}/tenant-a/`, tokens: fakeTokens() });
    await mgmt.stats.getActiveUsersCount();
    expect(fake.seen[0]!.url).toBe('/tenant-a/api/v2/stats/active-users');
    await mgmt.close();
  });
});

describe('path parameters cannot change the route', () => {
  const attacks: [string, string][] = [
    ['auth0|123', 'auth0%7C123'],
    ['a/b', 'a%2Fb'],
    ['../../clients', '..%2F..%2Fclients'],
    ['x?admin=true', 'x%3Fadmin%3Dtrue'],
    ['x#frag', 'x%23frag'],
    ['%2F', '%252F'],
    ['%2e%2e', '%252e%252e'],
    ['ünï©ødé 🙂', encodeURIComponent('ünï©ødé 🙂')],
    ['a b+c&d=e', 'a%20b%2Bc%26d%3De'],
    ['\\..\\', '%5C..%5C'],
  ];

  async function each(mgmt: ManagementClient) {
    for (const [id, encoded] of attacks) {
      fake.seen.length = 0;
      await mgmt.users.get({ id });
      expect(fake.seen).toHaveLength(1);
      expect(fake.seen[0]!.url).toBe(`/api/v2/users/${encoded}`);
    }
  }

  it('with the undici transport', async () => {
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens: fakeTokens() });
    await each(mgmt);
    await mgmt.close();
  });

  it('with an injected fetch (which parses the URL)', async () => {
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens: fakeTokens(), fetch: globalThis.fetch });
    await each(mgmt);
    await mgmt.close();
  });

  it('refuses dot segments, empty values, non-scalars and lone surrogates before any request', async () => {
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens: fakeTokens() });
    for (const id of ['.', '..', '', '\uD800', { toString: () => 'x' }, ['a'], null, undefined]) {
      await expect(mgmt.users.get({ id } as never)).rejects.toBeInstanceOf(InvalidRequestError);
    }
    expect(fake.seen).toHaveLength(0);
    await mgmt.close();
  });

  it('encodes query values and keys, repeating arrays', async () => {
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens: fakeTokens() });
    await mgmt.connections.list({ strategy: ['auth0', 'google-oauth2'], name: 'a&b=c#d' });
    expect(fake.seen[0]!.url).toBe('/api/v2/connections?strategy=auth0&strategy=google-oauth2&name=a%26b%3Dc%23d');
    await mgmt.close();
  });

  it('request() fills templates the same way and refuses crafted route strings', async () => {
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens: fakeTokens() });
    await mgmt.request('GET /api/v2/users/{id}', { params: { id: 'a/b' } });
    expect(fake.seen[0]!.url).toBe('/api/v2/users/a%2Fb');
    for (const route of ['GET /api/v2/users/../clients', 'GET /api/v2/users?x=1', 'GET /api/v3/users', 'TRACE /api/v2/users', 'GET /api/v2//users']) {
      await expect(mgmt.request(route as never, { scopes: ['read:users'] } as never)).rejects.toBeInstanceOf(InvalidRequestError);
    }
    expect(fake.seen).toHaveLength(1);
    await mgmt.close();
  });
});
