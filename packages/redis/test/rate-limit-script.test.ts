/** The fleet bucket's script on a real Redis (127.0.0.1:6379, a unique prefix): reservations, learning, expiry. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitKey } from '../src/keys';
import { noObservations, observe, stepArgs, type Headers } from '../src/rate-limit-observations';
import { parseStepReply, STEP_SCRIPT, stepArgv, type StepReply } from '../src/rate-limit-script';
import { cleanup, randomPrefix, rawClient } from './helpers';

const prefix = randomPrefix('rl-script');
let redis: Redis;
let tenantNo = 0;

beforeAll(async () => {
  redis = await rawClient();
});
afterAll(async () => {
  await cleanup(prefix);
  redis.disconnect();
});

/** A fresh tenant bucket and a `step(want, responses, horizonMs)` on it. */
function bucket() {
  const key = rateLimitKey(prefix, `https://tenant-${++tenantNo}.example.com`);
  return {
    key,
    /** `ageMs`: how long before this step the request was sent (undefined: not known). */
    async step(want: number, responses: [seq: number, status: number, headers: Headers, ageMs?: number][] = [], horizonMs = 0): Promise<StepReply> {
      const o = noObservations();
      const now = Date.now();
      for (const [seq, status, headers, ageMs] of responses) observe(o, seq, status, headers, ageMs === undefined ? undefined : now - ageMs);
      return parseStepReply(await redis.eval(STEP_SCRIPT, 1, key, ...stepArgv(stepArgs(o, want, horizonMs, 60_000, now))));
    },
  };
}

