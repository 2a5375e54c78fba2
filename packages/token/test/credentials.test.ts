import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientSecret, createTokenProvider, legacyScopes, privateKeyJwt, signedSecret, type TokenEvent } from '../src/index';
import { createTokenServer, DOMAIN, mswServer } from './helpers';

const server = mswServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const { privateKey: pem, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

describe('clientSecret', () => {
  it('client_secret_basic sends the secret in the Authorization header, not the body', async () => {
    const ts = createTokenServer({ grants: { 'app:1': ['read:users'] }, secrets: { 'app:1': 'sec ret+/=' } });
    server.use(ts.handler);
    const provider = createTokenProvider({
      domain: DOMAIN,
      credentials: clientSecret({ clientId: 'app:1', clientSecret: 'sec ret+/=', authMethod: 'client_secret_basic' }),
    });
    await provider.getToken(['read:users']);
    expect(ts.calls[0]!.form.get('client_secret')).toBeNull();
    expect(ts.calls[0]!.headers.get('authorization')).toMatch(/^Basic /);
    expect(ts.calls).toHaveLength(1);
  });

  it('a wrong secret surfaces Auth0\'s error code, never the secret', async () => {
    const ts = createTokenServer({ grants: { app: ['read:users'] }, secrets: { app: 'right-secret' } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: clientSecret({ clientId: 'app', clientSecret: 'wrong-secret' }) });
    const error = await provider.getToken(['read:users']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_ENDPOINT', status: 401, error: 'access_denied', errorDescription: 'Unauthorized' });
    expect(JSON.stringify(error)).not.toContain('wrong-secret');
  });
});

describe('privateKeyJwt', () => {
  for (const alg of ['RS256', 'RS384', 'PS256'] as const) {
    it(`signs a ${alg} client assertion that verifies with the public key`, async () => {
      const ts = createTokenServer({ grants: { 'pk-app': ['read:users'] } });
      server.use(ts.handler);
      const provider = createTokenProvider({
        domain: DOMAIN,
        credentials: privateKeyJwt({ clientId: 'pk-app', privateKey: pem, alg, keyId: 'key-1' }),
      });
      await provider.getToken(['read:users']);
      const form = ts.calls[0]!.form;
      expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      expect(form.get('client_secret')).toBeNull();
      const assertion = form.get('client_assertion')!;
      expect(assertion.length).toBeLessThanOrEqual(2048);
      const { payload, protectedHeader } = await jwtVerify(assertion, (await import('node:crypto')).createPublicKey(publicKey), {
        algorithms: [alg],
        issuer: 'pk-app',
        subject: 'pk-app',
        audience: `https://${DOMAIN}/`,
      });
      expect(protectedHeader).toMatchObject({ alg, kid: 'key-1' });
      expect(typeof payload.jti).toBe('string');
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300);
      expect(payload.exp! - payload.iat!).toBeGreaterThan(0);
    });
  }

  it('uses a fresh jti for every assertion', async () => {
    const ts = createTokenServer({ grants: { 'pk-app': ['read:users', 'read:roles'] }, narrow: true });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: privateKeyJwt({ clientId: 'pk-app', privateKey: pem }) });
    await provider.getToken(['read:users']);
    await provider.getToken(['read:roles']);
    const jtis = ts.calls.map((c) => JSON.parse(Buffer.from(c.form.get('client_assertion')!.split('.')[1]!, 'base64url').toString()).jti);
    expect(jtis).toHaveLength(2);
    expect(jtis[0]).not.toBe(jtis[1]);
    expect(decodeProtectedHeader(ts.calls[0]!.form.get('client_assertion')!).alg).toBe('RS256');
  });

  it('accepts a CryptoKey and a KeyObject', async () => {
    const ts = createTokenServer({ grants: { a: ['read:users'], b: ['read:users'] } });
    server.use(ts.handler);
    const { privateKey: cryptoKey, publicKey: cryptoPublic } = await generateKeyPair('PS256', { extractable: true });
    const keyObject = (await import('node:crypto')).createPrivateKey(pem);
    for (const [id, key, pub, alg] of [
      ['a', cryptoKey, cryptoPublic, 'PS256'],
      ['b', keyObject, (await import('node:crypto')).createPublicKey(publicKey), 'RS256'],
    ] as const) {
      const provider = createTokenProvider({ domain: DOMAIN, credentials: privateKeyJwt({ clientId: id, privateKey: key, alg }) });
      await provider.getToken(['read:users']);
      const assertion = ts.calls.at(-1)!.form.get('client_assertion')!;
      await expect(jwtVerify(assertion, pub, { issuer: id, audience: `https://${DOMAIN}/` })).resolves.toBeDefined();
    }
    expect(await exportPKCS8(cryptoKey)).toContain('PRIVATE KEY');
  });
});

