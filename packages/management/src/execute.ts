/**
 * One call from scope decision to parsed body: pacing, token, send, 401 re-mint, rate-limit waits, retries
 * (p-retry), errors.
 *
 * The first attempt runs inline (one async function: token, send, parse); only a failure, or a pacer that is
 * holding calls, enters the resilient path. Response headers are never copied unless `withResponse` or an
 * error needs them.
 */
import pRetry from 'p-retry';
import type { AccessToken, GetTokenOptions, TokenSource } from '@scopebound/token';
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
import type { Pacer } from './pacer';
import { normalizeHeaders, type RawHeaders, type Transport, type TransportRequest, type TransportResponse } from './transport';
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
  /** Rate-limit pacing, shared by every view. */
  readonly pacer: Pacer;
  /** Request headers of the last bearer, reused while the token is (no per-call object or string building). */
  headers: CachedHeaders | undefined;
  closed: boolean;
}

export interface CachedHeaders {
  readonly bearer: string;
  readonly plain: Readonly<Record<string, string>>;
  readonly json: Readonly<Record<string, string>>;
}

/** What never changes for an operation (or an ad-hoc route): computed once per client. */
export interface OpStatic {
  readonly operation: string | undefined;
  readonly method: string;
  /** Route template with the API prefix, e.g. /api/v2/users/{id}. */
  readonly route: string;
  readonly idempotent: boolean;
  readonly info: RequestInfo;
}

export interface Plan {
  readonly op: OpStatic;
  /** Encoded path + query (without the API prefix). */
  readonly path: string;
  readonly body: unknown;
  /** Scopes to request first, and every acceptable alternative (server principal). */
  readonly required: readonly string[];
  readonly anyOf: readonly (readonly string[])[];
  /** `{ anyOf }`, built once per scope decision. */
  readonly tokenOptions: GetTokenOptions;
  /** A user's token: sent as is, never minted or invalidated. */
  readonly userToken: string | undefined;
}

export interface ExecOptions {
  signal?: AbortSignal | undefined;
  timeout?: number | undefined;
}

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

/** Retry-After (seconds or HTTP date) as epoch ms. */
function retryAfterAt(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  const ra = headers['retry-after'];
  if (ra === undefined) return undefined;
  const secs = num(ra);
  if (secs !== undefined) return now + Math.max(0, secs) * 1000;
  const date = Date.parse(ra);
  return Number.isFinite(date) ? date : undefined;
}

