import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createManagementClient,
  InsufficientScopeError,
  InvalidOptionError,
  InvalidResponseError,
  ManagementApiError,
  ManagementError,
  NetworkError,
  RateLimitError,
  ResponseTooLargeError,
  ScopeNotAllowedError,
  TimeoutError,
} from '../src/index';
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
});

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  fake.setHandler((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
}

function expectNoSecret(err: unknown, secrets: string[]) {
  const views = [String(err), (err as Error).stack ?? '', JSON.stringify(err), inspect(err, { depth: 10, showHidden: true })];
  for (const v of views) for (const s of secrets) expect(v).not.toContain(s);
}

describe('ManagementApiError', () => {
  it('carries status, errorCode, Auth0 message, request id, route and method — never the token', async () => {
    const tokens = fakeTokens();
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens, retry: false });
    json(404, { statusCode: 404, error: 'Not Found', message: 'The user does not exist.', errorCode: 'inexistent_user' }, { 'x-auth0-requestid': 'req-123' });
    const err = (await mgmt.users.get({ id: 'auth0|secret-id' }).catch((e: unknown) => e)) as ManagementApiError;
    expect(err).toBeInstanceOf(ManagementApiError);
    expect(err).toBeInstanceOf(ManagementError);
    expect(err).toMatchObject({
      name: 'ManagementApiError',
      code: 'ERR_MANAGEMENT_API',
      status: 404,
      errorCode: 'inexistent_user',
      error: 'Not Found',
      serverMessage: 'The user does not exist.',
      requestId: 'req-123',
      method: 'GET',
      route: '/api/v2/users/{id}',
      operation: 'users.get',
    });
    expect(err.message).toContain('The user does not exist.');
    expect(err.headers['x-auth0-requestid']).toBe('req-123');
    expectNoSecret(err, [tokens.issued[0]!, 'Bearer']);
    await mgmt.close();
  });

  it('InsufficientScopeError names what the server wanted and what the token had', async () => {
    const tokens = fakeTokens({ grant: () => ['read:users'] });
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens, retry: false });
    json(403, { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope, expected any of: delete:users', errorCode: 'insufficient_scope' });
    const err = (await mgmt.users.delete({ id: 'u1' }).catch((e: unknown) => e)) as InsufficientScopeError;
    expect(err).toBeInstanceOf(InsufficientScopeError);
    expect(err).toMatchObject({ code: 'ERR_INSUFFICIENT_SCOPE', status: 403, requiredScopes: ['delete:users'], requiredRule: 'any', tokenScopes: ['read:users'] });
    expect(err.message).toMatch(/wanted any of \[delete:users\] but the token had \[read:users\]/);

    json(403, { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope, expected all of: read:users, read:roles', errorCode: 'insufficient_scope' });
    const all = (await mgmt.users.roles.list({ id: 'u1' }).catch((e: unknown) => e)) as InsufficientScopeError;
    expect(all).toMatchObject({ requiredRule: 'all', requiredScopes: ['read:users', 'read:roles'] });
    expectNoSecret(all, tokens.issued);
    await mgmt.close();
  });

  it('a 403 without insufficient_scope stays a ManagementApiError; a non-JSON error body still yields an error', async () => {
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens: fakeTokens(), retry: false });
    json(403, { statusCode: 403, error: 'Forbidden', message: 'Operation not allowed', errorCode: 'operation_not_supported' });
    const err = await mgmt.users.get({ id: 'u' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ManagementApiError);
    expect(err).not.toBeInstanceOf(InsufficientScopeError);
    fake.setHandler((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>bad gateway</html>');
    });
    await expect(mgmt.users.get({ id: 'u' })).rejects.toMatchObject({ status: 502, code: 'ERR_MANAGEMENT_API', errorCode: undefined });
    await mgmt.close();
  });
});

describe('responses are size-capped and parsed defensively', () => {
  it('refuses a declared oversized body', async () => {
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens: fakeTokens(), maxResponseBytes: 1024, retry: false });
    json(200, JSON.stringify({ big: 'x'.repeat(5000) }));
    const err = await mgmt.users.get({ id: 'u' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err).toMatchObject({ code: 'ERR_RESPONSE_TOO_LARGE', limit: 1024, status: 200 });
    await mgmt.close();
  });

  it('stops reading a chunked body once it passes the cap (undici and fetch)', async () => {
    let written = 0;
    fake.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(16 * 1024);
      let n = 0;
      const pump = () => {
        while (n < 200) {
          n++;
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    });
    for (const fetchOpt of [{}, { fetch: globalThis.fetch }]) {
      const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens: fakeTokens(), maxResponseBytes: 64 * 1024, retry: false, ...fetchOpt });
      await expect(mgmt.users.get({ id: 'u' })).rejects.toBeInstanceOf(ResponseTooLargeError);
      await mgmt.close();
    }
    expect(written).toBeGreaterThan(0);
  });

  it('malformed JSON and unexpected content types are InvalidResponseError', async () => {
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens: fakeTokens(), retry: false });
    json(200, '{"user_id": "u1",');
    const bad = await mgmt.users.get({ id: 'u' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidResponseError);
    expect(bad).toMatchObject({ code: 'ERR_INVALID_RESPONSE', status: 200, route: '/api/v2/users/{id}' });
    fake.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    });
    await expect(mgmt.users.get({ id: 'u' })).rejects.toBeInstanceOf(InvalidResponseError);
    json(200, '{"__proto__": {"polluted": true}, "user_id": "u1"}');
    const user = (await mgmt.users.get({ id: 'u' })) as Record<string, unknown>;
    expect(user.user_id).toBe('u1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await mgmt.close();
  });
});

