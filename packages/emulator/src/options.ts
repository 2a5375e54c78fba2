/** `createEmulator` options and their up-front validation. */
import type { Clock } from './clock';
import { EmulatorOptionError } from './errors';
import { validateFault, type FaultRule } from './faults';
import type { QuotaLimits } from './quota';
import { resolveRateLimit, type RateLimitConfig, type RateLimitOption } from './rate-limit';
import type { ClientConfig, SeedData } from './seed';

/**
 * Serves the explorer page (`createExplorer(...).handle`); receives requests under `/explorer` from loopback
 * peers only, with the caller's address (`'in-process'` for the fetch/msw hosts).
 */
export type ExplorerHandler = (request: Request, context?: { peer?: string }) => Response | Promise<Response>;

export interface EmulatorOptions {
  /** Tenant domain, e.g. `dev-tenant.us.auth0.com` (no scheme). Default `emulator.scopebound.test`. */
  domain?: string;
  /** M2M clients to register (their grants are client grants on the Management API or other APIs). */
  clients?: readonly ClientConfig[];
  /** `'demo'` (the documented demo data set), `false` (base tenant only, the default) or your own data. */
  seed?: 'demo' | false | SeedData;
  /** Rate limits: a preset (`'free'`, `'enterprise'`, `'default'`), buckets, or `false` for none. */
  rateLimit?: RateLimitOption;
  /** Fault rules active from the start. */
  faults?: readonly FaultRule[];
  /** Honour the requested `scope` subset on client credentials (real Auth0 grants everything). Default false. */
  narrowScopes?: boolean;
  /** Base clock (epoch ms); the emulator adds a virtual offset the admin API can advance. */
  clock?: Clock;
  /** The tenant API secret for signed-secret (HS256) tokens. Generated when absent. */
  apiSecret?: string;
  /** Access token lifetime in seconds. Default 86400. */
  tokenTtl?: number;
  /** How long a rotated-out signing key still verifies tokens (ms). Default 0 (immediately retired). */
  jwksGraceMs?: number;
  /** Default token quota for every client (per-client `quota` overrides). */
  quota?: QuotaLimits;
  /** Journal size (entries kept). Default 10000. */
  journalLimit?: number;
  /** Handler for `/explorer`: the built-in explorer page by default, your own handler, or `false` for none. */
  explorer?: ExplorerHandler | false;
  /** Load the tenant from this JSON file (when it exists) and save it there on change and on close/exit. */
  stateFile?: string;
}

export interface ResolvedOptions {
  domain: string;
  clients: readonly ClientConfig[];
  seed: 'demo' | false | SeedData;
  rateLimit: RateLimitConfig | false;
  faults: readonly FaultRule[];
  narrowScopes: boolean;
  clock: Clock | undefined;
  apiSecret: string | undefined;
  tokenTtl: number;
  jwksGraceMs: number;
  quota: QuotaLimits | undefined;
  journalLimit: number;
  explorer: ExplorerHandler | undefined;
  stateFile: string | undefined;
}

export const DEFAULT_DOMAIN = 'emulator.scopebound.test';

function checkQuota(q: QuotaLimits | undefined, name: string): void {
  if (q === undefined) return;
  if (typeof q !== 'object' || q === null) throw new EmulatorOptionError(name, 'use {perHour?, perDay?}');
  for (const k of ['perHour', 'perDay'] as const) {
    const v = q[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) throw new EmulatorOptionError(`${name}.${k}`, 'must be a non-negative integer');
  }
}

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new EmulatorOptionError('options', 'pass an options object (or nothing)');
  const domain = options.domain ?? DEFAULT_DOMAIN;
  if (typeof domain !== 'string' || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?$/i.test(domain)) {
    throw new EmulatorOptionError('domain', 'use a bare host name such as "dev-tenant.us.auth0.com" (no scheme, no path)');
  }
  if (options.clients !== undefined && !Array.isArray(options.clients)) throw new EmulatorOptionError('clients', 'must be an array');
  const seed = options.seed ?? false;
  if (seed !== false && seed !== 'demo' && (typeof seed !== 'object' || seed === null || Array.isArray(seed))) {
    throw new EmulatorOptionError('seed', 'use "demo", false, or a seed data object');
  }
  if (options.faults !== undefined) {
    if (!Array.isArray(options.faults)) throw new EmulatorOptionError('faults', 'must be an array of fault rules');
    for (const f of options.faults) validateFault(f);
  }
  if (options.clock !== undefined && typeof options.clock?.now !== 'function') throw new EmulatorOptionError('clock', 'needs a now() method returning epoch milliseconds');
  if (options.apiSecret !== undefined && (typeof options.apiSecret !== 'string' || options.apiSecret.length < 16)) {
    throw new EmulatorOptionError('apiSecret', 'must be a string of at least 16 characters');
  }
  const tokenTtl = options.tokenTtl ?? 86_400;
  if (!Number.isInteger(tokenTtl) || tokenTtl < 1) throw new EmulatorOptionError('tokenTtl', 'must be a positive integer (seconds)');
  const jwksGraceMs = options.jwksGraceMs ?? 0;
  if (!(Number.isFinite(jwksGraceMs) && jwksGraceMs >= 0)) throw new EmulatorOptionError('jwksGraceMs', 'must be a non-negative number of milliseconds');
  checkQuota(options.quota, 'quota');
  for (const [i, c] of (options.clients ?? []).entries()) checkQuota(c?.quota, `clients[${i}].quota`);
  const journalLimit = options.journalLimit ?? 10_000;
  if (!Number.isInteger(journalLimit) || journalLimit < 1) throw new EmulatorOptionError('journalLimit', 'must be a positive integer');
  if (options.explorer !== undefined && options.explorer !== false && typeof options.explorer !== 'function') {
    throw new EmulatorOptionError('explorer', 'must be a function (request) => Response, or false for no explorer');
  }
  if (options.stateFile !== undefined && (typeof options.stateFile !== 'string' || options.stateFile === '')) {
    throw new EmulatorOptionError('stateFile', 'must be a file path (a string)');
  }
  return {
    domain,
    clients: options.clients ?? [],
    seed,
    rateLimit: resolveRateLimit(options.rateLimit),
    faults: options.faults ?? [],
    narrowScopes: options.narrowScopes ?? false,
    clock: options.clock,
    apiSecret: options.apiSecret,
    tokenTtl,
    jwksGraceMs,
    quota: options.quota,
    journalLimit,
    explorer: options.explorer === false ? undefined : options.explorer,
    stateFile: options.stateFile,
  };
}
