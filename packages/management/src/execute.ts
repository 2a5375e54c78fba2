/**
 * One call from scope decision to parsed body: token, send, retries (p-retry), 401 re-mint, pacing, errors.
 */
import pRetry from 'p-retry';
import type { AccessToken, TokenSource } from '@scopebound/token';
import {
  ClientClosedError,
  InsufficientScopeError,
  InvalidResponseError,
  ManagementApiError,
  ManagementError,
  NetworkError,
  RateLimitError,
  TimeoutError,
  type ApiErrorDetails,
  type RequestInfo,
} from './errors';
import type { ManagementEvent } from './events';
import type { ResolvedRetry } from './options';
import type { Transport, TransportResponse } from './transport';
import type { ApiResponse } from './types';

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
  /** False when nobody listens: events are then not even built on the hot path. */
  readonly observed: boolean;
  /** Proactive pacing: no request leaves before this epoch ms. */
  pausedUntil: number;
  closed: boolean;
}

export interface Plan {
  readonly operation: string | undefined;
  readonly method: string;
  /** Route template with the API prefix, e.g. /api/v2/users/{id}. */
  readonly route: string;
  /** Encoded path + query (without the API prefix). */
  readonly path: string;
  readonly body: unknown;
  readonly idempotent: boolean;
  /** Scopes to request first, and every acceptable alternative (server principal). */
  readonly required: readonly string[];
  readonly anyOf: readonly (readonly string[])[];
  /** A user's token: sent as is, never minted or invalidated. */
  readonly userToken: string | undefined;
}

export interface ExecOptions {
  signal?: AbortSignal | undefined;
  timeout?: number | undefined;
}

const decoder = new TextDecoder();

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

function num(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** When a 429 says the limit resets (epoch ms): Retry-After (seconds or HTTP date), else x-ratelimit-reset. */
export function rateLimitResetAt(headers: Record<string, string>, now: number): number | undefined {
  const ra = headers['retry-after'];
  if (ra !== undefined) {
    const secs = num(ra);
    if (secs !== undefined) return now + Math.max(0, secs) * 1000;
    const date = Date.parse(ra);
    if (Number.isFinite(date)) return date;
  }
  const reset = num(headers['x-ratelimit-reset']);
  if (reset !== undefined) return reset * 1000;
  return undefined;
}

function parseInsufficient(message: string | undefined): { rule: 'any' | 'all'; scopes: string[] } | undefined {
  if (!message) return undefined;
  const m = /expected (any|all) of:?\s*(.+)$/i.exec(message);
  if (!m) return undefined;
  const scopes = (m[2] as string)
    .split(/[\s,]+/)
    .map((s) => s.replace(/[.;]+$/, ''))
    .filter(Boolean);
  return { rule: (m[1] as string).toLowerCase() as 'any' | 'all', scopes };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : 'parse error' };
  }
}

