/**
 * The in-process token cache (L1): per partition, one entry per granted scope set. Finds the least
 * privileged usable entry for a need, inserts, forgets revoked tokens, and keeps a version counter that every
 * change bumps (a remembered fast-path hit is valid only while the version it saw is current).
 */
import type { Credential } from '../credential';
import type { AccessToken, StoredToken } from '../types';
import { covers, normalizeScopes, scopeKey } from '../scopes';
import { scopeSetKey } from './keys';
import type { ResolvedProviderOptions } from './options';

export type Alternatives = readonly (readonly string[])[];

export interface Entry {
  readonly token: StoredToken;
  readonly partition: string;
  readonly grantedKey: string;
  readonly grantedSet: ReadonlySet<string>;
  readonly requestedKey: string;
  readonly requested: readonly string[];
  /** scopeSetKey(partition, requested): the single-flight / refresh / back-off key of this entry. */
  readonly refreshKey: string;
  readonly refreshAt: number;
  readonly storeKeys: readonly string[];
  readonly cred: Credential;
  /** The AccessToken handed out for this entry (made once). */
  handle: AccessToken | undefined;
}

export interface L1Cache {
  /** partition → grantedKey → entry */
  readonly buckets: Map<string, Map<string, Entry>>;
  /** token → forget the revocation after (epoch ms) */
  readonly revoked: Map<string, number>;
  /** Bumped on every change of the cache or of a credential's known grants (invalidates fast paths). */
  version: number;
}

export function createL1Cache(): L1Cache {
  return { buckets: new Map(), revoked: new Map(), version: 0 };
}

/** Valid at `at` with its margin (see `marginFor`) to spare, and not revoked. */
export function usable(cache: L1Cache, token: StoredToken, at: number, leeway: number): boolean {
  return at < token.expiresAt - marginFor(token, leeway) && !cache.revoked.has(token.accessToken);
}

/** Short-lived tokens keep at least this much of the margin (or all of it when it is smaller). */
const SHORT_MARGIN_FLOOR_MS = 1_000;

/**
 * The margin before expiry a token is no longer served within: the whole `leeway` (skew + send margin), or,
 * for a token living less than 4× that, a quarter of its life but never less than min(leeway, 1 s): served
 * for ~3/4 of its life and refreshed at half-life, instead of being unusable from the start.
 */
export function marginFor(token: Pick<StoredToken, 'expiresAt' | 'mintedAt'>, leeway: number): number {
  const lifetime = token.expiresAt - token.mintedAt;
  return Math.min(leeway, Math.max(lifetime / 4, Math.min(leeway, SHORT_MARGIN_FLOOR_MS)));
}

/** True when the token may serve one of `alts` ('exact': only a token minted for, or granted, exactly it). */
export function satisfies(
  entry: { token: StoredToken; requestedKey?: string; grantedSet?: ReadonlySet<string> },
  alts: Alternatives,
  reuse: 'covering' | 'exact',
): boolean {
  const granted = entry.grantedSet ?? new Set(entry.token.scopes);
  return alts.some((alt) =>
    reuse === 'exact'
      ? (scopeKey(alt) === scopeKey(entry.token.scopes) || scopeKey(alt) === entry.requestedKey) && covers(granted, alt)
      : covers(granted, alt),
  );
}

/** The least privileged usable cached token that satisfies one alternative (expired ones are dropped). */
export function findL1(cache: L1Cache, opts: ResolvedProviderOptions, partition: string, alts: Alternatives, at: number): Entry | undefined {
  const bucket = cache.buckets.get(partition);
  if (!bucket) return undefined;
  let best: Entry | undefined;
  for (const [key, entry] of bucket) {
    if (at >= entry.token.expiresAt || cache.revoked.has(entry.token.accessToken)) {
      bucket.delete(key);
      cache.version++;
      continue;
    }
    if (!usable(cache, entry.token, at, opts.leeway) || !satisfies(entry, alts, opts.reuse)) continue;
    if (
      !best ||
      entry.token.scopes.length < best.token.scopes.length ||
      (entry.token.scopes.length === best.token.scopes.length && entry.token.expiresAt > best.token.expiresAt)
    ) {
      best = entry;
    }
  }
  return best;
}

/** Cache `token` (minted for `requested`, stored under `storeKeys`), with its jittered refresh point. */
export function insertL1(
  cache: L1Cache,
  opts: ResolvedProviderOptions,
  cred: Credential,
  partition: string,
  token: StoredToken,
  requested: readonly string[],
  storeKeys: readonly string[],
): Entry {
  const lifetime = token.expiresAt - token.mintedAt;
  const ahead = opts.refreshAhead * (1 + opts.refreshJitter * opts.random());
  const refreshAt = Math.max(token.expiresAt - ahead, token.mintedAt + lifetime / 2);
  const normalized = normalizeScopes(requested);
  const entry: Entry = {
    token,
    partition,
    grantedKey: scopeKey(token.scopes),
    grantedSet: new Set(token.scopes),
    requestedKey: normalized.join(' '),
    requested: normalized,
    refreshKey: scopeSetKey(partition, normalized),
    refreshAt,
    storeKeys,
    cred,
    handle: undefined,
  };
  let bucket = cache.buckets.get(partition);
  if (!bucket) cache.buckets.set(partition, (bucket = new Map()));
  bucket.set(entry.grantedKey, entry);
  cache.version++;
  // Forget revocations of tokens that have expired anyway.
  const t = opts.now();
  for (const [value, until] of cache.revoked) if (t >= until) cache.revoked.delete(value);
  return entry;
}

/** Drop every entry of a partition (the tokens of a rotated secret). */
export function dropPartition(cache: L1Cache, partition: string): void {
  cache.buckets.delete(partition);
  cache.version++;
}

/**
 * Revoke a token: drop its entries and remember it as revoked (so a store copy is not served either) until
 * it expires, or for a day when this process never cached it. Returns the store keys it was cached under.
 */
export function revokeToken(cache: L1Cache, value: string, at: number): Set<string> {
  let until = at + 24 * 3600 * 1000;
  const keys = new Set<string>();
  for (const bucket of cache.buckets.values()) {
    for (const [key, entry] of bucket) {
      if (entry.token.accessToken !== value) continue;
      until = Math.max(entry.token.expiresAt, at);
      for (const k of entry.storeKeys) keys.add(k);
      bucket.delete(key);
    }
  }
  cache.version++;
  cache.revoked.set(value, until);
  return keys;
}
