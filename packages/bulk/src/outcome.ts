/** The pure decision of what the runner does with a call the client gave up on: retry it later or report it. */

export type FailureDecision =
  | { kind: 'retry'; delayMs: number }
  | { kind: 'fail'; code: string; message: string; status?: number; ambiguous?: boolean };

export interface FailureInput {
  readonly error: unknown;
  /** The operation may be sent twice without changing the result (the table's `idempotent`). */
  readonly idempotent: boolean;
  /** Attempts the runner has made so far (1 after the first). */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Epoch ms now (from the runner's clock). */
  readonly now: number;
}

const AMBIGUOUS = new Set(['ERR_TIMEOUT', 'ERR_NETWORK', 'ERR_BULK_CALL_DEADLINE']);

/**
 * - Rate limited past the client's own wait (`ERR_RATE_LIMITED`): nothing was applied, so retry after the
 *   bucket's reset, whatever the method, until `maxAttempts`.
 * - 5xx, timeouts, network failures, the runner's own per-call deadline: the client already retried idempotent calls; the runner retries them a
 *   few more times with backoff. A non-idempotent one may have been applied: it is reported as `ambiguous`.
 * - Anything else (4xx, scope refusals, bad input): retrying cannot fix it; reported.
 */
export function decideFailure({ error, idempotent, attempt, maxAttempts, now }: FailureInput): FailureDecision {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; status?: unknown; resetAt?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'ERR_UNKNOWN';
  const status = typeof e.status === 'number' ? e.status : undefined;
  const message = (typeof e.message === 'string' ? e.message : String(error)).split('\n')[0]!.slice(0, 500);
  const base = { kind: 'fail' as const, code, message, ...(status !== undefined ? { status } : {}) };
  const canRetry = attempt < maxAttempts;
  if (code === 'ERR_RATE_LIMITED') {
    if (!canRetry) return base;
    const reset = typeof e.resetAt === 'number' ? e.resetAt - now : 1_000;
    return { kind: 'retry', delayMs: Math.min(60_000, Math.max(250, reset)) };
  }
  const transient = AMBIGUOUS.has(code) || (status !== undefined && status >= 500);
  if (!transient) return base;
  if (!idempotent) return { ...base, ambiguous: true };
  if (!canRetry) return base;
  return { kind: 'retry', delayMs: Math.min(10_000, 500 * 2 ** (attempt - 1)) };
}
