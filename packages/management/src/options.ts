/** Options of createManagementClient, validated up front (endpoint and credentials by @scopebound/token) with errors that name the option. */
import { resolveEndpoint, resolveLogger, validateCredentials, validateScopes, type Logger, type ScopeName, type TokenSource } from '@scopebound/token';
import { InvalidOptionError } from './errors';
import type { FetchLike, UndiciTransportOptions } from './transport';
import type { ManagementEvent } from './events';
import type { UsageRecorder } from './usage/recorder';
import { validateRateLimiter, type RateLimiter } from './rate-limiter';

export interface RetryOptions {
  /** Retries after the first attempt (429 on any method; 5xx/network/timeouts on idempotent ones). Default 3. */
  retries?: number | undefined;
  /** First backoff delay for 5xx/network retries, ms. Default 250. */
  minDelayMs?: number | undefined;
  /** Backoff cap, ms. Default 10 000. */
  maxDelayMs?: number | undefined;
  /** Backoff growth factor. Default 2. */
  factor?: number | undefined;
  /** Randomise backoff between half and all of the computed delay. Default true. */
  jitter?: boolean | undefined;
  /** Longest single wait a 429 (Retry-After / x-ratelimit-reset) may impose before a retry; longer → RateLimitError now. Default 60 000. */
  maxRetryAfterMs?: number | undefined;
  /**
   * Longest total time one call may wait for rate limits (429 retries and the pacer together). Rate-limit
   * retries do not spend `retries`; past this cap the call fails with RateLimitError. Default 60 000.
   */
  maxRateLimitWaitMs?: number | undefined;
  /**
   * Most 429 retries of one call (a storm is bounded by attempts as well as time). Default 9: one call sends at
   * most 10 requests (a 401 re-mint adds one).
   */
  maxRateLimitRetries?: number | undefined;
  /**
   * Proactive pacing: once a response says the bucket is drained (`x-ratelimit-remaining: 0`, or a 429), calls
   * wait in a queue released at the learned refill rate instead of sending into 429s. Default true.
   */
  pace?: boolean | undefined;
}

export interface ManagementClientOptions {
  /** Tenant hostname, e.g. `example.eu.auth0.com` (https). */
  domain?: string | undefined;
  /** Full origin instead of `domain`, e.g. `http://127.0.0.1:4010` (http only for loopback hosts). */
  baseUrl?: string | undefined;
  /** Token audience (default `${origin}/api/v2/`). Passed to the token provider built from `credentials`. */
  audience?: string | undefined;
  /** One credential or a pool, from @scopebound/token (`clientSecret`, `privateKeyJwt`, `signedSecret`). */
  credentials?: unknown | undefined;
  /** Any token source (e.g. a shared `createTokenProvider(...)`). Exclusive with `credentials`. */
  tokens?: TokenSource | undefined;
  /** The only scopes this client may ever use. A call needing others fails before any network traffic. */
  allowScopes?: readonly ScopeName[] | undefined;
  /** 'error' (default): scope names this package does not know are refused (with did-you-mean); 'allow' lets newer scopes through. */
  unknownScopes?: 'error' | 'allow' | undefined;
  /** Record which operations and scope needs the client uses (`createUsageRecorder()`, `@scopebound/management/usage`). */
  usage?: UsageRecorder | undefined;
  /**
   * Where calls take a send slot: `localRateLimiter()` (the default: this client paces on its own) or a fleet-wide
   * one such as `redisRateLimiter({ client })` from @scopebound/redis (one bucket per tenant for every process).
   */
  rateLimiter?: RateLimiter | undefined;
  /** Retry policy, or `false` for none (a 401 still re-mints once). */
  retry?: RetryOptions | false | undefined;
  /** A fetch-compatible function instead of the built-in undici transport. */
  fetch?: FetchLike | typeof globalThis.fetch | undefined;
  /** Settings of the built-in undici transport. */
  transport?: UndiciTransportOptions | undefined;
  /** Per-attempt timeout, ms. Default 30 000. */
  timeout?: number | undefined;
  /** Largest response body read, bytes. Default 10 MiB. */
  maxResponseBytes?: number | undefined;
  /** Observe requests, responses, retries and pacing. Never receives tokens. Exceptions are swallowed. */
  onEvent?: ((event: ManagementEvent) => void) | undefined;
  /** Where the client and the adapters log (pino-compatible: `logger.warn(fields, message)`). Default `console`; `false` silences. */
  logger?: Logger | false | undefined;
  /** Epoch-ms clock (tests). Default Date.now. */
  clock?: (() => number) | undefined;
  /** How waits (backoff, Retry-After, pacing) are performed (tests). Default: setTimeout, abortable. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

export interface ResolvedRetry {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  factor: number;
  jitter: boolean;
  maxRetryAfterMs: number;
  maxRateLimitWaitMs: number;
  maxRateLimitRetries: number;
  pace: boolean;
}

function nonNegative(name: string, value: unknown, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new InvalidOptionError(name, `expected a ${integer ? 'non-negative integer' : 'non-negative number'}, got ${String(value)}.`);
  }
  return value;
}

function positive(name: string, value: unknown): number {
  const n = nonNegative(name, value);
  if (n === 0) throw new InvalidOptionError(name, 'must be greater than 0.');
  return n;
}

export interface ResolvedOrigin {
  readonly origin: string;
  /** Base path of `baseUrl` without a trailing slash ('' for a domain). */
  readonly basePath: string;
  /** The token audience, exactly as the token provider computes it. */
  readonly audience: string;
}

