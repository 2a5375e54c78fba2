/** The explorer over HTTP and in-process: its guards (loopback, Host, origin, CSRF), headers, secrets, and API. */
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { clientSecret } from '@scopebound/token';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, createExplorer, DEMO_CLIENTS, DEMO_IDS, type Emulator, type Explorer, type RunningServer } from '../src/index';
import { callShape } from '../src/explorer/operations-view';
import { CSRF_HEADER, csrfMatches, isLoopbackHostHeader as isLoopbackHost } from '../src/explorer/security';
import { buildPath, scopesOfToken } from '../src/explorer/try-call';
import { operations } from '../src/table';

const op = (name: string) => operations.find((o) => o.name === name)!;

async function csrfOf(res: Response): Promise<string> {
  const html = await res.text();
  const m = /<meta name="scopebound-csrf" content="([A-Za-z0-9_-]{43})">/.exec(html);
  if (!m) throw new Error('no CSRF meta tag in the page');
  return m[1]!;
}

/** A raw HTTP request (fetch cannot set Host). */
function raw(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('explorer HTTP guards', () => {
  let em: Emulator;
  let explorer: Explorer;
  let server: RunningServer;
  let csrf: string;
  const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}/explorer/api/${path}`, init);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    api(path, { method: 'POST', headers: { 'content-type': 'application/json', [CSRF_HEADER]: csrf, ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    em = createEmulator({ seed: 'demo' });
    explorer = createExplorer({ emulator: em });
    await em.admin.setExplorer(explorer.handle);
    server = await em.listen();
    csrf = await csrfOf(await fetch(`${server.url}/explorer`));
  });
  afterAll(() => em.close());

  it('serves the page with a strict CSP (no inline script or style), DENY framing and no-store', async () => {
    const res = await fetch(`${server.url}/explorer`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toEqual(['<script src="/explorer/app.js" defer>']);
    expect(html).not.toMatch(/<script>[^<]|\son[a-z]+=|\sstyle=|<style/);
    expect(html).not.toMatch(/https?:\/\//); // nothing from elsewhere
    const js = await fetch(`${server.url}/explorer/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const source = await js.text();
    expect(source).not.toMatch(/https?:\/\/|innerHTML|eval\(/);
    expect((await fetch(`${server.url}/explorer/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('refuses every API call without the session CSRF token, with a wrong one, or from another explorer', async () => {
    expect((await api('operations')).status).toBe(403);
    const wrong = await api('operations', { headers: { [CSRF_HEADER]: 'x'.repeat(43) } });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ errorCode: 'explorer_csrf' });
    const noToken = await api('mint', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: 'signed-secret', scopes: ['read:users'] }) });
    expect(noToken.status).toBe(403);
    expect((await api('try', { method: 'POST', headers: { 'content-type': 'application/json', [CSRF_HEADER]: `${csrf}x` }, body: '{}' })).status).toBe(403);
    // Another explorer (another session) has another token.
    const other = createExplorer({ emulator: em });
    const otherCsrf = await csrfOf(await other.handle(new Request('http://127.0.0.1/explorer'), { peer: 'in-process' }));
    expect(otherCsrf).not.toBe(csrf);
    expect((await api('operations', { headers: { [CSRF_HEADER]: otherCsrf } })).status).toBe(403);
    expect((await api('operations', { headers: { [CSRF_HEADER]: csrf } })).status).toBe(200);
  });

  it('compares CSRF tokens in constant time over fixed-length digests', () => {
    expect(csrfMatches('abc', 'abc')).toBe(true);
    expect(csrfMatches('abc', 'abd')).toBe(false);
    expect(csrfMatches('abc', 'abcd')).toBe(false);
    expect(csrfMatches('abc', null)).toBe(false);
    expect(csrfMatches('abc', '')).toBe(false);
  });

  it('refuses form posts (not JSON), cross-origin and cross-site calls even with the token', async () => {
    const form = await api('mint', { method: 'POST', headers: { 'content-type': 'text/plain', [CSRF_HEADER]: csrf }, body: '{"source":"signed-secret","scopes":["read:users"]}' });
    expect(form.status).toBe(415);
    const evil = await post('mint', { source: 'signed-secret', scopes: ['read:users'] }, { origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ errorCode: 'explorer_cross_origin' });
    // Another local page (same site, other port) is refused too.
    const sameSite = await post('mint', { source: 'signed-secret', scopes: ['read:users'] }, { 'sec-fetch-site': 'same-site' });
    expect(sameSite.status).toBe(403);
    const local = await post('mint', { source: 'signed-secret', scopes: ['read:users'] }, { origin: 'http://localhost:1', 'sec-fetch-site': 'same-origin' });
    expect(local.status).toBe(403);
    // Same origin, via localhost: accepted.
    const port = new URL(server.url).port;
    const ok = await raw(`${server.url}/explorer/api/mint`, {
      method: 'POST',
      headers: { host: `localhost:${port}`, origin: `http://localhost:${port}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json', [CSRF_HEADER]: csrf },
      body: JSON.stringify({ source: 'signed-secret', scopes: ['read:users'] }),
    });
    expect(ok.status).toBe(200);
  });

  it('refuses non-loopback peers (core and explorer) and non-loopback Host names (DNS rebinding)', async () => {
    const viaCore = await em.handle(new Request(`https://${em.domain}/explorer`), { peer: '192.168.1.20' });
    expect(viaCore.status).toBe(403);
    expect(await viaCore.json()).toMatchObject({ errorCode: 'explorer_loopback_only' });
    expect((await explorer.handle(new Request('http://127.0.0.1/explorer'), { peer: '10.0.0.1' })).status).toBe(403);
    expect((await explorer.handle(new Request('http://127.0.0.1/explorer', { headers: { host: '127.0.0.1:9' } }), { peer: '::ffff:127.0.0.1' })).status).toBe(200);
    const port = new URL(server.url).port;
    const rebound = await raw(`${server.url}/explorer`, { headers: { host: `evil.example:${port}` } });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ errorCode: 'explorer_host_refused' });
    expect(rebound.body).not.toContain('scopebound-csrf');
    expect((await raw(`${server.url}/explorer`, { headers: { host: `[::1]:${port}` } })).status).toBe(200);
    expect(isLoopbackHost('127.0.0.1:80')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('localhost.evil.example')).toBe(false);
    expect(isLoopbackHost('127.0.0.1.evil.example')).toBe(false);
    expect(isLoopbackHost(null)).toBe(false);
  });

  const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  it.skipIf(!external)('refuses a real non-loopback peer over a socket', async () => {
    const wide = await em.listen({ host: '0.0.0.0' });
    try {
      const res = await fetch(`http://${external}:${wide.port}/explorer`, { signal: AbortSignal.timeout(5_000) });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ errorCode: 'explorer_loopback_only' });
    } finally {
      await wide.close();
    }
  });

  it('never sends a client secret, private key or the API secret to the page', async () => {
    const secrets = [
      ...DEMO_CLIENTS.flatMap((c) => (c.clientSecret ? [c.clientSecret] : [])),
      await em.admin.apiSecret(),
      (await em.admin.demoPrivateKey()).privateKeyPem.split('\n')[1]!,
    ];
    const h = { [CSRF_HEADER]: csrf };
    const texts: string[] = [];
    for (const path of ['/explorer', '/explorer/app.js', '/explorer/api/operations', '/explorer/api/sources']) {
      texts.push(await (await fetch(`${server.url}${path}`, { headers: h })).text());
    }
    const sources = JSON.parse(texts[3]!) as { sources: { id: string; kind: string }[] };
    expect(sources.sources.map((s) => s.id)).toEqual(expect.arrayContaining(['client:sb-demo-admin', 'client:sb-demo-private-key-jwt', 'signed-secret', 'user-token']));
    for (const s of sources.sources) {
      const res = await post('mint', { source: s.id, scopes: ['read:users'], userId: DEMO_IDS.firstUser });
      texts.push(await res.text());
    }
    texts.push(await (await post('mint', { source: 'client:sb-demo-read-users', scopes: ['update:users'] })).text());
    for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('mints for a chosen client and reports requested vs granted (everything, unless narrowScopes)', async () => {
    const wide = await (await post('mint', { source: 'client:sb-demo-app-metadata', scopes: ['read:users'] })).json();
    expect(wide).toMatchObject({ requested: ['read:users'], granted: ['read:users', 'update:users_app_metadata'] });
    await em.admin.setNarrowScopes(true);
    try {
      const narrow = await (await post('mint', { source: 'client:sb-demo-app-metadata', scopes: ['read:users'] })).json();
      expect(narrow).toMatchObject({ requested: ['read:users'], granted: ['read:users'] });
    } finally {
      await em.admin.setNarrowScopes(false);
    }
    const refused = await post('mint', { source: 'client:sb-demo-read-users', scopes: ['update:users'] });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ errorCode: 'ERR_INSUFFICIENT_GRANT', details: { missing: ['update:users'], granted: ['read:users'] } });
    const special = await post('mint', { source: 'client:sb-demo-admin', scopes: ['read:current_user'] });
    expect(await special.json()).toMatchObject({ errorCode: 'ERR_SPECIAL_SCOPE' });
    const signed = await (await post('mint', { source: 'signed-secret', scopes: ['read:roles', 'read:users'] })).json();
    expect(signed.granted).toEqual(['read:roles', 'read:users']);
    expect((await post('mint', { source: 'nope', scopes: ['read:users'] })).status).toBe(404);
    expect((await post('mint', { source: 'signed-secret', scopes: [] })).status).toBe(400);
    expect((await post('mint', { source: 'signed-secret', scopes: 'read:users' })).status).toBe(400);
  });

  it('tries calls: success with rate-limit headers, 403 naming the missing scope, current_user on the own user', async () => {
    const { token } = await (await post('mint', { source: 'client:sb-demo-read-users', scopes: ['read:users'] })).json();
    const ok = await (await post('try', { operation: 'users.get', params: { id: DEMO_IDS.firstUser }, token })).json();
    expect(ok).toMatchObject({ status: 200, statusText: 'OK', request: { method: 'GET', path: `/api/v2/users/${encodeURIComponent(DEMO_IDS.firstUser)}` }, body: { user_id: DEMO_IDS.firstUser } });
    expect(ok.headers.map((h: [string, string]) => h[0])).toEqual(expect.arrayContaining(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']));
    const denied = await (await post('try', { operation: 'users.update', params: { id: DEMO_IDS.firstUser }, body: { app_metadata: { plan: 'pro' } }, token })).json();
    expect(denied).toMatchObject({ status: 403, body: { errorCode: 'insufficient_scope' }, scopeCheck: { satisfied: false, missing: ['update:users_app_metadata'] } });
    const user = await (await post('mint', { source: 'user-token', scopes: ['read:current_user'], userId: DEMO_IDS.firstUser })).json();
    const own = await (await post('try', { operation: 'users.get', params: { id: DEMO_IDS.firstUser }, token: user.token })).json();
    expect(own.status).toBe(200);
    expect((await post('try', { operation: 'users.get', params: {}, token })).status).toBe(400);
    expect((await post('try', { operation: 'nope.nothing', params: {}, token })).status).toBe(404);
    expect((await post('try', { operation: 'users.get', params: { id: 'x' }, token: 'not a jwt' })).status).toBe(400);
    expect((await post('try', { operation: 'users.get', params: { id: 'x', evil: '1' }, token })).status).toBe(400);
  });

  it('refuses to listen alone on a non-loopback address', async () => {
    await expect(explorer.listen({ host: '0.0.0.0' })).rejects.toMatchObject({ code: 'ERR_EMULATOR_OPTION', option: 'host' });
  });
});

