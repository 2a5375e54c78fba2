import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEmulator } from '../src/index';
import { call, form, harness, HOSTS } from './helpers';

const clients = [{ clientId: 'c1', clientSecret: 'c1-secret-value-long', grants: ['read:users', 'read:roles'] }];
const FIXED = Date.UTC(2025, 0, 1, 12, 0, 0);

describe.each(HOSTS)('rate limits over %s', (host) => {
  it('puts x-ratelimit headers on every response and answers 429 with Retry-After when the bucket is empty', async () => {
    const { send, em } = await harness(host, { clients, rateLimit: { tenant: { burst: 3, perSecond: 1 } }, clock: { now: () => FIXED } });
    const token = await em.admin.mintToken({ sub: 'c1@clients', scope: 'read:users' });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await send('/api/v2/users?per_page=1', { headers: { authorization: `Bearer ${token}` } });
      statuses.push(last.status);
      expect(last.headers.get('x-ratelimit-limit')).toBe('3');
      expect(last.headers.get('x-ratelimit-remaining')).toBe(String(Math.max(0, 2 - i)));
      expect(Number(last.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(FIXED / 1000);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last!.headers.get('retry-after')).toBe('1');
    expect(await last!.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'Global limit has been reached', errorCode: 'too_many_requests' });
    // The token endpoint draws on the Authentication API's bucket, not the Management API's (as on Auth0).
    const mint = () => send('/oauth/token', form({ grant_type: 'client_credentials', client_id: 'c1', client_secret: 'c1-secret-value-long', audience: `https://${em.domain}/api/v2/` }));
    expect((await mint()).status).toBe(200);
    await em.admin.advanceClock(2_000);
    const after = await send('/api/v2/users?per_page=1', { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('1');
  });

  it('limits the token endpoint with the Authentication API bucket (OAuth error shape), apart from the Management API bucket', async () => {
    const { send, em } = await harness(host, { clients, rateLimit: { tenant: { burst: 3, perSecond: 1 }, authentication: { burst: 2, perSecond: 1 } }, clock: { now: () => FIXED } });
    const mint = () => send('/oauth/token', form({ grant_type: 'client_credentials', client_id: 'c1', client_secret: 'c1-secret-value-long', audience: `https://${em.domain}/api/v2/` }));
    const first = await mint();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await mint()).status).toBe(200);
    const refused = await mint();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ error: 'too_many_requests', error_description: 'Global limit has been reached' });
    // The Management API's bucket is untouched by the three token requests.
    const { access_token: token } = (await first.json()) as { access_token: string };
    const api = await send('/api/v2/users?per_page=1', { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
    expect(api.headers.get('x-ratelimit-limit')).toBe('3');
    expect(api.headers.get('x-ratelimit-remaining')).toBe('2');
  });
});

describe('rate limit configuration', () => {
  it('limits per endpoint class independently of the tenant bucket', async () => {
    const { send, em } = await harness('in-process', { clients, rateLimit: { tenant: { burst: 100, perSecond: 100 }, endpoints: { 'users.get': { burst: 1, perSecond: 1 } } }, clock: { now: () => FIXED } });
    const token = await em.admin.mintToken({ sub: 'c1@clients', scope: 'read:users read:roles' });
    expect((await call(send, token, 'GET', '/api/v2/users/x')).status).toBe(404);
    const limited = await call(send, token, 'GET', '/api/v2/users/y');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('1');
    expect((await call(send, token, 'GET', '/api/v2/roles')).status).toBe(200);
    await em.admin.setRateLimit('free');
    const free = await call(send, token, 'GET', '/api/v2/roles');
    expect(free.headers.get('x-ratelimit-limit')).toBe('10');
    await em.admin.setRateLimit(false);
    expect((await call(send, token, 'GET', '/api/v2/roles')).headers.get('x-ratelimit-limit')).toBeNull();
  });
});

