/**
 * What a process tells the fleet's bucket about the responses it saw since its last step, coalesced into one
 * summary (pure): the newest request that reported `remaining` carries the server's word, the rest count.
 */
import type { StepArgs } from './rate-limit-script';

/** Response headers as the management client's transports hand them over. */
export type Headers = Readonly<Record<string, string | string[] | undefined>>;

export interface Observations {
  seq: number;
  limit: number | undefined;
  remaining: number | undefined;
  resetSec: number | undefined;
  accepted: number;
  limited: boolean;
  retryAfterMs: number | undefined;
  unlimited: boolean;
  /** When the request `seq` was sent, by this client's clock (ms; undefined: not known). */
  sentAt: number | undefined;
}

export const noObservations = (): Observations => ({
  seq: 0, limit: undefined, remaining: undefined, resetSec: undefined, accepted: 0, limited: false, retryAfterMs: undefined, unlimited: false, sentAt: undefined,
});

/** A header as a non-negative number, or undefined (missing, repeated, garbage). */
function count(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

/** `Retry-After` as ms (delta seconds only: a date needs a clock the fleet does not share). */
function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const s = count(value);
  return s === undefined || s <= 0 ? undefined : s * 1000;
}

/**
 * Fold one response (its fleet request number, status, headers and when it was sent) into the summary. Mutates
 * and returns `into` (one object per step, no allocation per response).
 */
export function observe(into: Observations, seq: number, status: number, headers: Headers, sentAt?: number): Observations {
  const remaining = count(headers['x-ratelimit-remaining']);
  const limit = count(headers['x-ratelimit-limit']);
  if (status === 429) {
    into.limited = true;
    into.retryAfterMs = retryAfterMs(headers['retry-after']) ?? into.retryAfterMs;
  } else {
    into.accepted += 1;
    if (status < 400 && headers['x-ratelimit-remaining'] === undefined && headers['x-ratelimit-limit'] === undefined) into.unlimited = true;
  }
  // The newest request's word wins (a request the fleet numbered 0 was sent outside it and says nothing of order).
  if (remaining !== undefined && seq > 0 && seq >= into.seq) {
    into.seq = seq;
    into.remaining = remaining;
    into.limit = limit !== undefined && limit > 0 ? limit : into.limit;
    into.resetSec = count(headers['x-ratelimit-reset']);
    into.sentAt = sentAt;
  }
  return into;
}

/** Whether a summary has anything to tell. */
export const hasObservations = (o: Observations): boolean => o.accepted > 0 || o.limited;

/**
 * The script's arguments for one step: this summary plus the slots wanted, and how long ago (at `now`, this
 * client's clock) the request carrying the server's word was sent.
 */
export function stepArgs(o: Observations, want: number, horizonMs: number, ttlMs: number, now?: number): StepArgs {
  const { sentAt, ...rest } = o;
  const ageMs = sentAt === undefined || now === undefined ? undefined : Math.max(0, Math.round(now - sentAt));
  return { ...rest, want, horizonMs, ttlMs, ageMs };
}
