/** resolveProviderOptions: every option validated once, defaults applied, the result frozen. */
import { describe, expect, it } from 'vitest';
import { clientSecret, InvalidOptionError, memoryStore } from '../src/index';
import { resolveProviderOptions } from '../src/provider/options';

const credentials = clientSecret({ clientId: 'app', clientSecret: 'app-secret-value' });

describe('resolveProviderOptions', () => {
  it('applies the defaults and freezes the result', () => {
    const opts = resolveProviderOptions({ domain: 'tenant.test.auth0.com', credentials });
    expect(opts).toMatchObject({
      endpoint: { domain: 'tenant.test.auth0.com', audience: 'https://tenant.test.auth0.com/api/v2/', tokenUrl: 'https://tenant.test.auth0.com/oauth/token' },
      creds: [credentials],
      isPool: false,
      refreshAhead: 60_000,
      refreshJitter: 0.2,
      leeway: 6_000, // 5 s of clock skew + the 1 s send margin
      staleIfError: true,
      reuse: 'covering',
      unknownScopes: 'error',
      timeoutMs: 10_000,
      maxResponseBytes: 65_536,
      retry: { retries: 2, minDelayMs: 250, maxDelayMs: 4_000 },
      backoff: { minMs: 1_000, maxMs: 60_000 },
      lease: { ttlMs: 15_000, waitMs: 5_000 },
      onEvent: undefined,
    });
    for (const part of [opts, opts.endpoint, opts.creds, opts.retry, opts.backoff, opts.lease]) expect(Object.isFrozen(part)).toBe(true);
    expect(typeof opts.store.get).toBe('function');
    expect(opts.now()).toBeGreaterThan(0);
  });

  it('keeps what is given; a list of credentials is a pool; the lease outlives a long timeout', () => {
    const store = memoryStore();
    const opts = resolveProviderOptions({ domain: 'tenant.test.auth0.com', credentials: [credentials], store, timeoutMs: 20_000, clock: () => 7 });
    expect(opts.isPool).toBe(true);
    expect(opts.store).toBe(store);
    expect(opts.lease.ttlMs).toBe(25_000);
    expect(opts.now()).toBe(7);
  });

  it.each([
    [{ refreshAhead: -1 }, 'refreshAhead', '≥ 0'],
    [{ timeoutMs: 0 }, 'timeoutMs', '> 0'],
    [{ retry: { minDelayMs: Number.NaN } }, 'retry.minDelayMs', '≥ 0'],
    [{ lease: { ttlMs: 0 } }, 'lease.ttlMs', '> 0'],
    [{ refreshJitter: 2 }, 'refreshJitter', 'between 0 and 1'],
    [{ reuse: 'some' }, 'reuse', "'covering' or 'exact'"],
    [{ random: 1 }, 'random', 'a function'],
  ])('%j is refused naming %s', (extra, option, words) => {
    let error: unknown;
    try {
      resolveProviderOptions({ domain: 'tenant.test.auth0.com', credentials, ...(extra as object) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe(option);
    expect((error as Error).message).toContain(words);
  });
});