const resetIn = (s: number) => String(Math.ceil(Date.now() / 1000) + s);
const rl = (limit: number, remaining: number, reset = resetIn(1)): Headers => ({ 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': reset });

describe('rate-limit step script', () => {
  it('keeps one key per tenant, hash-tagged for a cluster slot, that expires when idle', async () => {
    const b = bucket();
    expect(b.key).toMatch(new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}ratelimit:\\{[\\w-]{43}\\}$`));
    await b.step(1);
    const ttl = await redis.pttl(b.key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('while nothing is known, lets one request through at a time', async () => {
    const b = bucket();
    const first = await b.step(3);
    expect(first).toMatchObject({ waits: [0], firstSeq: 1, limit: undefined });
    const second = await b.step(3);
    expect(second.waits).toEqual([]);
    expect(second.retryInMs).toBeGreaterThan(0);
  });

  it('after the first answer, grants the remaining burst (less a slack of 2) at once and paces the rest at the bound from x-ratelimit-reset', async () => {
    const b = bucket();
    await b.step(1);
    // Request 1 left 9 of 10: 7 go now (2 stay for requests that reach the server out of order); the bucket is
    // full again within a second: at least a full bucket per 2 s (200 ms per token).
    const r = await b.step(12, [[1, 200, rl(10, 9)]]);
    expect(r.waits).toEqual(Array(7).fill(0));
    expect(r.firstSeq).toBe(2);
    expect(r.limit).toBe(10);
    expect(r.intervalMs).toBeGreaterThan(100);
    expect(r.intervalMs).toBeLessThanOrEqual(200);
    expect(r.retryInMs).toBeGreaterThan(0);
  });

  it('until the rate is measured, a later answer’s x-ratelimit-reset raises it to the higher bound it gives', async () => {
    const b = bucket();
    await b.step(1);
    const first = await b.step(0, [[1, 200, rl(10, 9, resetIn(1))]]);
    // Request 2 left 0 of 10 with the bucket full again by the next second: at least 10 per second (≤ 100 ms each).
    const later = await b.step(0, [[2, 200, rl(10, 0, resetIn(0))]]);
    expect(later.measured).toBe(false);
    expect(later.intervalMs).toBeLessThan(first.intervalMs);
    expect(later.intervalMs).toBeLessThanOrEqual(101);
    // A weaker bound never lowers it.
    // (The interval is kept as a string in Redis: equal to within its rounding.)
    expect((await b.step(0, [[3, 200, rl(10, 9, resetIn(1))]])).intervalMs).toBeCloseTo(later.intervalMs, 1);
  });

  it('measures x-ratelimit-reset from when the answered request was sent: a late report does not inflate the rate', async () => {
    // The server rounds its reset up to the second, so "full again at second S" bounds the refill from below only
    // from the moment it answered. A report that reaches Redis late (a loaded process) with S only a few ms ahead
    // of Redis's clock would make a tiny time-to-full and a rate many times the tenant's (seen on CI: 429s).
    const soon = () => {
      // A reset second at most 1 s after now, whatever now's fraction of a second is.
      const reset = Math.ceil(Date.now() / 1000);
      return { reset: String(reset), msToReset: reset * 1000 - Date.now() };
    };
    const late = bucket();
    await late.step(1);
    const first = soon();
    // Sent 1.5 s ago, 9 of 10 missing: a refill of 9 within at most msToReset + 1500 ms (or the floor of a full
    // bucket per 2 s, 200 ms per token, if that is faster). Measured from the step, it would be msToReset / 9.
    const r = await late.step(0, [[1, 200, rl(10, 1, first.reset), 1500]]);
    expect(r.intervalMs).toBeGreaterThanOrEqual(Math.min(200, (first.msToReset + 1500) / 9) - 2);
    // A later accepted answer, also reported 1.5 s after it was sent, cannot raise it past its own bound either.
    const second = soon();
    const raised = await late.step(0, [[2, 200, rl(10, 0, second.reset), 1500]]);
    expect(raised.intervalMs).toBeGreaterThanOrEqual(Math.min(r.intervalMs, (second.msToReset + 1500) / 10) - 2);
  });

  it('takes the server’s word over its own, less the slots reserved after the request it answers', async () => {
    const b = bucket();
    await b.step(1);
    expect((await b.step(9, [[1, 200, rl(10, 9)]])).waits).toHaveLength(7); // slots 2..8 reserved
    // Request 5 left 8: of the slots reserved after it (6..8, three) the server has not seen any, so 5 remain,
    // less the slack of 2 (a request reserved before 5 may still be on its way).
    const r = await b.step(10, [[5, 200, rl(10, 8)]]);
    expect(r.waits).toEqual([0, 0, 0]);
    expect(r.firstSeq).toBe(9);
    // Drained (newest request, nothing reserved after it): the next slot is one interval away.
    const drained = await b.step(2, [[13, 200, rl(10, 0)]], 60_000);
    expect(drained.waits).toHaveLength(2);
    expect(drained.waits[0]).toBeGreaterThan(0);
    expect(drained.waits[1]! - drained.waits[0]!).toBeCloseTo(drained.intervalMs, -1);
  });

  it('a 429 before the rate was measured cuts the rate by 30 % and empties the bucket', async () => {
    const b = bucket();
    await b.step(1);
    const before = await b.step(0, [[1, 200, rl(10, 9)]]);
    const after = await b.step(1, [[2, 429, { ...rl(10, 0), 'retry-after': '1' }]]);
    expect(after.intervalMs).toBeCloseTo(before.intervalMs / 0.7, 0);
    expect(after.waits).toEqual([]);
  });

  it('measures the refill rate over a window of at least a second: (Δremaining + accepted) / Δt, taken at 95 %', async () => {
    const b = bucket();
    await b.step(1);
    await b.step(0, [[1, 200, rl(100, 50)]]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const accepted: [number, number, Headers][] = Array.from({ length: 60 }, () => [1, 200, {}]);
    accepted.push([1, 200, rl(100, 40)]);
    const r = await b.step(0, accepted);
    // 50 tokens in ~1.1 s: ~45/s, at 95 % ~43/s, ~23 ms per token.
    expect(r.measured).toBe(true);
    expect(r.intervalMs).toBeGreaterThan(20);
    expect(r.intervalMs).toBeLessThan(25);
  });

  it('opens when the tenant reports no limit at all, and closes again at its first limit', async () => {
    const b = bucket();
    await b.step(1);
    const open = await b.step(5, [[1, 200, {}]]);
    expect(open).toMatchObject({ waits: [0, 0, 0, 0, 0], limit: 0 });
    const closed = await b.step(5, [[6, 200, rl(10, 0)]]);
    expect(closed.limit).toBe(10);
    expect(closed.waits).toEqual([]);
  });
});
