/**
 * The contract every TokenStore must pass (memory, Redis, yours). Run it from a test file, handing it your
 * runner's functions (vitest, jest and similar all fit; nothing is imported from a test runner here):
 *
 *   import { afterEach, describe, expect, it } from 'vitest';
 *   import { describeStoreContract } from '@scopebound/token/testing';
 *   describeStoreContract(
 *     { name: 'redisStore', create: () => redisStore({ client, prefix: `t${n++}:` }) },
 *     { describe, it, expect, afterEach },
 *   );
 *
 * `advance(ms)` makes time pass for the store (a fake clock); without it the expiry tests wait in real time
 * (short waits, bounded). Lease and waitFor tests are skipped for stores that do not implement them.
 */
import type { StoredToken, TokenStore } from '../types';

/** The few test-runner functions the contract uses (vitest's and jest's fit). */
export interface TestApi {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: (context: { skip?: (note?: string) => void }) => Promise<void>, timeout?: number): void;
  afterEach(fn: () => Promise<void>): void;
  expect: (actual: unknown) => any;
}

export interface StoreContractOptions {
  name: string;
  /** A fresh, empty store for each test. */
  create(): TokenStore | Promise<TokenStore>;
  /** Called after each test with the store it used. */
  destroy?(store: TokenStore): void | Promise<void>;
  /** Make `ms` milliseconds pass for the store; default: wait in real time. */
  advance?(ms: number): void | Promise<void>;
}

export function sampleToken(overrides: Partial<StoredToken> = {}): StoredToken {
  return {
    accessToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6InJlYWQ6dXNlcnMifQ.c2lnbmF0dXJl',
    tokenType: 'Bearer',
    scopes: ['read:roles', 'read:users'],
    expiresAt: 1_900_000_000_000,
    mintedAt: 1_899_999_000_000,
    clientId: 'client-a',
    ...overrides,
  };
}

