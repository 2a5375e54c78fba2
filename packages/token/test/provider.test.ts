import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  clientSecret,
  createTokenProvider,
  memoryStore,
  NoCoveringCredentialError,
  InsufficientGrantError,
  TokenRateLimitError,
  type TokenEvent,
  type TokenStore,
} from '../src/index';
import { ALL, createTokenServer, DOMAIN, flush, providerTestEnv, T0 } from './helpers';

const server = providerTestEnv();
const cred = (extra: Partial<Parameters<typeof clientSecret>[0]> = {}) =>
  clientSecret({ clientId: 'app-1', clientSecret: 'app-1-secret-value', ...extra });

/** 20 distinct scope sets from the known scope list. */
const twentySets = (): string[][] => {
  const pool = ['read:users', 'update:users', 'read:roles', 'create:roles', 'read:clients', 'read:logs', 'delete:users', 'read:connections'];
  const sets: string[][] = [];
  for (let i = 0; i < pool.length && sets.length < 20; i++) {
    sets.push([pool[i]!]);
    for (let j = i + 1; j < pool.length && sets.length < 20; j++) sets.push([pool[i]!, pool[j]!]);
  }
  return sets;
};

describe('single-flight', () => {
  it('1,000 concurrent getToken for one scope set make exactly one mint', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const release = ts.hold();
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const all = Promise.all(Array.from({ length: 1000 }, () => provider.getToken(['read:users'])));
    await flush();
    release();
    const tokens = await all;
    expect(ts.calls).toHaveLength(1);
    expect(new Set(tokens.map((t) => t.value)).size).toBe(1);
  });

  it('20 scope sets against a narrowing tenant mint at most 20 times, in parallel', async () => {
    const pool = twentySets();
    const grants = Array.from(new Set(pool.flat()));
    const ts = createTokenServer({ grants: { 'app-1': grants }, narrow: true });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const calls = pool.flatMap((set) => Array.from({ length: 50 }, () => provider.getToken(set)));
    const tokens = await Promise.all(calls);
    expect(ts.calls.length).toBeGreaterThan(1);
    expect(ts.calls.length).toBeLessThanOrEqual(20);
    for (const [i, token] of tokens.entries()) expect(token.scopes).toEqual(expect.arrayContaining(pool[Math.floor(i / 50)]!));
  });

  it('20 scope sets against an Auth0-faithful tenant (grants everything) mint once: covering reuse', async () => {
    const pool = twentySets();
    const ts = createTokenServer({ grants: { 'app-1': Array.from(new Set(pool.flat())) } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const tokens = await Promise.all(pool.flatMap((set) => Array.from({ length: 50 }, () => provider.getToken(set))));
    expect(ts.calls).toHaveLength(1);
    expect(new Set(tokens.map((t) => t.value)).size).toBe(1);
  });

  it('reuse: "exact" mints per scope set even when a broader token is cached', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), reuse: 'exact' });
    await provider.getToken(['read:users']);
    await provider.getToken(['read:users']);
    await provider.getToken(['read:roles']);
    expect(ts.calls.map((c) => c.requested)).toEqual([['read:users'], ['read:roles']]);
  });
});

