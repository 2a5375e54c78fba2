/**
 * One attempt of a call: wait for the pacer, take a token, send, observe the response. Also the pieces the
 * inline first attempt of `execute` uses (token, request, events), so both send the same way.
 */
import type { AccessToken } from '@scopebound/token';
import type { Core } from './core';
import { ClientClosedError, ManagementError, NetworkError, RateLimitError, type ApiErrorDetails } from './errors';
import type { ExecOptions, Plan } from './planner';
import type { CallState } from './retry-policy';
import type { TransportRequest, TransportResponse } from './transport';

/** What one attempt ended with: a response, or the error of a send that threw. */
export interface Outcome {
  readonly res?: TransportResponse;
  readonly error?: unknown;
  readonly token: AccessToken | undefined;
}

export function buildRequest(core: Core, plan: Plan, options: ExecOptions, bearer: string): TransportRequest {
  const { bodyText } = plan;
  let cached = core.headers;
  if (cached === undefined || cached.bearer !== bearer) {
    const authorization = `Bearer ${bearer}`;
    cached = core.headers = {
      bearer,
      plain: Object.freeze({ authorization, accept: 'application/json' }),
      json: Object.freeze({ authorization, accept: 'application/json', 'content-type': 'application/json' }),
    };
  }
  return {
    method: plan.op.method,
    origin: core.origin,
    path: core.apiPrefix + plan.path,
    headers: bodyText === undefined ? cached.plain : cached.json,
    body: bodyText,
    signal: options.signal,
    timeoutMs: options.timeout ?? core.timeout,
    maxBytes: core.maxBytes,
    info: plan.op.info,
  };
}

/** The server token of a plan (a plan with a user's token has no need); the first attempt's is recorded for usage. */
export function tokenFor(core: Core, plan: Plan, signal: AbortSignal | undefined, attempt: number): Promise<AccessToken> {
  const need = plan.need as NonNullable<Plan['need']>;
  const token = core.tokens.getToken(need, signal ? { signal } : NO_OPTIONS);
  if (core.usage === undefined || attempt !== 1) return token;
  const usage = core.usage;
  return token.then((t) => {
    const { operation, method, route } = plan.op;
    usage.record({ operation, route: `${method} ${route}`, alternatives: need.alternatives, label: plan.label, clientId: t.clientId, granted: t.scopes });
    return t;
  });
}

const NO_OPTIONS = Object.freeze({});

/** A send that threw: the caller's abort as is, our own errors as is, anything else a NetworkError. */
export function sendFailure(e: unknown, plan: Plan, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) throw signal.reason;
  return e instanceof ManagementError ? e : new NetworkError(plan.op.info, e);
}

export function emitRequest(core: Core, plan: Plan, attempt: number, token: AccessToken | undefined): number {
  const { operation, method, route } = plan.op;
  core.emit({ type: 'request', operation, method, route, attempt, scopes: token?.scopes ?? [] });
  return core.clock();
}

export function emitResponse(core: Core, plan: Plan, attempt: number, status: number, started: number): void {
  const { operation, method, route } = plan.op;
  core.emit({ type: 'response', operation, method, route, attempt, status, durationMs: core.clock() - started });
}

/** Wait for the pacer (within what is left of the call's rate-limit budget), counting the wait. */
async function paced(core: Core, plan: Plan, options: ExecOptions, st: CallState): Promise<void> {
  const { pacer, retry } = core;
  const budget = retry.maxRateLimitWaitMs - st.rateLimitWaitedMs;
  const expected = core.observed ? pacer.expectedWait() : 0;
  const wait = pacer.acquire(budget, options.signal, st.rateLimitRetries > 0, (waited) => pacerExpired(core, plan, st, waited));
  if (typeof wait === 'number') return;
  if (core.observed) {
    const { operation, method, route } = plan.op;
    core.emit({ type: 'pace', operation, method, route, delayMs: Math.round(expected), queued: pacer.state().queued });
  }
  st.rateLimitWaitedMs += await wait;
}

/** One attempt of the resilient path. */
export async function sendAttempt(core: Core, plan: Plan, options: ExecOptions, st: CallState): Promise<Outcome> {
  if (core.closed) throw new ClientClosedError();
  const { pacer } = core;
  if (pacer.active) await paced(core, plan, options, st);
  let token: AccessToken | undefined;
  try {
    token = plan.userToken === undefined ? await tokenFor(core, plan, options.signal, st.attempt + 1) : undefined;
  } catch (e) {
    pacer.cancel();
    throw e;
  }
  st.attempt += 1;
  const seq = pacer.send();
  const started = core.observed ? emitRequest(core, plan, st.attempt, token) : 0;
  let res: TransportResponse;
  try {
    res = await core.transport.send(buildRequest(core, plan, options, plan.userToken ?? (token as AccessToken).value));
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
