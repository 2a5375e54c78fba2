/**
 * The cache-hit fast path: a caller that passes the same `ScopeNeed` on every call (the management client
 * does) gets the entry that satisfied it last time without validation, sorting or key building. These tests
 * reuse the SAME need across calls so a stale fast path would be caught; the array form (a need built per
 * call) must behave the same.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { clientSecret, createTokenProvider, memoryStore, needFrom, scopeNeed, signedSecret, type TokenEvent } from '../src/index';
import { ALL, createTokenServer, DOMAIN, flush, providerTestEnv, T0 } from './helpers';

const server = providerTestEnv();
const cred = () => clientSecret({ clientId: 'app-1', clientSecret: 'app-1-secret-value' });

/** The shape the management client passes: frozen arrays from its operation table and per-operation cache. */
const REQUIRED = Object.freeze(['read:users'] as const);
const ANY_OF = Object.freeze([REQUIRED, Object.freeze(['read:users', 'update:users'] as const)]);
const OPTIONS = Object.freeze({ anyOf: ANY_OF });
/** The same needs as validated values (what the management client passes). */
const NEED = scopeNeed([REQUIRED]);
const NEED_ANY = needFrom(REQUIRED, ANY_OF);

type Provider = ReturnType<typeof createTokenProvider>;

/** Collect garbage (up to 10 rounds) until at most `atMost` of `refs` are alive; returns how many are. */
async function aliveAfterGc(refs: readonly WeakRef<object>[], atMost: number): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const alive = () => refs.filter((r) => r.deref() !== undefined).length;
  for (let i = 0; i < 10 && alive() > atMost; i++) {
    await new Promise<void>((r) => setImmediate(r));
    gc();
  }
  return alive();
}
const inputs = [
  { name: 'a ScopeNeed', call: (p: Provider, signal?: AbortSignal) => p.getToken(NEED, { signal }) },
  { name: 'a ScopeNeed with alternatives (needFrom)', call: (p: Provider, signal?: AbortSignal) => p.getToken(NEED_ANY, { signal }) },
  { name: 'plain frozen array', call: (p: Provider, signal?: AbortSignal) => p.getToken(REQUIRED, { signal }) },
  { name: 'required + anyOf (frozen, same objects)', call: (p: Provider, signal?: AbortSignal) => p.getToken(REQUIRED, { ...OPTIONS, signal }) },
];