describe('cache keys and requests', () => {
  it('sends the requested scope, audience and client-credentials grant, and caches by the granted set', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const events: TokenEvent[] = [];
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), onEvent: (e) => events.push(e) });
    const token = await provider.getToken(['update:users', 'read:users']);
    const form = ts.calls[0]!.form;
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('audience')).toBe(`https://${DOMAIN}/api/v2/`);
    expect(form.get('scope')).toBe('read:users update:users');
    expect(form.get('client_secret')).toBe('app-1-secret-value');
    expect(token.scopes).toEqual([...ALL].sort());
    const mint = events.find((e) => e.type === 'mint');
    expect(mint).toMatchObject({ type: 'mint', requested: ['read:users', 'update:users'], scopes: [...ALL].sort() });
    await provider.getToken(['read:logs']);
    expect(ts.calls).toHaveLength(1);
    expect(events.filter((e) => e.type === 'hit')).toHaveLength(1);
  });

  it('takes the granted set from the JWT scope claim when the response has no scope', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, omitScope: true });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const token = await provider.getToken(['read:users']);
    expect(token.scopes).toEqual([...ALL].sort());
  });

  it('does not change the caller\'s array', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const required = ['update:users', 'read:users', 'read:users'];
    await provider.getToken(required);
    expect(required).toEqual(['update:users', 'read:users', 'read:users']);
  });

  it('anyOf: a cached token covering any alternative is reused', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ['update:users_app_metadata'] }, narrow: true });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    await provider.getToken(['update:users_app_metadata']);
    const token = await provider.getToken(['update:users'], { anyOf: [['update:users'], ['update:users_app_metadata'], ['update:current_user_metadata']] });
    expect(token.scopes).toEqual(['update:users_app_metadata']);
    expect(ts.calls).toHaveLength(1);
  });

  it('shares tokens through the store between providers (the L2)', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, narrow: true });
    server.use(ts.handler);
    const store = memoryStore();
    const a = createTokenProvider({ domain: DOMAIN, credentials: cred(), store });
    const b = createTokenProvider({ domain: DOMAIN, credentials: cred(), store });
    const events: TokenEvent[] = [];
    b.on('hit', (e) => events.push(e));
    const t1 = await a.getToken(['read:users']);
    const t2 = await b.getToken(['read:users']);
    expect(t2.value).toBe(t1.value);
    expect(ts.calls).toHaveLength(1);
    expect(events).toEqual([expect.objectContaining({ type: 'hit', source: 'store' })]);
  });

  it('concurrent providers sharing a leasing store mint once between them', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const release = ts.hold();
    const store = memoryStore();
    const providers = Array.from({ length: 5 }, () => createTokenProvider({ domain: DOMAIN, credentials: cred(), store }));
    const all = Promise.all(providers.flatMap((p) => Array.from({ length: 20 }, () => p.getToken(['read:users']))));
    await flush();
    release();
    const tokens = await all;
    expect(ts.calls).toHaveLength(1);
    expect(new Set(tokens.map((t) => t.value)).size).toBe(1);
  });

  it('never serves an expired token a store hands back (a store whose TTL lags)', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const expired = { accessToken: 'old.old.old', tokenType: 'Bearer' as const, scopes: ALL, expiresAt: T0 - 1, mintedAt: T0 - 86_400_000, clientId: 'app-1' };
    const lagging: TokenStore = { get: async () => expired, set: async () => undefined, delete: async () => undefined };
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), store: lagging });
    const token = await provider.getToken(['read:users']);
    expect(token.value).not.toBe('old.old.old');
    expect(ts.calls).toHaveLength(1);
  });

  it('a failing store degrades to local caching and minting, reporting store errors as events', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const broken: TokenStore = {
      get: () => Promise.reject(new Error('ECONNREFUSED redis://:hunter2@10.0.0.1')),
      set: () => Promise.reject(new Error('down')),
      delete: () => Promise.reject(new Error('down')),
    };
    const events: TokenEvent[] = [];
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), store: broken, onEvent: (e) => events.push(e) });
    const t1 = await provider.getToken(['read:users']);
    const t2 = await provider.getToken(['read:users']);
    expect(t2.value).toBe(t1.value);
    expect(ts.calls).toHaveLength(1);
    const storeErrors = events.filter((e) => e.type === 'error' && e.stage === 'store');
    expect(storeErrors.length).toBeGreaterThan(0);
    expect(JSON.stringify(storeErrors.map((e) => (e as { error: Error }).error.message))).not.toContain('hunter2');
  });
});

