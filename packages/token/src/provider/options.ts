/** Provider options: resolve and validate every option once into a frozen `ResolvedProviderOptions`. */
import { validateCredentials, type Credential } from '../credential';
import { resolveEndpoint, type Endpoint } from '../endpoint-options';
import { InvalidOptionError } from '../errors';
import { memoryStore } from '../memory-store';
import type { TokenStore } from '../types';
import type { TokenEvent } from './events';
import { runtimeFetch } from '../http/runtime-fetch';

export interface TokenProviderOptions {
  /** The tenant hostname, e.g. "my-tenant.eu.auth0.com" (audience `https://{domain}/api/v2/`). */
  domain?: string | undefined;
  /** Where `/oauth/token` is (an emulator, a proxy); http only on loopback. The audience still uses `domain`. */
  baseUrl?: string | undefined;
  /** Override the audience (default `https://{domain}/api/v2/`). */
  audience?: string | undefined;
  /** One credential, or a pool from which the least privileged covering credential is picked per call. */
  credentials: Credential | readonly Credential[];
  /** L2 store (default `memoryStore()`; `redisStore()` for a fleet). */
  store?: TokenStore | undefined;
  /** Refresh a token in the background this long before it expires (ms, default 60 000). */
  refreshAhead?: number | undefined;
  /** Extra random part of `refreshAhead` so a fleet does not refresh in lockstep (0–1, default 0.2). */
  refreshJitter?: number | undefined;
  /** Clock-skew allowance: a token is treated as expired this long before its expiry (ms, default 5 000). */
  leeway?: number | undefined;
  /**
   * Time a token must still have when it is handed out, for the request it is for to reach the server (ms,
   * default 1 000). A token is served until expiry − (leeway + sendMarginMs); the two together must be at
   * least 100 ms. Tokens living less than 4× that margin keep at least min(margin, 1 s) and are refreshed at
   * half-life, so they are reused instead of minted per call.
   */
  sendMarginMs?: number | undefined;
  /** Serve a still-valid token when the token endpoint fails (default true). */
  staleIfError?: boolean | undefined;
  /** 'covering' (default): reuse any valid token whose granted scopes cover the need; 'exact': only one minted for exactly that set. */
  reuse?: 'covering' | 'exact' | undefined;
  /** 'error' (default) refuses scope names the Management API does not know. */
  unknownScopes?: 'error' | 'allow' | undefined;
  /** Token request timeout (ms, default 10 000). */
  timeoutMs?: number | undefined;
  /** Largest token response accepted (bytes, default 65 536). */
  maxResponseBytes?: number | undefined;
  /** Foreground retries of a failing mint when no valid token can be served (default {retries: 2, minDelayMs: 250, maxDelayMs: 4000}). */
  retry?: { retries?: number; minDelayMs?: number; maxDelayMs?: number } | undefined;
  /**
   * Longest wait a token endpoint 429 (its Retry-After, or a quota reset) may impose, ms (default 60 000).
   * A longer one is capped: minting resumes after this, and valid cached tokens are served meanwhile.
   */
  maxRetryAfterMs?: number | undefined;
  /** Back-off between background attempts after a failed refresh (default {minMs: 1000, maxMs: 60 000}). */
  backoff?: { minMs?: number; maxMs?: number } | undefined;
  /** Fleet single-flight through `store.lease` (ttl ms default 15 000; wait for another holder ms default 5 000). */
  lease?: { ttlMs?: number; waitMs?: number } | undefined;
  /** Epoch milliseconds (default Date.now). */
  clock?: (() => number) | undefined;
  /** Random number in [0, 1) for jitter (default Math.random). */
  random?: (() => number) | undefined;
  /** fetch implementation (default globalThis.fetch). */
  fetch?: typeof globalThis.fetch | undefined;
  /** Called for every event; a throwing listener is ignored. */
  onEvent?: ((event: TokenEvent) => void) | undefined;
}

/** The least margin before expiry a token is served with (clock skew + the request's own duration). */
const MIN_MARGIN_MS = 100;

/** Every option with its default applied, validated; frozen. */
export interface ResolvedProviderOptions {
  readonly endpoint: Readonly<Endpoint>;
  readonly creds: readonly Credential[];
  /** True when `credentials` was a list (a pool): a refused credential then falls through to the next. */
  readonly isPool: boolean;
  readonly store: TokenStore;
  readonly refreshAhead: number;
  readonly refreshJitter: number;
  /** The whole margin before expiry: `leeway` (clock skew) + `sendMarginMs` (the request's own duration). */
  readonly leeway: number;
  readonly staleIfError: boolean;
  readonly reuse: 'covering' | 'exact';
  readonly unknownScopes: 'error' | 'allow';
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly retry: Readonly<{ retries: number; minDelayMs: number; maxDelayMs: number }>;
  readonly maxRetryAfterMs: number;
  readonly backoff: Readonly<{ minMs: number; maxMs: number }>;
  readonly lease: Readonly<{ ttlMs: number; waitMs: number }>;
  readonly now: () => number;
  readonly random: () => number;
  readonly fetch: typeof globalThis.fetch;
  readonly onEvent: ((event: TokenEvent) => void) | undefined;
}

