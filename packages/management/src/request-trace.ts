/**
 * The `scopebound:management:request` trace of one call: its context (built only when someone subscribes) and
 * what each attempt adds to it. The context names the operation, the route template, the scopes and the counts;
 * never a token, a path with ids, a query string or a body (the traced function resolves to nothing, so the
 * channel's `result` stays empty).
 */
import { CHANNELS, tracingChannel } from '@scopebound/token/diagnostics';
import type { Outcome } from './attempt';
import { API, type Core } from './core';
import type { Plan } from './planner';
import type { CallState } from './retry-policy';

/** What a subscriber of `scopebound:management:request` receives (start … asyncEnd/error of one call). */
export interface ManagementRequestContext {
  readonly operation: string | undefined;
  readonly method: string;
  /** Route template with the API prefix, e.g. `/api/v2/users/{id}` (no ids, no query). */
  readonly route: string;
  /** The API's origin, e.g. `https://example.eu.auth0.com`. */
  readonly origin: string;
  /** `origin` + base path + `route`: the URL without ids or query. */
  readonly urlTemplate: string;
  /** The scope sets that may authorise the call, preferred first (empty with a user's token). */
  readonly alternatives: readonly (readonly string[])[];
  /** True for an `asUser` call (the user's own token; nothing minted). */
  readonly userToken: boolean;
  /** Requests sent so far. */
  attempts: number;
  /** HTTP status of the last response. */
  status?: number;
  /** Scopes of the server token last sent. */
  scopes?: readonly string[];
  /** Retries after 5xx, network errors and timeouts. */
  retries: number;
  /** Retries after a 429. */
  rateLimitRetries: number;
  /** Time spent waiting on the rate limit (429 waits and the pacer), ms. */
  rateLimitWaitMs: number;
  /** True when a 401 made the call re-mint once. */
  reauthenticated: boolean;
  /** Set by the channel when the call fails (a `ScopeboundError`, or the caller's abort reason). */
  error?: unknown;
}

export const requestChannel = tracingChannel<ManagementRequestContext>(CHANNELS.request);

export function requestContext(core: Core, plan: Plan): ManagementRequestContext {
  const { operation, method, route } = plan.op;
  return {
    operation,
    method,
    route,
    origin: core.origin,
    urlTemplate: core.origin + core.apiPrefix.slice(0, -API.length) + route,
    alternatives: plan.need?.alternatives ?? [],
    userToken: plan.userToken !== undefined,
    attempts: 0,
    retries: 0,
    rateLimitRetries: 0,
    rateLimitWaitMs: 0,
    reauthenticated: false,
  };
}

/** Record one attempt's outcome. */
export function noteAttempt(ctx: ManagementRequestContext, out: Outcome): void {
  ctx.attempts += 1;
  if (out.res) ctx.status = out.res.status;
  if (out.token) ctx.scopes = out.token.scopes;
}

/** Record the call's counters (retries, rate-limit waits, re-mint) when it ends. */
export function noteCounters(ctx: ManagementRequestContext, st: CallState): void {
  ctx.retries = st.retries;
  ctx.rateLimitRetries = st.rateLimitRetries;
  ctx.rateLimitWaitMs = Math.round(st.rateLimitWaitedMs);
  ctx.reauthenticated = st.reauthed;
}

/** Run `call` inside the trace; its value is returned to the caller, not put on the context. */
export async function traced<T>(ctx: ManagementRequestContext, call: () => Promise<T>): Promise<T> {
  let value: T | undefined;
  await requestChannel.tracePromise(async () => {
    value = await call();
  }, ctx);
  return value as T;
}
