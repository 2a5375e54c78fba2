/**
 * `waitFor` across the fleet: waiters on a key are woken by the pub/sub notification sent with every `set`
 * (one lazily opened subscription per store), and poll meanwhile — fast while pub/sub is not ready, at a
 * safety interval once it is, in case a notification was lost.
 */
import type { StoredToken } from '@scopebound/token';
import type { ClientAdapter, Subscription } from './client-adapter';
import type { KeyLayout } from './keys';
import { describeError, type Reporter } from './store-events';

const FIRST_POLL_MS = 25;
/** While pub/sub works, waiters still poll this often in case a notification was lost. */
const SAFETY_POLL_MS = 1_000;

interface SubscriberEntry {
  subscription: Subscription;
  ready: boolean;
  errorReported: boolean;
}

export interface Waiters {
  waitFor(key: string, timeoutMs: number): Promise<StoredToken | undefined>;
  /** Ends every pending `waitFor` (call once the store is closed) and closes the subscription. */
  close(): Promise<void>;
  subscriberState(): 'none' | 'connecting' | 'ready';
}

export function createWaiters(deps: {
  adapter: ClientAdapter;
  layout: KeyLayout;
  reporter: Reporter;
  pollIntervalMs: number;
  read: (key: string) => Promise<StoredToken | undefined>;
  isClosed: () => boolean;
}): Waiters {
  const { adapter, layout, reporter, pollIntervalMs, isClosed } = deps;
  let subscriber: SubscriberEntry | undefined;
  const waiters = new Map<string, Set<() => void>>();
  const onClose = new Set<() => void>();

  function onMessage(hash: string): void {
    const set = waiters.get(hash);
    if (set) for (const wake of [...set]) wake();
  }

  function wakeAll(): void {
    for (const set of waiters.values()) for (const wake of [...set]) wake();
  }

  function ensureSubscriber(): void {
    if (subscriber || isClosed()) return;
    const entry: SubscriberEntry = { subscription: { close: async () => {} }, ready: false, errorReported: false };
    try {
      const { ready, subscription } = adapter.subscribe(layout.channel, onMessage, (error) => {
        if (entry.errorReported) return;
        entry.errorReported = true;
        reporter.emit({ type: 'subscriber-error', message: describeError(error) });
      });
      entry.subscription = subscription;
      subscriber = entry;
      ready.then(
        () => {
          if (subscriber !== entry) return;
          entry.ready = true;
          entry.errorReported = false;
          wakeAll(); // a value may have been set before the subscription existed
        },
        (error: unknown) => {
          if (subscriber !== entry) return;
          if (!entry.errorReported) reporter.emit({ type: 'subscriber-error', message: describeError(error) });
          subscriber = undefined; // the next waitFor tries again
          entry.subscription.close().catch(() => {});
        },
      );
    } catch (error) {
      reporter.emit({ type: 'subscriber-error', message: describeError(error) });
    }
  }

  async function waitFor(key: string, timeoutMs: number): Promise<StoredToken | undefined> {
    if (isClosed()) return undefined;
    const hash = layout.hash(key);
    const deadline = performance.now() + (Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 0);
    let wake: () => void = () => {};
    const waker = () => wake();
    let set = waiters.get(hash);
    if (!set) waiters.set(hash, (set = new Set()));
    set.add(waker);
    onClose.add(waker);
    ensureSubscriber();
    let interval = FIRST_POLL_MS;
    try {
      for (;;) {
        // Arm the wake-up before reading, so a notification between the read and the wait is not lost.
        const woken = new Promise<void>((resolve) => (wake = resolve));
        const value = await deps.read(key);
        if (value !== undefined) return value;
        const remaining = deadline - performance.now();
        if (isClosed() || remaining <= 0) return undefined;
        const pause = subscriber?.ready ? Math.max(SAFETY_POLL_MS, pollIntervalMs) : interval;
        interval = Math.min(interval * 2, pollIntervalMs);
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.min(pause, remaining))))]);
        clearTimeout(timer);
        if (isClosed()) return undefined;
      }
    } finally {
      set.delete(waker);
      if (set.size === 0 && waiters.get(hash) === set) waiters.delete(hash);
      onClose.delete(waker);
    }
  }

  return {
    waitFor,
    async close() {
      for (const wake of [...onClose]) wake();
      const current = subscriber;
      subscriber = undefined;
      await current?.subscription.close().catch(() => {});
    },
    subscriberState: () => (subscriber === undefined ? 'none' : subscriber.ready ? 'ready' : 'connecting'),
  };
}
