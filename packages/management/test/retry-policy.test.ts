/** The retry policy on its own: a pure function of (outcome, call state, config). */
import { describe, expect, it } from 'vitest';
import { ManagementApiError, NetworkError, RateLimitError, TimeoutError } from '../src/errors';
import { resolveRetry } from '../src/options';
import { nextStep, type AttemptOutcome, type CallState, type PolicyConfig } from '../src/retry-policy';

const NOW = 1_700_000_000_000;
const info = { method: 'GET', route: '/api/v2/users/{id}' };
const retry = resolveRetry({ jitter: false, minDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5_000, maxRateLimitWaitMs: 10_000 });
const config = (extra: Partial<PolicyConfig> = {}): PolicyConfig => ({ retry, idempotent: true, paced: false, aborted: false, now: NOW, random: () => 0.5, ...extra });
const state = (extra: Partial<CallState> = {}): CallState => ({ attempt: 1, reauthed: false, retries: 0, rateLimitRetries: 0, rateLimitWaitedMs: 0, ...extra });
const apiError = (status: number, headers: Record<string, string> = {}) => new ManagementApiError({ ...info, status, headers });
const rateLimited = (headers: Record<string, string>, resetAt?: number) => new RateLimitError({ ...info, status: 429, headers }, resetAt, undefined, undefined);
const outcome = (error: unknown, status?: number, minted = true): AttemptOutcome => ({ status, error, minted });

describe('nextStep', () => {
  it('done on success', () => {
    expect(nextStep(outcome(undefined, 200), state(), config())).toEqual({ kind: 'done' });
  });

  it('401: one re-mint for a minted token, never for a user token, never twice', () => {
    const e = apiError(401);
    expect(nextStep(outcome(e, 401), state(), config())).toEqual({ kind: 're-authenticate' });
    expect(nextStep(outcome(e, 401), state({ reauthed: true }), config())).toEqual({ kind: 'fail', error: e });
    expect(nextStep(outcome(e, 401, false), state(), config())).toEqual({ kind: 'fail', error: e });
    expect(nextStep(outcome(e, 401), state(), config({ idempotent: false }))).toEqual({ kind: 're-authenticate' });
  });

  it('429: Retry-After, else the pacer, else x-ratelimit-reset, else backoff; on any method; capped', () => {
    const post = config({ idempotent: false });
    expect(nextStep(outcome(rateLimited({ 'retry-after': '2' }), 429), state(), post)).toEqual({ kind: 'wait', ms: 2000, reason: 'rate-limit', status: 429 });
    expect(nextStep(outcome(rateLimited({}), 429), state(), config({ paced: true }))).toMatchObject({ kind: 'wait', ms: 0 });
    expect(nextStep(outcome(rateLimited({}, NOW + 3000), 429), state(), config())).toMatchObject({ kind: 'wait', ms: 3000 });
    expect(nextStep(outcome(rateLimited({}), 429), state({ rateLimitRetries: 2 }), config())).toMatchObject({ kind: 'wait', ms: 400 });
    const tooLong = rateLimited({ 'retry-after': '60' });
    expect(nextStep(outcome(tooLong, 429), state(), config())).toEqual({ kind: 'fail', error: tooLong });
    const over = rateLimited({ 'retry-after': '1' });
    expect(nextStep(outcome(over, 429), state({ rateLimitWaitedMs: 9_500 }), config())).toEqual({ kind: 'fail', error: over });
  });

  it('429 hints that ask for no wait (0, -1, a past date, garbage, a past reset) back off instead; retries are bounded by count', () => {
    for (const headers of [{ 'retry-after': '0' }, { 'retry-after': '-1' }, { 'retry-after': new Date(NOW - 60_000).toUTCString() }, { 'retry-after': 'soon' }]) {
      expect(nextStep(outcome(rateLimited(headers), 429), state({ rateLimitRetries: 1 }), config())).toMatchObject({ kind: 'wait', ms: 200 });
    }
    expect(nextStep(outcome(rateLimited({}, NOW - 30_000), 429), state(), config())).toMatchObject({ kind: 'wait', ms: 100 });
    expect(nextStep(outcome(rateLimited({ 'retry-after': '0.001' }), 429), state(), config())).toMatchObject({ kind: 'wait', ms: 100 });
    const ninth = rateLimited({ 'retry-after': '1' });
    expect(nextStep(outcome(ninth, 429), state({ rateLimitRetries: 9 }), config())).toEqual({ kind: 'fail', error: ninth });
  });

  it('429 waits do not spend the retry budget', () => {
    expect(nextStep(outcome(rateLimited({ 'retry-after': '1' }), 429), state({ retries: 99 }), config())).toMatchObject({ kind: 'wait', reason: 'rate-limit' });
  });

  it('5xx, network and timeouts: idempotent methods only, within the budget, exponential backoff', () => {
    const e503 = apiError(503);
    expect(nextStep(outcome(e503, 503), state(), config())).toEqual({ kind: 'wait', ms: 100, reason: 'server-error', status: 503 });
    expect(nextStep(outcome(e503, 503), state({ retries: 2 }), config())).toEqual({ kind: 'wait', ms: 400, reason: 'server-error', status: 503 });
    expect(nextStep(outcome(e503, 503), state({ retries: 3 }), config())).toEqual({ kind: 'fail', error: e503 });
    expect(nextStep(outcome(e503, 503), state(), config({ idempotent: false }))).toEqual({ kind: 'fail', error: e503 });
    const net = new NetworkError(info, new Error('ECONNRESET'));
    expect(nextStep(outcome(net), state(), config())).toEqual({ kind: 'wait', ms: 100, reason: 'network' });
    expect(nextStep(outcome(net), state(), config({ idempotent: false }))).toEqual({ kind: 'fail', error: net });
    expect(nextStep(outcome(new TimeoutError(info, 50)), state(), config())).toMatchObject({ kind: 'wait', reason: 'timeout' });
    expect(nextStep(outcome(net), state(), config({ aborted: true }))).toEqual({ kind: 'fail', error: net });
  });

  it('other statuses fail at once; jitter draws from the injected random', () => {
    const e404 = apiError(404);
    expect(nextStep(outcome(e404, 404), state(), config())).toEqual({ kind: 'fail', error: e404 });
    const jittered = config({ retry: { ...retry, jitter: true }, random: () => 0 });
    expect(nextStep(outcome(apiError(500), 500), state(), jittered)).toMatchObject({ kind: 'wait', ms: 50 });
  });
});