describe.each(inputs)('fast path with the same input: $name', ({ call }) => {
  it('repeated calls are cache hits (one mint, a hit event each)', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const events: TokenEvent[] = [];
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), onEvent: (e) => events.push(e) });
    const first = await call(provider);
    for (let i = 0; i < 5; i++) expect((await call(provider)).value).toBe(first.value);
    expect(ts.calls).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual(['mint', 'hit', 'hit', 'hit', 'hit', 'hit']);
  });

  it('invalidate → the next call does not get the old token', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const first = await call(provider);
    expect((await call(provider)).value).toBe(first.value); // fast path primed
    await provider.invalidate(first);
    const second = await call(provider);
    expect(second.value).not.toBe(first.value);
    expect((await call(provider)).value).toBe(second.value);
    await provider.invalidate(second.value); // by string too
    expect((await call(provider)).value).not.toBe(second.value);
    expect(ts.calls).toHaveLength(3);
  });

  it('expiry passes (leeway included) → the old token is never served', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, expiresIn: 3600 });
    server.use(ts.handler);
    // No refresh-ahead window to speak of: the token goes straight from fresh to expired.
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), refreshAhead: 0, refreshJitter: 0, leeway: 5_000 });
    const first = await call(provider);
    expect((await call(provider)).value).toBe(first.value); // fast path primed
    vi.setSystemTime(T0 + 3600_000 - 5_000); // exactly at expiry − leeway: expired
    const next = await call(provider);
    expect(next.value).not.toBe(first.value);
    expect(next.expiresAt).toBeGreaterThan(Date.now());
    expect(ts.calls).toHaveLength(2);
  });

  it('refresh window → a background refresh starts while the current token is served', async () => {
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
    const first = await call(provider);
    expect((await call(provider)).value).toBe(first.value); // fast path primed
    vi.setSystemTime(T0 + 3600_000 - 59_000); // inside the refresh window, still valid
    const release = ts.hold();
    const during = await call(provider);
    expect(during.value).toBe(first.value);
    await flush();
    expect(ts.calls).toHaveLength(2); // the refresh is under way
    expect((await call(provider)).value).toBe(first.value); // one refresh only, old token still served
    expect(ts.calls).toHaveLength(2);
    release();
    await provider.settle();
    const after = await call(provider);
    expect(after.value).not.toBe(first.value);
    expect(events.map((e) => e.type)).toEqual(['mint', 'hit', 'hit', 'hit', 'refresh', 'hit']);
  });

  it('stale-if-error: within the back-off the fast path serves stale with an event, then recovers', async () => {
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
    const first = await call(provider);
    await call(provider);
    ts.respond(() => HttpResponse.json({ error: 'server_error' }, { status: 500 }));
    vi.setSystemTime(T0 + 3600_000 - 500_000);
    await call(provider); // starts the refresh, which fails
    await provider.settle();
    for (let i = 0; i < 3; i++) expect((await call(provider)).value).toBe(first.value);
    expect(events.filter((e) => e.type === 'stale-served')).toHaveLength(3);
    expect(ts.calls).toHaveLength(2);
    ts.respond(undefined);
    vi.setSystemTime(Date.now() + 10_000); // back-off over: the next call refreshes
    await call(provider);
    await provider.settle();
    expect((await call(provider)).value).not.toBe(first.value);
    expect(ts.calls).toHaveLength(3);
  });

  it('staleIfError: false → after a failed refresh the fast path does not serve; the call mints in the foreground', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, expiresIn: 3600 });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred(), staleIfError: false, random: () => 0, retry: { retries: 0 } });
    await call(provider);
    await call(provider);
    ts.respond(() => HttpResponse.json({ error: 'server_error' }, { status: 502 }));
    vi.setSystemTime(T0 + 3600_000 - 30_000);
    await call(provider); // starts the background refresh
    await provider.settle();
    await expect(call(provider)).rejects.toMatchObject({ code: 'ERR_TOKEN_ENDPOINT', status: 502 });
    expect(ts.calls).toHaveLength(3);
  });

  it('an already aborted signal rejects even when the token is cached', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    await call(provider);
    await call(provider);
    const controller = new AbortController();
    controller.abort();
    await expect(call(provider, controller.signal)).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });
});

describe('fast path: inputs', () => {
  it('an array changed in place is validated again (never served from the memo)', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, narrow: true });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const required = ['read:users'];
    expect((await provider.getToken(required)).scopes).toEqual(['read:users']);
    expect((await provider.getToken(required)).scopes).toEqual(['read:users']);
    required[0] = 'read:roles';
    expect((await provider.getToken(required)).scopes).toEqual(['read:roles']);
    required[0] = 'read:userz';
    await expect(provider.getToken(required)).rejects.toMatchObject({ code: 'ERR_UNKNOWN_SCOPE' });
    required[0] = 'read:users';
    expect((await provider.getToken(required)).scopes).toEqual(['read:users']);
    expect(ts.calls.map((c) => c.requested)).toEqual([['read:users'], ['read:roles']]);
  });

  it('an anyOf alternative changed in place is taken into account', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, narrow: true });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    await provider.getToken(['read:roles']); // a cached read:roles token
    const required = ['read:users'];
    const anyOf = [['read:users'], ['read:logs']];
    expect((await provider.getToken(required, { anyOf })).scopes).toEqual(['read:users']);
    expect((await provider.getToken(required, { anyOf })).scopes).toEqual(['read:users']);
    anyOf[1]![0] = 'read:roles';
    // With the new alternatives the cached read:roles token does once read:users is gone.
    await provider.invalidate(await provider.getToken(['read:users']));
    expect((await provider.getToken(required, { anyOf })).scopes).toEqual(['read:roles']);
    anyOf.pop();
    expect((await provider.getToken(required, { anyOf })).scopes).toEqual(['read:users']); // a new mint
    expect(ts.calls.map((c) => c.requested)).toEqual([['read:roles'], ['read:users'], ['read:users']]);
  });

  it('fresh arrays on every call keep working (same results as the same arrays)', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const values = new Set<string>();
    for (let i = 0; i < 20; i++) values.add((await provider.getToken(['read:users'], { anyOf: [['read:users'], ['update:users']] })).value);
    expect(values.size).toBe(1);
    expect(ts.calls).toHaveLength(1);
  });

  it('the provider does not keep callers\' arrays alive', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const refs: WeakRef<object>[] = [];
    // In a function of its own, so no frame of this test keeps the last arrays in a register.
    const use = async () => {
      const required = ['read:users'];
      const anyOf = [['read:users'], ['update:users']];
      await provider.getToken(required, { anyOf });
      await provider.getToken(required, { anyOf });
      refs.push(new WeakRef(required), new WeakRef(anyOf));
    };
    for (let i = 0; i < 10; i++) await use();
    expect(await aliveAfterGc(refs, 0)).toBe(0);
  });

  it('arrays used once are not remembered (at most 64 of them may linger before a collection)', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const refs: WeakRef<object>[] = [];
    const use = async () => {
      const required = ['read:users'];
      await provider.getToken(required, { anyOf: [['read:users'], ['update:users']] });
      refs.push(new WeakRef(required));
    };
    for (let i = 0; i < 200; i++) await use();
    expect(await aliveAfterGc(refs, 64)).toBeLessThanOrEqual(64);
    expect(ts.calls).toHaveLength(1);
  });
});

