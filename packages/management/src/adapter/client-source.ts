/**
 * Where a request's client comes from: one shared client, or one client per tenant (bounded LRU) so token
 * caches never mix tenants. Creating a client mints nothing; the first call does.
 */
import type { ManagementClient } from '../client';
import { createManagementClient } from '../whole-client';
import { InvalidOptionError } from '../errors';
import type { ManagementClientOptions } from '../options';
import { createTenantCache, type TenantCacheStats } from './tenant-cache';
import type { AdapterOptions, TenantConfig } from './types';

export interface ClientSource<Req> {
  /** The client of this request: synchronous for a single client, a promise when a resolver is async. */
  resolve(req: Req): ManagementClient | Promise<ManagementClient>;
  /** Close every client this source created (not a client passed in). */
  close(): Promise<void>;
  /** Tenant clients currently cached (0 in single-client mode). */
  readonly tenants: number;
  /** The tenant cache's counts: live and retiring clients, created and evicted so far (all 0 for a single client). */
  stats(): TenantCacheStats;
}

export interface SourceSettings<Req> {
  readonly userToken: ((req: Req) => string | undefined) | undefined;
  readonly requireAllowScopes: boolean;
}

const CLIENT_METHODS = ['withScopes', 'scopesFor', 'asUser', 'request'] as const;

/** A ManagementClient (or view) rather than an options object. */
export function isManagementClient(value: unknown): value is ManagementClient {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  return CLIENT_METHODS.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}

const OWN_KEYS = ['client', 'tenant', 'maxTenants', 'evictionGraceMs', 'userToken', 'requireAllowScopes'] as const;

export function resolveSettings<Req>(input: AdapterOptions<Req> | ManagementClient): {
  settings: SourceSettings<Req>;
  source: ClientSource<Req>;
} {
  if (isManagementClient(input)) {
    return { settings: { userToken: undefined, requireAllowScopes: false }, source: single(input, false) };
  }
  if (typeof input !== 'object' || input === null) {
    throw new InvalidOptionError('options', 'pass a management client, or options such as { domain, credentials } or { tenant }.');
  }
  const options = input as AdapterOptions<Req>;
  if (options.userToken !== undefined && typeof options.userToken !== 'function') {
    throw new InvalidOptionError('userToken', 'expected a function (req) => string | undefined.');
  }
  if (options.requireAllowScopes !== undefined && typeof options.requireAllowScopes !== 'boolean') {
    throw new InvalidOptionError('requireAllowScopes', 'expected a boolean.');
  }
  const settings: SourceSettings<Req> = { userToken: options.userToken, requireAllowScopes: options.requireAllowScopes ?? false };

  const clientOptions: Record<string, unknown> = { ...options };
  for (const k of OWN_KEYS) delete clientOptions[k];
  const hasConnection = ['domain', 'baseUrl', 'credentials', 'tokens'].some((k) => clientOptions[k] !== undefined);
  const modes = [options.client !== undefined, options.tenant !== undefined, hasConnection].filter(Boolean).length;
  if (modes !== 1) {
    throw new InvalidOptionError(
      options.client !== undefined ? 'client' : 'tenant',
      'pass exactly one of `client` (a management client), `tenant` (a resolver per request) or client options (`domain`/`baseUrl` with `credentials`/`tokens`).',
    );
  }
  if (options.client !== undefined) {
    if (!isManagementClient(options.client)) throw new InvalidOptionError('client', 'expected a client from createManagementClient().');
    if (Object.keys(clientOptions).some((k) => clientOptions[k] !== undefined)) {
      throw new InvalidOptionError('client', `client options (${Object.keys(clientOptions).join(', ')}) do not apply to a client you built; set them on createManagementClient().`);
    }
    return { settings, source: single(options.client, false) };
  }
  if (options.tenant !== undefined) {
    if (typeof options.tenant !== 'function') throw new InvalidOptionError('tenant', 'expected a function (req) => ({ domain | baseUrl, credentials, fetch? }).');
    const maxTenants = options.maxTenants ?? 100;
    if (!Number.isInteger(maxTenants) || maxTenants < 1) throw new InvalidOptionError('maxTenants', `expected a positive integer, got ${String(options.maxTenants)}.`);
    const grace = options.evictionGraceMs ?? 30_000;
    if (typeof grace !== 'number' || !Number.isFinite(grace) || grace < 0) {
      throw new InvalidOptionError('evictionGraceMs', `expected a non-negative number of ms, got ${String(options.evictionGraceMs)}.`);
    }
    for (const k of ['domain', 'baseUrl', 'audience', 'credentials', 'tokens', 'fetch']) {
      if (clientOptions[k] !== undefined) throw new InvalidOptionError(k, 'comes from the `tenant` resolver in multi-tenant mode; return it from tenant(req).');
    }
    return { settings, source: perTenant(options.tenant, clientOptions as ManagementClientOptions, maxTenants, grace) };
  }
  if (options.maxTenants !== undefined || options.evictionGraceMs !== undefined) {
    throw new InvalidOptionError(options.maxTenants !== undefined ? 'maxTenants' : 'evictionGraceMs', 'applies only with a `tenant` resolver.');
  }
  return { settings, source: single(createManagementClient(clientOptions as ManagementClientOptions), true) };
}

