import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { clientSecret, InvalidOptionError as TokenInvalidOptionError } from '@scopebound/token';
import { createManagementClient, InvalidOptionError, InvalidRequestError, ScopeNotAllowedError, type ManagementEvent } from '../src/index';
import { API, DOMAIN, fakeJwt, fakeTokens, globalFetch, mswServer } from './helpers';

const server = mswServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('lazy namespaces', () => {
  it('builds namespaces and methods on first access and caches them per client', () => {
    const mgmt = createManagementClient({ domain: DOMAIN, tokens: fakeTokens() });
    expect(Object.keys(mgmt).sort()).toEqual(['allowedScopes', 'asUser', 'close', 'request', 'revokeToken', 'scopesFor', 'withLabel', 'withScopes']);
    expect(mgmt.users).toBe(mgmt.users);
    expect(mgmt.users.get).toBe(mgmt.users.get);
    expect(mgmt.organizations.members.list).toBe(mgmt.organizations.members.list);
    expect(mgmt.users.get.name).toBe('users.get');
    expect(mgmt.users.get.operation).toMatchObject({ method: 'GET', path: '/users/{id}' });
    expect('users' in mgmt).toBe(true);
    expect((mgmt as unknown as Record<string, unknown>).nope).toBeUndefined();
    expect((mgmt as unknown as { then?: unknown }).then).toBeUndefined();
    // A view has its own bound methods.
    expect(mgmt.withScopes(['read:users']).users.get).not.toBe(mgmt.users.get);
  });

  it('can be awaited and inspected without side effects', async () => {
    const mgmt = createManagementClient({ domain: DOMAIN, tokens: fakeTokens(), allowScopes: ['read:users'] });
    expect(await Promise.resolve(mgmt)).toBe(mgmt);
    expect(inspect(mgmt)).toBe("ManagementClient { origin: 'https://tenant.example.com', principal: 'server', allowScopes: [read:users] }");
  });

  it('checks arguments per operation', async () => {
    const mgmt = createManagementClient({ domain: DOMAIN, tokens: fakeTokens() });
    await expect(mgmt.users.get('auth0|1' as never)).rejects.toBeInstanceOf(InvalidRequestError);
    await expect((mgmt.blacklists.add as unknown as () => Promise<unknown>)()).rejects.toThrow(/needs a JSON body/);
    await expect(mgmt.users.get({ id: 'x' }, { a: 1 } as never)).rejects.toThrow(/takes no body/);
  });
});

