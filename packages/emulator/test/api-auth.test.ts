import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { call, harness, HOSTS, jsonPost, tokenFor } from './helpers';

const clients = [{ clientId: 'reader', clientSecret: 'reader-secret-value-1', grants: ['read:users', 'blacklist:tokens'] }];

function unauthorized(message: string, errorCode = 'invalid_token') {
  return { statusCode: 401, error: 'Unauthorized', message, errorCode };
}

describe.each(HOSTS)('bearer verification on /api/v2 over %s', (host) => {
  const setup = harness(host, { clients, apiSecret: 'tenant-api-secret-0123456789' });

  async function good() {
    const { send, audience } = await setup;
    return tokenFor(send, 'reader', 'reader-secret-value-1', audience);
  }

  it('accepts a valid token', async () => {
    const { send } = await setup;
    expect((await call(send, await good(), 'GET', '/api/v2/users')).status).toBe(200);
  });

  it("refuses missing, malformed, alg none, HS256-with-public-key, tampered, expired and wrong-audience tokens with Auth0's 401 bodies", async () => {
    const { send, em, audience } = await setup;
    const token = await good();
    const jwks = (await (await send('/.well-known/jwks.json')).json()) as any;
    const publicJwkText = JSON.stringify(jwks.keys[0]);
    const now = Math.floor((await em.admin.now()) / 1000);
    const claims = { scope: 'read:users', sub: 'x@clients' };
    const none = new UnsecuredJWT(claims).setIssuer(`https://${em.domain}/`).setAudience(audience).setExpirationTime(now + 60).encode();
    const hsPublic = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: jwks.keys[0].kid })
      .setIssuer(`https://${em.domain}/`)
      .setAudience(audience)
      .setExpirationTime(now + 60)
      .sign(new TextEncoder().encode(publicJwkText));
    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    payload.scope = 'read:users delete:users';
    const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const expired = await em.admin.mintToken({ sub: 'x@clients', scope: 'read:users', expiresIn: 1 });
    const wrongAud = await em.admin.mintToken({ sub: 'x@clients', scope: 'read:users', audience: 'https://other.test/api/v2/' });
    await em.admin.advanceClock(2_000);
    const cases: [Record<string, string>, object][] = [
      [{}, unauthorized('Missing authentication', 'missing_authentication')],
      [{ authorization: 'Basic abc' }, unauthorized('Bad HTTP authentication header format')],
      [{ authorization: 'Bearer not-a-jwt' }, unauthorized('Invalid token')],
      [{ authorization: `Bearer ${none}` }, unauthorized('Invalid token')],
      [{ authorization: `Bearer ${hsPublic}` }, unauthorized('Invalid signature received for JSON Web Token validation')],
      [{ authorization: `Bearer ${tampered}` }, unauthorized('Invalid signature received for JSON Web Token validation')],
      [{ authorization: `Bearer ${expired}` }, unauthorized('Expired token received for JSON Web Token validation')],
      [{ authorization: `Bearer ${wrongAud}` }, unauthorized('Bad audience: https://other.test/api/v2/')],
    ];
    for (const [headers, body] of cases) {
      const res = await send('/api/v2/users', { headers });
      expect(res.status, JSON.stringify(headers).slice(0, 60)).toBe(401);
      expect(await res.json()).toEqual(body);
    }
  });

  it('keeps rotated keys valid for the grace period only', async () => {
    const { send, em } = await setup;
    await em.admin.setJwksGrace(60_000);
    const before = await good();
    const oldKid = JSON.parse(Buffer.from(before.split('.')[0]!, 'base64url').toString()).kid;
    const { kid } = await em.admin.rotateSigningKey();
    expect(kid).not.toBe(oldKid);
    const jwks = (await (await send('/.well-known/jwks.json')).json()) as any;
    expect(jwks.keys.map((k: any) => k.kid)).toEqual([kid, oldKid]);
    expect((await call(send, before, 'GET', '/api/v2/users')).status).toBe(200);
    const after = await good();
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).toBe(kid);
    await em.admin.advanceClock(60_000);
    const jwks2 = (await (await send('/.well-known/jwks.json')).json()) as any;
    expect(jwks2.keys.map((k: any) => k.kid)).toEqual([kid]);
    const refused = await call(send, before, 'GET', '/api/v2/users');
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(unauthorized('Invalid signature received for JSON Web Token validation'));
    expect((await call(send, after, 'GET', '/api/v2/users')).status).toBe(200);
  });

  it('blacklists a token by jti', async () => {
    const { send } = await setup;
    const token = await good();
    const jti = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti;
    const victim = await good();
    const victimJti = JSON.parse(Buffer.from(victim.split('.')[1]!, 'base64url').toString()).jti;
    // Used (and cached as verified) before it is blacklisted.
    expect((await call(send, victim, 'GET', '/api/v2/users')).status).toBe(200);
    expect((await send('/api/v2/blacklists/tokens', jsonPost({ jti: victimJti }, 'POST', token))).status).toBe(204);
    const refused = await call(send, victim, 'GET', '/api/v2/users');
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('Token has been revoked (its jti is blacklisted)');
    const list = await call(send, token, 'GET', '/api/v2/blacklists/tokens');
    expect(list.body).toContainEqual({ jti: victimJti });
    expect(jti).not.toBe(victimJti);
    expect((await call(send, token, 'GET', '/api/v2/users')).status).toBe(200);
  });
});