function single<Req>(client: ManagementClient, owned: boolean): ClientSource<Req> {
  return {
    resolve: () => client,
    close: async () => {
      if (owned) await client.close();
    },
    tenants: 0,
    stats: () => ({ live: 0, retiring: 0, created: 0, evicted: 0 }),
  };
}

function perTenant<Req>(
  resolver: (req: Req) => TenantConfig | Promise<TenantConfig>,
  shared: ManagementClientOptions,
  maxTenants: number,
  graceMs: number,
): ClientSource<Req> {
  const cache = createTenantCache<ManagementClient>({ maxTenants, graceMs });
  const ids = new WeakMap<object, number>();
  let nextId = 0;
  let closed = false;

  const idOf = (value: object): number => {
    let id = ids.get(value);
    if (id === undefined) ids.set(value, (id = ++nextId));
    return id;
  };

  const clientFor = (config: TenantConfig): ManagementClient => {
    if (closed) throw new InvalidOptionError('tenant', 'the middleware was closed; create a new one.');
    if (typeof config !== 'object' || config === null) {
      throw new InvalidOptionError('tenant', 'the resolver must return { domain | baseUrl, credentials | tokens, fetch? } (throw to refuse a request).');
    }
    return cache.get(keyOf(config, idOf), () =>
      createManagementClient({
        ...shared,
        ...(config.domain !== undefined ? { domain: config.domain } : {}),
        ...(config.baseUrl !== undefined ? { baseUrl: config.baseUrl } : {}),
        ...(config.audience !== undefined ? { audience: config.audience } : {}),
        ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
        ...(config.tokens !== undefined ? { tokens: config.tokens } : {}),
        ...(config.fetch !== undefined ? { fetch: config.fetch } : {}),
      }),
    );
  };

  return {
    resolve(req) {
      const config = resolver(req);
      return isThenable(config) ? Promise.resolve(config).then(clientFor) : clientFor(config);
    },
    async close() {
      closed = true;
      await cache.close();
    },
    get tenants() {
      return cache.stats().live;
    },
    stats: () => cache.stats(),
  };
}

function keyOf(config: TenantConfig, idOf: (v: object) => number): string {
  if (config.key !== undefined) {
    if (typeof config.key !== 'string' || config.key === '') throw new InvalidOptionError('tenant', 'the resolver returned an empty or non-string `key`.');
    return `key:${config.key}`;
  }
  const where = config.domain ?? config.baseUrl;
  if (typeof where !== 'string' || where === '') {
    throw new InvalidOptionError('tenant', 'the resolver must return `domain` or `baseUrl` (and `credentials` or `tokens`).');
  }
  const creds = config.credentials === undefined ? [] : Array.isArray(config.credentials) ? config.credentials : [config.credentials];
  const clientIds = creds.map((c: unknown) => {
    const id = (c as { clientId?: unknown } | null)?.clientId;
    return typeof id === 'string' ? id : typeof c === 'object' && c !== null ? `#${idOf(c)}` : '?';
  });
  const tokens = config.tokens !== undefined && typeof config.tokens === 'object' && config.tokens !== null ? idOf(config.tokens) : 0;
  return JSON.stringify([where.toLowerCase(), config.audience ?? '', clientIds, tokens]);
}

export function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
