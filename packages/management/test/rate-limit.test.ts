/**
 * The client against a rate-limited HTTP server on loopback (node:http, the default undici transport), with
 * time virtual: the server's token bucket and the client's clock and sleep share one virtual clock, which moves
 * only when every request has been answered and every call is waiting. So completion time is measured in
 * virtual time and nothing depends on the wall clock or the machine's load.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createManagementClient, type ManagementClientOptions } from '../src/index';
import { fakeTokens } from './helpers';
import { tokenBucket, turns, virtualTime } from './virtual-time';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await (closers.pop() as () => Promise<void>)();
});

async function rateLimitedServer(burst: number, perSecond: number, clock: () => number) {
  const bucket = tokenBucket(burst, perSecond, clock);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const r = bucket.take();
      const body = r.status === 200 ? '{"user_id":"auth0|1"}' : '{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached"}';
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bucket };
}

/**
 * `calls` users.get from `concurrency` callers in each of `clients` clients (each with its own pacer: a fleet
 * of processes sharing one tenant); time moves only when nothing is in flight.
 */
async function run(calls: number, concurrency: number, burst: number, perSecond: number, extra: Partial<ManagementClientOptions> = {}, clients = 1) {
  const vt = virtualTime();
  const { baseUrl, bucket } = await rateLimitedServer(burst, perSecond, vt.clock);
  let inflight = 0;
  let ok = 0;
  let failed = 0;
  const errors: string[] = [];
  let done = false;
  const all = Promise.all(
    Array.from({ length: clients }, async () => {
      const mgmt = createManagementClient({
        baseUrl,
        tokens: fakeTokens(),
        clock: vt.clock,
        sleep: vt.sleep,
        onEvent: (e) => {
          if (e.type === 'request') inflight += 1;
          else if (e.type === 'response') inflight -= 1;
        },
        ...extra,
      });
      closers.push(() => mgmt.close());
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < calls) {
            next += 1;
            try {
              await mgmt.users.get({ id: 'auth0|1' });
              ok += 1;
            } catch (e) {
              failed += 1;
              if (errors.length < 3) errors.push(String((e as Error).message));
            }
          }
        }),
      );
    }),
  ).then(() => {
    done = true;
  });
  // Bounded: each step either waits for real I/O or moves virtual time to the next timer.
  for (let i = 0; i < 1_000_000 && !done; i++) {
    await turns(2);
    if (inflight > 0 || done) continue;
    await turns(2);
    if (inflight > 0 || done) continue;
    vt.step();
  }
  await all;
  return { ok, failed, errors, elapsedMs: vt.elapsed(), ...bucket.stats() };
}

describe('rate limits over real HTTP (virtual time)', () => {
  it('600 calls at concurrency 100 against burst 20 / 50 per s: none fails, only the first wave is refused, within 10 % of the minimum', async () => {
    const r = await run(600, 100, 20, 50);
    expect(r.failed).toBe(0);
    expect(r.ok).toBe(600);
    expect(r.accepted).toBe(600);
    // 100 calls leave before anything is known: 80 are refused. The pacer keeps the rest out of 429s.
    expect(r.refused).toBeGreaterThanOrEqual(80);
    expect(r.refused).toBeLessThanOrEqual(90);
    // The bucket lets (600 − 20) requests through in 11.6 s at best.
    const minimumMs = ((600 - 20) / 50) * 1000;
    expect(r.elapsedMs).toBeGreaterThanOrEqual(minimumMs);
    expect(r.elapsedMs).toBeLessThanOrEqual(minimumMs * 1.1);
  }, 60_000);

  it('without pacing the same run still completes (429 retries do not spend the budget), but collects far more 429s', async () => {
    const r = await run(200, 50, 10, 50, { retry: { pace: false } });
    expect(r.failed).toBe(0);
    expect(r.accepted).toBe(200);
    const paced = await run(200, 50, 10, 50);
    expect(paced.failed).toBe(0);
    // 50 leave at once into a bucket of 10: 40 refused, then none; unpaced, every retry wave collides again.
    expect(paced.refused).toBeLessThanOrEqual(45);
    expect(r.refused).toBeGreaterThan(2 * paced.refused);
    expect(paced.elapsedMs).toBeLessThan(r.elapsedMs);
  }, 60_000);

  // Each client's share of a bucket the others also drain swings with what they send: a call is failed early
  // only when even the best rate seen could not serve it within its budget, so a fleet's calls wait, not fail.
  it.each([4, 8])('a fleet of %i clients, each pacing on its own, sharing burst 20 / 50 per s: 150 calls each at concurrency 50, none fails', async (clients) => {
    const r = await run(150, 50, 20, 50, {}, clients);
    expect(r.errors).toEqual([]);
    expect(r.failed).toBe(0);
    expect(r.accepted).toBe(150 * clients);
    // Virtual time (but the order of real I/O varies): within 30 % of what the bucket allows at best.
    const minimumMs = ((150 * clients - 20) / 50) * 1000;
    expect(r.elapsedMs).toBeGreaterThanOrEqual(minimumMs);
    console.log(`fleet of ${clients}: ${(r.elapsedMs / minimumMs).toFixed(3)}× the minimum, ${r.refused} refused`);
    expect(r.elapsedMs).toBeLessThanOrEqual(minimumMs * 1.3);
  }, 120_000);
});