describe('fast path: state changes', () => {
  it('the same need after a secret rotation gets a token signed with the new secret', async () => {
    let current = 'the-first-secret-of-at-least-32-bytes!';
    const provider = createTokenProvider({ domain: DOMAIN, credentials: signedSecret({ secret: () => current }) });
    const before = await provider.getToken(NEED_ANY);
    expect((await provider.getToken(NEED_ANY)).value).toBe(before.value);
    current = 'a-brand-new-secret-after-rotation-42!!';
    const after = await provider.getToken(NEED_ANY);
    expect(after.value).not.toBe(before.value);
    expect((await provider.getToken(NEED_ANY)).value).toBe(after.value);
  });

  it('a token cached later that findL1 would prefer (same size, later expiry) is served, not the remembered one', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, narrow: true });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const required = scopeNeed([['read:users']]);
    const older = await provider.getToken(['read:users', 'update:users']);
    expect((await provider.getToken(required)).value).toBe(older.value); // covering reuse, remembered
    expect((await provider.getToken(required)).value).toBe(older.value);
    vi.setSystemTime(T0 + 1_000);
    const newer = await provider.getToken(['read:logs', 'read:users']); // not covered by `older`: minted
    expect(newer.value).not.toBe(older.value);
    expect((await provider.getToken(required)).value).toBe(newer.value);
    expect(ts.calls).toHaveLength(2);
  });

  it('pool: when a credential learns its grants, the candidate order (and so the token) follows', async () => {
    const ts = createTokenServer({ grants: { a: ['read:users', 'read:roles'], b: ['read:users', 'update:users'] } });
    server.use(ts.handler);
    const provider = createTokenProvider({
      domain: DOMAIN,
      credentials: [
        clientSecret({ clientId: 'a', clientSecret: 'a-secret-xyz' }),
        clientSecret({ clientId: 'b', clientSecret: 'b-secret-xyz', grants: ['read:users', 'update:users'] }),
      ],
    });
    // Known grants come first: "b" covers read:users.
    for (let i = 0; i < 3; i++) expect((await provider.getToken(NEED_ANY)).clientId).toBe('b');
    // "a" is tried for read:roles and its grants are learned: two scopes, like "b", and listed first.
    expect((await provider.getToken(['read:roles'])).clientId).toBe('a');
    for (let i = 0; i < 3; i++) expect((await provider.getToken(NEED_ANY)).clientId).toBe('a');
    expect(ts.calls.map((c) => c.clientId)).toEqual(['b', 'a']);
  });

  it('a newer token a refresh picks up from the shared store replaces the remembered one', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, narrow: true, expiresIn: 3600 });
    server.use(ts.handler);
    const store = memoryStore();
    const a = createTokenProvider({ domain: DOMAIN, credentials: cred(), store, random: () => 0 });
    const b = createTokenProvider({ domain: DOMAIN, credentials: cred(), store, random: () => 0 });
    const t1 = await a.getToken(NEED);
    expect((await b.getToken(NEED)).value).toBe(t1.value); // from the store
    expect((await b.getToken(NEED)).value).toBe(t1.value); // from memory, remembered
    vi.setSystemTime(T0 + 3600_000 - 30_000); // both in the refresh window
    await a.getToken(NEED); // a refreshes: mints t2 and stores it
    await a.settle();
    const t2 = await a.getToken(NEED);
    expect(t2.value).not.toBe(t1.value);
    expect((await b.getToken(NEED)).value).toBe(t1.value); // b's refresh picks t2 up from the store
    await b.settle();
    expect((await b.getToken(NEED)).value).toBe(t2.value);
    expect(ts.calls).toHaveLength(2);
  });

  it('pool: only the most preferred credential\'s hit is remembered (a refused preferred credential is still asked each call, as before)', async () => {
    // "x" claims read:users but the tenant refuses it; "y" has it. Existing behaviour: x is tried on every call.
    const ts = createTokenServer({ grants: { y: ['read:users', 'update:users'] } });
    server.use(ts.handler);
    const provider = createTokenProvider({
      domain: DOMAIN,
      credentials: [
        clientSecret({ clientId: 'x', clientSecret: 'x-secret-xyz', grants: ['read:users'] }),
        clientSecret({ clientId: 'y', clientSecret: 'y-secret-xyz', grants: ['read:users', 'update:users'] }),
      ],
    });
    for (let i = 0; i < 3; i++) expect((await provider.getToken(NEED_ANY)).clientId).toBe('y');
    expect(ts.calls.map((c) => c.clientId)).toEqual(['x', 'y', 'x', 'x']);
  });

  it('listeners added after the fast path is primed get hit events; removed ones do not', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    await provider.getToken(NEED_ANY);
    await provider.getToken(NEED_ANY);
    const hits: TokenEvent[] = [];
    const all: string[] = [];
    const offHit = provider.on('hit', (e) => hits.push(e));
    const offAll = provider.on('*', (e) => all.push(e.type));
    await provider.getToken(NEED_ANY);
    expect(hits).toEqual([expect.objectContaining({ type: 'hit', source: 'memory', clientId: 'app-1', scopes: [...ALL].sort() })]);
    offHit();
    offHit(); // twice is harmless
    await provider.getToken(NEED_ANY);
    expect(hits).toHaveLength(1);
    expect(all).toEqual(['hit', 'hit']);
    offAll();
    await provider.getToken(NEED_ANY);
    expect(all).toHaveLength(2);
  });
});

