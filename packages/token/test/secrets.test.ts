import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientSecret, createTokenProvider, privateKeyJwt, signedSecret, type TokenEvent } from '../src/index';
import { createTokenServer, DOMAIN, fakeJwt, mswServer, TOKEN_URL } from './helpers';

const server = mswServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const SECRET = 'CLIENT-SECRET-d9f8a7s6d5f4';
const { privateKey: PEM } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const PEM_BODY = PEM.split('\n')[3]!; // a line from the middle of the key
const TOKEN = fakeJwt({ scope: 'read:users', marker: 'ACCESS-TOKEN-MARKER-123' });

/** Every way an object can be shown or serialised, including its cause chain. */
function renderings(value: unknown): string {
  const out: string[] = [inspect(value, { depth: 10, showHidden: false }), String(value)];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch {
    // not serialisable: nothing to leak that way
  }
  let cause: unknown = (value as { cause?: unknown } | undefined)?.cause;
  for (let i = 0; i < 5 && cause !== undefined; i++) {
    out.push(inspect(cause, { depth: 10 }), String(cause), JSON.stringify(cause) ?? '');
    cause = (cause as { cause?: unknown }).cause;
  }
  if (value instanceof Error) out.push(value.message, value.stack ?? '');
  return out.join('\n');
}

function expectClean(value: unknown, ...secrets: string[]) {
  const text = renderings(value);
  for (const secret of [SECRET, PEM_BODY, TOKEN, 'ACCESS-TOKEN-MARKER-123', ...secrets]) expect(text).not.toContain(secret);
}

describe('no secret or token is ever shown', () => {
  it('credentials print and serialise without their secrets', () => {
    for (const cred of [
      clientSecret({ clientId: 'app', clientSecret: SECRET }),
      privateKeyJwt({ clientId: 'app', privateKey: PEM }),
      signedSecret({ secret: SECRET }),
    ]) {
      expectClean(cred);
      expect(inspect(cred)).toContain(cred.kind);
    }
  });

  it('an AccessToken hides its value from inspect, JSON and String, but gives it to the caller', async () => {
    server.use(http.post(TOKEN_URL, () => HttpResponse.json({ access_token: TOKEN, expires_in: 60, scope: 'read:users' })));
    const provider = createTokenProvider({ domain: DOMAIN, credentials: clientSecret({ clientId: 'app', clientSecret: SECRET }) });
    const token = await provider.getToken(['read:users']);
    expect(token.value).toBe(TOKEN);
    expectClean(token);
    expect(JSON.parse(JSON.stringify(token))).toEqual({ scopes: ['read:users'], expiresAt: token.expiresAt, clientId: 'app', value: '[redacted]' });
    expect(`${token}`).toBe('[AccessToken]');
    expect(Object.keys(token)).not.toContain('value');
    expectClean(provider);
  });

  it('an error body echoing the secret, assertion or token is redacted', async () => {
    server.use(
      http.post(TOKEN_URL, async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        const echoed = [form.get('client_secret'), form.get('client_assertion')].filter(Boolean).join(' ');
        return HttpResponse.json({ error: `invalid_client ${echoed}`, error_description: `bad credentials: ${echoed} ${TOKEN}` }, { status: 401 });
      }),
    );
    for (const credentials of [clientSecret({ clientId: 'app', clientSecret: SECRET }), privateKeyJwt({ clientId: 'app', privateKey: PEM })]) {
      const events: TokenEvent[] = [];
      const provider = createTokenProvider({ domain: DOMAIN, credentials, onEvent: (e) => events.push(e) });
      const error = await provider.getToken(['read:users']).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ERR_TOKEN_ENDPOINT', status: 401 });
      expect((error as { errorDescription: string }).errorDescription).toContain('[redacted]');
      // The secret and assertion are known and redacted; the echoed token is redacted for its JWT shape.
      expectClean(error);
      expect(renderings(error)).not.toMatch(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\./);
      expect(JSON.stringify(events.map((e) => (e as { error?: unknown }).error))).not.toContain(SECRET);
    }
  });

  it('a non-JSON success body holding a token never reaches the error or its cause', async () => {
    server.use(http.post(TOKEN_URL, () => new HttpResponse(`access_token=${TOKEN}&expires_in=60`, { status: 200 })));
    const provider = createTokenProvider({ domain: DOMAIN, credentials: clientSecret({ clientId: 'app', clientSecret: SECRET }) });
    const error = await provider.getToken(['read:users']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_RESPONSE_INVALID' });
    expectClean(error);
  });

  it('an invalid response that includes a token (wrong token_type) does not show it', async () => {
    server.use(http.post(TOKEN_URL, () => HttpResponse.json({ access_token: TOKEN, expires_in: 60, token_type: TOKEN })));
    const provider = createTokenProvider({ domain: DOMAIN, credentials: clientSecret({ clientId: 'app', clientSecret: SECRET }) });
    const error = await provider.getToken(['read:users']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_RESPONSE_INVALID' });
    expectClean(error);
  });

  it('network errors keep a harmless cause', async () => {
    server.use(http.post(TOKEN_URL, () => HttpResponse.error()));
    const provider = createTokenProvider({ domain: DOMAIN, credentials: clientSecret({ clientId: 'app', clientSecret: SECRET }), retry: { retries: 0 } });
    const error = await provider.getToken(['read:users']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_NETWORK' });
    expectClean(error);
  });

  it('events carry durations and scope sets, never secrets or tokens', async () => {
    const ts = createTokenServer({ grants: { app: ['read:users'] } });
    server.use(ts.handler);
    const events: TokenEvent[] = [];
    const provider = createTokenProvider({ domain: DOMAIN, credentials: clientSecret({ clientId: 'app', clientSecret: SECRET }), onEvent: (e) => events.push(e) });
    const token = await provider.getToken(['read:users']);
    await provider.getToken(['read:users']);
    expect(events.map((e) => e.type)).toEqual(['mint', 'hit']);
    expect(events[0]).toMatchObject({ durationMs: expect.any(Number), scopes: ['read:users'] });
    const text = inspect(events, { depth: 10 }) + JSON.stringify(events);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(token.value);
  });

  it('option errors never echo the bad secret or key', () => {
    const bad = `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----`;
    let error: unknown;
    try {
      privateKeyJwt({ clientId: 'app', privateKey: bad });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTION', option: 'privateKey' });
    expectClean(error);
    try {
      signedSecret({ secret: `${SECRET}!!`, encoding: 'base64url' });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTION', option: 'secret' });
    expectClean(error);
  });
});
