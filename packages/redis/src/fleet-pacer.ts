/**
 * The `Pacer` of one client on a fleet-wide bucket: every call takes a slot from Redis before it is sent (one
 * script step per batch of waiting calls, at most one step in flight per client), and what responses say goes
 * back with the next step. When a step fails (Redis slow or down) the client paces on its own with a fresh
 * local pacer (one per outage: in the fleet it would only have learned this client's share, which says nothing
 * once every process paces alone), and tries Redis again at most once per `probeMs`.
 */
import type { Pacer, RateLimiterContext } from '@scopebound/management';
import type { RunCommand } from './command-runner';
import { hasObservations, noObservations, observe, stepArgs, type Observations } from './rate-limit-observations';
import { parseStepReply, STEP_SCRIPT, stepArgv, type StepReply } from './rate-limit-script';

export interface FleetPacerDeps {
  readonly context: RateLimiterContext;
  /** A new local pacer (the fallback during an outage). */
  readonly local: () => Pacer;
  readonly run: RunCommand;
  readonly evalScript: (script: string, keys: readonly string[], args: readonly string[], signal: AbortSignal) => Promise<unknown>;
  readonly key: string;
  readonly horizonMs: number;
  readonly batch: number;
  readonly ttlMs: number;
  readonly probeMs: number;
}

interface Waiter {
  readonly at: number;
  readonly deadline: number;
  readonly resolve: (waitedMs: number) => void;
  readonly reject: (error: unknown) => void;
  readonly expired: (waitedMs: number) => Error;
  readonly signal: AbortSignal | undefined;
  readonly front: boolean;
  done: boolean;
  onAbort: (() => void) | undefined;
}

/** Fleet numbers of in-flight requests, by the local request number (a ring: a lost entry only blurs a count). */
const RING = 1024;
/** Longest pause between two steps while calls wait (the reply's hint is capped, so a bad hint cannot strand them). */
const MAX_PAUSE_MS = 1_000;