describe('bodies', () => {
  it('a body that cannot be JSON (a cycle, a BigInt) is an InvalidRequestError before any token or request', async () => {
    const tokens = fakeTokens();
    const mgmt = createManagementClient({ domain: DOMAIN, tokens, fetch: () => Promise.reject(new Error('no network expected')) });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(mgmt.users.update({ id: 'u1' }, { app_metadata: cyclic })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(mgmt.request('POST /api/v2/anything', { body: { n: 1n }, scopes: ['read:users'] })).rejects.toThrow(/cannot be sent as JSON/);
    expect(tokens.calls).toHaveLength(0);
  });
});

describe('request()', () => {
  it('reaches table routes (typed) and routes outside the table with explicit scopes', async () => {
    const tokens = fakeTokens();
    // read:things is newer than this package: let unknown scope names through.
    const mgmt = createManagementClient({ domain: DOMAIN, tokens, fetch: globalFetch, unknownScopes: 'allow' });
    const urls: string[] = [];
    server.use(
      http.all(`${API}/*`, ({ request }) => {
        urls.push(`${request.method} ${new URL(request.url).pathname}${new URL(request.url).search}`);
        return HttpResponse.json({ ok: true }, { headers: { 'x-test': '1' } });
      }),
    );
    await mgmt.request('PATCH /api/v2/users/{id}', { params: { id: 'auth0|1' }, body: { app_metadata: { a: 1 } } });
    expect(tokens.calls.at(-1)!.required).toEqual(['update:users_app_metadata']);

    const raw = await mgmt.request('GET /api/v2/brand-new/{thing}/items', { params: { thing: 'x/y', limit: 5 }, scopes: ['read:things'], raw: true });
    expect(raw).toMatchObject({ status: 200, data: { ok: true }, headers: { 'x-test': '1' } });
    expect(tokens.calls.at(-1)!.required).toEqual(['read:things']);

    // Explicit scopes on a table route choose among the operation's own alternatives (never replace its rule).
    await mgmt.request('GET /api/v2/users/{id}', { params: { id: 'u' }, scopes: ['read:users', 'read:user_idp_tokens'] });
    expect(tokens.calls.at(-1)!.anyOf).toEqual([['read:users'], ['read:user_idp_tokens']]);
    expect(urls).toEqual(['PATCH /api/v2/users/auth0%7C1', 'GET /api/v2/brand-new/x%2Fy/items?limit=5', 'GET /api/v2/users/u']);

    await expect(mgmt.request('GET /api/v2/brand-new' as never)).rejects.toThrow(/not in the operation table; pass `scopes` with the \(non-empty\)/);
    const strict = createManagementClient({ domain: DOMAIN, tokens, fetch: globalFetch });
    await expect(strict.request('GET /api/v2/brand-new/{thing}/items', { params: { thing: 'x' }, scopes: ['read:things'] })).rejects.toMatchObject({ code: 'ERR_UNKNOWN_SCOPE' });
    await mgmt.close();
  });

  it('applies the allow-list to explicit scopes too', async () => {
    const mgmt = createManagementClient({ domain: DOMAIN, tokens: fakeTokens(), allowScopes: ['read:users'] });
    await expect(mgmt.request('GET /api/v2/anything', { scopes: ['read:logs'] })).rejects.toBeInstanceOf(ScopeNotAllowedError);
    await expect(mgmt.request('GET /api/v2/users/{id}', { params: { id: 'x' }, scopes: ['read:current_user'] })).rejects.toBeInstanceOf(ScopeNotAllowedError);
  });
});

describe('blacklists and revokeToken', () => {
  it('blacklists.add / list are plain generated operations', async () => {
    const tokens = fakeTokens();
    const mgmt = createManagementClient({ domain: DOMAIN, tokens, fetch: globalFetch });
    const stored: { aud?: string; jti: string }[] = [];
    server.use(
      http.post(`${API}/blacklists/tokens`, async ({ request }) => {
        stored.push((await request.json()) as { jti: string });
        return new HttpResponse(null, { status: 201 });
      }),
      http.get(`${API}/blacklists/tokens`, ({ request }) => {
        const aud = new URL(request.url).searchParams.get('aud');
        return HttpResponse.json(stored.filter((t) => !aud || t.aud === aud));
      }),
    );
    await expect(mgmt.blacklists.add({ jti: 'j1', aud: 'a1' })).resolves.toBeUndefined();
    await mgmt.blacklists.add({ jti: 'j2', aud: 'a2' });
    await expect(mgmt.blacklists.list({ aud: 'a1' })).resolves.toEqual([{ jti: 'j1', aud: 'a1' }]);
    expect(tokens.calls.every((c) => c.required.join() === 'blacklist:tokens')).toBe(true);

    const victim = fakeJwt({ jti: 'victim-jti', aud: ['https://tenant.example.com/api/v2/', 'other'] });
    await expect(mgmt.revokeToken(victim)).resolves.toEqual({ jti: 'victim-jti', aud: 'https://tenant.example.com/api/v2/' });
    expect(stored.at(-1)).toEqual({ aud: 'https://tenant.example.com/api/v2/', jti: 'victim-jti' });
    expect(tokens.invalidated).toEqual([victim]);

    const err = await mgmt.revokeToken(fakeJwt({ sub: 'x' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequestError);
    await expect(mgmt.revokeToken('not-a-jwt')).rejects.toBeInstanceOf(InvalidRequestError);
    expect(stored).toHaveLength(3);
    await mgmt.close();
  });
});

describe('credentials (built into a @scopebound/token provider)', () => {
  it('mints through /oauth/token with the scopes of the call and calls the API with that token', async () => {
    const tokenRequests: URLSearchParams[] = [];
    const events: ManagementEvent[] = [];
    server.use(
      http.post(`https://${DOMAIN}/oauth/token`, async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        tokenRequests.push(form);
        const scope = form.get('scope') ?? '';
        const access_token = fakeJwt({ scope, jti: `t${tokenRequests.length}`, aud: form.get('audience'), exp: 4_102_444_800 });
        return HttpResponse.json({ access_token, scope, expires_in: 86400, token_type: 'Bearer' });
      }),
      http.get(`${API}/users/:id`, ({ request, params }) => {
        const auth = request.headers.get('authorization') ?? '';
        const claims = JSON.parse(Buffer.from(auth.split('.')[1]!, 'base64url').toString()) as { scope: string };
        return claims.scope.split(' ').includes('read:users')
          ? HttpResponse.json({ user_id: params.id })
          : HttpResponse.json({ statusCode: 403, errorCode: 'insufficient_scope', message: 'Insufficient scope, expected any of: read:users' }, { status: 403 });
      }),
    );
    const mgmt = createManagementClient({
      domain: DOMAIN,
      credentials: clientSecret({ clientId: 'app', clientSecret: 'super-secret-value' }),
      fetch: globalFetch,
      onEvent: (e) => events.push(e),
    });
    await expect(mgmt.users.get({ id: 'u1' })).resolves.toEqual({ user_id: 'u1' });
    await expect(mgmt.users.get({ id: 'u2' })).resolves.toEqual({ user_id: 'u2' });
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]!.get('scope')).toBe('read:users');
    expect(tokenRequests[0]!.get('audience')).toBe(`https://${DOMAIN}/api/v2/`);
    expect(JSON.stringify(events)).not.toContain('super-secret-value');
    expect(events.filter((e) => e.type === 'request').map((e) => (e as { scopes: readonly string[] }).scopes)).toEqual([['read:users'], ['read:users']]);
    await mgmt.close();
  });
});