describe('expiry and refresh', () => {
  it('refresh ahead: serves the old token while refreshing, then the new one', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, expiresIn: 3600 });
    server.use(ts.handler);
    const events: TokenEvent[] = [];
    const provider = createTokenProvider({
      domain: DOMAIN,
      credentials: cred(),
      refreshAhead: 60_000,
      random: () => 0,
      onEvent: (e) => events.push(e),
    });
    const first = await provider.getToken(['read:users']);
    vi.setSystemTime(T0 + 3600_000 - 59_000); // inside the refresh window, still valid
    const release = ts.hold();
    const during = await provider.getToken(['read:users']);
    expect(during.value).toBe(first.value);
    await flush();
    expect(ts.calls).toHaveLength(2);
    release();
    await provider.settle();
    const after = await provider.getToken(['read:users']);
    expect(after.value).not.toBe(first.value);
    expect(after.expiresAt).toBe(T0 + 3600_000 - 59_000 + 3600_000);
    expect(events.map((e) => e.type)).toEqual(['mint', 'hit', 'refresh', 'hit']);
  });

  it('refresh jitter spreads the refresh point over refreshAhead × (1 + jitter)', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, expiresIn: 3600 });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), refreshAhead: 60_000, refreshJitter: 0.5, random: () => 0.999 });
    await provider.getToken(['read:users']);
    vi.setSystemTime(T0 + 3600_000 - 89_000); // 0.999 × 30 s of jitter: already in the window
    await provider.getToken(['read:users']);
    await provider.settle();
    expect(ts.calls).toHaveLength(2);
  });

  it('never serves an expired token (leeway included)', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, expiresIn: 3600 });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), leeway: 5_000, staleIfError: true });
    const first = await provider.getToken(['read:users']);
    ts.respond(() => HttpResponse.json({ error: 'server_error' }, { status: 503 }));
    vi.setSystemTime(T0 + 3600_000 - 4_000); // within leeway of expiry: counts as expired
    const failed = provider.getToken(['read:users']);
    const expectation = expect(failed).rejects.toMatchObject({ code: 'ERR_TOKEN_ENDPOINT', status: 503 });
    await vi.advanceTimersByTimeAsync(10_000);
    await expectation;
    ts.respond(undefined);
    const next = await provider.getToken(['read:users']);
    expect(next.value).not.toBe(first.value);
    expect(next.expiresAt).toBeGreaterThan(Date.now());
  });

  it('stale-if-error: a failing refresh keeps the still-valid token in service, backs off, then recovers', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, expiresIn: 3600 });
    server.use(ts.handler);
    const events: TokenEvent[] = [];
    const provider = createTokenProvider({
      domain: DOMAIN,
      credentials: cred(),
      refreshAhead: 600_000,
      random: () => 0,
      backoff: { minMs: 10_000, maxMs: 60_000 },
      onEvent: (e) => events.push(e),
    });
    const first = await provider.getToken(['read:users']);
    ts.respond(() => HttpResponse.json({ error: 'server_error', error_description: 'boom' }, { status: 500 }));
    vi.setSystemTime(T0 + 3600_000 - 500_000);
    expect((await provider.getToken(['read:users'])).value).toBe(first.value); // starts the refresh
    await provider.settle();
    expect(ts.calls).toHaveLength(2);
    // Within the back-off: served stale, no request.
    for (let i = 0; i < 5; i++) expect((await provider.getToken(['read:users'])).value).toBe(first.value);
    expect(ts.calls).toHaveLength(2);
    expect(events.filter((e) => e.type === 'stale-served')).toHaveLength(5);
    expect(events.find((e) => e.type === 'error')).toMatchObject({ stage: 'refresh', code: 'ERR_TOKEN_ENDPOINT', status: 500 });
    // After the back-off: tries again (still failing: a longer back-off).
    vi.setSystemTime(Date.now() + 10_000);
    await provider.getToken(['read:users']);
    await provider.settle();
    expect(ts.calls).toHaveLength(3);
    // The endpoint recovers: the next attempt after the back-off refreshes. Failures were never cached.
    ts.respond(undefined);
    vi.setSystemTime(Date.now() + 20_000);
    expect((await provider.getToken(['read:users'])).value).toBe(first.value);
    await provider.settle();
    const fresh = await provider.getToken(['read:users']);
    expect(fresh.value).not.toBe(first.value);
    expect(ts.calls).toHaveLength(4);
  });

  it('staleIfError: false mints in the foreground after a failed refresh and surfaces the error', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, expiresIn: 3600 });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), staleIfError: false, random: () => 0, retry: { retries: 0 } });
    await provider.getToken(['read:users']);
    ts.respond(() => HttpResponse.json({ error: 'server_error' }, { status: 502 }));
    vi.setSystemTime(T0 + 3600_000 - 30_000);
    await provider.getToken(['read:users']); // starts the background refresh
    await provider.settle();
    await expect(provider.getToken(['read:users'])).rejects.toMatchObject({ code: 'ERR_TOKEN_ENDPOINT', status: 502 });
  });

  it('foreground mint retries a 5xx with back-off before failing', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    let n = 0;
    ts.respond(() => (n++ < 2 ? HttpResponse.json({ error: 'server_error' }, { status: 503 }) : undefined));
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), retry: { retries: 2, minDelayMs: 100, maxDelayMs: 400 } });
    const pending = provider.getToken(['read:users']);
    await vi.advanceTimersByTimeAsync(2_000);
    const token = await pending;
    expect(token.scopes).toContain('read:users');
    expect(ts.calls).toHaveLength(3);
  });
});

