/** Provider events: the `TokenEvent` types and the listener registry (on / emit / listening); a throwing listener is ignored. */
import { tokenEventChannel } from '../diagnostics/channels';
import type { QuotaLimit } from '../quota';

/** What a mint and a background refresh report. */
interface MintReport {
  clientId: string;
  /** What was asked for. */
  requested: readonly string[];
  /** What was granted (the cache key). */
  scopes: readonly string[];
  durationMs: number;
  expiresAt: number;
  /** Remaining token quota, from Auth0's quota headers (empty when absent or self-signed). */
  quota: readonly QuotaLimit[];
}

export type TokenEvent =
  | ({ type: 'mint' } & MintReport)
  | { type: 'hit'; source: 'memory' | 'store'; clientId: string; scopes: readonly string[]; expiresAt: number }
  | ({ type: 'refresh' } & MintReport)
  | {
      /** The tenant refused `refused` for this application; the call asks for `next` instead. */
      type: 'fallback';
      clientId: string;
      refused: readonly string[];
      next: readonly string[];
    }
  | {
      type: 'stale-served';
      clientId: string;
      scopes: readonly string[];
      expiresAt: number;
      /** The code of the failure that keeps the token in service. */
      errorCode: string;
      /** When the next mint attempt is allowed (epoch ms). */
      retryAt: number;
    }
  | {
      type: 'error';
      stage: 'mint' | 'refresh' | 'store';
      clientId: string;
      requested: readonly string[];
      code: string;
      status?: number;
      durationMs: number;
      retryAfterMs?: number;
      quota?: readonly QuotaLimit[];
      /** The error itself (safe: it never holds a secret or a token). */
      error: unknown;
    };

export type TokenEventType = TokenEvent['type'];

export type Listener = (event: TokenEvent) => void;

/** One provider's listeners: `onEvent` from the options, and those added with `on` per type (or '*'). */
export interface EventRegistry {
  readonly onEvent: Listener | undefined;
  readonly byType: Map<string, Set<Listener>>;
  /** How many `on` listeners are subscribed (so hot paths build events only when someone listens). */
  count: number;
}

export function createEventRegistry(onEvent: Listener | undefined): EventRegistry {
  return { onEvent, byType: new Map(), count: 0 };
}

/** True when an event would reach anyone, `scopebound:token:event` subscribers included (hot paths build events only then). */
export function listening(events: EventRegistry): boolean {
  return events.count > 0 || events.onEvent !== undefined || tokenEventChannel.hasSubscribers;
}

/** Deliver to `onEvent`, then this type's listeners, then '*' listeners, then the channel; a listener that throws is ignored. */
export function emit(events: EventRegistry, event: TokenEvent): void {
  if (tokenEventChannel.hasSubscribers) publish(event);
  if (events.onEvent) call(events.onEvent, event);
  for (const fn of events.byType.get(event.type) ?? []) call(fn, event);
  for (const fn of events.byType.get('*') ?? []) call(fn, event);
}

/** Subscribe `listener` to `type` (or '*'); returns an unsubscribe function (calling it twice is harmless). */
export function subscribe(events: EventRegistry, type: string, listener: Listener): () => void {
  let set = events.byType.get(type);
  if (!set) events.byType.set(type, (set = new Set()));
  if (!set.has(listener)) {
    set.add(listener);
    events.count++;
  }
  return () => {
    if (set.delete(listener)) events.count--;
  };
}

function publish(event: TokenEvent): void {
  try {
    tokenEventChannel.publish(event);
  } catch {
    // a subscriber must not break token delivery
  }
}

function call(fn: Listener, event: TokenEvent): void {
  try {
    fn(event);
  } catch {
    // a listener must not break token delivery
  }
}