describe.each(HOSTS)('faults over %s', (host) => {
  const setup = harness(host, { clients, clock: { now: () => FIXED } });
  const token = async () => (await setup).em.admin.mintToken({ sub: 'c1@clients', scope: 'read:users read:roles', claims: { azp: 'c1' } });

  it('answers a status and body for the next N matching requests', async () => {
    const { send, em } = await setup;
    await em.admin.setFaults([{ match: { operation: 'users.list' }, status: 503, times: 2 }]);
    const t = await token();
    const a = await call(send, t, 'GET', '/api/v2/users');
    expect(a.status).toBe(503);
    expect(a.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', errorCode: 'emulator_fault' });
    expect((await call(send, t, 'GET', '/api/v2/roles')).status).toBe(200);
    expect((await call(send, t, 'GET', '/api/v2/users')).status).toBe(503);
    expect((await call(send, t, 'GET', '/api/v2/users')).status).toBe(200);
    expect(await em.admin.faults()).toEqual([]);
    const journal = em.journal.list({ operation: 'users.list' });
    expect(journal.filter((e) => e.fault).length).toBe(2);
  });

  it('matches by method, route and client, and honours a time window', async () => {
    const { send, em } = await setup;
    await em.admin.setFaults([
      { match: { method: 'GET', route: '/api/v2/roles', clientId: 'c1' }, status: 429, body: { custom: true }, window: { from: FIXED + 1_000, until: FIXED + 5_000 } },
    ]);
    const t = await token();
    expect((await call(send, t, 'GET', '/api/v2/roles')).status).toBe(200);
    await em.admin.advanceClock(1_000);
    const hit = await call(send, t, 'GET', '/api/v2/roles');
    expect(hit.status).toBe(429);
    expect(hit.body).toEqual({ custom: true });
    expect(hit.headers.get('retry-after')).toBe('1');
    const other = await em.admin.mintToken({ sub: 'c2@clients', scope: 'read:roles', claims: { azp: 'c2' } });
    expect((await call(send, other, 'GET', '/api/v2/roles')).status).toBe(200);
    await em.admin.advanceClock(4_000);
    expect((await call(send, t, 'GET', '/api/v2/roles')).status).toBe(200);
    await em.admin.clearFaults();
  });

  it('fires with a seeded probability, reproducibly', async () => {
    const { send, em } = await setup;
    const t = await token();
    const pattern = async () => {
      await em.admin.setFaults([{ match: { operation: 'roles.list' }, status: 500, probability: 0.5, seed: 7 }]);
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await call(send, t, 'GET', '/api/v2/roles')).status);
      return out;
    };
    const first = await pattern();
    const second = await pattern();
    expect(first).toEqual(second);
    expect(first.filter((s) => s === 500).length).toBeGreaterThan(3);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(3);
    await em.admin.clearFaults();
  });

  it('drops the connection', async () => {
    const { send, em } = await setup;
    await em.admin.setFaults([{ match: { operation: 'oauth.token' }, drop: true, times: 1 }]);
    await expect(send('/oauth/token', form({ grant_type: 'client_credentials' }))).rejects.toThrow(TypeError);
    expect((await send('/oauth/token', form({ grant_type: 'client_credentials' }))).status).toBe(401);
  });

  it('returns a malformed JSON body', async () => {
    const { send, em } = await setup;
    await em.admin.setFaults([{ match: { operation: 'roles.list' }, malformed: true, times: 1 }]);
    const res = await send('/api/v2/roles', { headers: { authorization: `Bearer ${await token()}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });
});

describe('latency fault', () => {
  afterEach(() => vi.useRealTimers());
  it('delays the answer by latencyMs (fake timers)', async () => {
    const em = createEmulator({ clients, faults: [{ match: { path: '/.well-known/jwks.json' }, latencyMs: 5_000 }] });
    await em.ready();
    vi.useFakeTimers();
    let settled = false;
    const pending = em.fetch('/.well-known/jwks.json').then((r) => {
      settled = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const res = await pending;
    expect(settled).toBe(true);
    expect(res.status).toBe(200);
    vi.useRealTimers();
    await em.close();
  });
});
