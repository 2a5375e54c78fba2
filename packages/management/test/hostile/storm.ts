/**
 * A hostile rate limiter on 127.0.0.1 for 429-storm tests: a token bucket (the tenant's real allowed rate)
 * whose refusals carry useless hints (Retry-After 0, -1, a past date, garbage, or a past x-ratelimit-reset
 * without a remaining count), and a driver that moves virtual time only when nothing is in flight.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createManagementClient, type ManagementClientOptions } from '../../src/index';
import { fakeTokens } from '../helpers';
import { turns, virtualTime } from '../virtual-time';

export type StormVariant = 'retry-after-0' | 'retry-after-negative' | 'retry-after-past-date' | 'retry-after-garbage' | 'reset-past';
export const STORM_VARIANTS: readonly StormVariant[] = ['retry-after-0', 'retry-after-negative', 'retry-after-past-date', 'retry-after-garbage', 'reset-past'];

/** The headers of a refusal in `variant` at `now` (no x-ratelimit-remaining: nothing the pacer could read). */
export function stormHeaders(variant: StormVariant, now: number): Record<string, string> {
  switch (variant) {
    case 'retry-after-0':
      return { 'retry-after': '0' };
    case 'retry-after-negative':
      return { 'retry-after': '-1' };
    case 'retry-after-past-date':
      return { 'retry-after': new Date(now - 3_600_000).toUTCString() };
    case 'retry-after-garbage':
      return { 'retry-after': 'soon, maybe' };
    case 'reset-past':
      return { 'x-ratelimit-reset': String(Math.floor(now / 1000) - 30) };
  }
}

export interface StormRun {
  readonly requests: number;
  readonly accepted: number;
  readonly ok: number;
  readonly failed: number;
  readonly elapsedMs: number;
  /** Most requests sent while one call ran (exact with concurrency 1; with more, others' requests count too). */
  readonly maxPerCall: number;
}

/**
 * `calls` users.get from `concurrency` callers against a bucket of `perSecond` (burst `burst`; 0 = refuse
 * everything) answering refusals in `variant`. Time is virtual: it moves only when no request is in flight.
 */
export async function storm(variant: StormVariant, calls: number, concurrency: number, burst: number, perSecond: number, extra: Partial<ManagementClientOptions> = {}): Promise<StormRun> {
  const vt = virtualTime();
  let tokens = burst;
  let updated = vt.clock();
  let requests = 0;
  let accepted = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests += 1;
      const now = vt.clock();
      tokens = Math.min(burst, tokens + ((now - updated) / 1000) * perSecond);
      updated = now;
      if (tokens >= 1) {
        tokens -= 1;
        accepted += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"user_id":"auth0|1"}');
        return;
      }
      res.writeHead(429, { 'content-type': 'application/json', ...stormHeaders(variant, now) });
      res.end('{"statusCode":429,"error":"Too Many Requests"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let inflight = 0;
  const perCall = new Map<string, number>();
  const mgmt = createManagementClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tokens: fakeTokens(),
    clock: vt.clock,
    sleep: vt.sleep,
    onEvent: (e) => {
      if (e.type === 'request') inflight += 1;
      if (e.type === 'response') inflight -= 1;
    },
    ...extra,
  });
  let next = 0;
  let ok = 0;
  let failed = 0;
  let finished = false;
  const work = Array.from({ length: concurrency }, async () => {
    while (next < calls) {
      const id = `u${next++}`;
      const before = requests;
      try {
        await mgmt.users.get({ id });
        ok += 1;
      } catch {
        failed += 1;
      }
      perCall.set(id, requests - before);
    }
  });
  const all = Promise.all(work).then(() => {
    finished = true;
  });
  // Bounded: a turn waits for real I/O, or moves virtual time to the next timer.
  for (let i = 0; i < 200_000 && !finished; i++) {
    await turns(2);
    if (inflight === 0 && !finished) vt.step();
  }
  await all;
  await mgmt.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { requests, accepted, ok, failed, elapsedMs: vt.elapsed(), maxPerCall: Math.max(0, ...perCall.values()) };
}
