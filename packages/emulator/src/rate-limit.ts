/**
 * Token-bucket rate limits, as Auth0 keeps them apart: the Management API's tenant bucket (every /api/v2
 * request), the Authentication API's (the token endpoint, which never draws on the Management API's), and one per
 * endpoint class (the operation name, or `oauth.token`). Every tenant response carries
 * `x-ratelimit-limit/remaining/reset` of the tightest bucket; an empty bucket answers 429 with `Retry-After`.
 */
import type { Clock } from './clock';
import { EmulatorOptionError } from './errors';

export interface BucketSpec {
  /** Bucket size (the burst). */
  burst: number;
  /** Refill rate in requests per second. */
  perSecond: number;
}

export interface RateLimitConfig {
  /** The Management API's tenant-wide bucket (every /api/v2 request). */
  tenant?: BucketSpec | false;
  /** The Authentication API's tenant-wide bucket (`/oauth/token`); apart from `tenant`, as on Auth0. */
  authentication?: BucketSpec | false;
  /** Default bucket for each endpoint class. */
  endpoint?: BucketSpec | false;
  /** Per-class overrides, keyed by operation name (`users.get`) or `oauth.token`. */
  endpoints?: Readonly<Record<string, BucketSpec>>;
}

export type RateLimitOption = RateLimitConfig | 'free' | 'enterprise' | 'default' | false;

export const RATE_LIMIT_PRESETS: Readonly<Record<'free' | 'enterprise' | 'default', RateLimitConfig>> = {
  /** Free plan: Management API 2 requests per second (burst 10); token endpoint 30 per second. */
  free: { tenant: { burst: 10, perSecond: 2 }, authentication: { burst: 30, perSecond: 30 } },
  /** Enterprise: a 50-request burst refilled at 16 per second; token endpoint 100 per second. */
  enterprise: { tenant: { burst: 50, perSecond: 16 }, authentication: { burst: 100, perSecond: 100 } },
  /** Generous defaults for tests and development. */
  default: { tenant: { burst: 1000, perSecond: 1000 }, authentication: { burst: 1000, perSecond: 1000 } },
};

export function resolveRateLimit(option: RateLimitOption | undefined, name = 'rateLimit'): RateLimitConfig | false {
  if (option === false) return false;
  if (option === undefined) return RATE_LIMIT_PRESETS.default;
  if (typeof option === 'string') {
    const preset = RATE_LIMIT_PRESETS[option];
    if (!preset) throw new EmulatorOptionError(name, `unknown preset "${option}"; use free, enterprise, default, false or {tenant, endpoint, endpoints}`);
    return preset;
  }
  const check = (spec: BucketSpec | false | undefined, where: string) => {
    if (spec === undefined || spec === false) return;
    if (!(spec.burst >= 1) || !(spec.perSecond > 0)) {
      throw new EmulatorOptionError(`${name}.${where}`, 'needs burst ≥ 1 and perSecond > 0');
    }
  };
  check(option.tenant, 'tenant');
  check(option.authentication, 'authentication');
  check(option.endpoint, 'endpoint');
  for (const [k, v] of Object.entries(option.endpoints ?? {})) check(v, `endpoints.${k}`);
  return option;
}

interface Bucket {
  tokens: number;
  updated: number;
}

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
  retryAfterSeconds?: number;
}

export interface RateLimiter {
  take(endpointClass: string): RateDecision | undefined;
  configure(config: RateLimitConfig | false): void;
  reset(): void;
}

export function createRateLimiter(clock: Clock, initial: RateLimitConfig | false): RateLimiter {
  let config = initial;
  const buckets = new Map<string, Bucket>();

  function state(key: string, spec: BucketSpec, now: number): Bucket {
    let b = buckets.get(key);
    if (!b) {
      b = { tokens: spec.burst, updated: now };
      buckets.set(key, b);
    }
    const elapsed = Math.max(0, now - b.updated) / 1000;
    b.tokens = Math.min(spec.burst, b.tokens + elapsed * spec.perSecond);
    b.updated = now;
    return b;
  }

  return {
    configure(next) {
      config = next;
      buckets.clear();
    },
    reset() {
      buckets.clear();
    },
    take(endpointClass) {
      if (config === false) return undefined;
      const now = clock.now();
      const specs: [string, BucketSpec][] = [];
      const wide = endpointClass === 'oauth.token' ? config.authentication : config.tenant;
      if (wide) specs.push([endpointClass === 'oauth.token' ? 'authentication' : 'tenant', wide]);
      const ep = config.endpoints?.[endpointClass] ?? (config.endpoint || undefined);
      if (ep) specs.push([`endpoint:${endpointClass}`, ep]);
      if (specs.length === 0) return undefined;
      const states = specs.map(([key, spec]) => ({ spec, bucket: state(key, spec, now) }));
      const blocked = states.find((s) => s.bucket.tokens < 1);
      if (!blocked) for (const s of states) s.bucket.tokens -= 1;
      // Report the tightest bucket (the one that refused, else the one with least headroom).
      const report = blocked ?? states.reduce((a, b) => (b.bucket.tokens / b.spec.burst < a.bucket.tokens / a.spec.burst ? b : a));
      const { spec, bucket } = report;
      const remaining = Math.max(0, Math.floor(bucket.tokens));
      const fullInS = (spec.burst - bucket.tokens) / spec.perSecond;
      const headers: Record<string, string> = {
        'x-ratelimit-limit': String(spec.burst),
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-reset': String(Math.ceil(now / 1000 + fullInS)),
      };
      if (!blocked) return { allowed: true, headers };
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / spec.perSecond));
      return { allowed: false, headers: { ...headers, 'retry-after': String(retryAfterSeconds) }, retryAfterSeconds };
    },
  };
}
