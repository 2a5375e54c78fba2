/** Load shapes: a closed loop of `concurrency` callers until a deadline, and a counted run of N calls. */
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  ops: number;
  errors: number;
  elapsedMs: number;
  opsPerSec: number;
  /** Client-process CPU time (user + system) per completed call, µs. */
  cpuUsPerOp: number;
  firstError?: string;
}

/** At most this many failures before a run is abandoned (a broken contender must not spin). */
const MAX_ERRORS = 100;

export async function closedLoop(call: () => Promise<unknown>, concurrency: number, durationMs: number): Promise<LoadResult> {
  let ops = 0;
  let errors = 0;
  let firstError: string | undefined;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const deadline = start + durationMs;
  async function worker() {
    while (performance.now() < deadline && errors < MAX_ERRORS) {
      try {
        await call();
        ops += 1;
      } catch (err) {
        errors += 1;
        firstError ??= (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).split('\n')[0];
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const cpuUsPerOp = ops > 0 ? (cpu.user + cpu.system) / ops : Number.NaN;
  return { ops, errors, elapsedMs, opsPerSec: (ops / elapsedMs) * 1000, cpuUsPerOp, ...(firstError ? { firstError } : {}) };
}

/** Let the event loop settle and collect garbage (when exposed) between contenders. */
export async function settle(ms = 100): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, ms));
}

/** What a counted run did: every call made once, `concurrency` at a time. */
export interface CountedResult {
  ok: number;
  failed: number;
  elapsedMs: number;
  firstError?: string;
}

/** `calls` calls, `concurrency` callers at a time; failures are counted (first one kept), never thrown. */
export async function countedLoop(call: () => Promise<unknown>, calls: number, concurrency: number): Promise<CountedResult> {
  let next = 0;
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        next += 1;
        try {
          await call();
          ok += 1;
        } catch (err) {
          failed += 1;
          firstError ??= (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).split('\n')[0];
        }
      }
    }),
  );
  return { ok, failed, elapsedMs: performance.now() - start, ...(firstError ? { firstError } : {}) };
}