describe('explorer against a tenant (the emulator over HTTP, minted by @scopebound/token)', () => {
  it('lists the configured credentials without their secret, mints and calls', async () => {
    const em = createEmulator({ seed: 'demo' });
    const tenant = await em.listen();
    const reader = DEMO_CLIENTS.find((c) => c.key === 'readUsers')!;
    const explorer = createExplorer({ tenant: { domain: em.domain, baseUrl: tenant.url, credentials: [clientSecret({ clientId: reader.clientId, clientSecret: reader.clientSecret! })] } });
    const server = await explorer.listen();
    try {
      expect(explorer.mode).toBe('tenant');
      const csrf = await csrfOf(await fetch(`${server.url}/explorer`));
      const h = { [CSRF_HEADER]: csrf, 'content-type': 'application/json' };
      const sourcesText = await (await fetch(`${server.url}/explorer/api/sources`, { headers: h })).text();
      expect(sourcesText).not.toContain(reader.clientSecret!);
      expect(JSON.parse(sourcesText).sources).toEqual([{ id: 'credential:0', label: `${reader.clientId} (client secret)`, kind: 'client-secret', clientId: reader.clientId }]);
      const minted = await (await fetch(`${server.url}/explorer/api/mint`, { method: 'POST', headers: h, body: JSON.stringify({ source: 'credential:0', scopes: ['read:users'] }) })).json();
      expect(minted.granted).toEqual(['read:users']);
      const tried = await (await fetch(`${server.url}/explorer/api/try`, { method: 'POST', headers: h, body: JSON.stringify({ operation: 'users.list', params: { per_page: 2 }, token: minted.token }) })).json();
      expect(tried).toMatchObject({ status: 200, request: { path: '/api/v2/users?per_page=2' } });
      expect((await fetch(`${server.url}/`, { redirect: 'manual' })).headers.get('location')).toBe('/explorer');
      expect((await fetch(`${server.url}/api/v2/users`)).status).toBe(404);
    } finally {
      await server.close();
      await em.close();
    }
  });

  it('validates its options up front, naming the option', () => {
    expect(() => createExplorer({})).toThrow(/"emulator"/);
    expect(() => createExplorer({ tenant: { domain: 'https://x.example', credentials: [] } })).toThrow(/"tenant.domain"/);
    expect(() => createExplorer({ tenant: { domain: 'x.example', credentials: [] } })).toThrow(/"tenant.credentials"/);
    expect(() => createExplorer({ tenant: { domain: 'x.example', credentials: [clientSecret({ clientId: 'a', clientSecret: 'b' })], baseUrl: 'nope' } })).toThrow(/"tenant.baseUrl"/);
  });
});

