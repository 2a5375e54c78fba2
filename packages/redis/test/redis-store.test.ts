import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { redisStore, RedisStoreClosedError, type RedisStore, type RedisStoreEvent } from '../src/index';
import { CLIENT_KINDS, cleanup, connect, eventually, randomPrefix, rawClient, sampleToken, type TestClient } from './helpers';

describe.each(CLIENT_KINDS)('redisStore with %s', (kind) => {
  const prefix = randomPrefix(kind);
  let a: TestClient;
  let b: TestClient;
  let raw: Redis;
  const stores: RedisStore[] = [];

  function make(options: Partial<Parameters<typeof redisStore>[0]> = {}, client = a): RedisStore {
    const store = redisStore({ client: client.client, prefix, logger: false, ...options });
    stores.push(store);
    return store;
  }

  beforeAll(async () => {
    a = await connect(kind);
    b = await connect(kind);
    raw = await rawClient();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await cleanup(prefix);
    await a.close();
    await b.close();
    raw.disconnect();
  });

  it('round-trips a token as JSON under a hashed key with the given TTL', async () => {
    const store = make();
    const token = sampleToken();
    const providerKey = 'https://tenant.example/api/v2/|client-abc|read:users update:users';
    await store.set(providerKey, token, 60_000);
    expect(await store.get(providerKey)).toEqual(token);

    const keys = await raw.keys(`${prefix}*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}token:[A-Za-z0-9_-]{43}$`));
    expect(keys[0]).not.toContain('client-abc');
    expect(keys[0]).not.toContain('read:users');
    const pttl = await raw.pttl(keys[0]!);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it('misses on an unknown key, and delete removes a key', async () => {
    const store = make();
    expect(await store.get('nothing-here')).toBeUndefined();
    await store.set('k-del', sampleToken(), 60_000);
    await store.delete('k-del');
    expect(await store.get('k-del')).toBeUndefined();
    await store.delete('never-set'); // deleting a missing key is fine
  });

  it('never stores a value whose TTL is zero or negative, and drops the old one', async () => {
    const store = make();
    await store.set('k-ttl0', sampleToken(), 60_000);
    await store.set('k-ttl0', sampleToken(), 0);
    expect(await store.get('k-ttl0')).toBeUndefined();
    await store.set('k-ttl-neg', sampleToken(), -5);
    expect(await store.get('k-ttl-neg')).toBeUndefined();
  });

  it('lets Redis expire a value after its TTL', async () => {
    const store = make();
    await store.set('k-expire', sampleToken(), 30);
    await eventually(async () => (await store.get('k-expire')) === undefined, 100, 20);
    expect(await store.get('k-expire')).toBeUndefined();
  });

  it('shares values between two clients (two processes in production)', async () => {
    const one = make({}, a);
    const two = make({}, b);
    const token = sampleToken();
    await one.set('shared', token, 60_000);
    expect(await two.get('shared')).toEqual(token);
  });

  it('grants a lease to one holder at a time and releases it', async () => {
    const one = make({}, a);
    const two = make({}, b);
    const lease = await one.lease('k-lease', 10_000);
    expect(lease).toBeDefined();
    expect(await two.lease('k-lease', 10_000)).toBeUndefined();
    expect(await one.lease('k-lease', 10_000)).toBeUndefined(); // not re-entrant either
    await lease!.release();
    await lease!.release(); // idempotent
    const next = await two.lease('k-lease', 10_000);
    expect(next).toBeDefined();
    await next!.release();
  });

  it('only 1 of 50 concurrent lease attempts wins', async () => {
    const one = make({}, a);
    const two = make({}, b);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? one : two).lease('k-race', 10_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    await results.find(Boolean)!.release();
  });

  it('lets a lease expire when its holder dies, and release never deletes the next holder’s lease', async () => {
    const one = make({}, a);
    const two = make({}, b);
    const first = await one.lease('k-expiring', 40);
    expect(first).toBeDefined();
    let second: Awaited<ReturnType<RedisStore['lease']>>;
    await eventually(async () => (second = await two.lease('k-expiring', 10_000)) !== undefined, 100, 20);
    await first!.release(); // compare-and-delete: not the owner any more
    expect(await one.lease('k-expiring', 10_000)).toBeUndefined();
    await second!.release();
    expect(await one.lease('k-expiring', 10_000)).toBeDefined();
  });

  it('uses leaseMs instead of the requested lease duration when set', async () => {
    const store = make({ leaseMs: 45_000 });
    const lease = await store.lease('k-lease-ms', 1_000);
    const keys = await raw.keys(`${prefix}lease:*`);
    const pttls = await Promise.all(keys.map((k) => raw.pttl(k)));
    expect(pttls.some((t) => t > 1_000 && t <= 45_000)).toBe(true);
    await lease!.release();
  });

  it('waitFor resolves through pub/sub when another client sets the key', async () => {
    // pollIntervalMs is huge: only a notification can wake the waiter before the race below gives up.
    const waiterStore = make({ pollIntervalMs: 600_000 }, a);
    const writer = make({}, b);
    const token = sampleToken();
    const waiting = waiterStore.waitFor('k-wait', 20_000);
    await eventually(() => waiterStore.health().subscriber === 'ready');
    await new Promise((resolve) => setTimeout(resolve, 30)); // let the waiter's first read finish
    await writer.set('k-wait', token, 60_000);
    const result = await Promise.race([waiting, new Promise((resolve) => setTimeout(() => resolve('no notification'), 3_000))]);
    expect(result).toEqual(token);
  });

  it('waitFor returns a value that is already there, and undefined after the timeout', async () => {
    const store = make();
    const token = sampleToken();
    await store.set('k-there', token, 60_000);
    expect(await store.waitFor('k-there', 1_000)).toEqual(token);
    expect(await store.waitFor('k-never', 60)).toBeUndefined();
  });

  it('waitFor falls back to polling when the subscriber connection cannot be made', async () => {
    const events: RedisStoreEvent[] = [];
    // A client whose duplicate() fails: no pub/sub possible.
    const broken = new Proxy(a.client as object, {
      get(target, property) {
        if (property === 'duplicate') {
          return () => {
            throw new Error('duplicate refused');
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as TestClient['client'];
    const store = make({ pollIntervalMs: 20, onEvent: (e) => events.push(e) }, { client: broken, close: async () => {} });
    const writer = make({}, b);
    const token = sampleToken();
    const waiting = store.waitFor('k-poll', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await writer.set('k-poll', token, 60_000);
    expect(await waiting).toEqual(token);
    expect(events.some((e) => e.type === 'subscriber-error')).toBe(true);
    expect(store.health().subscriber).toBe('none');
  });

  it('close() ends pending waiters, closes the subscriber, and refuses later commands', async () => {
    const store = make();
    const waiting = store.waitFor('k-closing', 30_000);
    await eventually(() => store.health().subscriber === 'ready');
    await store.close();
    expect(await waiting).toBeUndefined();
    expect(store.health().subscriber).toBe('none');
    expect(await store.waitFor('k-closing', 1_000)).toBeUndefined();
    await expect(store.get('k-closing')).rejects.toBeInstanceOf(RedisStoreClosedError);
    await expect(store.get('k-closing')).rejects.toMatchObject({ code: 'ERR_REDIS_STORE_CLOSED' });
    await store.close(); // idempotent
  });

  it('stores plaintext JSON without an encryption key (documented), and inspect shows no secret', async () => {
    const store = make();
    const token = sampleToken();
    await store.set('k-plain', token, 60_000);
    const stored = await raw.get(`${prefix}token:${createHash('sha256').update('k-plain').digest('base64url')}`);
    expect(JSON.parse(stored!)).toEqual({ v: 1, t: token });
    expect(inspect(store)).toMatch(/RedisStore \{ client: (node-redis|ioredis), prefix: ".*", encrypted: false, keyIds: \[\] \}/);
  });
});
