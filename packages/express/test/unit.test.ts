/** Pure parts: option validation, allow-list validation, the lazy view, the error mapping. */
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import {
  InsufficientScopeError,
  ManagementApiError,
  NetworkError,
  RateLimitError,
  ScopeNotAllowedError,
  TimeoutError,
  InvalidOptionError,
  InvalidRequestError,
  createManagementClient,
  type ManagementClient,
} from '@scopebound/management';
import { ScopeboundError, TokenEndpointError, TokenRateLimitError, clientSecret } from '@scopebound/token';
import { MissingUserTokenError, allowScopes, mapScopeboundError, scopebound, scopeboundErrorHandler } from '../src/index';

const details = (status: number, headers: Record<string, string> = {}) => ({
  status,
  method: 'GET',
  route: '/api/v2/users/{id}',
  operation: 'users.get',
  serverMessage: 'Auth0 internal text 123',
  requestId: 'req-internal-456',
  headers,
});

const SECRET = 'super-secret-value-should-never-appear';

describe('mapScopeboundError', () => {
  test('ScopeNotAllowedError → 403 naming the operation and the missing scope', () => {
    const m = mapScopeboundError(new ScopeNotAllowedError('users.delete', [['delete:users']], ['read:users'], 'server'));
    expect(m?.status).toBe(403);
    expect(m?.body.error.code).toBe('scope_not_allowed');
    expect(m?.body.error.message).toBe(
      "This route may not call users.delete: it needs delete:users, which the route's allow-list [read:users] does not include. Add it to the route's allowScopes(...) if the call is intended.",
    );
  });

  test('ScopeNotAllowedError for a current_user operation on a server view tells to use asUser()', () => {
    const m = mapScopeboundError(new ScopeNotAllowedError('users.get', [['read:current_user']], undefined, 'server'));
    expect(m?.status).toBe(403);
    expect(m?.body.error.message).toContain('auth0.asUser()');
  });

  test('InsufficientScopeError: 502 for the server token (an upstream grant problem), 403 for a user token', () => {
    const server = mapScopeboundError(new InsufficientScopeError(details(403), ['read:users'], 'any', ['read:roles']));
    expect(server?.status).toBe(502);
    expect(server?.body.error.code).toBe('upstream_insufficient_scope');
    const user = mapScopeboundError(new InsufficientScopeError(details(403), ['read:users', 'read:current_user'], 'any', []));
    expect(user?.status).toBe(403);
    expect(user?.body.error.code).toBe('insufficient_scope');
  });

  test('RateLimitError → 503 with Retry-After from resetAt (injected clock), clamped to [1, 3600] s', () => {
    const at = (resetAt: number | undefined) => mapScopeboundError(new RateLimitError(details(429), resetAt, 10, 0), { clock: () => 1_000_000 });
    expect(at(1_012_500)).toMatchObject({ status: 503, headers: { 'retry-after': '13' } });
    expect(at(999_000)?.headers['retry-after']).toBe('1');
    expect(at(1_000_000 + 10 * 3_600_000)?.headers['retry-after']).toBe('3600');
    expect(at(undefined)?.headers['retry-after']).toBe('1');
  });

  test('TokenRateLimitError → 503 with Retry-After from retryAfterMs', () => {
    const e = new TokenRateLimitError({ headers: {}, clientId: 'c', retryAfterMs: 4_200, quota: [] });
    expect(mapScopeboundError(e)).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
  });

  test('404 → 404; other API errors, network and token endpoint failures → 502; timeouts → 504', () => {
    expect(mapScopeboundError(new ManagementApiError(details(404)))).toEqual({ status: 404, headers: {}, body: { error: { code: 'not_found', message: 'Not found.' } } });
    for (const e of [
      new ManagementApiError(details(400)),
      new ManagementApiError(details(409)),
      new ManagementApiError(details(500)),
      new NetworkError({ method: 'GET', route: '/api/v2/users' }, new Error('ECONNRESET')),
      new TokenEndpointError({ status: 401, headers: {}, error: 'access_denied', errorDescription: 'Unauthorized', clientId: 'c' }),
    ]) {
      expect(mapScopeboundError(e)?.status).toBe(502);
    }
    expect(mapScopeboundError(new TimeoutError({ method: 'GET', route: '/api/v2/users' }, 100))?.status).toBe(504);
  });

  test('MissingUserTokenError → 401 with WWW-Authenticate; local programming errors → 500', () => {
    expect(mapScopeboundError(new MissingUserTokenError())).toMatchObject({ status: 401, headers: { 'www-authenticate': 'Bearer' } });
    expect(mapScopeboundError(new InvalidRequestError('bad'))?.status).toBe(500);
  });

  test('other errors are not ours: undefined (the app handles them)', () => {
    expect(mapScopeboundError(new Error('x'))).toBeUndefined();
    expect(mapScopeboundError(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBeUndefined();
    expect(mapScopeboundError('string')).toBeUndefined();
    expect(mapScopeboundError(null)).toBeUndefined();
  });

  test('an error from a second copy of the package (same ScopeboundError root) is recognised by its code', () => {
    // Every Scopebound error is a ScopeboundError: a second copy of @scopebound/management shares token's root.
    class RateLimitError extends ScopeboundError {
      static override readonly code: string = 'ERR_RATE_LIMITED';
      readonly resetAt = undefined;
    }
    const copy = new RateLimitError('ERR_RATE_LIMITED', 'x');
    expect(mapScopeboundError(copy)?.status).toBe(503);
    // A look-alike that is not a ScopeboundError is not ours (no name matching).
    const lookalike = Object.assign(new Error('x'), { name: 'RateLimitError', code: 'ERR_RATE_LIMITED', resetAt: undefined });
    expect(mapScopeboundError(lookalike)).toBeUndefined();
  });

  test('bodies carry neither Auth0 text, request ids nor anything from the error beyond names', () => {
    for (const status of [400, 401, 403, 404, 409, 500, 503]) {
      const text = JSON.stringify(mapScopeboundError(new ManagementApiError(details(status))));
      expect(text).not.toContain('Auth0 internal text');
      expect(text).not.toContain('req-internal');
    }
  });
});

describe('allowScopes', () => {
  test('validates up front and suggests the closest scope', () => {
    expect(() => allowScopes()).toThrow(/allowScopes/);
    expect(() => allowScopes('read:user')).toThrow(/Did you mean "read:users"/);
    expect(() => allowScopes('read users')).toThrow(/allowScopes/);
    expect(() => allowScopes(42 as never)).toThrow(/allowScopes/);
    expect(allowScopes('read:users', ['read:roles', 'read:users']).scopes).toEqual(['read:roles', 'read:users']);
    // current_user scopes are fine (for asUser views).
    expect(allowScopes('read:current_user').scopes).toEqual(['read:current_user']);
  });
});

describe('scopebound() options', () => {
  const credentials = clientSecret({ clientId: 'c', clientSecret: SECRET });
  test('exactly one mode', () => {
    expect(() => scopebound({} as never)).toThrow(/exactly one of `client`/);
    expect(() => scopebound({ domain: 'a.auth0.com', credentials, tenant: () => ({ domain: 'b' }) })).toThrow(/exactly one/);
    expect(() => scopebound(null as never)).toThrow(/options/);
  });
  test('bad values name the option', () => {
    expect(() => scopebound({ tenant: 'x' as never })).toThrow(/`tenant`/);
    expect(() => scopebound({ tenant: () => ({ domain: 'a' }), maxTenants: 0 })).toThrow(/`maxTenants`/);
    expect(() => scopebound({ tenant: () => ({ domain: 'a' }), evictionGraceMs: -1 })).toThrow(/`evictionGraceMs`/);
    expect(() => scopebound({ tenant: () => ({ domain: 'a' }), credentials })).toThrow(/`credentials`/);
    expect(() => scopebound({ domain: 'a.auth0.com', credentials, maxTenants: 3 })).toThrow(/`maxTenants`/);
    expect(() => scopebound({ domain: 'a.auth0.com', credentials, userToken: 'x' as never })).toThrow(/`userToken`/);
    expect(() => scopebound({ domain: 'a.auth0.com', credentials, requireAllowScopes: 'yes' as never })).toThrow(/`requireAllowScopes`/);
    expect(() => scopebound({ domain: 'https://a.auth0.com', credentials })).toThrow(/`domain`/);
  });
  test('option errors never print the secret', () => {
    try {
      scopebound({ domain: 'https://bad', credentials });
    } catch (e) {
      expect(inspect(e) + JSON.stringify(e)).not.toContain(SECRET);
    }
    const mw = scopebound({ domain: 'a.auth0.com', credentials });
    expect(inspect(mw, { showHidden: true, depth: 10 })).not.toContain(SECRET);
    return mw.close();
  });
});

describe('the lazy view', () => {
  /** A client whose views are counted. */
  function countingClient() {
    const real = createManagementClient({ domain: 'a.auth0.com', credentials: clientSecret({ clientId: 'c', clientSecret: SECRET }) });
    let views = 0;
    const client = new Proxy(real, {
      get(target, prop) {
        if (prop === 'withScopes') {
          return (scopes: readonly string[]) => {
            views++;
            return target.withScopes(scopes);
          };
        }
        return Reflect.get(target, prop);
      },
    }) as ManagementClient;
    return { client, views: () => views, close: () => real.close() };
  }

  test('attaching costs no view; the view is built once on first access and rebuilt only when the allow-list changes', async () => {
    const { client, views, close } = countingClient();
    const mw = scopebound(client);
    const allow = allowScopes('read:users');
    const reqs = Array.from({ length: 1000 }, () => ({ headers: {} as Record<string, string> }));
    for (const req of reqs) {
      mw(req, undefined, () => undefined);
      allow(req, undefined, () => undefined);
    }
    expect(views()).toBe(0);
    const req = reqs[0] as { auth0?: ManagementClient };
    const first = req.auth0;
    expect(req.auth0).toBe(first);
    expect(views()).toBe(1);
    expect(first?.allowedScopes).toEqual(['read:users']);
    allowScopes('read:users', 'read:roles')(req, undefined, () => undefined);
    const second = req.auth0;
    expect(second).not.toBe(first);
    expect(second?.allowedScopes).toEqual(['read:users']); // the intersection: never wider
    expect(views()).toBe(2);
    expect(req.auth0).toBe(second);
    expect(views()).toBe(2);
    await close();
  });

  test('asUser() without a token throws MissingUserTokenError; with the header it uses it', async () => {
    const { client, close } = countingClient();
    const mw = scopebound(client);
    const anon = { headers: {} } as { headers: Record<string, string>; auth0?: any };
    mw(anon, undefined, () => undefined);
    expect(() => anon.auth0.asUser()).toThrow(MissingUserTokenError);
    const user = { headers: { authorization: 'Bearer abc.def.ghi' } } as { headers: Record<string, string>; auth0?: any };
    mw(user, undefined, () => undefined);
    expect(inspect(user.auth0.asUser())).toContain("principal: 'user'");
    expect(inspect(user.auth0.asUser())).not.toContain('abc.def.ghi');
    await close();
  });

  test('the error handler keeps four parameters (Express needs them to see an error middleware)', () => {
    expect(scopeboundErrorHandler().length).toBe(4);
  });

  test('bad error-handler options are an InvalidOptionError (a ScopeboundError), like every option error', () => {
    expect(() => scopeboundErrorHandler(null as never)).toThrow(InvalidOptionError);
    expect(() => scopeboundErrorHandler(null as never)).toThrow(ScopeboundError);
  });
});
