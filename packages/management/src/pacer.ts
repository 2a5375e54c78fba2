/**
 * Client-side pacing against Auth0's token-bucket rate limits: the `Pacer` the call loop talks to. One per
 * client (built by `localRateLimiter()`, the default `rateLimiter`), shared by its views; no module state.
 * Open (the normal state), a call passes without a clock read and a response costs a few comparisons; once
 * limits matter the engine (pacer-engine.ts) takes over.
 */
import { createEngine } from './pacer-engine';
import type { RawHeaders } from './transport';

export interface PacerOptions {
  readonly clock: () => number;
  /** Waits of the drain loop (no signal: each is short and the loop ends when the queue is empty). */
  readonly sleep: (ms: number) => Promise<void>;
  /** False: the pacer never activates (`retry.pace: false`). */
  readonly enabled: boolean;
}

export interface PacerState {
  readonly active: boolean;
  /** Estimated refill rate, requests per second (undefined before the first drain). */
  readonly ratePerSecond: number | undefined;
  readonly credit: number;
  readonly limit: number | undefined;
  readonly queued: number;
  /** True once the rate came from a measured window (not only from headers or AIMD). */
  readonly measured: boolean;
}

export interface Pacer {
  /** True while pacing: the only thing the hot path looks at before sending. */
  active: boolean;
  /** Requests sent so far (see `send`). */
  seq: number;
  /** Call right before sending: returns the request's number for `observe` (and uses up a slot granted by `acquire`). */
  send(): number;
  /** A call that got a slot from `acquire` will not send after all (its token request failed, …). */
  cancel(): void;
  /**
   * Wait for a send slot. Returns 0 (no wait) or a promise of the ms waited. `budgetMs` caps the wait: a call
   * that cannot get a slot in time rejects with `expired(waitedMs)`. `front` queues ahead of new calls (a
   * call retrying after a 429 has waited already).
   */
  acquire(budgetMs: number, signal: AbortSignal | undefined, front: boolean, expired: (waitedMs: number) => Error): number | Promise<number>;
  /** Feed one response (status and headers) of the request numbered `seq`. */
  observe(seq: number, status: number, headers: RawHeaders): void;
  /** The pacer's time (epoch ms). */
  now(): number;
  /** Record that a wait until `t` has ended (keeps time moving with an injected clock). */
  advance(t: number): void;
  /** Estimated ms until a slot frees (0 when one is free now). */
  expectedWait(): number;
  /** A snapshot for tests and debugging. */
  state(): PacerState;
  /** The client is closing: stop talking to anything shared, resolve when nothing is in flight (optional). */
  close?(): Promise<void> | void;
}

/** What the pacer does once limits matter; built on first need (constructing a client compiles none of it). */
export interface Engine {
  granted(): number;
  send(): number;
  cancel(): void;
  acquire: Pacer['acquire'];
  observeSlow(seq: number, status: number, headers: RawHeaders, rem: string | string[] | undefined): void;
  now(): number;
  advance(t: number): void;
  expectedWait(): number;
  state(): PacerState;
}

export function createPacer(options: PacerOptions): Pacer {
  let engine: Engine | undefined;
  const get = () => (engine ??= createEngine(options, pacer));
  const pacer: Pacer = {
    active: false,
    seq: 0,
    send: () => (engine === undefined ? ++pacer.seq : engine.send()),
    cancel: () => engine?.cancel(),
    acquire: (budgetMs, signal, front, expired) => (pacer.active ? get().acquire(budgetMs, signal, front, expired) : 0),
    observe(seq, status, headers) {
      if (!options.enabled) return;
      const rem = headers['x-ratelimit-remaining'];
      if (!pacer.active && rem !== '0' && status !== 429) {
        // Open: activate on any 429, else only when the requests sent after this one will use up what remains.
        const after = pacer.seq + (engine === undefined ? 0 : engine.granted()) - seq;
        if (after === 0 || rem === undefined || !(Number(rem) <= after)) return;
      }
      get().observeSlow(seq, status, headers, rem);
    },
    now: () => (engine === undefined ? options.clock() : engine.now()),
    advance: (t) => get().advance(t),
    expectedWait: () => (engine === undefined ? 0 : engine.expectedWait()),
    state: () => get().state(),
  };
  return pacer;
}
