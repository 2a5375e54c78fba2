import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  clientSecret,
  createTokenProvider,
  InvalidOptionError,
  InvalidTokenResponseError,
  memoryStore,
  privateKeyJwt,
  signedSecret,
  SpecialScopeError,
  UnknownScopeError,
} from '../src/index';
import { DOMAIN, mswServer, TOKEN_URL } from './helpers';

const server = mswServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const cred = () => clientSecret({ clientId: 'app', clientSecret: 'app-secret-value' });
const optionError = (fn: () => unknown): InvalidOptionError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError);
    return error as InvalidOptionError;
  }
  throw new Error('expected an InvalidOptionError');
};

describe('scope guards', () => {
  it('an unknown scope names it and the closest known scopes; nothing is requested', async () => {
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const error = await provider.getToken(['read:user']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownScopeError);
    expect(error).toMatchObject({ code: 'ERR_UNKNOWN_SCOPE', scope: 'read:user' });
    expect((error as UnknownScopeError).suggestions[0]).toBe('read:users');
    expect((error as Error).message).toContain('"read:users"');
  });

  it('an unknown scope in anyOf is refused too; unknownScopes: "allow" lets new scopes through', async () => {
    const strict = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    await expect(strict.getToken(['read:users'], { anyOf: [['raed:users']] })).rejects.toMatchObject({ code: 'ERR_UNKNOWN_SCOPE' });
    server.use(http.post(TOKEN_URL, () => HttpResponse.json({ access_token: 'a.b.c', expires_in: 60, scope: 'read:brand_new_thing' })));
    const lax = createTokenProvider({ domain: DOMAIN, credentials: cred(), unknownScopes: 'allow' });
    await expect(lax.getToken(['read:brand_new_thing'])).resolves.toMatchObject({ scopes: ['read:brand_new_thing'] });
  });

  it('refuses current_user scopes for a server token, explaining they belong to a user token', async () => {
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    for (const scope of ['read:current_user', 'update:current_user_metadata', 'delete:current_user_device_credentials']) {
      const error = await provider.getToken([scope]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpecialScopeError);
      expect((error as Error).message).toContain("user's access token");
    }
  });

  it('drops current_user alternatives from anyOf (they are for user tokens)', async () => {
    server.use(http.post(TOKEN_URL, () => HttpResponse.json({ access_token: 'a.b.c', expires_in: 60, scope: 'update:users' })));
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    await expect(
      provider.getToken(['update:users'], { anyOf: [['update:users'], ['update:current_user_metadata']] }),
    ).resolves.toMatchObject({ scopes: ['update:users'] });
  });

  it('refuses scope lists that are not arrays of names', async () => {
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    await expect(provider.getToken('read:users' as never)).rejects.toMatchObject({ code: 'ERR_UNKNOWN_SCOPE' });
    await expect(provider.getToken(['read:users update:users'])).rejects.toMatchObject({ code: 'ERR_UNKNOWN_SCOPE' });
    await expect(provider.getToken([''])).rejects.toMatchObject({ code: 'ERR_UNKNOWN_SCOPE' });
  });
});

