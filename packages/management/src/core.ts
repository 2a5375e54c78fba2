/**
 * The state a client and all its views share, built once from validated options: where the API is, the
 * transport, the token source (a provider built on first use from `credentials`), the pacer and settings.
 */
import { createTokenProvider, resolveLogger, type Log, type TokenSource } from '@scopebound/token';
import { CHANNELS, channel } from '@scopebound/token/diagnostics';
import type { ManagementEvent } from './events';
import { logLineFor } from './event-log';
import type { UsageRecorder } from './usage/recorder';
import type { ManagementClientOptions, ResolvedOrigin, ResolvedRetry } from './options';
import { createPacer, type Pacer } from './pacer';
import { fetchTransport, type FetchLike, type Transport } from './transport';
import { defaultTransport } from '#default-transport';

export const API = '/api/v2';

/** State shared by a client and all its views. */
export interface Core {
  readonly origin: string;
  /** basePath + '/api/v2' */
  readonly apiPrefix: string;
  readonly transport: Transport;
  readonly tokens: TokenSource;
  readonly retry: ResolvedRetry;
  readonly timeout: number;
  readonly maxBytes: number;
  readonly clock: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly emit: (event: ManagementEvent) => void;
  /** False when nobody listens (`onEvent`, `scopebound:management:event`): events are then not even built on the hot path. */
  readonly observed: boolean;
  /** The `logger` option, resolved (console by default; every call guarded). */
  readonly log: Log;
  /** Rate-limit pacing, shared by every view. */
  readonly pacer: Pacer;
  /** Scope names this package does not know: refused ('error') or let through ('allow'). */
  readonly unknownScopes: 'error' | 'allow';
  /** Usage recording (opt-in). */
  readonly usage: UsageRecorder | undefined;
  /** Request headers of the last bearer, reused while the token is (no per-call object or string building). */
  headers: CachedHeaders | undefined;
  closed: boolean;
}

export interface CachedHeaders {
  readonly bearer: string;
  readonly plain: Readonly<Record<string, string>>;
  readonly json: Readonly<Record<string, string>>;
}

/** The default `sleep`: setTimeout, abortable. */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A TokenSource that creates the provider on first use (a cold provider costs ~1 ms), then forwards to it. */
function lazyProvider(providerOptions: Parameters<typeof createTokenProvider>[0]): TokenSource {
  let provider: TokenSource | undefined;
  const get = () => (provider ??= createTokenProvider(providerOptions));
  return {
    getToken(need, getOptions) {
      try {
        return get().getToken(need, getOptions);
      } catch (e) {
        return Promise.reject(e);
      }
    },
    invalidate(token) {
      try {
        return get().invalidate(token);
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
}

function tokenSource(options: ManagementClientOptions, where: ResolvedOrigin): TokenSource {
  if (options.tokens) return options.tokens;
  // The endpoint and the credentials were validated at construction; the provider validates the rest.
  return lazyProvider({
    ...(options.domain !== undefined ? { domain: options.domain } : { baseUrl: where.origin + where.basePath }),
    ...(options.audience !== undefined ? { audience: options.audience } : {}),
    ...(options.fetch ? { fetch: options.fetch as typeof globalThis.fetch } : {}),
    credentials: options.credentials as Parameters<typeof createTokenProvider>[0]['credentials'],
  });
}

const eventChannel = channel<ManagementEvent>(CHANNELS.managementEvent);

function observer(onEvent: ManagementClientOptions['onEvent'], log: Log): (event: ManagementEvent) => void {
  return (event) => {
    try {
      if (eventChannel.hasSubscribers) eventChannel.publish(event);
      const line = logLineFor(event);
      if (line) log(line.level, line.fields, line.message);
      onEvent?.(event);
    } catch {
      // An observer must never break a call.
    }
  };
}

export function createCore(options: ManagementClientOptions, where: ResolvedOrigin, retry: ResolvedRetry): Core {
  const maxBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const onEvent = options.onEvent;
  const log = resolveLogger('logger', options.logger);
  return {
    origin: where.origin,
    apiPrefix: where.basePath + API,
    transport: options.fetch ? fetchTransport(options.fetch as FetchLike) : defaultTransport(options.transport, maxBytes),
    tokens: tokenSource(options, where),
    retry,
    timeout: options.timeout ?? 30_000,
    maxBytes,
    clock,
    sleep,
    emit: observer(onEvent, log),
    get observed() {
      return onEvent !== undefined || eventChannel.hasSubscribers;
    },
    log,
    pacer: options.rateLimiter
      ? options.rateLimiter.pacer({ clock, sleep: (ms) => sleep(ms), enabled: retry.pace, tenant: where.origin + where.basePath })
      : createPacer({ clock, sleep: (ms) => sleep(ms), enabled: retry.pace }),
    unknownScopes: options.unknownScopes ?? 'error',
    usage: options.usage,
    headers: undefined,
    closed: false,
  };
}
