import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEMO_CLIENTS } from '../src/index';
import { bearer, call, form, harness, HOSTS, jsonPost, tokenFor } from './helpers';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

const clients = [
  { clientId: 'secret-client', clientSecret: 'secret-client-secret-value', grants: ['read:users', 'update:users'] },
  { clientId: 'pkjwt-client', publicKey: publicPem, grants: ['read:users'] },
  { clientId: 'no-grant-client', clientSecret: 'no-grant-client-secret-value' },
];

describe.each(HOSTS)('POST /oauth/token over %s', (host) => {
  const setup = harness(host, { clients, domain: 'tenant.example.test' });

  async function assertion(claims: Record<string, unknown> = {}, options: { alg?: string; key?: any; exp?: number; aud?: string } = {}) {
    const { em, url } = await setup;
    const now = Math.floor((await em.admin.now()) / 1000);
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: options.alg ?? 'RS256' })
      .setIssuer((claims.iss as string | undefined) ?? 'pkjwt-client')
      .setSubject((claims.sub as string | undefined) ?? 'pkjwt-client')
      .setAudience(options.aud ?? `https://tenant.example.test/`)
      .setIssuedAt(now)
      .setExpirationTime(options.exp ?? now + 60)
      .setJti(`jti-${Math.random()}`)
      .sign(options.key ?? privateKey)
      .then((jwt) => ({ jwt, url }));
  }

  it('issues an RS256 token with Auth0 claim shapes for client_secret_post, verified against the served JWKS', async () => {
    const { send, audience, url } = await setup;
    const res = await send('/oauth/token', form({ grant_type: 'client_credentials', client_id: 'secret-client', client_secret: 'secret-client-secret-value', audience }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 86400, scope: 'read:users update:users' });
    const jwksRes = await send('/.well-known/jwks.json');
    const jwks = (await jwksRes.json()) as any;
    const keySet = host === 'http' ? createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`)) : createLocalJWKSet(jwks);
    const { payload, protectedHeader } = await jwtVerify(body.access_token, keySet, { issuer: 'https://tenant.example.test/', audience });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);
    expect(payload).toMatchObject({ iss: 'https://tenant.example.test/', sub: 'secret-client@clients', aud: audience, azp: 'secret-client', gty: 'client-credentials', scope: 'read:users update:users' });
    expect(payload.exp! - payload.iat!).toBe(86400);
    expect(typeof payload.jti).toBe('string');
  });

  it('accepts client_secret_basic and JSON bodies', async () => {
    const { send, audience } = await setup;
    const basic = Buffer.from('secret-client:secret-client-secret-value').toString('base64');
    const r1 = await send('/oauth/token', { ...form({ grant_type: 'client_credentials', audience }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` } });
    expect(r1.status).toBe(200);
    const r2 = await send('/oauth/token', jsonPost({ grant_type: 'client_credentials', client_id: 'secret-client', client_secret: 'secret-client-secret-value', audience }));
    expect(r2.status).toBe(200);
  });

  it('grants every scope of the grant regardless of the requested subset (as Auth0 does)', async () => {
    const { send, audience } = await setup;
    const token = await tokenFor(send, 'secret-client', 'secret-client-secret-value', audience, { scope: 'read:users' });
    expect(decodeJwt(token).scope).toBe('read:users update:users');
  });

  it.runIf(host === 'http')('issues a token for the listening origin audience (HTTP host)', async () => {
    const { send, url } = await setup;
    const token = await tokenFor(send, 'secret-client', 'secret-client-secret-value', `${url}/api/v2/`);
    expect(decodeJwt(token).aud).toBe(`${url}/api/v2/`);
    const res = await call(send, token, 'GET', '/api/v2/users');
    expect(res.status).toBe(200);
  });

  it('verifies private_key_jwt assertions (every accepted aud form)', async () => {
    const { send, audience } = await setup;
    const auds = ['https://tenant.example.test/', 'https://tenant.example.test/oauth/token'];
    if (host === 'http') {
      const { url } = await setup;
      auds.push(`${url}/`, `${url}/oauth/token`);
    }
    for (const aud of auds) {
      const { jwt } = await assertion({}, { aud });
      const res = await send('/oauth/token', form({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt, audience }));
      expect(res.status, aud).toBe(200);
      expect(decodeJwt(((await res.json()) as any).access_token).sub).toBe('pkjwt-client@clients');
    }
  });

  it('refuses bad assertions with invalid_client', async () => {
    const { send, audience, em } = await setup;
    const now = Math.floor((await em.admin.now()) / 1000);
    const type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
    const post = (jwt: string, extra: Record<string, string> = {}) =>
      send('/oauth/token', form({ grant_type: 'client_credentials', client_assertion_type: type, client_assertion: jwt, audience, ...extra }));
    const cases: [string, Promise<string>, RegExp, Record<string, string>?][] = [
      ['wrong key', assertion({}, { key: other.privateKey }).then((a) => a.jwt), /signature/],
      ['iss != sub', assertion({ sub: 'someone-else' }).then((a) => a.jwt), /iss and sub/],
      ['wrong aud', assertion({}, { aud: 'https://elsewhere.test/' }).then((a) => a.jwt), /aud must be one of/],
      ['exp too far', assertion({}, { exp: now + 3600 }).then((a) => a.jwt), /at most 300 seconds/],
      ['expired', assertion({}, { exp: now - 10 }).then((a) => a.jwt), /expired/],
      ['HS256', new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('pkjwt-client').setSubject('pkjwt-client').setAudience('https://tenant.example.test/').setExpirationTime(now + 60).setJti('x').sign(new TextEncoder().encode('x'.repeat(32))), /must be signed with one of/],
      ['unknown client', assertion({ iss: 'nobody', sub: 'nobody' }).then((a) => a.jwt), /Unknown client/],
      ['oversized', assertion({ pad: 'x'.repeat(2100) }).then((a) => a.jwt), /at most 2048 bytes/],
      ['client_id mismatch', assertion().then((a) => a.jwt), /does not match/, { client_id: 'secret-client' }],
    ];
    for (const [name, jwtP, message, extra] of cases) {
      const res = await post(await jwtP, extra);
      const body = (await res.json()) as any;
      expect(res.status, name).toBe(401);
      expect(body.error, name).toBe('invalid_client');
      expect(body.error_description, name).toMatch(message);
    }
    const wrongType = await send('/oauth/token', form({ grant_type: 'client_credentials', client_assertion_type: 'jwt', client_assertion: (await assertion()).jwt, audience }));
    expect(wrongType.status).toBe(401);
  });

  it('refuses a replayed assertion jti', async () => {
    const { send, audience } = await setup;
    const { jwt } = await assertion();
    const params = { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt, audience };
    expect((await send('/oauth/token', form(params))).status).toBe(200);
    const again = await send('/oauth/token', form(params));
    expect(again.status).toBe(401);
    expect(await again.json()).toEqual({ error: 'invalid_client', error_description: 'client_assertion jti has already been used' });
  });

  it("answers Auth0's OAuth error bodies for every refusal", async () => {
    const { send, audience } = await setup;
    const base = { grant_type: 'client_credentials', client_id: 'secret-client', client_secret: 'secret-client-secret-value', audience };
    const cases: [Record<string, string>, number, object][] = [
      [{ ...base, client_secret: 'wrong' }, 401, { error: 'access_denied', error_description: 'Unauthorized' }],
      [{ ...base, client_id: 'nobody' }, 401, { error: 'access_denied', error_description: 'Unauthorized' }],
      [{ grant_type: 'client_credentials', audience }, 401, { error: 'invalid_client' }],
      [{ ...base, client_secret: '' }, 401, { error: 'invalid_client' }],
      [{ client_id: 'secret-client', client_secret: 'x', audience }, 400, { error: 'invalid_request', error_description: 'Missing required parameter: grant_type' }],
      [{ ...base, grant_type: 'password' }, 403, { error: 'unsupported_grant_type', error_description: 'Unsupported grant type: password' }],
      [{ ...base, audience: '' }, 403, { error: 'access_denied', error_description: 'No audience parameter was provided, and no default audience has been configured' }],
      [{ ...base, audience: 'https://unknown.test/' }, 403, { error: 'access_denied', error_description: 'Service not found: https://unknown.test/' }],
      [{ ...base, client_id: 'no-grant-client', client_secret: 'no-grant-client-secret-value' }, 403, { error: 'access_denied', error_description: `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API.` }],
    ];
    for (const [params, status, body] of cases) {
      const res = await send('/oauth/token', form(params));
      expect(res.status, JSON.stringify(params)).toBe(status);
      expect(await res.json(), JSON.stringify(params)).toMatchObject(body);
    }
  });

  it('lets a client created through the Management API get tokens once it has a grant', async () => {
    const { send, audience, em } = await setup;
    const admin = await em.admin.mintToken({ sub: 'ops@clients', scope: 'create:clients create:client_grants update:clients read:client_keys' });
    const created = await call(send, admin, 'POST', '/api/v2/clients', { name: 'made at runtime', app_type: 'non_interactive' });
    expect(created.status).toBe(201);
    const { client_id, client_secret } = created.body;
    const denied = await send('/oauth/token', form({ grant_type: 'client_credentials', client_id, client_secret, audience }));
    expect(denied.status).toBe(403);
    const grant = await call(send, admin, 'POST', '/api/v2/client-grants', { client_id, audience, scope: ['read:roles'] });
    expect(grant.status).toBe(201);
    const token = await tokenFor(send, client_id, client_secret, audience);
    expect(decodeJwt(token).scope).toBe('read:roles');
    // Grant types matter.
    await call(send, admin, 'PATCH', `/api/v2/clients/${client_id}`, { grant_types: ['authorization_code'] });
    const refused = await send('/oauth/token', form({ grant_type: 'client_credentials', client_id, client_secret, audience }));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'unauthorized_client', error_description: "Grant type 'client_credentials' not allowed for the client." });
  });

  it('registers a private_key_jwt credential through the Management API', async () => {
    const { send, audience, em } = await setup;
    const admin = await em.admin.mintToken({ sub: 'ops@clients', scope: 'create:clients create:client_grants update:clients create:client_credentials' });
    const created = await call(send, admin, 'POST', '/api/v2/clients', {
      name: 'pkjwt at runtime',
      app_type: 'non_interactive',
      client_authentication_methods: { private_key_jwt: { credentials: [{ credential_type: 'public_key', pem: other.publicKey.export({ type: 'spki', format: 'pem' }).toString() }] } },
    });
    expect(created.status).toBe(201);
    expect(created.body.client_secret).toBeUndefined();
    const clientId = created.body.client_id;
    await call(send, admin, 'POST', '/api/v2/client-grants', { client_id: clientId, audience, scope: ['read:users'] });
    const now = Math.floor((await em.admin.now()) / 1000);
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).setIssuer(clientId).setSubject(clientId).setAudience('https://tenant.example.test/').setExpirationTime(now + 60).setJti('runtime-1').sign(other.privateKey);
    const res = await send('/oauth/token', form({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt, audience }));
    expect(res.status).toBe(200);
  });

  it('counts mints per client in the journal and logs exchanges', async () => {
    const { send, audience, em } = await setup;
    const before = em.journal.mintsFor('secret-client');
    await tokenFor(send, 'secret-client', 'secret-client-secret-value', audience);
    expect(em.journal.mintsFor('secret-client')).toBe(before + 1);
    const admin = await em.admin.mintToken({ sub: 'ops@clients', scope: 'read:logs' });
    const logs = await call(send, admin, 'GET', '/api/v2/logs?search=type:seccft&per_page=5');
    expect(logs.status).toBe(200);
    expect(logs.body[0]).toMatchObject({ type: 'seccft', client_id: 'secret-client' });
  });
});