/** When a 429 says the limit resets (epoch ms): Retry-After (seconds or HTTP date), else x-ratelimit-reset. */
export function rateLimitResetAt(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  const ra = retryAfterAt(headers, now);
  if (ra !== undefined) return ra;
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

function errorFor(res: TransportResponse, info: RequestInfo, token: AccessToken | undefined, now: number): ManagementApiError {
  let body: Record<string, unknown> = {};
  if (res.body) {
    try {
      const parsed: unknown = JSON.parse(res.body);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      // A non-JSON error body: status and headers still tell what happened.
    }
  }
  const headers = normalizeHeaders(res.headers);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const details: ApiErrorDetails = {
    ...info,
    status: res.status,
    errorCode: str(body.errorCode),
    error: str(body.error),
    serverMessage: str(body.message) ?? str(body.error_description),
    requestId: headers['x-auth0-requestid'] ?? headers['x-request-id'],
    headers,
  };
  if (res.status === 429) {
    return new RateLimitError(details, rateLimitResetAt(headers, now), num(headers['x-ratelimit-limit']), num(headers['x-ratelimit-remaining']));
  }
  if (res.status === 403) {
    const insufficient = details.errorCode === 'insufficient_scope' ? parseInsufficient(details.serverMessage) : undefined;
    if (insufficient || details.errorCode === 'insufficient_scope') {
      return new InsufficientScopeError(details, insufficient?.scopes ?? [], insufficient?.rule ?? 'any', token?.scopes ?? []);
    }
  }
  return new ManagementApiError(details);
}

function contentType(headers: RawHeaders): string {
  const v = headers['content-type'];
  return typeof v === 'string' ? v.toLowerCase() : v === undefined ? '' : v.join(', ').toLowerCase();
}

function parseSuccess(res: TransportResponse, info: RequestInfo): unknown {
  if (res.status === 204 || res.body === '') return undefined;
  const type = contentType(res.headers);
  if (type === '' || type.includes('json')) {
    try {
      return JSON.parse(res.body);
    } catch (e) {
      throw new InvalidResponseError(info, res.status, e instanceof Error ? e.message : 'parse error');
    }
  }
  if (type.startsWith('text/plain')) return res.body;
  throw new InvalidResponseError(info, res.status, `content-type ${type}`);
}

function finish(res: TransportResponse, plan: Plan, raw: boolean): unknown {
  const data = parseSuccess(res, plan.op.info);
  if (!raw) return data;
  const out: ApiResponse<unknown> = { data, status: res.status, headers: normalizeHeaders(res.headers) };
  return out;
}

function buildRequest(core: Core, plan: Plan, options: ExecOptions, bearer: string, bodyText: string | undefined): TransportRequest {
  let cached = core.headers;
  if (cached === undefined || cached.bearer !== bearer) {
    const authorization = `Bearer ${bearer}`;
    cached = core.headers = {
      bearer,
      plain: Object.freeze({ authorization, accept: 'application/json' }),
      json: Object.freeze({ authorization, accept: 'application/json', 'content-type': 'application/json' }),
    };
  }
  const headers = bodyText === undefined ? cached.plain : cached.json;
  return {
    method: plan.op.method,
    origin: core.origin,
    path: core.apiPrefix + plan.path,
    headers,
    body: bodyText,
    signal: options.signal,
    timeoutMs: options.timeout ?? core.timeout,
    maxBytes: core.maxBytes,
    info: plan.op.info,
  };
}

function tokenFor(core: Core, plan: Plan, signal: AbortSignal | undefined): Promise<AccessToken> {
  return core.tokens.getToken(plan.required, signal ? { anyOf: plan.anyOf, signal } : plan.tokenOptions);
}

/** A send that threw: the caller's abort as is, our own errors as is, anything else a NetworkError. */
function sendFailure(e: unknown, plan: Plan, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) throw signal.reason;
  return e instanceof ManagementError ? e : new NetworkError(plan.op.info, e);
}

interface Outcome {
  readonly res?: TransportResponse;
  readonly error?: unknown;
  readonly token: AccessToken | undefined;
}

/** Per-call bookkeeping of the resilient path. */
interface CallState {
  attempt: number;
  reauthed: boolean;
  /** Rate-limit retries so far and the time they (and the pacer) made this call wait. */
  rateLimitRetries: number;
  rateLimitWaitedMs: number;
  readonly bodyText: string | undefined;
}

/**
 * Send one plan. Resolves to the parsed body, or `{data, status, headers}` when `raw`.
 */
export async function execute(core: Core, plan: Plan, options: ExecOptions, raw: boolean): Promise<unknown> {
  if (core.closed) throw new ClientClosedError();
  const bodyText = plan.body === undefined ? undefined : JSON.stringify(plan.body);
  if (core.pacer.active) return resilient(core, plan, options, raw, bodyText, undefined);
  // Fast path: the first attempt inline.
  const token = plan.userToken === undefined ? await tokenFor(core, plan, options.signal) : undefined;
  const seq = core.pacer.send();
  const started = core.observed ? emitRequest(core, plan, 1, token) : 0;
  let res: TransportResponse;
  try {
    res = await core.transport.send(buildRequest(core, plan, options, plan.userToken ?? (token as AccessToken).value, bodyText));
  } catch (e) {
    return resilient(core, plan, options, raw, bodyText, { error: sendFailure(e, plan, options.signal), token });
  }
  if (core.observed) emitResponse(core, plan, 1, res.status, started);
  core.pacer.observe(seq, res.status, res.headers);
  if (res.status < 400) return finish(res, plan, raw);
  return resilient(core, plan, options, raw, bodyText, { res, token });
}

function emitRequest(core: Core, plan: Plan, attempt: number, token: AccessToken | undefined): number {
  const { operation, method, route } = plan.op;
  core.emit({ type: 'request', operation, method, route, attempt, scopes: token?.scopes ?? [] });
  return core.clock();
}