describe('429 and quotas', () => {
  it('honours Retry-After: no request until it passes, and surfaces the quota in events', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    ts.respond(() =>
      HttpResponse.json(
        { error: 'too_many_requests', error_description: 'Global limit has been reached' },
        {
          status: 429,
          headers: {
            'retry-after': '30',
            'auth0-client-quota-limit': 'b=per_hour;q=100;r=0;t=1800,b=per_day;q=1000;r=900;t=40000',
          },
        },
      ),
    );
    const events: TokenEvent[] = [];
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), retry: { retries: 0 }, onEvent: (e) => events.push(e) });
    const error = await provider.getToken(['read:users']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRateLimitError);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_RATE_LIMITED', status: 429, retryAfterMs: 30_000, error: 'too_many_requests' });
    const event = events.find((e) => e.type === 'error');
    expect(event).toMatchObject({ code: 'ERR_TOKEN_RATE_LIMITED', retryAfterMs: 30_000 });
    expect((event as { quota: unknown }).quota).toEqual([
      { scope: 'client', bucket: 'per_hour', quota: 100, remaining: 0, resetSeconds: 1800 },
      { scope: 'client', bucket: 'per_day', quota: 1000, remaining: 900, resetSeconds: 40000 },
    ]);
    // Still inside Retry-After: refused without a request.
    vi.setSystemTime(T0 + 10_000);
    await expect(provider.getToken(['read:roles'])).rejects.toMatchObject({ code: 'ERR_TOKEN_RATE_LIMITED', retryAfterMs: 20_000 });
    expect(ts.calls).toHaveLength(1);
    ts.respond(undefined);
    vi.setSystemTime(T0 + 31_000);
    await expect(provider.getToken(['read:users'])).resolves.toBeDefined();
    expect(ts.calls).toHaveLength(2);
  });

  it('reports the remaining quota of successful mints', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    ts.respond(() =>
      HttpResponse.json(
        { access_token: 'a.b.c', expires_in: 86400, token_type: 'Bearer', scope: 'read:users' },
        { headers: { 'auth0-client-quota-limit': 'b=per_hour;q=100;r=42;t=1000' } },
      ),
    );
    const events: TokenEvent[] = [];
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), onEvent: (e) => events.push(e) });
    await provider.getToken(['read:users']);
    expect(events[0]).toMatchObject({ type: 'mint', quota: [{ bucket: 'per_hour', remaining: 42 }] });
  });

  it('a 429 during refresh keeps serving the valid token until Retry-After', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, expiresIn: 3600 });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), random: () => 0 });
    const first = await provider.getToken(['read:users']);
    ts.respond(() => HttpResponse.json({ error: 'too_many_requests' }, { status: 429, headers: { 'retry-after': '40' } }));
    vi.setSystemTime(T0 + 3600_000 - 55_000);
    await provider.getToken(['read:users']);
    await provider.settle();
    vi.setSystemTime(T0 + 3600_000 - 20_000);
    expect((await provider.getToken(['read:users'])).value).toBe(first.value);
    expect(ts.calls).toHaveLength(2);
  });
});

