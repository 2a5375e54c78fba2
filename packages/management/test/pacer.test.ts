/** The pacer on its own, with a virtual clock and a simulated Auth0 token bucket (no I/O, no wall clock). */
import { describe, expect, it } from 'vitest';
import { createPacer, type Pacer } from '../src/pacer';
import { tokenBucket, virtualTime } from './virtual-time';

const expired = (waited: number) => new Error(`expired after ${waited}`);

function setup(enabled = true) {
  const vt = virtualTime();
  const pacer = createPacer({ clock: vt.clock, sleep: (ms) => vt.sleep(ms), enabled });
  return { vt, pacer };
}

/** Drain microtasks, then fire the next timer; bounded. */
async function runUntil(vt: ReturnType<typeof virtualTime>, done: () => boolean, maxSteps = 100_000) {
  for (let i = 0; i < maxSteps && !done(); i++) {
    for (let k = 0; k < 5; k++) await Promise.resolve();
    if (done()) return;
    if (!vt.step()) {
      await Promise.resolve();
      if (!done() && vt.pending() === 0) throw new Error('stuck: nothing pending and not done');
    }
  }
  if (!done()) throw new Error('did not finish within the step bound');
}

/** N calls from `concurrency` workers against a bucket, 10 ms round trips, 429s retried after Retry-After (front). */
async function simulate(pacer: Pacer, vt: ReturnType<typeof virtualTime>, bucket: ReturnType<typeof tokenBucket>, calls: number, concurrency: number) {
  let next = 0;
  let finished = 0;
  let failed = 0;
  const worker = async () => {
    while (next < calls) {
      next += 1;
      let front = false;
      for (let attempt = 0; attempt < 1000; attempt++) {
        const w = pacer.acquire(60_000, undefined, front, expired);
        if (typeof w !== 'number') await w;
        const seq = pacer.send();
        const res = bucket.take();
        await vt.sleep(10);
        pacer.observe(seq, res.status, res.headers);
        if (res.status === 200) break;
        front = true;
        await vt.sleep(Number(res.headers['retry-after']) * 1000);
        pacer.advance(vt.clock());
      }
      finished += 1;
    }
  };
  const all = Promise.all(Array.from({ length: concurrency }, worker)).catch(() => {
    failed += 1;
  });
  await runUntil(vt, () => finished === calls || failed > 0);
  await all;
  return { failed, elapsedMs: vt.elapsed() };
}