describe('signedSecret', () => {
  const secret = 'the-tenant-api-secret-0123456789abcdef';
  const key = new TextEncoder().encode(secret);

  it('signs HS256 tokens with exactly the requested scopes (modern `scope` claim) and makes no request', async () => {
    const provider = createTokenProvider({ domain: DOMAIN, credentials: signedSecret({ secret, ttl: 300 }) });
    const token = await provider.getToken(['update:users', 'read:users']);
    const { payload, protectedHeader } = await jwtVerify(token.value, key, { algorithms: ['HS256'], audience: `https://${DOMAIN}/api/v2/` });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload.scope).toBe('read:users update:users');
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(typeof payload.jti).toBe('string');
    expect(token.scopes).toEqual(['read:users', 'update:users']);
    expect(token.clientId).toBe('signed-secret');
    // Exactly the requested scopes: a different set is a different token.
    const other = await provider.getToken(['read:roles']);
    expect(other.value).not.toBe(token.value);
    const again = await provider.getToken(['read:roles']);
    expect(again.value).toBe(other.value);
    const jtis = new Set([token.value, other.value].map((v) => JSON.parse(Buffer.from(v.split('.')[1]!, 'base64url').toString()).jti));
    expect(jtis.size).toBe(2);
  });

  it('signs the legacy `scopes` object claim with the global client id as audience', async () => {
    const provider = createTokenProvider({
      domain: DOMAIN,
      credentials: signedSecret({ secret, claims: 'legacy-scopes', clientId: 'GLOBAL_CLIENT_ID' }),
    });
    const token = await provider.getToken(['read:users', 'update:users', 'blacklist:tokens']);
    const { payload } = await jwtVerify(token.value, key, { audience: 'GLOBAL_CLIENT_ID' });
    expect(payload.scopes).toEqual({ users: { actions: ['read', 'update'] }, tokens: { actions: ['blacklist'] } });
    expect(payload.scope).toBeUndefined();
    expect(legacyScopes(['read:users_app_metadata'])).toEqual({ users_app_metadata: { actions: ['read'] } });
  });

  it('decodes base64url and base64 secrets before signing', async () => {
    const raw = new Uint8Array(32).map((_, i) => i * 7);
    for (const encoding of ['base64url', 'base64'] as const) {
      const provider = createTokenProvider({
        domain: DOMAIN,
        credentials: signedSecret({ secret: Buffer.from(raw).toString(encoding), encoding }),
      });
      const token = await provider.getToken(['read:users']);
      await expect(jwtVerify(token.value, raw)).resolves.toBeDefined();
    }
  });

  it('ttl: null omits exp', async () => {
    const provider = createTokenProvider({ domain: DOMAIN, credentials: signedSecret({ secret, ttl: null }) });
    const token = await provider.getToken(['read:users']);
    const { payload } = await jwtVerify(token.value, key);
    expect(payload.exp).toBeUndefined();
  });

  it('secret rotation: a rotated secret invalidates tokens signed with the old one', async () => {
    let current = secret;
    const events: TokenEvent[] = [];
    const provider = createTokenProvider({
      domain: DOMAIN,
      credentials: signedSecret({ secret: async () => current }),
      onEvent: (e) => events.push(e),
    });
    const before = await provider.getToken(['read:users']);
    expect((await provider.getToken(['read:users'])).value).toBe(before.value);
    current = 'a-brand-new-secret-after-rotation-42';
    const after = await provider.getToken(['read:users']);
    expect(after.value).not.toBe(before.value);
    await expect(jwtVerify(after.value, new TextEncoder().encode(current))).resolves.toBeDefined();
    await expect(jwtVerify(after.value, key)).rejects.toThrow();
    expect(events.filter((e) => e.type === 'mint')).toHaveLength(2);
    expect(JSON.stringify(events)).not.toContain(current);
  });

  it('a failing secret function is a CredentialError that reveals nothing', async () => {
    const provider = createTokenProvider({
      domain: DOMAIN,
      credentials: signedSecret({
        secret: () => {
          throw new Error('vault said: s3cr3t-value');
        },
      }),
    });
    const error = await provider.getToken(['read:users']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_CREDENTIAL' });
    expect(JSON.stringify(error)).not.toContain('s3cr3t');
    expect((error as Error).cause).toBeUndefined();
  });
});
