/**
 * The contracts of @scopebound/token, shared with @scopebound/management (the caller) and @scopebound/redis
 * (a store). Keep these names stable: they are the product's public API.
 */

import type { ScopeNeed } from './scope-need';
import type { ScopeName } from './scopes';

/** What a store keeps for one token. Values are plain JSON so any store can serialise them. */
export interface StoredToken {
  /** The bearer token itself. Never log it. */
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** The scopes the token was actually granted (response `scope`, else the JWT's `scope` claim), sorted. */
  readonly scopes: readonly string[];
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** Epoch milliseconds. */
  readonly mintedAt: number;
  /** The credential's client id (or a stable id for signed-secret credentials). */
  readonly clientId: string;
  /**
   * Set on the provider's per-credential discovery record: true when the server granted more than was asked
   * (as Auth0 does), so `scopes` is the credential's whole grant and other processes may learn it.
   */
  readonly grantComplete?: boolean | undefined;
}

/** A lease gives one holder the right to mint a key fleet-wide until it is released or expires. */
export interface Lease {
  release(): Promise<void>;
}

/**
 * The L2 store. Every method may reject (a store that is down); the provider then falls back to its
 * in-process cache and local minting. `lease` is optional: without it single-flight is per process.
 */
export interface TokenStore {
  get(key: string): Promise<StoredToken | undefined>;
  set(key: string, value: StoredToken, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Resolves to a Lease when acquired, or `undefined` when another holder has it. */
  lease?(key: string, ttlMs: number): Promise<Lease | undefined>;
  /** Optional: resolves when `key` is set (or after timeoutMs) so waiters need not poll. */
  waitFor?(key: string, timeoutMs: number): Promise<StoredToken | undefined>;
}

/** A token handed to a caller. `util.inspect`, `JSON.stringify` and `String()` never reveal `value`. */
export interface AccessToken {
  /** The bearer token. */
  readonly value: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  readonly clientId: string;
}

export interface GetTokenOptions {
  /**
   * Alternatives, each a set of scopes that together authorise the call (the operation's any-of rule).
   * When given, `required` is the preferred alternative and a cached token covering any alternative is reused.
   */
  anyOf?: readonly (readonly string[])[] | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The interface @scopebound/management consumes (`tokens` option). The client passes a validated
 * `ScopeNeed` (alternatives in preference order); the `(required, { anyOf })` array form is a convenience.
 */
export interface TokenSource {
  getToken(need: ScopeNeed | readonly ScopeName[], options?: GetTokenOptions): Promise<AccessToken>;
  invalidate(token: string | AccessToken): Promise<void>;
}