describe('pacer', () => {
  it('stays open (no wait, no clock) until a response says the bucket is drained', () => {
    let reads = 0;
    const pacer = createPacer({
      clock: () => {
        reads += 1;
        return 0;
      },
      sleep: async () => undefined,
      enabled: true,
    });
    expect(pacer.acquire(1000, undefined, false, expired)).toBe(0);
    pacer.observe(pacer.send(), 200, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '1' });
    pacer.observe(pacer.send(), 200, {});
    expect(pacer.active).toBe(false);
    expect(reads).toBe(0);
  });

  it('any 429 activates it (also without x-ratelimit-remaining); a disabled pacer never activates', () => {
    const { pacer } = setup();
    pacer.observe(pacer.send(), 429, { 'retry-after': '0' });
    expect(pacer.active).toBe(true);
    const off = setup(false).pacer;
    off.observe(off.send(), 200, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000002' });
    expect(off.active).toBe(false);
  });

  it('on a drain, bounds the rate from x-ratelimit-reset and releases waiting calls one refill apart', async () => {
    const { vt, pacer } = setup();
    // 10 tokens, full again in 2 s → at least 5/s → one every 200 ms.
    pacer.observe(pacer.send(), 200, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(vt.clock() / 1000 + 2) });
    expect(pacer.state()).toMatchObject({ active: true, ratePerSecond: 5, limit: 10 });
    const released: number[] = [];
    const waits = Array.from({ length: 5 }, () => {
      const w = pacer.acquire(60_000, undefined, false, expired);
      return Promise.resolve(w).then(() => released.push(vt.elapsed()));
    });
    await runUntil(vt, () => released.length === 5);
    await Promise.all(waits);
    expect(released).toEqual([200, 400, 600, 800, 1000]);
  });

  it('a response reporting spare tokens releases waiters at once', async () => {
    const { vt, pacer } = setup();
    pacer.observe(pacer.send(), 200, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(vt.clock() / 1000 + 10) });
    const released: number[] = [];
    for (let i = 0; i < 3; i++) void Promise.resolve(pacer.acquire(60_000, undefined, false, expired)).then(() => released.push(vt.elapsed()));
    // Another request of this client (sent before the waiters queued) comes back: 2 tokens are left.
    const seq = pacer.send();
    pacer.observe(seq, 200, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '2', 'x-ratelimit-reset': String(vt.clock() / 1000 + 8) });
    for (let k = 0; k < 5; k++) await Promise.resolve();
    expect(released).toEqual([0, 0]);
    expect(pacer.state().queued).toBe(1);
  });

  it('counts requests still in flight against the remaining tokens', () => {
    const { vt, pacer } = setup();
    const first = pacer.send();
    for (let i = 0; i < 4; i++) pacer.send(); // four more sent after it, not answered yet
    pacer.observe(first, 200, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(vt.clock() / 1000 + 1) });
    expect(pacer.state().credit).toBe(-4);
  });

  it('rejects a call that would wait longer than its budget, and drops an aborted waiter', async () => {
    const { vt, pacer } = setup();
    pacer.observe(pacer.send(), 200, { 'x-ratelimit-limit': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(vt.clock() / 1000 + 10) });
    // Unmeasured, the rate is taken as at least a full bucket (1) per 2 s: a 1.5 s budget cannot be met, and
    // as the bound is not a measurement the call waits its budget out rather than failing at once.
    let outcome: unknown;
    void (pacer.acquire(1_500, undefined, false, expired) as Promise<number>).then(
      (waited) => (outcome = waited),
      (e: unknown) => (outcome = e),
    );
    await runUntil(vt, () => outcome !== undefined);
    expect(String(outcome)).toContain('expired after 1500');
    expect(vt.elapsed()).toBe(1_500);
    const ac = new AbortController();
    const waiting = pacer.acquire(60_000, ac.signal, false, expired) as Promise<number>;
    expect(pacer.state().queued).toBe(1);
    ac.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    expect(pacer.state().queued).toBe(0);
  });

  it('fails a call at once only when even the best rate seen could not serve it within its budget', async () => {
    const { vt, pacer } = setup();
    const bucket = tokenBucket(10, 10, vt.clock);
    expect((await simulate(pacer, vt, bucket, 100, 20)).failed).toBe(0);
    expect(pacer.state().measured).toBe(true);
    // 30 calls queue (each could wait a minute); at ≤ 10/s the 31st needs about 3 s, so a 1 s budget fails now.
    const queued = Array.from({ length: 30 }, () => Promise.resolve(pacer.acquire(60_000, undefined, false, expired)));
    pacer.observe(pacer.send(), 200, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(vt.clock() / 1000 + 1)) });
    await expect(Promise.resolve(pacer.acquire(1_000, undefined, false, expired))).rejects.toThrow('expired after 0');
    // A 10 s budget is enough at the best rate seen: that call waits its turn instead.
    const patient = Promise.resolve(pacer.acquire(10_000, undefined, false, expired));
    let done = 0;
    void Promise.all([...queued, patient]).then(() => (done = 1));
    await runUntil(vt, () => done === 1);
    expect(await patient).toBeGreaterThan(0);
  });

  it('learns the refill rate and keeps a 600-call burst within 10 % of the bucket minimum with only the first wave refused', async () => {
    const { vt, pacer } = setup();
    const bucket = tokenBucket(20, 50, vt.clock);
    const { failed, elapsedMs } = await simulate(pacer, vt, bucket, 600, 100);
    expect(failed).toBe(0);
    expect(bucket.stats().accepted).toBe(600);
    const minimumMs = ((600 - 20) / 50) * 1000;
    expect(elapsedMs).toBeLessThanOrEqual(minimumMs * 1.1);
    // The first 100 go out before anything is known (80 refused); after that, none.
    expect(bucket.stats().refused).toBe(80);
    expect(pacer.state().measured).toBe(true);
    expect(pacer.state().ratePerSecond).toBeGreaterThan(45);
    expect(pacer.state().ratePerSecond).toBeLessThan(55);
  });

  it('goes back to open after a quiet period with a full bucket', async () => {
    const { vt, pacer } = setup();
    pacer.observe(pacer.send(), 200, { 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(vt.clock() / 1000 + 1) });
    expect(pacer.active).toBe(true);
    const later = vt.sleep(11_000);
    vt.step();
    await later;
    expect(pacer.acquire(1000, undefined, false, expired)).toBe(0);
    expect(pacer.active).toBe(false);
  });
});
