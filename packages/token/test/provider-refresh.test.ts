/** The pure refresh decision, the refresh back-off and the foreground retry delay of the provider. */
import { describe, expect, it } from 'vitest';
import { TokenEndpointError, TokenError, TokenRateLimitError } from '../src/index';
import { retryDelay } from '../src/provider/mint';
import { backoffAfter, decideRefresh, type Backoff, type RefreshState } from '../src/provider/refresh';
import type { Credential } from '../src/credential';

const cred = { kind: 'client-secret', clientId: 'app-1', grants: undefined } as Credential;
const KEY = 'sb1|d|a|app-1|read:users';
const entry = { refreshAt: 1_000, refreshKey: KEY, cred };
const failure = new TokenEndpointError({ status: 500, headers: {}, clientId: 'app-1' });
const rateLimit = (retryAfterMs: number) => new TokenRateLimitError({ headers: {}, clientId: 'app-1', retryAfterMs, quota: [] });

function state(over: Partial<{ staleIfError: boolean; backoff: Backoff; refreshing: boolean; flying: boolean; deferredUntil: number; blockedUntil: number }> = {}): RefreshState {
  return {
    staleIfError: over.staleIfError ?? true,
    refreshes: new Map(over.refreshing ? [[KEY, Promise.resolve()]] : []),
    backoffs: new Map(over.backoff ? [[KEY, over.backoff]] : []),
    deferred: new Map(over.deferredUntil !== undefined ? [[KEY, over.deferredUntil]] : []),
    flights: new Map(over.flying ? [[KEY, Promise.resolve()]] : []),
    credentials: new Map([[cred, { blockedUntil: over.blockedUntil ?? 0, blockedBy: over.blockedUntil ? rateLimit(1) : undefined }]]),
  };
}

describe('decideRefresh', () => {
  it('fresh before the refresh point, whatever else is going on', () => {
    expect(decideRefresh(entry, state(), 999)).toBe('fresh');
    expect(decideRefresh(entry, state({ backoff: { until: 5_000, attempt: 0, error: failure }, blockedUntil: 5_000 }), 999)).toBe('fresh');
  });

  it('starts a refresh at the refresh point when nothing is in the way', () => {
    expect(decideRefresh(entry, state(), 1_000)).toBe('start-refresh');
  });

  it('a refresh or a foreground flight of the same key under way: fresh (no second refresh)', () => {
    expect(decideRefresh(entry, state({ refreshing: true }), 1_500)).toBe('fresh');
    expect(decideRefresh(entry, state({ flying: true }), 1_500)).toBe('fresh');
  });

  it('a failed refresh\'s back-off: stale (or must-mint without staleIfError) until it passes', () => {
    const backoff = { until: 2_000, attempt: 0, error: failure };
    expect(decideRefresh(entry, state({ backoff }), 1_999)).toBe('stale-backoff');
    expect(decideRefresh(entry, state({ backoff, staleIfError: false }), 1_999)).toBe('must-mint');
    expect(decideRefresh(entry, state({ backoff, refreshing: true }), 1_999)).toBe('stale-backoff');
    expect(decideRefresh(entry, state({ backoff }), 2_000)).toBe('start-refresh');
  });

  it('left to another lease holder: fresh until the deferral passes', () => {
    expect(decideRefresh(entry, state({ deferredUntil: 3_000 }), 2_999)).toBe('fresh');
    expect(decideRefresh(entry, state({ deferredUntil: 3_000 }), 3_000)).toBe('start-refresh');
  });

  it('a 429 block of the credential: stale (or must-mint) until Retry-After', () => {
    expect(decideRefresh(entry, state({ blockedUntil: 4_000 }), 3_999)).toBe('stale-blocked');
    expect(decideRefresh(entry, state({ blockedUntil: 4_000, staleIfError: false }), 3_999)).toBe('must-mint');
    expect(decideRefresh(entry, state({ blockedUntil: 4_000 }), 4_000)).toBe('start-refresh');
  });

  it('is pure: the state is not changed', () => {
    const s = state({ deferredUntil: 3_000, backoff: { until: 500, attempt: 2, error: failure } });
    const before = JSON.stringify([...s.deferred, ...s.backoffs, ...s.refreshes.keys(), ...s.flights.keys()]);
    for (const at of [0, 1_000, 2_999, 3_000, 10_000]) decideRefresh(entry, s, at);
    expect(JSON.stringify([...s.deferred, ...s.backoffs, ...s.refreshes.keys(), ...s.flights.keys()])).toBe(before);
  });
});

describe('backoffAfter', () => {
  const limits = { minMs: 1_000, maxMs: 8_000 };
  it('grows exponentially from minMs with jitter in [0.5, 1), capped at maxMs', () => {
    const first = backoffAfter(undefined, failure, 100, limits, () => 0);
    expect(first).toEqual({ until: 100 + 500, attempt: 0, error: failure });
    const second = backoffAfter(first, failure, 100, limits, () => 0.999_999);
    expect(second.attempt).toBe(1);
    expect(second.until).toBeCloseTo(100 + 2_000, 0);
    let b: Backoff = second;
    for (let i = 0; i < 10; i++) b = backoffAfter(b, failure, 0, limits, () => 0);
    expect(b.until).toBe(4_000); // 8 000 × 0.5
  });

  it('waits at least a 429\'s Retry-After', () => {
    const error = rateLimit(30_000);
    expect(backoffAfter(undefined, error, 0, limits, () => 0)).toMatchObject({ until: 30_000, error });
  });

  it('an unexpected failure is recorded as a TokenError', () => {
    const b = backoffAfter(undefined, new Error('boom'), 0, limits, () => 0);
    expect(b.error).toBeInstanceOf(TokenError);
    expect(b.error.code).toBe('ERR_TOKEN_NETWORK');
  });
});

describe('retryDelay (foreground mint)', () => {
  const retry = { retries: 2, minDelayMs: 100, maxDelayMs: 400 };
  it('backs off exponentially with jitter for retryable failures, up to `retries` times', () => {
    expect(retryDelay(failure, 0, retry, () => 0)).toBe(50);
    expect(retryDelay(failure, 1, retry, () => 0)).toBe(100);
    expect(retryDelay(failure, 1, { ...retry, maxDelayMs: 150 }, () => 0)).toBe(75);
    expect(retryDelay(failure, 2, retry, () => 0)).toBeUndefined();
  });

  it('gives up at once on a failure that is not retryable', () => {
    expect(retryDelay(new TokenEndpointError({ status: 403, headers: {}, clientId: 'a' }), 0, retry, () => 0)).toBeUndefined();
    expect(retryDelay(new Error('boom'), 0, retry, () => 0)).toBeUndefined();
  });

  it('a 429 waits its Retry-After when that is short enough, else gives up', () => {
    expect(retryDelay(rateLimit(300), 0, retry, () => 0)).toBe(300);
    expect(retryDelay(rateLimit(401), 0, retry, () => 0)).toBeUndefined();
  });
});