describe('timeouts and network failures', () => {
  it('a hung server yields TimeoutError (GET retried, then given up)', async () => {
    const delays: number[] = [];
    fake.setHandler(() => {
      // never answer
    });
    const mgmt = createManagementClient({
      baseUrl: fake.baseUrl,
      tokens: fakeTokens(),
      timeout: 50,
      retry: { retries: 1, minDelayMs: 0 },
      sleep: async (ms) => void delays.push(ms),
    });
    const err = await mgmt.users.get({ id: 'u' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ code: 'ERR_TIMEOUT', timeoutMs: 50, method: 'GET' });
    expect(fake.seen).toHaveLength(2);
    await mgmt.close();
  });

  it('a caller abort is surfaced as the abort reason and not retried', async () => {
    fake.setHandler(() => {
      // never answer
    });
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens: fakeTokens() });
    const ctl = new AbortController();
    const p = mgmt.users.get({ id: 'u' }, undefined, { signal: ctl.signal });
    const reason = new Error('caller gave up');
    setTimeout(() => ctl.abort(reason), 20);
    await expect(p).rejects.toBe(reason);
    await mgmt.close();
  });

  it('connection refused is a NetworkError without request details', async () => {
    const mgmt = createManagementClient({ baseUrl: 'http://127.0.0.1:1', tokens: fakeTokens(), retry: false });
    const err = await mgmt.users.get({ id: 'u' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ code: 'ERR_NETWORK', route: '/api/v2/users/{id}' });
    await mgmt.close();
  });
});

describe('secrets', () => {
  it('never appear in the client, a user view, or any error', async () => {
    const tokens = fakeTokens();
    const mgmt = createManagementClient({ baseUrl: fake.baseUrl, tokens, retry: false, allowScopes: ['read:users'] });
    const user = mgmt.asUser('user-secret-token');
    for (const v of [mgmt, user, mgmt.withScopes(['read:users'])]) {
      expect(inspect(v, { depth: 5, showHidden: true })).not.toContain('user-secret-token');
      expect(JSON.stringify(v) ?? '').not.toContain('user-secret-token');
    }
    json(429, { statusCode: 429, error: 'Too Many Requests', message: 'Rate limit' }, { 'retry-after': '1000' });
    const errors: unknown[] = [
      await user.users.get({ id: 'u' }).catch((e: unknown) => e),
      await mgmt.users.get({ id: 'u' }).catch((e: unknown) => e),
      await user.users.delete({ id: 'u' }).catch((e: unknown) => e),
    ];
    expect(errors[0]).toBeInstanceOf(RateLimitError);
    expect(errors[2]).toBeInstanceOf(ScopeNotAllowedError);
    for (const e of errors) expectNoSecret(e, ['user-secret-token', ...tokens.issued]);
    await mgmt.close();
  });
});

describe('options are validated up front, naming the option', () => {
  const tokens = fakeTokens();
  const cases: [Record<string, unknown>, string][] = [
    [{ tokens }, 'domain'],
    [{ domain: 'a.auth0.com', baseUrl: 'https://a.auth0.com', tokens }, 'baseUrl'],
    [{ domain: 'https://a.auth0.com', tokens }, 'domain'],
    [{ baseUrl: 'http://evil.example.com', tokens }, 'baseUrl'],
    [{ baseUrl: 'https://u:p@a.auth0.com', tokens }, 'baseUrl'],
    [{ domain: 'a.auth0.com' }, 'credentials'],
    [{ domain: 'a.auth0.com', tokens, credentials: {} }, 'tokens'],
    [{ domain: 'a.auth0.com', credentials: {} }, 'credentials'],
    [{ domain: 'a.auth0.com', credentials: [] }, 'credentials'],
    [{ domain: 'a.auth0.com', credentials: 'secret' }, 'credentials'],
    [{ domain: 'a.auth0.com', credentials: [{ kind: 'client-secret', clientId: 'a' }, { kind: 'client-secret', clientId: 'a' }] }, 'credentials'],
    [{ domain: 'a.auth0.com', tokens, retry: { maxRateLimitWaitMs: -1 } }, 'retry.maxRateLimitWaitMs'],
    [{ domain: 'a.auth0.com', tokens: {} }, 'tokens'],
    [{ domain: 'a.auth0.com', tokens, allowScopes: 'read:users' }, 'allowScopes'],
    [{ domain: 'a.auth0.com', tokens, retry: { retries: -1 } }, 'retry.retries'],
    [{ domain: 'a.auth0.com', tokens, retry: 3 }, 'retry'],
    [{ domain: 'a.auth0.com', tokens, timeout: 0 }, 'timeout'],
    [{ domain: 'a.auth0.com', tokens, maxResponseBytes: -5 }, 'maxResponseBytes'],
    [{ domain: 'a.auth0.com', tokens, fetch: 'x' }, 'fetch'],
    [{ domain: 'a.auth0.com', tokens, onEvent: 1 }, 'onEvent'],
    [{ domain: 'a.auth0.com', tokens, fetch: globalThis.fetch, transport: {} }, 'transport'],
  ];
  it.each(cases)('%j → %s', (options, option) => {
    let err: unknown;
    try {
      createManagementClient(options as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err).toMatchObject({ code: 'ERR_INVALID_OPTION', option });
    expect((err as Error).message).toContain(`\`${option}\``);
  });
});
