/**
 * A virtual clock for rate-limit tests: `sleep(ms)` registers a timer and time only moves when the test
 * advances it to the next timer, so nothing depends on the wall clock.
 */
export interface VirtualTime {
  readonly clock: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Pending timers. */
  readonly pending: () => number;
  /** Move time to the earliest timer and fire every timer due then. False when no timer is pending. */
  step(): boolean;
  /** Elapsed virtual ms since creation. */
  readonly elapsed: () => number;
}

export function virtualTime(start = 1_700_000_000_000): VirtualTime {
  let now = start;
  let seq = 0;
  const timers: { at: number; seq: number; fire: () => void }[] = [];
  return {
    clock: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = { at: now + Math.max(0, ms), seq: seq++, fire: resolve };
        timers.push(timer);
        signal?.addEventListener(
          'abort',
          () => {
            const i = timers.indexOf(timer);
            if (i !== -1) timers.splice(i, 1);
            reject(signal.reason);
          },
          { once: true },
        );
      }),
    pending: () => timers.length,
    step() {
      if (timers.length === 0) return false;
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const at = (timers[0] as { at: number }).at;
      if (at > now) now = at;
      while (timers.length > 0 && (timers[0] as { at: number }).at <= now) (timers.shift() as { fire: () => void }).fire();
      return true;
    },
    elapsed: () => now - start,
  };
}

/** Let promise callbacks and I/O callbacks run (a few macrotask turns). */
export async function turns(n = 3): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * An Auth0-like token bucket (as the emulator implements it): `x-ratelimit-remaining` is the floor of the
 * tokens left, `x-ratelimit-reset` the second (rounded up) when the bucket is full, a refused request consumes
 * nothing and answers 429 with `Retry-After` (≥ 1 s).
 */
export function tokenBucket(burst: number, perSecond: number, clock: () => number) {
  let tokens = burst;
  let updated = clock();
  let refused = 0;
  let accepted = 0;
  return {
    take(): { status: 200 | 429; headers: Record<string, string> } {
      const now = clock();
      tokens = Math.min(burst, tokens + ((now - updated) / 1000) * perSecond);
      updated = now;
      const ok = tokens >= 1;
      if (ok) tokens -= 1;
      const headers: Record<string, string> = {
        'x-ratelimit-limit': String(burst),
        'x-ratelimit-remaining': String(Math.max(0, Math.floor(tokens))),
        'x-ratelimit-reset': String(Math.ceil(now / 1000 + (burst - tokens) / perSecond)),
      };
      if (ok) {
        accepted += 1;
        return { status: 200, headers };
      }
      refused += 1;
      headers['retry-after'] = String(Math.max(1, Math.ceil((1 - tokens) / perSecond)));
      return { status: 429, headers };
    },
    stats: () => ({ accepted, refused }),
  };
}
