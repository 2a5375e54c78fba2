/**
 * `redisRateLimiter({ client, prefix? })`: one Management API rate limit for a whole fleet. Passed as
 * `createManagementClient({ rateLimiter })` (or an adapter's options), it gives every client a pacer on its
 * tenant's bucket in Redis (fleet-pacer.ts); when Redis is slow or down, clients pace locally, the outage is
 * logged once, and they rejoin the fleet when Redis answers again.
 */
import { localRateLimiter, type RateLimiter } from '@scopebound/management';
import { consoleLogger } from '@scopebound/token';
import { adaptClient } from './client-adapter';
import { createCommandRunner } from './command-runner';
import { RedisRateLimiterOptionError } from './errors';
import { fleetPacer } from './fleet-pacer';
import { rateLimitKey } from './keys';
import { logLine, type RedisStoreLogger } from './store-events';

export interface RedisRateLimiterOptions {
  /** A connected node-redis v5 (`createClient()`) or ioredis v5 (`new Redis()`) client; never closed by the limiter. */
  readonly client: unknown;
  /** Key prefix (default `scopebound:`); a tenant's bucket is `${prefix}ratelimit:{<hash>}`. */
  readonly prefix?: string;
  /** Longest a Redis step may take before the client paces locally (ms, default 500, as the store). */
  readonly commandTimeoutMs?: number;
  /** How far ahead a slot may be reserved (ms, default 100): a short horizon keeps the fleet close to the server's word. */
  readonly horizonMs?: number;
  /** While Redis is down, how often a client tries it again (ms, default 1000). */
  readonly probeMs?: number;
  /** Outages (once each) and recoveries are logged here. Default `console`; `false` to silence. */
  readonly logger?: RedisStoreLogger | false;
}

const BATCH = 16;
/** A tenant's bucket outlives 10 idle minutes only if someone uses it. */
const TTL_MS = 600_000;

function ms(options: RedisRateLimiterOptions, name: 'commandTimeoutMs' | 'horizonMs' | 'probeMs', fallback: number, min: number): number {
  const v = options[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > 600_000) {
    throw new RedisRateLimiterOptionError(name, `must be a number of milliseconds between ${min} and 600000, got ${String(v)}.`);
  }
  return v;
}

/** The limiter's only log lines: one when Redis fails, one when it is back (reroute them here). */
export function logOutage(logger: RedisStoreLogger | false, event: { type: 'unavailable'; message: string } | { type: 'recovered'; downForMs: number }): void {
  if (event.type === 'unavailable') {
    logLine(logger, 'warn', `[@scopebound/redis] rate limiter: ${event.message.split('. ')[0]}. Each process paces on its own until Redis answers again.`, { event: 'rate_limiter_unavailable' });
  } else {
    logLine(logger, 'info', `[@scopebound/redis] rate limiter: Redis is back after ${event.downForMs} ms; the fleet shares one rate limit again.`, { event: 'rate_limiter_recovered', downForMs: event.downForMs });
  }
}

export function redisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  if (typeof options !== 'object' || options === null) throw new RedisRateLimiterOptionError('options', 'must be an object such as { client }.');
  const adapter = adaptClient(options.client);
  const prefix = options.prefix ?? 'scopebound:';
  if (typeof prefix !== 'string' || prefix.length === 0 || prefix.length > 200) {
    throw new RedisRateLimiterOptionError('prefix', 'must be a non-empty string of at most 200 characters, e.g. "myapp:scopebound:".');
  }
  const commandTimeoutMs = ms(options, 'commandTimeoutMs', 500, 1);
  const horizonMs = ms(options, 'horizonMs', 100, 0);
  const probeMs = ms(options, 'probeMs', 1_000, 1);
  const logger = options.logger === undefined ? consoleLogger : options.logger;
  if (logger !== false && (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function')) {
    throw new RedisRateLimiterOptionError('logger', 'must be a pino-compatible logger (`warn(fields, message)`), an object with a `warn(message)` method, or `false`.');
  }
  // One runner for every tenant of this limiter: an outage is one outage, logged once.
  const { run } = createCommandRunner({
    adapter,
    commandTimeoutMs,
    reporter: { emit: (event) => (event.type === 'unavailable' || event.type === 'recovered' ? logOutage(logger, event) : undefined), log: () => {} },
    isClosed: () => false,
  });
  const local = localRateLimiter();
  return {
    pacer: (context) =>
      fleetPacer({
        context,
        local: () => local.pacer(context),
        run,
        evalScript: (script, keys, args, signal) => adapter.eval(script, keys, args, signal),
        key: rateLimitKey(prefix, context.tenant),
        horizonMs,
        batch: BATCH,
        ttlMs: TTL_MS,
        probeMs,
      }),
  };
}
