/**
 * The call loop: one plan from the first attempt to the parsed body. Each attempt's outcome goes to the pure
 * retry policy, which says what happens next (done, re-mint, wait, fail); this loop only carries it out.
 *
 * The first attempt runs inline (token, send, parse in one async function, nothing extra allocated); only a
 * failure, or a pacer that is holding calls, enters the loop. Response headers are never copied unless
 * `withResponse` or an error needs them.
 */
import type { AccessToken } from '@scopebound/token';
import { errorFor } from './api-error';
import { buildRequest, emitRequest, emitResponse, sendAttempt, sendFailure, tokenFor, type Outcome } from './attempt';
import type { Core } from './core';
import { ClientClosedError } from './errors';
import type { ExecOptions, Plan } from './planner';
import { finish } from './response';
import { noteAttempt, noteCounters, requestChannel, requestContext, traced, type ManagementRequestContext } from './request-trace';
import { nextStep, type AttemptOutcome, type CallState, type RetryStep } from './retry-policy';
import type { TransportResponse } from './transport';

/**
 * Send one plan. Resolves to the parsed body, or `{data, status, headers}` when `raw`. Inside a
 * `scopebound:management:request` trace when someone subscribes (nothing is built otherwise).
 */
export function execute(core: Core, plan: Plan, options: ExecOptions, raw: boolean): Promise<unknown> {
  if (!requestChannel.hasSubscribers) return run(core, plan, options, raw, undefined);
  const ctx = requestContext(core, plan);
  return traced(ctx, () => run(core, plan, options, raw, ctx));
}

async function run(core: Core, plan: Plan, options: ExecOptions, raw: boolean, trace: ManagementRequestContext | undefined): Promise<unknown> {
  if (core.closed) throw new ClientClosedError();
  if (core.pacer.active) return resilient(core, plan, options, raw, undefined, trace);
  // Fast path: the first attempt inline.
  const token = plan.userToken === undefined ? await tokenFor(core, plan, options.signal, 1) : undefined;
  const seq = core.pacer.send();
  const started = core.observed ? emitRequest(core, plan, 1, token) : 0;
  let res: TransportResponse;
  try {
    res = await core.transport.send(buildRequest(core, plan, options, plan.userToken ?? (token as AccessToken).value));
  } catch (e) {
    return resilient(core, plan, options, raw, { error: sendFailure(e, plan, options.signal), token }, trace);
  }
  if (core.observed) emitResponse(core, plan, 1, res.status, started);
  core.pacer.observe(seq, res.status, res.headers);
  if (res.status < 400) {
    if (trace) noteAttempt(trace, { res, token });
    return finish(res, plan.op.info, raw);
  }
  return resilient(core, plan, options, raw, { res, token }, trace);
}

function outcomeOf(core: Core, plan: Plan, out: Outcome): AttemptOutcome {
  const minted = out.token !== undefined;
  if (out.error !== undefined) return { status: undefined, error: out.error, minted };
  const res = out.res as TransportResponse;
  return { status: res.status, error: res.status < 400 ? undefined : errorFor(res, plan.op.info, out.token, core.pacer.now()), minted };
}

/** Everything after an inline attempt that did not succeed (or when the pacer holds calls). */
async function resilient(
  core: Core,
  plan: Plan,
  options: ExecOptions,
  raw: boolean,
  first: Outcome | undefined,
  trace: ManagementRequestContext | undefined,
): Promise<unknown> {
  const st: CallState = { attempt: first ? 1 : 0, reauthed: false, retries: 0, rateLimitRetries: 0, rateLimitWaitedMs: 0 };
  if (!trace) return loop(core, plan, options, raw, first, st);
  if (first) noteAttempt(trace, first);
  try {
    return await loop(core, plan, options, raw, first, st, trace);
  } finally {
    noteCounters(trace, st);
  }
}

async function loop(
  core: Core,
  plan: Plan,
  options: ExecOptions,
  raw: boolean,
  first: Outcome | undefined,
  st: CallState,
  trace?: ManagementRequestContext,
): Promise<unknown> {
  const { retry, pacer } = core;
  const idempotent = plan.op.idempotent;
  let out = first;
  for (;;) {
    if (out === undefined) {
      out = await sendAttempt(core, plan, options, st);
      if (trace) noteAttempt(trace, out);
    }
    const config = { retry, idempotent, paced: pacer.active, aborted: options.signal?.aborted === true, now: pacer.now(), random: Math.random };
    const step = nextStep(outcomeOf(core, plan, out), st, config);
    if (step.kind === 'done') return finish(out.res as TransportResponse, plan.op.info, raw);
    if (step.kind === 'fail') throw step.error;
    if (step.kind === 're-authenticate') {
      st.reauthed = true;
      core.emit({ type: 'reauth', operation: plan.op.operation, method: plan.op.method, route: plan.op.route });
      await core.tokens.invalidate(out.token as AccessToken);
    } else {
      await pause(core, plan, options, st, step);
    }
    out = undefined;
  }
}

/** Carry out a `wait` step: count it, report it, sleep (abortable), and tell the pacer time has passed. */
async function pause(core: Core, plan: Plan, options: ExecOptions, st: CallState, step: Extract<RetryStep, { kind: 'wait' }>): Promise<void> {
  const rateLimited = step.reason === 'rate-limit';
  if (rateLimited) {
    st.rateLimitRetries += 1;
    st.rateLimitWaitedMs += Math.max(1, step.ms);
  } else {
    st.retries += 1;
  }
  const { operation, method, route } = plan.op;
  core.emit({
    type: 'retry',
    operation,
    method,
    route,
    attempt: st.attempt,
    reason: step.reason,
    ...(step.status !== undefined ? { status: step.status } : {}),
    delayMs: step.ms,
  });
  if (step.ms > 0) {
    const now = core.pacer.now();
    await core.sleep(step.ms, options.signal);
    core.pacer.advance(now + step.ms);
  }
  if (!rateLimited) options.signal?.throwIfAborted();
}