const TOKEN_PATH = '/oauth/token';

/**
 * Where the API is: validated by token's `resolveEndpoint` (the provider runs the same code, so the client
 * and the provider always agree on the host, the base path and the audience).
 */
export function resolveOrigin(options: ManagementClientOptions): ResolvedOrigin {
  const { domain, baseUrl, audience } = options;
  if ((domain === undefined) === (baseUrl === undefined)) {
    throw new InvalidOptionError(domain === undefined ? 'domain' : 'baseUrl', 'pass exactly one of `domain` (tenant hostname) or `baseUrl` (full URL).');
  }
  const endpoint = resolveEndpoint({ domain, baseUrl, audience });
  // The token URL is `${origin}${basePath}/oauth/token`: the API lives under the same prefix.
  const url = new URL(endpoint.tokenUrl.slice(0, -TOKEN_PATH.length));
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, ''), audience: endpoint.audience };
}

export function resolveRetry(retry: ManagementClientOptions['retry']): ResolvedRetry {
  const defaults: ResolvedRetry = {
    retries: 3,
    minDelayMs: 250,
    maxDelayMs: 10_000,
    factor: 2,
    jitter: true,
    maxRetryAfterMs: 60_000,
    maxRateLimitWaitMs: 60_000,
    maxRateLimitRetries: 9,
    pace: true,
  };
  if (retry === undefined) return defaults;
  // One attempt, no waiting of any kind (a 401 still re-mints once).
  if (retry === false) return { ...defaults, retries: 0, maxRateLimitWaitMs: 0, maxRateLimitRetries: 0, pace: false };
  if (typeof retry !== 'object' || retry === null) throw new InvalidOptionError('retry', 'expected an object or `false`.');
  const out = { ...defaults };
  if (retry.retries !== undefined) out.retries = nonNegative('retry.retries', retry.retries, true);
  if (retry.minDelayMs !== undefined) out.minDelayMs = nonNegative('retry.minDelayMs', retry.minDelayMs);
  if (retry.maxDelayMs !== undefined) out.maxDelayMs = nonNegative('retry.maxDelayMs', retry.maxDelayMs);
  if (retry.factor !== undefined) out.factor = positive('retry.factor', retry.factor);
  if (retry.maxRetryAfterMs !== undefined) out.maxRetryAfterMs = nonNegative('retry.maxRetryAfterMs', retry.maxRetryAfterMs);
  if (retry.maxRateLimitWaitMs !== undefined) out.maxRateLimitWaitMs = nonNegative('retry.maxRateLimitWaitMs', retry.maxRateLimitWaitMs);
  if (retry.maxRateLimitRetries !== undefined) out.maxRateLimitRetries = nonNegative('retry.maxRateLimitRetries', retry.maxRateLimitRetries, true);
  if (retry.jitter !== undefined) {
    if (typeof retry.jitter !== 'boolean') throw new InvalidOptionError('retry.jitter', 'expected a boolean.');
    out.jitter = retry.jitter;
  }
  if (retry.pace !== undefined) {
    if (typeof retry.pace !== 'boolean') throw new InvalidOptionError('retry.pace', 'expected a boolean.');
    out.pace = retry.pace;
  }
  return out;
}