describe('pool selection', () => {
  const pool = () => [
    clientSecret({ clientId: 'broad', clientSecret: 'broad-secret-xyz', grants: ['read:users', 'update:users', 'read:roles', 'read:logs'] }),
    clientSecret({ clientId: 'users-reader', clientSecret: 'reader-secret-xyz', grants: ['read:users'] }),
    clientSecret({ clientId: 'logs', clientSecret: 'logs-secret-xyz', grants: ['read:logs'] }),
    clientSecret({ clientId: 'logs-too', clientSecret: 'logs2-secret-xyz', grants: ['read:logs'] }),
  ];
  const server4 = () =>
    createTokenServer({
      grants: {
        broad: ['read:users', 'update:users', 'read:roles', 'read:logs'],
        'users-reader': ['read:users'],
        logs: ['read:logs'],
        'logs-too': ['read:logs'],
      },
    });

  it('picks the least privileged credential that covers the need (ties stable)', async () => {
    const ts = server4();
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: pool() });
    expect((await provider.getToken(['read:users'])).clientId).toBe('users-reader');
    expect((await provider.getToken(['read:logs'])).clientId).toBe('logs');
    expect((await provider.getToken(['update:users'])).clientId).toBe('broad');
    expect((await provider.getToken(['read:users', 'read:roles'])).clientId).toBe('broad');
    expect(ts.calls.map((c) => c.clientId)).toEqual(['users-reader', 'logs', 'broad']);
  });

  it('errors clearly when no credential covers the need, without a request', async () => {
    const ts = server4();
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: pool() });
    const error = await provider.getToken(['delete:users']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoCoveringCredentialError);
    expect((error as Error).message).toContain('delete:users');
    expect((error as Error).message).toContain('users-reader');
    expect(ts.calls).toHaveLength(0);
  });

  it('learns grants from the first token of credentials without `grants`', async () => {
    const ts = createTokenServer({ grants: { wide: ALL, narrow: ['read:users'] } });
    server.use(ts.handler);
    const provider = createTokenProvider({
      domain: DOMAIN,
      credentials: [
        clientSecret({ clientId: 'wide', clientSecret: 'wide-secret-xyz' }),
        clientSecret({ clientId: 'narrow', clientSecret: 'narrow-secret-xyz' }),
      ],
    });
    // Unknown grants: tried in order; Auth0 grants "wide" everything it has, so its grants are learned.
    expect((await provider.getToken(['read:roles'])).clientId).toBe('wide');
    // Known covering credentials come before unknown ones: the cached "wide" token covers read:users.
    expect((await provider.getToken(['read:users'])).clientId).toBe('wide');
    // Nobody is known to cover delete:users: "narrow" (unknown) is tried, refused, and the pool error says so.
    const error = await provider.getToken(['delete:users']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoCoveringCredentialError);
    expect((error as Error).cause).toMatchObject({ code: 'ERR_TOKEN_ENDPOINT', status: 403 });
    expect(ts.calls.map((c) => c.clientId)).toEqual(['wide', 'narrow']);
  });

  it('a single credential whose token lacks the scope fails with InsufficientGrantError', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ['read:users'] } });
    server.use(ts.handler);
    ts.respond(() => HttpResponse.json({ access_token: 'x.y.z', expires_in: 100, token_type: 'Bearer', scope: 'read:users' }));
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const error = await provider.getToken(['read:roles']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientGrantError);
    expect(error).toMatchObject({ code: 'ERR_INSUFFICIENT_GRANT', missing: ['read:roles'] });
  });
});