function emitResponse(core: Core, plan: Plan, attempt: number, status: number, started: number): void {
  const { operation, method, route } = plan.op;
  core.emit({ type: 'response', operation, method, route, attempt, status, durationMs: core.clock() - started });
}

/** One attempt of the resilient path: wait for the pacer, take a token, send. */
async function sendAttempt(core: Core, plan: Plan, options: ExecOptions, st: CallState): Promise<Outcome> {
  if (core.closed) throw new ClientClosedError();
  const { pacer, retry } = core;
  if (pacer.active) {
    const budget = retry.maxRateLimitWaitMs - st.rateLimitWaitedMs;
    const expected = core.observed ? pacer.expectedWait() : 0;
    const wait = pacer.acquire(budget, options.signal, st.rateLimitRetries > 0, (waited) => pacerExpired(core, plan, st, waited));
    if (typeof wait !== 'number') {
      if (core.observed) core.emit({ type: 'pace', operation: plan.op.operation, method: plan.op.method, route: plan.op.route, delayMs: Math.round(expected) });
      st.rateLimitWaitedMs += await wait;
    }
  }
  let token: AccessToken | undefined;
  try {
    token = plan.userToken === undefined ? await tokenFor(core, plan, options.signal) : undefined;
  } catch (e) {
    pacer.cancel();
    throw e;
  }
  st.attempt += 1;
  const seq = pacer.send();
  const started = core.observed ? emitRequest(core, plan, st.attempt, token) : 0;
  let res: TransportResponse;
  try {
    res = await core.transport.send(buildRequest(core, plan, options, plan.userToken ?? (token as AccessToken).value, st.bodyText));
  } catch (e) {
    return { error: sendFailure(e, plan, options.signal), token };
  }
  if (core.observed) emitResponse(core, plan, st.attempt, res.status, started);
  pacer.observe(seq, res.status, res.headers);
  return { res, token };
}

function pacerExpired(core: Core, plan: Plan, st: CallState, waitedMs: number): RateLimitError {
  const total = st.rateLimitWaitedMs + waitedMs;
  const now = core.pacer.now();
  const details: ApiErrorDetails = { ...plan.op.info, status: 429, headers: {} };
  const what = plan.op.operation ? `${plan.op.operation} (${plan.op.method} ${plan.op.route})` : `${plan.op.method} ${plan.op.route}`;
  return new RateLimitError(
    details,
    now + core.pacer.expectedWait(),
    core.pacer.state().limit,
    0,
    `${what} was not sent: the tenant's rate limit is exhausted and the call would wait more than ` +
      `retry.maxRateLimitWaitMs (${core.retry.maxRateLimitWaitMs} ms; waited ${Math.round(total)} ms). ` +
      'Send fewer calls at once, or raise `retry.maxRateLimitWaitMs`.',
  );
}

/**
 * A 429: wait and go again, without spending the retry budget, as long as the call's total rate-limit wait
 * stays within `retry.maxRateLimitWaitMs` (and each single wait within `retry.maxRetryAfterMs`). Otherwise
 * throw the RateLimitError.
 */
async function rateLimitWait(core: Core, plan: Plan, options: ExecOptions, st: CallState, err: RateLimitError): Promise<void> {
  const { retry, pacer } = core;
  const now = pacer.now();
  const retryAfter = retryAfterAt(err.headers, now);
  let delay: number;
  if (retryAfter !== undefined) {
    // The server's minimum; jitter spreads the calls refused together over the next quarter of it.
    delay = Math.max(0, retryAfter - now);
    if (delay > retry.maxRetryAfterMs) throw err;
    if (retry.jitter) delay += Math.random() * delay * 0.25;
  } else if (retry.pace && pacer.active) {
    // No Retry-After: the pacer (which just saw this 429) decides when it goes.
    delay = 0;
  } else if (err.resetAt !== undefined) {
    // x-ratelimit-reset is when the bucket is full again: spread the retries over that window.
    delay = Math.max(0, err.resetAt - now);
    if (delay > retry.maxRetryAfterMs) throw err;
    if (retry.jitter) delay *= 0.5 + Math.random() * 0.5;
  } else {
    delay = backoff(retry, st.rateLimitRetries);
  }
  delay = Math.round(delay);
  // Every retry counts at least 1 ms, so the loop is bounded even when nothing tells it to wait.
  if (st.rateLimitWaitedMs + Math.max(1, delay) > retry.maxRateLimitWaitMs) throw err;
  st.rateLimitRetries += 1;
  st.rateLimitWaitedMs += Math.max(1, delay);
  core.emit({
    type: 'retry',
    operation: plan.op.operation,
    method: plan.op.method,
    route: plan.op.route,
    attempt: st.attempt,
    reason: 'rate-limit',
    status: 429,
    delayMs: delay,
  });
  if (delay > 0) {
    await core.sleep(delay, options.signal);
    pacer.advance(now + delay);
  }
}

