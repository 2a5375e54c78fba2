/**
 * `createTokenProvider()`: wires the provider's modules together and exposes getToken / invalidate / on /
 * settle / endpoint.
 *
 * getToken(need) looks, in order, for a valid token covering the need in the per-process cache (L1), then in
 * the store (L2), then mints one. Every mint is single-flight per (tenant, audience, client, requested scope
 * set); the first mint of a credential is a probe the others wait for, so an Auth0-faithful tenant (which
 * grants every scope of the application whatever is asked) is asked once. Tokens are cached under the scopes
 * actually granted. A token close to expiry is refreshed in the background while it is still served; an
 * expired token is never served; a failing endpoint leaves a still-valid token in service.
 */
import { createAccessToken } from '../access-token';
import type { Endpoint } from '../endpoint-options';
import { AbortedError, InvalidOptionError } from '../errors';
import { jwtScopeClaim } from '../http/jwt-payload';
import { isScopeNeed, type ScopeNeed } from '../scope-need';
import { needForArrays } from './array-needs';
import { normalizeScopes, type ScopeName } from '../scopes';
import type { AccessToken, GetTokenOptions, TokenSource } from '../types';
import { subscribe, type Listener, type TokenEvent, type TokenEventType } from './events';
import { fastHit } from './fast-path';
import { scopeSetKey } from './keys';
import { revokeToken } from './l1-cache';
import { resolveProviderOptions, type TokenProviderOptions } from './options';
import { resolveNeed } from './resolve';
import { createProviderState, type ProviderState } from './state';
import { quietly } from './store-io';

export type { TokenEvent, TokenEventType } from './events';
export type { TokenProviderOptions } from './options';

export interface TokenProvider extends TokenSource {
  /** A `ScopeNeed` is used as is; the `(required, { anyOf })` array form builds one per call. */
  getToken(need: ScopeNeed | readonly ScopeName[], options?: GetTokenOptions): Promise<AccessToken>;
  /** Drop a token from the in-process cache and the store (after a 401 or a revocation). */
  invalidate(token: string | AccessToken): Promise<void>;
  /** Subscribe to one event type (or '*'); returns an unsubscribe function. */
  on<T extends TokenEventType | '*'>(
    type: T,
    listener: (event: T extends '*' ? TokenEvent : Extract<TokenEvent, { type: T }>) => void,
  ): () => void;
  /** Resolves when every background refresh has finished (for tests and graceful shutdown). */
  settle(): Promise<void>;
  /** The tenant domain, audience and token URL in use. */
  readonly endpoint: Readonly<Endpoint>;
}

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const s = createProviderState(resolveProviderOptions(options));
  const provider: TokenProvider = {
    endpoint: s.opts.endpoint,
    getToken(need, getOptions) {
      try {
        const signal = getOptions?.signal;
        if (signal?.aborted) throw new AbortedError();
        const n = isScopeNeed(need) ? need : needForArrays(s.arrayNeeds, need, getOptions?.anyOf, s.opts.unknownScopes);
        const hit = fastHit(s, n);
        if (hit !== undefined) return Promise.resolve((hit.handle ??= createAccessToken(hit.token)));
        return slowGetToken(s, n, true, signal);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    invalidate: (token) => invalidate(s, token),
    on: (type, listener) => subscribe(s.events, type, listener as Listener),
    async settle() {
      const { refreshes } = s.refresh;
      for (let i = 0; i < 100 && (refreshes.size > 0 || s.flights.size > 0); i++) {
        await Promise.allSettled([...refreshes.values(), ...s.flights.values()]);
      }
    },
  };
  return Object.freeze(provider);
}

function slowGetToken(s: ProviderState, need: ScopeNeed, remember: boolean, signal: AbortSignal | undefined): Promise<AccessToken> {
  const work = resolveNeed(s, need, remember).then((entry) => (entry.handle ??= createAccessToken(entry.token)));
  if (!signal) return work;
  return new Promise<AccessToken>((resolvePromise, reject) => {
    const onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolvePromise(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

async function invalidate(s: ProviderState, token: string | AccessToken): Promise<void> {
  const value = typeof token === 'string' ? token : token?.value;
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidOptionError('token', 'pass the token string or the AccessToken to invalidate');
  }
  const keys = revokeToken(s.l1, value, s.opts.now());
  // A token this process never cached (another process minted it): its scope claim names its key.
  const claim = jwtScopeClaim(value);
  if (claim !== undefined) {
    for (const partition of s.partitions.owners.keys()) keys.add(scopeSetKey(partition, normalizeScopes(claim)));
  }
  const cred = s.opts.creds[0]!;
  await Promise.all(Array.from(keys, (key) => quietly(s, cred, [], () => s.opts.store.delete(key))));
}
