/** 429 storms with useless hints: one call sends at most 10 requests, and a client stays near the tenant's rate. */
import { describe, expect, it } from 'vitest';
import { STORM_VARIANTS, storm } from './storm';

describe.each(STORM_VARIANTS)('429 storm (%s)', (variant) => {
  it('one call against a tenant that always refuses sends at most 10 requests (default settings and a 3 s cap)', async () => {
    const defaults = await storm(variant, 1, 1, 0, 0);
    expect(defaults.failed).toBe(1);
    expect(defaults.requests).toBeLessThanOrEqual(10);
    const capped = await storm(variant, 1, 1, 0, 0, { retry: { maxRateLimitWaitMs: 3_000 } });
    expect(capped.requests).toBeLessThanOrEqual(10);
  }, 30_000);

  it('20 callers against 10 requests/s: at most 10 requests per call, and the client stays near the allowed rate', async () => {
    const r = await storm(variant, 100, 20, 10, 10);
    expect(r.ok + r.failed).toBe(100);
    expect(r.requests).toBeLessThanOrEqual(1_000);
    // The tenant allows 10/s: the client as a whole sends no more than ~2× what it lets through.
    const allowed = 10 + (r.elapsedMs / 1000) * 10;
    expect(r.requests).toBeLessThanOrEqual(allowed * 2);
    expect(r.ok).toBeGreaterThanOrEqual(90);
  }, 30_000);
});