export function fleetPacer(deps: FleetPacerDeps): Pacer {
  const { context } = deps;
  const queue: Waiter[] = [];
  /** Per local request number: its fleet number in the fleet, its local pacer's number during an outage. */
  const ring = new Float64Array(RING);
  const localRing = new Float64Array(RING);
  /** Per local request number: when it was sent (this client's clock). */
  const sentRing = new Float64Array(RING);
  /** Set during an outage only. */
  let local: Pacer | undefined;
  let floor = 0;
  const granted: number[] = [];
  let pending: Observations = noObservations();
  let stepping = false;
  let lastTry = 0;
  let last: StepReply | undefined;
  let closed = false;
  /** The step in flight, if any (close waits for it). */
  let current: Promise<unknown> | undefined;

  /** The client's clock, never behind the end of the last wait (as the local pacer keeps it). */
  const clock = () => {
    const t = context.clock();
    if (t > floor) floor = t;
    return floor;
  };

  function settle(w: Waiter, error: unknown, waited?: number): void {
    if (w.done) return;
    w.done = true;
    if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
    if (error === undefined) w.resolve(waited ?? 0);
    else w.reject(error);
  }

  /** Drop waiters that were aborted or ran out of budget. */
  function prune(t: number): void {
    for (let i = 0; i < queue.length; ) {
      const w = queue[i] as Waiter;
      if (w.done || w.signal?.aborted || t >= w.deadline) {
        queue.splice(i, 1);
        if (w.signal?.aborted) settle(w, w.signal.reason);
        else settle(w, w.expired(t - w.at));
      } else i++;
    }
  }

  /** Redis failed: every waiting call goes to the local pacer with what is left of its budget. */
  function fallBack(): Pacer {
    const fallback = (local ??= deps.local());
    lastTry = clock();
    pending = noObservations();
    granted.length = 0;
    const t = clock();
    for (const w of queue.splice(0)) handOver(fallback, w, t);
    return fallback;
  }

  function handOver(fallback: Pacer, w: Waiter, t: number): void {
    const got = fallback.acquire(Math.max(0, w.deadline - t), w.signal, w.front, (waited) => w.expired(t - w.at + waited));
    if (typeof got === 'number') settle(w, undefined, t - w.at);
    else got.then((waited) => settle(w, undefined, t - w.at + waited), (e: unknown) => settle(w, e));
  }

  /** One script step: what was observed goes up, up to `want` slots come back. */
  async function step(want: number): Promise<StepReply> {
    const told = pending;
    pending = noObservations();
    const argv = stepArgv(stepArgs(told, want, deps.horizonMs, deps.ttlMs, clock()));
    const sent = deps.run('EVAL rate-limit step', (signal) => deps.evalScript(STEP_SCRIPT, [deps.key], argv, signal));
    current = sent;
    try {
      return (last = parseStepReply(await sent));
    } finally {
      current = undefined;
    }
  }

  async function loop(): Promise<void> {
    stepping = true;
    try {
      while (local === undefined && !closed && (queue.length > 0 || hasObservations(pending))) {
        prune(clock());
        const want = Math.min(queue.length, deps.batch);
        let reply: StepReply;
        try {
          reply = await step(want);
        } catch {
          fallBack();
          return;
        }
        const t = clock();
        let i = 0;
        for (const wait of reply.waits) {
          const w = queue.shift();
          if (w === undefined) break;
          const seq = reply.firstSeq + i++;
          if (w.done || w.signal?.aborted) continue; // its slot is wasted; the bucket stays conservative
          granted.push(seq);
          if (wait <= 0) settle(w, undefined, t - w.at);
          else void context.sleep(wait).then(() => settle(w, undefined, clock() - w.at), () => settle(w, undefined, clock() - w.at));
        }
        if (queue.length > 0 && reply.waits.length < want) {
          try {
            await context.sleep(Math.min(MAX_PAUSE_MS, Math.max(1, reply.retryInMs)));
          } catch {
            // time still passes for the next step
          }
        } else if (queue.length === 0) break;
      }
    } finally {
      stepping = false;
    }
    // Observations that arrived during the last step go up with a step of their own.
    if (local === undefined && !closed && hasObservations(pending)) kick();
  }

  function kick(): void {
    if (!stepping) void loop();
  }

  /** In local mode: try Redis again (a step with no slots wanted) at most once per probeMs. */
  function probe(t: number): void {
    if (stepping || closed || t - lastTry < deps.probeMs) return;
    lastTry = t;
    stepping = true;
    step(0).then(
      () => {
        stepping = false;
        if (!closed) local = undefined; // back on the fleet's bucket
      },
      () => {
        stepping = false;
      },
    );
  }

  const pacer: Pacer = {
    active: context.enabled,
    seq: 0,
    send() {
      const s = ++pacer.seq;
      ring[s % RING] = local === undefined ? (granted.shift() ?? 0) : 0;
      localRing[s % RING] = local === undefined ? 0 : local.send();
      sentRing[s % RING] = clock();
      return s;
    },
    cancel() {
      if (local === undefined) granted.shift();
      else local.cancel();
    },
    acquire(budgetMs, signal, front, expired) {
      if (!pacer.active) return 0;
      const t = clock();
      if (local !== undefined) {
        probe(t);
        return local.acquire(budgetMs, signal, front, expired);
      }
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<number>((resolve, reject) => {
        const w: Waiter = { at: t, deadline: t + budgetMs, resolve, reject, expired, signal, front, done: false, onAbort: undefined };
        if (signal) {
          w.onAbort = () => settle(w, signal.reason);
          signal.addEventListener('abort', w.onAbort, { once: true });
        }
        if (front) queue.unshift(w);
        else queue.push(w);
        kick();
      });
    },
    observe(seq, status, headers) {
      if (local !== undefined) {
        const own = localRing[seq % RING] ?? 0;
        if (own > 0) local.observe(own, status, headers);
        return;
      }
      if (!pacer.active) return;
      observe(pending, ring[seq % RING] ?? 0, status, headers, sentRing[seq % RING]);
      kick();
    },
    now: () => (local === undefined ? clock() : Math.max(clock(), local.now())),
    advance(t) {
      if (t > floor) floor = t;
      local?.advance(t);
    },
    expectedWait() {
      if (local !== undefined) return local.expectedWait();
      return last === undefined ? 0 : queue.length * last.intervalMs;
    },
    async close() {
      // Calls still waiting go on locally; nothing more is sent to Redis for this client.
      closed = true;
      fallBack();
      await current?.catch(() => undefined);
    },
    state() {
      if (local !== undefined) return local.state();
      return {
        active: pacer.active,
        ratePerSecond: last && last.intervalMs > 0 ? 1000 / last.intervalMs : undefined,
        credit: 0,
        limit: last?.limit,
        queued: queue.length,
        measured: last?.measured ?? false,
      };
    },
  };
  return pacer;
}