describe('options are validated up front', () => {
  it.each([
    ['https://tenant.auth0.com', 'scheme'],
    ['tenant.auth0.com/path', 'path'],
    ['user:pw@tenant.auth0.com', 'credentials'],
    ['tenant.auth0.com:8443', 'port'],
    ['tenant.auth0.com@evil.com', 'credentials'],
    [' tenant.auth0.com', 'whitespace'],
    ['tenant.auth0.com\n', 'whitespace'],
    ['tenant..auth0.com', 'hostname'],
    ['-tenant.auth0.com', 'hostname'],
    ['tenant.auth0.com.', 'hostname'],
    ['tenant.auth0.com?x=1', 'path'],
    ['tenant.auth0.com#frag', 'path'],
    ['ténant.auth0.com', 'hostname'],
    ['', 'hostname'],
  ])('domain %j is refused (%s)', (domain, word) => {
    const error = optionError(() => createTokenProvider({ domain, credentials: cred() }));
    expect(error.option).toBe('domain');
    expect(error.message).toContain(word === 'hostname' ? 'hostname' : word);
  });

  it('accepts a tenant hostname and lower-cases it', () => {
    const provider = createTokenProvider({ domain: 'My-Tenant.EU.auth0.com', credentials: cred() });
    expect(provider.endpoint).toEqual({
      domain: 'my-tenant.eu.auth0.com',
      audience: 'https://my-tenant.eu.auth0.com/api/v2/',
      tokenUrl: 'https://my-tenant.eu.auth0.com/oauth/token',
    });
  });

  it.each([
    ['http://tenant.auth0.com', 'loopback'],
    ['http://10.0.0.1:4010', 'loopback'],
    ['http://127.0.0.1.nip.io', 'loopback'],
    ['ftp://127.0.0.1', 'https'],
    ['https://user:pw@tenant.auth0.com', 'credentials'],
    ['https://tenant.auth0.com?x=1', 'query'],
    ['tenant.auth0.com', 'absolute URL'],
    ['https://tenant.auth0.com /x', 'whitespace'],
  ])('baseUrl %j is refused (%s)', (baseUrl, word) => {
    const error = optionError(() => createTokenProvider({ baseUrl, credentials: cred() }));
    expect(error.option).toBe('baseUrl');
    expect(error.message).toContain(word);
  });

  it('baseUrl: http on loopback is fine; the audience keeps the tenant domain', () => {
    for (const baseUrl of ['http://127.0.0.1:4010', 'http://localhost:4010/', 'http://[::1]:4010']) {
      const provider = createTokenProvider({ baseUrl, domain: DOMAIN, credentials: cred() });
      expect(provider.endpoint.tokenUrl).toBe(`${baseUrl.replace(/\/$/, '')}/oauth/token`);
      expect(provider.endpoint.audience).toBe(`https://${DOMAIN}/api/v2/`);
    }
  });

  it('names missing or empty secrets and ids', () => {
    expect(optionError(() => clientSecret({ clientId: 'app', clientSecret: '' })).option).toBe('clientSecret');
    expect(optionError(() => clientSecret({ clientId: 'app', clientSecret: '   ' })).option).toBe('clientSecret');
    expect(optionError(() => clientSecret({ clientId: 'app' } as never)).message).toContain('missing');
    expect(optionError(() => clientSecret({ clientId: '', clientSecret: 'x' })).option).toBe('clientId');
    expect(optionError(() => clientSecret({ clientId: 'a b', clientSecret: 'x' })).option).toBe('clientId');
    expect(optionError(() => clientSecret({ clientId: 'a', clientSecret: 'x', authMethod: 'tls' as never })).option).toBe('authMethod');
    expect(optionError(() => privateKeyJwt({ clientId: 'app', privateKey: '' })).option).toBe('privateKey');
    expect(optionError(() => privateKeyJwt({ clientId: 'app', privateKey: 'not a pem' })).option).toBe('privateKey');
    expect(
      optionError(() => privateKeyJwt({ clientId: 'app', privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' }))
        .option,
    ).toBe('privateKey');
    expect(optionError(() => privateKeyJwt({ clientId: 'app', privateKey: 'x', alg: 'HS256' as never })).option).toBe('alg');
    expect(optionError(() => signedSecret({ secret: '' })).option).toBe('secret');
    expect(optionError(() => signedSecret({} as never)).option).toBe('secret');
    expect(optionError(() => signedSecret({ secret: 'not base64!', encoding: 'base64' })).option).toBe('secret');
    expect(optionError(() => signedSecret({ secret: 's', ttl: -1 })).option).toBe('ttl');
    expect(optionError(() => signedSecret({ secret: 's', claims: 'legacy-scopes' })).option).toBe('clientId');
  });

  it('refuses a private key that is public, too small or not RSA', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const small = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    expect(optionError(() => privateKeyJwt({ clientId: 'a', privateKey: small.privateKey })).message).toContain('2048');
    expect(optionError(() => privateKeyJwt({ clientId: 'a', privateKey: ec.privateKey })).message).toContain('RSA');
    const { createPublicKey } = await import('node:crypto');
    expect(optionError(() => privateKeyJwt({ clientId: 'a', privateKey: createPublicKey(small.publicKey) as never })).message).toContain('public');
  });

  it('names bad provider options', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ credentials: cred() }, 'domain'],
      [{ domain: DOMAIN }, 'credentials'],
      [{ domain: DOMAIN, credentials: [] }, 'credentials'],
      [{ domain: DOMAIN, credentials: { kind: 'client-secret', clientId: 'x' } }, 'credentials'],
      [{ domain: DOMAIN, credentials: [cred(), cred()] }, 'credentials'],
      [{ domain: DOMAIN, credentials: cred(), refreshAhead: -1 }, 'refreshAhead'],
      [{ domain: DOMAIN, credentials: cred(), refreshJitter: 2 }, 'refreshJitter'],
      [{ domain: DOMAIN, credentials: cred(), leeway: Number.NaN }, 'leeway'],
      [{ domain: DOMAIN, credentials: cred(), reuse: 'any' }, 'reuse'],
      [{ domain: DOMAIN, credentials: cred(), timeoutMs: 0 }, 'timeoutMs'],
      [{ domain: DOMAIN, credentials: cred(), store: {} }, 'store'],
      [{ domain: DOMAIN, credentials: cred(), fetch: 'fetch' }, 'fetch'],
      [{ domain: DOMAIN, credentials: cred(), audience: '' }, 'audience'],
    ];
    for (const [options, option] of cases) {
      expect(optionError(() => createTokenProvider(options as never)).option).toBe(option);
    }
    expect(optionError(() => memoryStore({ max: 0 })).option).toBe('max');
  });
});