describe('credentials: the provider is built on the first call', () => {
  it('constructing and closing a client that never called anything builds no provider and sends nothing', async () => {
    let fetched = 0;
    const mgmt = createManagementClient({
      domain: DOMAIN,
      credentials: clientSecret({ clientId: 'app', clientSecret: 'super-secret-value' }),
      fetch: () => {
        fetched += 1;
        return Promise.reject(new Error('no network expected'));
      },
    });
    await mgmt.close();
    expect(fetched).toBe(0);
  });

  it('a credential that has the right shape but is not from a factory fails at construction (token validates it), naming the option', () => {
    let err: unknown;
    try {
      createManagementClient({ domain: DOMAIN, credentials: { kind: 'client-secret', clientId: 'hand-made' } as never, fetch: globalFetch });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err).toMatchObject({ code: 'ERR_INVALID_OPTION', option: 'credentials' });
  });

  it('the endpoint is validated by token at construction: a domain with a port throws InvalidOptionError synchronously', () => {
    const credentials = clientSecret({ clientId: 'app', clientSecret: 'super-secret-value' });
    expect(() => createManagementClient({ domain: 'tenant.eu.auth0.com:8443', credentials })).toThrow(InvalidOptionError);
    expect(() => createManagementClient({ domain: 'tenant.eu.auth0.com:8443', credentials })).toThrow(TokenInvalidOptionError);
    expect(() => createManagementClient({ domain: 'tenant.eu.auth0.com:8443', credentials })).toThrow(/`domain`.*port/);
  });
});

describe('onEvent', () => {
  it('a throwing observer never breaks a call', async () => {
    server.use(http.get(`${API}/users/:id`, () => HttpResponse.json({ ok: 1 })));
    const mgmt = createManagementClient({
      domain: DOMAIN,
      tokens: fakeTokens(),
      fetch: globalFetch,
      onEvent: () => {
        throw new Error('observer bug');
      },
    });
    await expect(mgmt.users.get({ id: 'x' })).resolves.toEqual({ ok: 1 });
  });
});