function errorFor(res: TransportResponse, info: RequestInfo, token: AccessToken | undefined, now: number): ManagementApiError {
  const text = decoder.decode(res.body);
  let body: Record<string, unknown> = {};
  if (text) {
    const parsed = parseJson(text);
    if (parsed.ok && typeof parsed.value === 'object' && parsed.value !== null && !Array.isArray(parsed.value)) {
      body = parsed.value as Record<string, unknown>;
    }
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const details: ApiErrorDetails = {
    ...info,
    status: res.status,
    errorCode: str(body.errorCode),
    error: str(body.error),
    serverMessage: str(body.message) ?? str(body.error_description),
    requestId: res.headers['x-auth0-requestid'] ?? res.headers['x-request-id'],
    headers: res.headers,
  };
  if (res.status === 429) {
    return new RateLimitError(details, rateLimitResetAt(res.headers, now), num(res.headers['x-ratelimit-limit']), num(res.headers['x-ratelimit-remaining']));
  }
  if (res.status === 403) {
    const insufficient = details.errorCode === 'insufficient_scope' ? parseInsufficient(details.serverMessage) : undefined;
    if (insufficient || details.errorCode === 'insufficient_scope') {
      return new InsufficientScopeError(details, insufficient?.scopes ?? [], insufficient?.rule ?? 'any', token?.scopes ?? []);
    }
  }
  return new ManagementApiError(details);
}

function parseSuccess(res: TransportResponse, info: RequestInfo): unknown {
  if (res.status === 204 || res.body.byteLength === 0) return undefined;
  const type = (res.headers['content-type'] ?? '').toLowerCase();
  const text = decoder.decode(res.body);
  if (type === '' || type.includes('json')) {
    const parsed = parseJson(text);
    if (!parsed.ok) throw new InvalidResponseError(info, res.status, parsed.reason);
    return parsed.value;
  }
  if (type.startsWith('text/plain')) return text;
  throw new InvalidResponseError(info, res.status, `content-type ${type}`);
}

/** Send one plan, with retries, a single 401 re-mint and pacing. */
export async function execute<T>(core: Core, plan: Plan, options: ExecOptions = {}): Promise<ApiResponse<T>> {
  if (core.closed) throw new ClientClosedError();
  const info: RequestInfo = { method: plan.method, route: plan.route, operation: plan.operation };
  const { retry } = core;
  const signal = options.signal;
  const timeoutMs = options.timeout ?? core.timeout;
  const bodyText = plan.body === undefined ? undefined : JSON.stringify(plan.body);
  let reauthed = false;

  const attemptOnce = async (attempt: number): Promise<ApiResponse<T>> => {
    if (core.closed) throw new ClientClosedError();
    if (retry.pace && core.pausedUntil > 0) {
      const wait = core.pausedUntil - core.clock();
      if (wait > 0) {
        const delayMs = Math.min(wait, retry.maxRetryAfterMs);
        core.emit({ type: 'pace', operation: plan.operation, method: plan.method, route: plan.route, delayMs });
        await core.sleep(delayMs, signal);
      }
      core.pausedUntil = 0;
    }
    for (;;) {
      const token: AccessToken | undefined = plan.userToken
        ? undefined
        : await core.tokens.getToken(plan.required, { anyOf: plan.anyOf, ...(signal ? { signal } : {}) });
      const bearer = plan.userToken ?? (token as AccessToken).value;
      const headers: Record<string, string> = {
        authorization: `Bearer ${bearer}`,
        accept: 'application/json',
      };
      if (bodyText !== undefined) headers['content-type'] = 'application/json';

      if (core.observed) {
        core.emit({ type: 'request', operation: plan.operation, method: plan.method, route: plan.route, attempt, scopes: token?.scopes ?? [] });
      }
      const started = core.observed ? core.clock() : 0;
      let res: TransportResponse;
      try {
        res = await core.transport.send({
          method: plan.method,
          origin: core.origin,
          path: core.apiPrefix + plan.path,
          headers,
          body: bodyText,
          signal,
          timeoutMs,
          maxBytes: core.maxBytes,
          info,
        });
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        if (e instanceof ManagementError) throw e;
        throw new NetworkError(info, e);
      }
      if (core.observed) {
        core.emit({
          type: 'response',
          operation: plan.operation,
          method: plan.method,
          route: plan.route,
          attempt,
          status: res.status,
          durationMs: core.clock() - started,
        });
      }
      if (retry.pace && res.headers['x-ratelimit-remaining'] === '0') {
        const reset = num(res.headers['x-ratelimit-reset']);
        if (reset !== undefined) core.pausedUntil = Math.max(core.pausedUntil, reset * 1000);
      }

      if (res.status === 401 && !reauthed && token) {
        reauthed = true;
        core.emit({ type: 'reauth', operation: plan.operation, method: plan.method, route: plan.route });
        await core.tokens.invalidate(token);
        continue;
      }
      if (res.status >= 400) throw errorFor(res, info, token, core.clock());
      return { data: parseSuccess(res, info) as T, status: res.status, headers: res.headers };
    }
  };

  /** Decide whether `error` (from attempt `attempt`) is retried, and wait before the retry. */
  const retryAfter = async (error: unknown, attempt: number, retriesConsumed: number): Promise<boolean> => {
    const decision = classify(error, plan.idempotent);
    if (!decision) return false;
    let delayMs: number;
    if (decision.reason === 'rate-limit') {
      const resetAt = (error as RateLimitError).resetAt;
      const wait = resetAt === undefined ? backoff(retry, retriesConsumed) : Math.max(0, resetAt - core.clock());
      if (wait > retry.maxRetryAfterMs) return false;
      delayMs = wait;
    } else {
      delayMs = backoff(retry, retriesConsumed);
    }
    core.emit({
      type: 'retry',
      operation: plan.operation,
      method: plan.method,
      route: plan.route,
      attempt,
      reason: decision.reason,
      ...(decision.status !== undefined ? { status: decision.status } : {}),
      delayMs,
    });
    if (delayMs > 0) await core.sleep(delayMs, signal);
    return true;
  };

  // Fast path: the first attempt runs outside p-retry; only a retryable failure enters it.
  try {
    return await attemptOnce(1);
  } catch (error) {
    if (retry.retries === 0 || signal?.aborted || !(await retryAfter(error, 1, 0))) throw error;
  }
  return pRetry((n) => attemptOnce(n + 1), {
    retries: retry.retries - 1,
    // Delays are computed per failure (Retry-After, x-ratelimit-reset, backoff) and awaited in shouldRetry.
    minTimeout: 0,
    maxTimeout: 0,
    factor: 1,
    randomize: false,
    ...(signal ? { signal } : {}),
    shouldRetry: ({ error, attemptNumber, retriesConsumed }) => retryAfter(error, attemptNumber + 1, retriesConsumed + 1),
  });
}

function classify(error: unknown, idempotent: boolean): { reason: 'rate-limit' | 'server-error' | 'network' | 'timeout'; status?: number } | undefined {
  if (error instanceof RateLimitError) return { reason: 'rate-limit', status: 429 };
  if (!idempotent) return undefined;
  if (error instanceof ManagementApiError && [500, 502, 503, 504].includes(error.status)) return { reason: 'server-error', status: error.status };
  if (error instanceof NetworkError) return { reason: 'network' };
  if (error instanceof TimeoutError) return { reason: 'timeout' };
  return undefined;
}

function backoff(retry: ResolvedRetry, retriesConsumed: number): number {
  const base = Math.min(retry.maxDelayMs, retry.minDelayMs * retry.factor ** retriesConsumed);
  return retry.jitter ? Math.round(base / 2 + (Math.random() * base) / 2) : base;
}