describe('malformed token responses', () => {
  const provider = () => createTokenProvider({ domain: DOMAIN, credentials: cred(), retry: { retries: 0 } });
  const cases: [string, () => Response, string][] = [
    ['not JSON', () => new HttpResponse('<html>access_token=leak</html>', { status: 200 }), 'not JSON'],
    ['a JSON array', () => HttpResponse.json([1, 2]), 'not a JSON object'],
    ['no access_token', () => HttpResponse.json({ expires_in: 60 }), '`access_token` is missing'],
    ['empty access_token', () => HttpResponse.json({ access_token: '', expires_in: 60 }), '`access_token` is missing'],
    ['no expires_in', () => HttpResponse.json({ access_token: 'a.b.c' }), '`expires_in` is missing'],
    ['string expires_in', () => HttpResponse.json({ access_token: 'a.b.c', expires_in: '60' }), 'not a number'],
    ['negative expires_in', () => HttpResponse.json({ access_token: 'a.b.c', expires_in: -5 }), 'not a positive'],
    ['zero expires_in', () => HttpResponse.json({ access_token: 'a.b.c', expires_in: 0 }), 'not a positive'],
    ['absurd expires_in', () => HttpResponse.json({ access_token: 'a.b.c', expires_in: 1e12 }), '30 days'],
    ['wrong token_type', () => HttpResponse.json({ access_token: 'a.b.c', expires_in: 60, token_type: 'MAC' }), '`token_type`'],
    ['non-string scope', () => HttpResponse.json({ access_token: 'a.b.c', expires_in: 60, scope: ['read:users'] }), '`scope`'],
    [
      'an oversized body',
      () => HttpResponse.json({ access_token: 'a.b.c', expires_in: 60, padding: 'x'.repeat(100_000) }),
      'larger than',
    ],
  ];
  it.each(cases)('%s → InvalidTokenResponseError', async (_name, respond, reason) => {
    server.use(http.post(TOKEN_URL, respond));
    const error = await provider().getToken(['read:users']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_RESPONSE_INVALID', status: 200 });
    expect((error as InvalidTokenResponseError).reason).toContain(reason);
    expect(JSON.stringify(error)).not.toContain('leak');
  });

  it('an oversized streamed body without content-length is cut off', async () => {
    server.use(
      http.post(TOKEN_URL, () => {
        const chunk = new TextEncoder().encode('x'.repeat(16_384));
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ >= 100) controller.close();
            else controller.enqueue(chunk);
          },
        });
        return new HttpResponse(body, { status: 200 });
      }),
    );
    const error = await provider().getToken(['read:users']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_RESPONSE_INVALID' });
  });

  it.each([
    [400, 'invalid_request', 'ERR_TOKEN_ENDPOINT'],
    [401, 'invalid_client', 'ERR_TOKEN_ENDPOINT'],
    [403, 'unauthorized_client', 'ERR_TOKEN_ENDPOINT'],
    [403, 'access_denied', 'ERR_TOKEN_ENDPOINT'],
    [500, 'server_error', 'ERR_TOKEN_ENDPOINT'],
    [429, 'too_many_requests', 'ERR_TOKEN_RATE_LIMITED'],
  ])('Auth0 error %i %s is surfaced with its code', async (status, oauthError, code) => {
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json({ error: oauthError, error_description: `described ${oauthError}` }, { status, headers: { 'x-request-id': 'req-1' } }),
      ),
    );
    const error = await provider().getToken(['read:users']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code, status, error: oauthError, errorDescription: `described ${oauthError}` });
    expect((error as { headers: Record<string, string> }).headers['x-request-id']).toBe('req-1');
    expect((error as { retryable: boolean }).retryable).toBe(status >= 500 || status === 429);
  });

  it('a non-JSON error body still gives a typed error', async () => {
    server.use(http.post(TOKEN_URL, () => new HttpResponse('Bad Gateway', { status: 502 })));
    await expect(provider().getToken(['read:users'])).rejects.toMatchObject({ code: 'ERR_TOKEN_ENDPOINT', status: 502, error: undefined });
  });

  it('a network failure is ERR_TOKEN_NETWORK', async () => {
    server.use(http.post(TOKEN_URL, () => HttpResponse.error()));
    await expect(provider().getToken(['read:users'])).rejects.toMatchObject({ code: 'ERR_TOKEN_NETWORK', retryable: true });
  });
});