describe('narrowScopes and quotas', () => {
  it('narrowScopes honours the requested subset and refuses ungranted scopes', async () => {
    const { send, audience } = await harness('in-process', { clients, narrowScopes: true });
    const t = await tokenFor(send, 'secret-client', 'secret-client-secret-value', audience, { scope: 'read:users' });
    expect(decodeJwt(t).scope).toBe('read:users');
    const res = await send('/oauth/token', form({ grant_type: 'client_credentials', client_id: 'secret-client', client_secret: 'secret-client-secret-value', audience, scope: 'delete:users' }));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'access_denied', error_description: 'Client has not been granted scopes: delete:users' });
  });

  it('enforces per-client token quotas with auth0-client-quota-limit headers', async () => {
    const { send, audience, em } = await harness('in-process', {
      clients: [{ clientId: 'q', clientSecret: 'q-secret-value-long', grants: ['read:users'], quota: { perHour: 2, perDay: 10 } }],
      clock: { now: () => Date.UTC(2025, 0, 1, 10, 0, 0) },
    });
    const params = { grant_type: 'client_credentials', client_id: 'q', client_secret: 'q-secret-value-long', audience };
    const r1 = await send('/oauth/token', form(params));
    expect(r1.headers.get('auth0-client-quota-limit')).toBe('b=per_hour;q=2;r=1;t=3600,b=per_day;q=10;r=9;t=50400');
    await send('/oauth/token', form(params));
    const r3 = await send('/oauth/token', form(params));
    expect(r3.status).toBe(429);
    expect(r3.headers.get('retry-after')).toBe('3600');
    expect(((await r3.json()) as any).error).toBe('too_many_requests');
    await em.admin.advanceClock(3_600_000);
    expect((await send('/oauth/token', form(params))).status).toBe(200);
  });

  it('demo seed clients have the documented grants', async () => {
    const { send, audience, em } = await harness('in-process', { seed: 'demo' });
    for (const c of DEMO_CLIENTS.filter((d) => d.clientSecret)) {
      const token = await tokenFor(send, c.clientId, c.clientSecret!, audience);
      expect(decodeJwt(token).scope).toBe(c.scopes.join(' '));
    }
    const key = await em.admin.demoPrivateKey();
    const now = Math.floor((await em.admin.now()) / 1000);
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: key.kid! }).setIssuer(key.clientId).setSubject(key.clientId).setAudience(`https://${em.domain}/`).setExpirationTime(now + 60).setJti('demo-1').sign(await import('node:crypto').then((c) => c.createPrivateKey(key.privateKeyPem)));
    const res = await send('/oauth/token', form({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt, audience }));
    expect(res.status).toBe(200);
    const token = ((await res.json()) as any).access_token;
    expect((await send(`/api/v2/users?per_page=1`, bearer(token))).status).toBe(200);
  });
});
