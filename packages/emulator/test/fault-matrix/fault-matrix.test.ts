/**
 * The fault matrix (issue #13): hostile tenants and networks against the emulator's fault injection and raw
 * node:http fakes on 127.0.0.1. Every row asserts its promise and records its figure; one table is printed at
 * the end (RELIABILITY.md records it). Counts only, no wall-clock assertions.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ManagementApiError, ResponseTooLargeError, TimeoutError } from '@scopebound/management';
import { STORM_VARIANTS, storm } from '../../../management/test/hostile/storm';
import { printTable, record } from './table';
import { duplicateWrites, huge, readsRetried, trickled, unauthorizedTwice, type WriteFault } from './rows-api';
import { redisOutage } from './rows-redis';
import { expiryBoundary, secretScan, tokenEndpointDown } from './rows-tokens';

afterAll(() => printTable());

describe('fault matrix', () => {
  it.each(['503', 'reset-after-send', 'timeout'] as const)('no duplicate write under %s', async (fault: WriteFault) => {
    const r = await duplicateWrites(fault, 10);
    expect(r.failed).toBe(10);
    expect(r.duplicates).toBe(0);
    record(`POST under ${fault}`, 'a write is never re-sent after an ambiguous failure', `10 calls, ${r.duplicates} duplicates`);
  });

  it('reads are retried within budget', async () => {
    const r = await readsRetried(10);
    expect(r.failed).toBe(0);
    expect(r.maxRequestsPerCall).toBeLessThanOrEqual(4);
    record('GET under 503 ×2', 'reads retried within retry.retries (3)', `10 calls, ${r.failed} failed, ≤ ${r.maxRequestsPerCall} requests/call`);
  });

  it('token endpoint down with a valid token cached: no call fails', async () => {
    const r = await tokenEndpointDown(30);
    expect(r.failed).toBe(0);
    expect(r.tokenErrors).toBeGreaterThan(0);
    record('token endpoint 503, token valid', 'cached token served, 0 failed calls', `30 calls, ${r.failed} failed, ${r.tokenErrors} refresh failures, ${r.staleServed} stale serves`);
  });

  it('expiry boundary: the server never receives an expired token', async () => {
    const r = await expiryBoundary(3_000);
    expect(r.expired).toBe(0);
    expect(r.mints).toBeLessThan(r.calls / 4);
    record('2 s tokens, leeway 0 / defaults', '0 expired tokens at the server; reused, not minted per call', `${r.calls} calls, ${r.expired} expired, ${r.mints} mints`);
  }, 20_000);

  it('401 twice: one re-mint, then a typed error', async () => {
    const r = await unauthorizedTwice();
    expect(r.error).toBeInstanceOf(ManagementApiError);
    expect((r.error as ManagementApiError).status).toBe(401);
    expect(r.requests).toBe(2);
    expect(r.mints).toBe(2);
    record('401 always', 'one re-mint, then ManagementApiError 401', `${r.requests} requests, ${r.mints} mints`);
  });

  it('every 429-storm variant: one call sends at most 10 requests; 20 callers stay near the allowed rate', async () => {
    let worstPerCall = 0;
    let worstRatio = 0;
    for (const variant of STORM_VARIANTS) {
      const one = await storm(variant, 1, 1, 0, 0);
      expect(one.requests).toBeLessThanOrEqual(10);
      worstPerCall = Math.max(worstPerCall, one.requests);
      const many = await storm(variant, 100, 20, 10, 10);
      const allowed = 10 + (many.elapsedMs / 1000) * 10;
      expect(many.requests).toBeLessThanOrEqual(allowed * 2);
      worstRatio = Math.max(worstRatio, many.requests / allowed);
    }
    record('429 storms (5 variants)', '≤ 10 requests per call; client near the allowed rate', `≤ ${worstPerCall} requests/call; ≤ ${worstRatio.toFixed(2)}× allowed rate`);
  });

  it('trickled body: the deadline holds', async () => {
    const r = await trickled();
    expect(r.error).toBeInstanceOf(TimeoutError);
    expect(r.bytes).toBeLessThanOrEqual(20);
    record('body trickled 1 B / 20 ms, timeout 300', 'cut at timeout ± 100 ms', `${r.bytes} bytes written (≤ 20 allowed)`);
  });

  it('50 MB body: refused at the cap, memory bounded', async () => {
    const r = await huge();
    expect(r.error).toBeInstanceOf(ResponseTooLargeError);
    expect(r.writtenMb).toBeLessThan(50);
    expect(r.heapGrowthMb).toBeLessThan(64);
    record('50 MB chunked body', 'ResponseTooLargeError at 10 MiB, bounded memory', `${r.writtenMb.toFixed(1)} MB sent, heap +${r.heapGrowthMb.toFixed(1)} MB`);
  });

  it('Redis killed and restarted mid-run: no call fails, tokens are shared again', async () => {
    const r = await redisOutage();
    expect(r.failed).toBe(0);
    expect(r.recovered).toBe(true);
    expect(r.mintsAfterRestart).toBe(1);
    record('Redis killed + restarted', '0 failed calls; recovery', `${r.calls} calls, ${r.failed} failed, recovered, ${r.mintsAfterRestart} mint for 2 processes after`);
  }, 40_000);

  it('secret scans: echoing servers get no secret or token into any error, event or inspect output', async () => {
    const r = await secretScan();
    expect(r.leaks.map((l) => `${l.slice(0, 12)}… (${l.length})`)).toEqual([]);
    record('echoing token endpoint + API', 'no secret form, JWT or bearer in errors/events/inspect', `${r.scanned} outputs scanned, ${r.leaks.length} leaks`);
  });
});