describe('explorer helpers', () => {
  it('builds the Scopebound call shape from the name and the parameters', () => {
    expect(callShape(op('users.update'))).toBe('mgmt.users.update({ id }, body)');
    expect(callShape(op('users.get'))).toMatch(/^mgmt\.users\.get\(\{ id(, \w+\?)*(, …)? \}\)$/);
    expect(callShape(op('users.create'))).toBe('mgmt.users.create(body)');
    expect(callShape(op('users.list'))).toBe('mgmt.users.list({ page?, per_page?, include_totals?, … })');
    expect(callShape({ name: 'stats.x', pathParams: [], queryParams: [], body: 'none' })).toBe('mgmt.stats.x()');
    expect(callShape({ name: 'a.b', pathParams: ['id', 'roleId'], queryParams: [], body: 'required' })).toBe('mgmt.a.b({ id, roleId }, body)');
  });

  it('encodes path parameters and passes only known query parameters', () => {
    expect(buildPath(op('users.get'), { id: 'auth0|1/2' })).toBe('/users/auth0%7C1%2F2');
    expect(buildPath(op('users.list'), { per_page: 5, include_totals: true, q: '' })).toBe('/users?per_page=5&include_totals=true');
    expect(() => buildPath(op('users.get'), {})).toThrow(/path parameter "id"/);
    expect(() => buildPath(op('users.get'), { id: 'a', nope: 'b' })).toThrow(/no parameter nope/);
  });

  it('reads scopes from modern and legacy claims, and nothing from a non-JWT', () => {
    const jwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
    expect(scopesOfToken(jwt({ scope: 'update:users read:users' }))).toEqual(['read:users', 'update:users']);
    expect(scopesOfToken(jwt({ scopes: { users: { actions: ['read', 'update'] } } }))).toEqual(['read:users', 'update:users']);
    expect(scopesOfToken('garbage')).toEqual([]);
  });
});
