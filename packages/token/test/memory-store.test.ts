import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryStore } from '../src/index';
import { describeStoreContract, sampleToken } from '../src/testing/store-contract';

// The contract, on a fake clock.
let clock = 0;
describeStoreContract(
  {
    name: 'memoryStore',
    create: () => memoryStore({ clock: () => clock }),
    advance: (ms) => {
      clock += ms;
    },
  },
  { describe, it, expect, afterEach },
);

// The contract again, on vitest's fake timers (Date.now and setTimeout), as a user's tests would run it.
describe('with fake timers', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  describeStoreContract(
    { name: 'memoryStore (fake timers)', create: () => memoryStore(), advance: (ms) => vi.advanceTimersByTimeAsync(ms).then(() => undefined) },
    { describe, it, expect, afterEach },
  );
});

describe('memoryStore specifics', () => {
  it('is bounded: the least recently used entry goes first', async () => {
    const store = memoryStore({ max: 3 });
    for (const k of ['a', 'b', 'c']) await store.set(k, sampleToken({ accessToken: k }), 60_000);
    await store.get('a'); // a is now the most recently used
    await store.set('d', sampleToken({ accessToken: 'd' }), 60_000);
    expect(store.size).toBe(3);
    expect(await store.get('b')).toBeUndefined();
    expect((await store.get('a'))?.accessToken).toBe('a');
    expect((await store.get('d'))?.accessToken).toBe('d');
  });

  it('keeps a copy: changing the caller\'s object does not change the stored one', async () => {
    const store = memoryStore();
    const value = { ...sampleToken(), scopes: ['read:users'] };
    await store.set('k', value, 60_000);
    value.scopes.push('delete:users');
    expect((await store.get('k'))?.scopes).toEqual(['read:users']);
  });

  it('a ttl of zero or less stores nothing', async () => {
    const store = memoryStore();
    await store.set('k', sampleToken(), 0);
    expect(await store.get('k')).toBeUndefined();
  });
});
