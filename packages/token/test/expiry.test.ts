/**
 * Expiry: a token's life is min(expires_in, the JWT's exp); it is never served within the margin (clock skew +
 * the request's own duration) of that; a margin of 0 is refused; short-lived tokens are reused for a sane
 * share of their life instead of being minted per call.
 */
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { clientSecret, createTokenProvider, InvalidOptionError } from '../src/index';
import { createTokenServer, DOMAIN, fakeJwt, flush, providerTestEnv, T0 } from './helpers';

const server = providerTestEnv();
const credentials = clientSecret({ clientId: 'app', clientSecret: 'app-secret-value' });

describe('token expiry', () => {
  it("uses the JWT's exp when it is earlier than expires_in", async () => {
    const tenant = createTokenServer({ grants: { app: ['read:users'] } });
    server.use(tenant.handler);
    let n = 0;
    tenant.respond(() => HttpResponse.json({ access_token: fakeJwt({ scope: 'read:users', exp: Math.floor(Date.now() / 1000) + 20, n: n++ }), expires_in: 86_400, token_type: 'Bearer' }));
    const tokens = createTokenProvider({ domain: DOMAIN, credentials });
    const first = await tokens.getToken(['read:users']);
    expect(first.expiresAt).toBe(T0 + 20_000);
    vi.advanceTimersByTime(19_000);
    const later = await tokens.getToken(['read:users']);
    expect(later.value).not.toBe(first.value);
    expect(later.expiresAt).toBeGreaterThan(Date.now());
  });

  it('refuses a margin of 0 (leeway 0 with sendMarginMs 0): a token could reach the server expired', () => {
    expect(() => createTokenProvider({ domain: DOMAIN, credentials, leeway: 0, sendMarginMs: 0 })).toThrow(InvalidOptionError);
    expect(() => createTokenProvider({ domain: DOMAIN, credentials, leeway: 0, refreshAhead: 0 })).not.toThrow();
  });

  it('never serves a token past expiry less the margin (leeway 0, refreshAhead 0: sendMarginMs still applies)', async () => {
    const tenant = createTokenServer({ grants: { app: ['read:users'] }, expiresIn: 10 });
    server.use(tenant.handler);
    const tokens = createTokenProvider({ domain: DOMAIN, credentials, leeway: 0, refreshAhead: 0 });
    let late = 0;
    for (let i = 0; i < 200; i++) {
      const t = await tokens.getToken(['read:users']);
      // The request this token is for takes up to the margin (1 s by default) to reach the server.
      if (t.expiresAt - Date.now() < 1_000) late++;
      vi.advanceTimersByTime(97);
      await flush(2);
    }
    expect(late).toBe(0);
  });

  it('reuses a token that lives no longer than the leeway for a share of its life (not one mint per call)', async () => {
    const tenant = createTokenServer({ grants: { app: ['read:users'] }, expiresIn: 5 });
    server.use(tenant.handler);
    const tokens = createTokenProvider({ domain: DOMAIN, credentials });
    for (let i = 0; i < 200; i++) {
      await tokens.getToken(['read:users']);
      vi.advanceTimersByTime(50); // 10 s in all: two lifetimes
      await flush(2);
    }
    await tokens.settle();
    // 10 s of 5 s tokens refreshed at half-life: about 4 mints, never one per call.
    expect(tenant.calls.length).toBeLessThanOrEqual(6);
  });
});