describe('invalidate', () => {
  it('drops a token from the memory cache and the store; the next call mints', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, narrow: true });
    server.use(ts.handler);
    const store = memoryStore();
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), store });
    const first = await provider.getToken(['read:users']);
    expect(store.size).toBe(2); // its scope set, and the credential's discovery record
    await provider.invalidate(first);
    expect(store.size).toBe(0);
    const second = await provider.getToken(['read:users']);
    expect(second.value).not.toBe(first.value);
    await provider.invalidate(second.value);
    expect((await provider.getToken(['read:users'])).value).not.toBe(second.value);
    expect(ts.calls).toHaveLength(3);
  });

  it('a revoked token found in a shared store is not served', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, narrow: true });
    server.use(ts.handler);
    const store = memoryStore();
    const a = createTokenProvider({ domain: DOMAIN, credentials: cred(), store });
    const first = await a.getToken(['read:users']);
    await a.invalidate(first);
    const key = `sb1|${DOMAIN}|https://${DOMAIN}/api/v2/|app-1|read:users`;
    await store.set(key, { accessToken: first.value, tokenType: 'Bearer', scopes: ['read:users'], expiresAt: first.expiresAt, mintedAt: T0, clientId: 'app-1' }, 60_000);
    expect((await a.getToken(['read:users'])).value).not.toBe(first.value);
  });
});

describe('signals and events', () => {
  it('an aborted getToken rejects with ERR_ABORTED while the shared mint completes for others', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const release = ts.hold();
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const controller = new AbortController();
    const aborted = provider.getToken(['read:users'], { signal: controller.signal });
    const other = provider.getToken(['read:users']);
    await flush();
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    release();
    await expect(other).resolves.toBeDefined();
    expect(ts.calls).toHaveLength(1);
  });

  it('on() subscribes and unsubscribes; a throwing listener does not break getToken', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), onEvent: () => { throw new Error('listener bug'); } });
    const seen: string[] = [];
    const off = provider.on('*', (e) => seen.push(e.type));
    await provider.getToken(['read:users']);
    off();
    await provider.getToken(['read:users']);
    expect(seen).toEqual(['mint']);
  });
});

describe('fleet-wide grant discovery through the store', () => {
  it('a cold process asking for another scope set reuses the token another process minted (Auth0 grants everything)', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const store = memoryStore();
    const a = createTokenProvider({ domain: DOMAIN, credentials: cred(), store });
    const b = createTokenProvider({ domain: DOMAIN, credentials: cred(), store });
    const first = await a.getToken(['read:users']);
    const second = await b.getToken(['read:roles']);
    const third = await b.getToken(['create:roles']);
    expect(second.value).toBe(first.value);
    expect(third.value).toBe(first.value);
    expect(ts.calls).toHaveLength(1);
  });

  it('cold processes racing on different scope sets mint once in all', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const store = memoryStore();
    const sets = [['read:users'], ['read:roles'], ['read:clients'], ['create:roles']];
    const providers = sets.map(() => createTokenProvider({ domain: DOMAIN, credentials: cred(), store }));
    const tokens = await Promise.all(providers.map((p, i) => p.getToken(sets[i]!)));
    expect(new Set(tokens.map((t) => t.value)).size).toBe(1);
    expect(ts.calls).toHaveLength(1);
  });

  it('a server that narrows to the requested set still gets one mint per set (the record is not taken as the whole grant)', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, narrow: true });
    server.use(ts.handler);
    const store = memoryStore();
    const a = createTokenProvider({ domain: DOMAIN, credentials: cred(), store });
    const b = createTokenProvider({ domain: DOMAIN, credentials: cred(), store });
    await a.getToken(['read:users']);
    const other = await b.getToken(['read:roles']);
    expect(other.scopes).toEqual(['read:roles']);
    const again = await b.getToken(['read:users']);
    expect(again.scopes).toEqual(['read:users']);
    expect(ts.calls).toHaveLength(2);
  });
});
