/** Types shared by the Express and Koa adapters. Structural: no framework type is imported. */
import type { ManagementClient } from '../client';
import type { ManagementClientOptions } from '../options';
import type { FetchLike } from '../transport';
import type { TokenSource } from '@scopebound/token';

/**
 * What `req.auth0` / `ctx.auth0` is: the shared client narrowed to the route's allow-list, built on first
 * access. `asUser()` without an argument uses the request's own bearer token.
 */
export type Auth0View = ManagementClient & {
  /**
   * A view that calls with a user's access token (current_user operations). Without an argument it uses the
   * request's `Authorization: Bearer …` token (or the adapter's `userToken` option); nothing is minted.
   */
  asUser(userAccessToken?: string): ManagementClient;
};

/** Where one tenant lives and how to authenticate to it. Returned by the `tenant(req)` resolver. */
export interface TenantConfig {
  /** Tenant hostname, e.g. `acme.eu.auth0.com`. */
  domain?: string | undefined;
  /** Full origin instead of `domain` (an emulator, a proxy). */
  baseUrl?: string | undefined;
  /** Token audience (default `https://{domain}/api/v2/`). */
  audience?: string | undefined;
  /** One credential or a pool (`clientSecret(...)`, `privateKeyJwt(...)`, …). */
  credentials?: unknown | undefined;
  /** A token source of this tenant instead of `credentials`. */
  tokens?: TokenSource | undefined;
  /** A fetch-compatible function for this tenant (the emulator's in-process fetch, msw, …). */
  fetch?: FetchLike | typeof globalThis.fetch | undefined;
  /**
   * Cache key of this tenant's client. Default: domain/baseUrl + audience + the credentials' client ids
   * (+ the identity of `tokens`). Give one when two tenants would otherwise share those.
   */
  key?: string | undefined;
}

/** Client options every tenant client shares (everything but where the tenant is and how to authenticate). */
export type SharedClientOptions = Omit<ManagementClientOptions, 'domain' | 'baseUrl' | 'audience' | 'credentials' | 'tokens' | 'fetch'>;

/** Options of `scopebound(...)`. Exactly one of: `client`, `tenant`, or client options (`domain`/`baseUrl` + `credentials`/`tokens`). */
export interface AdapterOptions<Req> extends ManagementClientOptions {
  /** A client you built (and close) yourself. */
  client?: ManagementClient | undefined;
  /** Multi-tenant apps: pick the tenant of a request. Throw (or reject) to refuse the request. */
  tenant?: ((req: Req) => TenantConfig | Promise<TenantConfig>) | undefined;
  /** Most tenant clients kept at once (least recently used ones are closed). Default 100. */
  maxTenants?: number | undefined;
  /** How long an evicted tenant client stays open for calls still in flight (ms). Default 30 000. */
  evictionGraceMs?: number | undefined;
  /** Where `auth0.asUser()` finds the user's access token. Default: the `Authorization: Bearer` header. */
  userToken?: (req: Req) => string | undefined;
  /**
   * When true, a route without `allowScopes(...)` gets a view that may use no scope at all, so every route
   * must declare what it calls. Default false (the client's own allow-list applies).
   */
  requireAllowScopes?: boolean | undefined;
}