describe('signed-secret (HS256) tokens', () => {
  const setup = harness('in-process', { apiSecret: 'tenant-api-secret-0123456789' });

  async function sign(claims: Record<string, unknown>, secret: Uint8Array, exp?: number) {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setJti(`j-${Math.random()}`);
    if (exp) jwt.setExpirationTime(exp);
    return jwt.sign(secret);
  }

  it('accepts modern scope and legacy scopes claims, the secret raw or base64url-decoded', async () => {
    const { send, em, audience } = await setup;
    const raw = new TextEncoder().encode(await em.admin.apiSecret());
    const modern = await sign({ aud: audience, scope: 'read:users' }, raw);
    expect((await call(send, modern, 'GET', '/api/v2/users')).status).toBe(200);
    const legacy = await sign({ aud: await em.admin.globalClientId(), scopes: { users: { actions: ['read'] } } }, raw);
    expect((await call(send, legacy, 'GET', '/api/v2/users')).status).toBe(200);
    const denied = await call(send, legacy, 'DELETE', '/api/v2/users/auth0%7C1');
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe('Insufficient scope, expected any of: delete:users,delete:current_user');
    // A base64url secret is decoded before use.
    const b64 = Buffer.from('0123456789abcdef0123456789abcdef').toString('base64url');
    await em.admin.rotateApiSecret(b64);
    const decoded = await sign({ aud: audience, scope: 'read:users' }, new Uint8Array(Buffer.from(b64, 'base64url')));
    expect((await call(send, decoded, 'GET', '/api/v2/users')).status).toBe(200);
  });

  it('rotating the secret kills every signed-secret token; expiry and audience still apply', async () => {
    const { send, em, audience } = await setup;
    const secret = new TextEncoder().encode(await em.admin.rotateApiSecret('first-secret-0123456789'));
    const token = await sign({ aud: audience, scope: 'read:users' }, secret);
    const short = await sign({ aud: audience, scope: 'read:users' }, secret, Math.floor((await em.admin.now()) / 1000) + 5);
    const wrongAud = await sign({ aud: 'https://elsewhere.test/', scope: 'read:users' }, secret);
    expect((await call(send, token, 'GET', '/api/v2/users')).status).toBe(200);
    expect((await call(send, wrongAud, 'GET', '/api/v2/users')).body).toEqual(unauthorized('Bad audience: https://elsewhere.test/'));
    expect((await call(send, short, 'GET', '/api/v2/users')).status).toBe(200);
    await em.admin.advanceClock(10_000);
    expect((await call(send, short, 'GET', '/api/v2/users')).body).toEqual(unauthorized('Expired token received for JSON Web Token validation'));
    await em.admin.rotateApiSecret();
    const refused = await call(send, token, 'GET', '/api/v2/users');
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(unauthorized('Invalid signature received for JSON Web Token validation'));
  });
});