export function describeStoreContract(options: StoreContractOptions, t: TestApi): void {
  const { describe, it, afterEach, expect } = t;
  const wait = async (ms: number) => {
    if (options.advance) await options.advance(ms);
    else await new Promise((r) => setTimeout(r, ms));
  };
  // Real time needs room for a slow machine; a fake clock does not.
  const ttl = options.advance ? 1_000 : 400;

  describe(`TokenStore contract: ${options.name}`, () => {
    let current: TokenStore | undefined;
    const open = async () => (current = await options.create());
    afterEach(async () => {
      if (current && options.destroy) await options.destroy(current);
      current = undefined;
    });

    it('returns undefined for a key never set', async () => {
      const store = await open();
      expect(await store.get('never-set')).toBeUndefined();
    });

    it('returns what was set, field for field', async () => {
      const store = await open();
      const value = sampleToken();
      await store.set('k1', value, 60_000);
      expect(await store.get('k1')).toEqual(value);
    });

    it('overwrites a key and keeps keys apart', async () => {
      const store = await open();
      await store.set('a', sampleToken({ accessToken: 'token-a-1' }), 60_000);
      await store.set('b', sampleToken({ accessToken: 'token-b' }), 60_000);
      await store.set('a', sampleToken({ accessToken: 'token-a-2' }), 60_000);
      expect((await store.get('a'))?.accessToken).toBe('token-a-2');
      expect((await store.get('b'))?.accessToken).toBe('token-b');
    });

    it('deletes a key, and deleting a missing key is not an error', async () => {
      const store = await open();
      await store.set('gone', sampleToken(), 60_000);
      await store.delete('gone');
      expect(await store.get('gone')).toBeUndefined();
      await expect(store.delete('never-there')).resolves.toBeUndefined();
    });

    it('expires an entry after its ttl', async () => {
      const store = await open();
      await store.set('short', sampleToken(), ttl);
      expect(await store.get('short')).toBeDefined();
      await wait(ttl * 2 + 50);
      expect(await store.get('short')).toBeUndefined();
    });

    it('accepts keys with spaces, colons, pipes and thousands of characters', async () => {
      const store = await open();
      const long = `sb1|t.eu.auth0.com|https://t.eu.auth0.com/api/v2/|client|${Array.from({ length: 240 }, (_, i) => `read:scope_${i}`).join(' ')}`;
      const other = `${long.slice(0, -1)}X`;
      await store.set(long, sampleToken({ accessToken: 'long' }), 60_000);
      await store.set(other, sampleToken({ accessToken: 'other' }), 60_000);
      expect((await store.get(long))?.accessToken).toBe('long');
      expect((await store.get(other))?.accessToken).toBe('other');
    });

    it('round-trips a token with hundreds of scopes exactly', async () => {
      const store = await open();
      const scopes = Array.from({ length: 300 }, (_, i) => `update:resource_${String(i).padStart(3, '0')}`);
      const value = sampleToken({ scopes, expiresAt: 1_900_000_000_123, mintedAt: 1_899_999_999_001 });
      await store.set('many', value, 60_000);
      expect(await store.get('many')).toEqual(value);
    });

    it('handles many concurrent writes and reads', async () => {
      const store = await open();
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.set(`c${i}`, sampleToken({ accessToken: `t${i}` }), 60_000)));
      const read = await Promise.all(Array.from({ length: 50 }, (_, i) => store.get(`c${i}`)));
      expect(read.map((v) => v?.accessToken)).toEqual(Array.from({ length: 50 }, (_, i) => `t${i}`));
    });

    it('lease: one holder at a time, released for the next', async (ctx) => {
      const store = await open();
      if (!store.lease) return skip(ctx);
      const first = await store.lease('L', 60_000);
      expect(first).toBeDefined();
      expect(await store.lease('L', 60_000)).toBeUndefined();
      expect(await store.lease('other', 60_000)).toBeDefined();
      await first!.release();
      const next = await store.lease('L', 60_000);
      expect(next).toBeDefined();
      await next!.release();
    });

    it('lease: only one of many concurrent contenders wins', async (ctx) => {
      const store = await open();
      if (!store.lease) return skip(ctx);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.lease!('race', 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('lease: expires after its ttl, and a stale holder cannot release the new one', async (ctx) => {
      const store = await open();
      if (!store.lease) return skip(ctx);
      const old = await store.lease('E', ttl);
      expect(old).toBeDefined();
      await wait(ttl * 2 + 50);
      const fresh = await store.lease('E', 60_000);
      expect(fresh).toBeDefined();
      await old!.release();
      expect(await store.lease('E', 60_000)).toBeUndefined();
      await fresh!.release();
    });

    it('lease: does not touch the value stored under the same key', async (ctx) => {
      const store = await open();
      if (!store.lease) return skip(ctx);
      await store.set('shared', sampleToken({ accessToken: 'value' }), 60_000);
      const lease = await store.lease('shared', 60_000);
      expect((await store.get('shared'))?.accessToken).toBe('value');
      await lease?.release();
      expect((await store.get('shared'))?.accessToken).toBe('value');
    });

    it('waitFor: resolves with the value once it is set', async (ctx) => {
      const store = await open();
      if (!store.waitFor) return skip(ctx);
      const waiting = store.waitFor('W', 10_000);
      await store.set('W', sampleToken({ accessToken: 'arrived' }), 60_000);
      expect((await waiting)?.accessToken).toBe('arrived');
    });

    it('waitFor: resolves undefined when nothing arrives in time', async (ctx) => {
      const store = await open();
      if (!store.waitFor) return skip(ctx);
      const waiting = store.waitFor('never', ttl);
      await wait(ttl * 2 + 50);
      expect(await waiting).toBeUndefined();
    });
  });
}

/** Skip through the runner's context when it can; otherwise the test passes vacuously (the feature is optional). */
function skip(ctx: { skip?: (note?: string) => void }): void {
  ctx.skip?.('optional store feature not implemented');
}