/**
 * Scope names given to the client (`allowScopes`, `withScopes`, `request({ scopes })`): token's one
 * validation (known names with did-you-mean; current_user scopes allowed, for `asUser` views).
 */
export function validateScopesList(name: string, value: unknown, unknownScopes: 'error' | 'allow' = 'error'): readonly string[] {
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string' || s === '' || /\s/.test(s))) {
    throw new InvalidOptionError(name, 'expected an array of scope names such as ["read:users"].');
  }
  return validateScopes(value as string[], { unknownScopes, specialScopes: 'allow' });
}

export function validateCommon(options: ManagementClientOptions): void {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError('options', 'expected an object.');
  if ((options.credentials === undefined) === (options.tokens === undefined)) {
    throw new InvalidOptionError(
      options.credentials === undefined ? 'credentials' : 'tokens',
      'pass exactly one of `credentials` (built into a token provider) or `tokens` (any TokenSource).',
    );
  }
  if (options.credentials !== undefined) validateCredentials(options.credentials);
  if (options.tokens !== undefined) {
    const t = options.tokens as Partial<TokenSource> | null;
    if (!t || typeof t.getToken !== 'function' || typeof t.invalidate !== 'function') {
      throw new InvalidOptionError('tokens', 'expected a TokenSource with getToken() and invalidate().');
    }
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new InvalidOptionError('fetch', 'expected a fetch-compatible function.');
  if (options.fetch !== undefined && options.transport !== undefined) {
    throw new InvalidOptionError('transport', 'pass either `fetch` or `transport` settings, not both.');
  }
  if (options.unknownScopes !== undefined && options.unknownScopes !== 'error' && options.unknownScopes !== 'allow') {
    throw new InvalidOptionError('unknownScopes', "expected 'error' or 'allow'.");
  }
  if (options.usage !== undefined && (typeof options.usage !== 'object' || options.usage === null || typeof options.usage.record !== 'function')) {
    throw new InvalidOptionError('usage', 'expected a recorder from createUsageRecorder() (@scopebound/management/usage).');
  }
  validateRateLimiter(options.rateLimiter);
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') throw new InvalidOptionError('onEvent', 'expected a function.');
  if (options.logger !== undefined) resolveLogger('logger', options.logger);
  if (options.clock !== undefined && typeof options.clock !== 'function') throw new InvalidOptionError('clock', 'expected a function returning epoch ms.');
  if (options.sleep !== undefined && typeof options.sleep !== 'function') throw new InvalidOptionError('sleep', 'expected a function (ms, signal) => Promise<void>.');
  if (options.timeout !== undefined) positive('timeout', options.timeout);
  if (options.maxResponseBytes !== undefined) positive('maxResponseBytes', options.maxResponseBytes);
  if (options.transport !== undefined) {
    if (typeof options.transport !== 'object' || options.transport === null) throw new InvalidOptionError('transport', 'expected an object.');
    if (options.transport.connections !== undefined) positive('transport.connections', options.transport.connections);
    if (options.transport.keepAliveTimeout !== undefined) positive('transport.keepAliveTimeout', options.transport.keepAliveTimeout);
  }
}