describe('fast path: ScopeNeed', () => {
  it('a hit hands back the same AccessToken object (nothing is built again)', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const first = await provider.getToken(NEED_ANY);
    for (let i = 0; i < 3; i++) expect(await provider.getToken(NEED_ANY)).toBe(first);
    expect(await provider.getToken(NEED)).toBe(first); // another need, the same cached entry
    expect(ts.calls).toHaveLength(1);
  });

  it('a need is used as is: one built with unknownScopes "allow" works with a strict provider', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ['read:brand_new_thing', 'read:users'] } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    await expect(provider.getToken(['read:brand_new_thing'])).rejects.toMatchObject({ code: 'ERR_UNKNOWN_SCOPE' });
    const need = scopeNeed([['read:brand_new_thing']], { unknownScopes: 'allow' });
    expect((await provider.getToken(need)).scopes).toEqual(['read:brand_new_thing', 'read:users']);
    expect(ts.calls.map((c) => c.requested)).toEqual([['read:brand_new_thing']]);
  });

  it('anyOf in the options is ignored for a need (the need says it all)', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL }, narrow: true });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    await provider.getToken(['read:roles']);
    expect((await provider.getToken(NEED, { anyOf: [['read:roles']] })).scopes).toEqual(['read:users']);
    expect(ts.calls.map((c) => c.requested)).toEqual([['read:roles'], ['read:users']]);
  });

  it('the remembered hit does not keep the need alive', async () => {
    const ts = createTokenServer({ grants: { 'app-1': ALL } });
    server.use(ts.handler);
    const provider = createTokenProvider({ domain: DOMAIN, credentials: cred() });
    const refs: WeakRef<object>[] = [];
    const use = async () => {
      const need = scopeNeed([['read:users']]);
      await provider.getToken(need);
      await provider.getToken(need); // remembered
      refs.push(new WeakRef(need));
    };
    for (let i = 0; i < 10; i++) await use();
    expect(await aliveAfterGc(refs, 0)).toBe(0);
  });
});
