/**
 * The `RateLimiter` seam: what a client calls once, with its clock, sleep and tenant identity, to get the `Pacer`
 * its call loop talks to. `localRateLimiter()` is today's in-process pacer; `redisRateLimiter()` from
 * `@scopebound/redis` shares one bucket per tenant across a fleet and falls back to this local one.
 */
import { InvalidOptionError } from './errors';
import { createPacer, type Pacer } from './pacer';

export interface RateLimiterContext {
  /** Epoch-ms clock of the client (injectable in tests). */
  readonly clock: () => number;
  /** How the client waits (injectable in tests). */
  readonly sleep: (ms: number) => Promise<void>;
  /** False: `retry.pace: false`; a limiter then never holds a call. */
  readonly enabled: boolean;
  /** The tenant the bucket belongs to: the API origin plus base path, e.g. `https://example.eu.auth0.com`. */
  readonly tenant: string;
}

/** Builds the pacer of one client (a multi-tenant adapter builds one client, hence one pacer, per tenant). */
export interface RateLimiter {
  pacer(context: RateLimiterContext): Pacer;
}

/** The in-process limiter: each client paces on its own, from the rate-limit headers it sees (the default). */
export function localRateLimiter(): RateLimiter {
  return { pacer: ({ clock, sleep, enabled }) => createPacer({ clock, sleep, enabled }) };
}

/** Validation of the `rateLimiter` option (at construction, naming the option). */
export function validateRateLimiter(value: unknown): RateLimiter | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || typeof (value as Partial<RateLimiter>).pacer !== 'function') {
    throw new InvalidOptionError('rateLimiter', 'expected a RateLimiter such as localRateLimiter() or redisRateLimiter({ client }) from @scopebound/redis.');
  }
  return value as RateLimiter;
}