/** Throws `InvalidOptionError` (naming the option) for the first bad option, in a stable order. */
export function resolveProviderOptions(options: TokenProviderOptions): ResolvedProviderOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'pass {domain, credentials}');
  }
  const endpoint = resolveEndpoint(options);
  const creds = validateCredentials(options.credentials);
  const store = options.store ?? memoryStore({ clock: options.clock });
  if (typeof store.get !== 'function' || typeof store.set !== 'function' || typeof store.delete !== 'function') {
    throw new InvalidOptionError('store', 'must implement get(key), set(key, value, ttlMs) and delete(key)');
  }
  const refreshAhead = nonNegative('refreshAhead', options.refreshAhead, 60_000);
  const refreshJitter = options.refreshJitter ?? 0.2;
  if (typeof refreshJitter !== 'number' || !(refreshJitter >= 0 && refreshJitter <= 1)) {
    throw new InvalidOptionError('refreshJitter', 'must be a number between 0 and 1');
  }
  const leeway = nonNegative('leeway', options.leeway, 5_000) + nonNegative('sendMarginMs', options.sendMarginMs, 1_000);
  if (leeway < MIN_MARGIN_MS) {
    throw new InvalidOptionError(
      options.sendMarginMs === undefined ? 'leeway' : 'sendMarginMs',
      `leeway + sendMarginMs is ${leeway} ms: a token could reach the server expired. Keep at least ${MIN_MARGIN_MS} ms (the default sendMarginMs is 1 000).`,
    );
  }
  const reuse = options.reuse ?? 'covering';
  if (reuse !== 'covering' && reuse !== 'exact') throw new InvalidOptionError('reuse', "must be 'covering' or 'exact'");
  const unknownScopes = options.unknownScopes ?? 'error';
  if (unknownScopes !== 'error' && unknownScopes !== 'allow') {
    throw new InvalidOptionError('unknownScopes', "must be 'error' or 'allow'");
  }
  const timeoutMs = positive('timeoutMs', options.timeoutMs, 10_000);
  const maxResponseBytes = positive('maxResponseBytes', options.maxResponseBytes, 65_536);
  const retry = Object.freeze({
    retries: nonNegative('retry.retries', options.retry?.retries, 2),
    minDelayMs: nonNegative('retry.minDelayMs', options.retry?.minDelayMs, 250),
    maxDelayMs: nonNegative('retry.maxDelayMs', options.retry?.maxDelayMs, 4_000),
  });
  const maxRetryAfterMs = positive('maxRetryAfterMs', options.maxRetryAfterMs, 60_000);
  const backoff = Object.freeze({
    minMs: nonNegative('backoff.minMs', options.backoff?.minMs, 1_000),
    maxMs: nonNegative('backoff.maxMs', options.backoff?.maxMs, 60_000),
  });
  const lease = Object.freeze({
    ttlMs: positive('lease.ttlMs', options.lease?.ttlMs, Math.max(15_000, timeoutMs + 5_000)),
    waitMs: nonNegative('lease.waitMs', options.lease?.waitMs, 5_000),
  });
  const fetchImpl: typeof globalThis.fetch = options.fetch ?? runtimeFetch;
  for (const name of ['clock', 'random', 'fetch', 'onEvent'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new InvalidOptionError(name, 'must be a function');
    }
  }
  return Object.freeze({
    endpoint: Object.freeze({ ...endpoint }),
    creds: Object.freeze([...creds]),
    isPool: Array.isArray(options.credentials),
    store,
    refreshAhead,
    refreshJitter,
    leeway,
    staleIfError: options.staleIfError ?? true,
    reuse,
    unknownScopes,
    timeoutMs,
    maxResponseBytes,
    retry,
    maxRetryAfterMs,
    backoff,
    lease,
    now: options.clock ?? (() => Date.now()),
    random: options.random ?? Math.random,
    fetch: fetchImpl,
    onEvent: options.onEvent,
  });
}

function nonNegative(option: string, value: unknown, fallback: number): number {
  return finite(option, value, fallback, false);
}

function positive(option: string, value: unknown, fallback: number): number {
  return finite(option, value, fallback, true);
}

/** `value`, or `fallback` when undefined; a finite number ≥ 0 (> 0 when `strict`). */
function finite(option: string, value: unknown, fallback: number, strict: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (strict && value === 0)) {
    throw new InvalidOptionError(option, strict ? 'must be a finite number > 0' : 'must be a finite number ≥ 0');
  }
  return value;
}