/** Everything but the inline first attempt: 401 re-mint, 429 waits, and p-retry for 5xx/network/timeouts. */
async function resilient(core: Core, plan: Plan, options: ExecOptions, raw: boolean, bodyText: string | undefined, first: Outcome | undefined): Promise<unknown> {
  const { retry } = core;
  const signal = options.signal;
  const st: CallState = { attempt: first ? 1 : 0, reauthed: false, rateLimitRetries: 0, rateLimitWaitedMs: 0, bodyText };
  let pending = first;

  const attemptFn = async (): Promise<unknown> => {
    for (;;) {
      const out = pending ?? (await sendAttempt(core, plan, options, st));
      pending = undefined;
      if (out.error !== undefined) throw out.error;
      const res = out.res as TransportResponse;
      if (res.status < 400) return finish(res, plan, raw);
      if (res.status === 401 && !st.reauthed && out.token) {
        st.reauthed = true;
        core.emit({ type: 'reauth', operation: plan.op.operation, method: plan.op.method, route: plan.op.route });
        await core.tokens.invalidate(out.token);
        continue;
      }
      const err = errorFor(res, plan.op.info, out.token, core.pacer.now());
      if (err instanceof RateLimitError) {
        await rateLimitWait(core, plan, options, st, err);
        continue;
      }
      throw err;
    }
  };

  if (retry.retries === 0) return attemptFn();
  return pRetry(attemptFn, {
    retries: retry.retries,
    // Delays are computed per failure (backoff) and awaited in shouldRetry.
    minTimeout: 0,
    maxTimeout: 0,
    factor: 1,
    randomize: false,
    ...(signal ? { signal } : {}),
    shouldRetry: async ({ error, retriesConsumed }) => {
      if (signal?.aborted) return false;
      const reason = classify(error, plan.op.idempotent);
      if (!reason) return false;
      const delayMs = backoff(retry, retriesConsumed);
      core.emit({
        type: 'retry',
        operation: plan.op.operation,
        method: plan.op.method,
        route: plan.op.route,
        attempt: st.attempt,
        reason: reason.reason,
        ...(reason.status !== undefined ? { status: reason.status } : {}),
        delayMs,
      });
      if (delayMs > 0) {
        const now = core.pacer.now();
        await core.sleep(delayMs, signal);
        core.pacer.advance(now + delayMs);
      }
      return true;
    },
  });
}

/** Retried by p-retry (429 is handled before, never spending the budget). POST/PATCH: never on an ambiguous failure. */
function classify(error: unknown, idempotent: boolean): { reason: 'server-error' | 'network' | 'timeout'; status?: number } | undefined {
  if (!idempotent) return undefined;
  if (error instanceof RateLimitError) return undefined;
  if (error instanceof ManagementApiError && [500, 502, 503, 504].includes(error.status)) return { reason: 'server-error', status: error.status };
  if (error instanceof NetworkError) return { reason: 'network' };
  if (error instanceof TimeoutError) return { reason: 'timeout' };
  return undefined;
}

function backoff(retry: ResolvedRetry, retriesConsumed: number): number {
  const base = Math.min(retry.maxDelayMs, retry.minDelayMs * retry.factor ** retriesConsumed);
  return retry.jitter ? Math.round(base / 2 + (Math.random() * base) / 2) : base;
}
