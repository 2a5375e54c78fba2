/**
 * Every cache, store, discovery and refresh key, built in one place from sorted copies. Pure: inputs in,
 * string out. A key is `sb1|domain|audience|clientId[|secretFingerprint]|scopes` where `scopes` is the
 * sorted, de-duplicated set joined by spaces, or `*` for a credential's grant-discovery record.
 */
import { scopeKey } from '../scopes';

export const KEY_VERSION = 'sb1';

export interface PartitionParts {
  readonly domain: string;
  readonly audience: string;
  readonly clientId: string;
  /** A self-signed credential's secret fingerprint: tokens signed with another secret live elsewhere. */
  readonly fingerprint?: string | undefined;
}

/** Where one credential's tokens live (per tenant, audience, client and, for self-signed ones, secret). */
export function partitionKey(parts: PartitionParts): string {
  const base = `${KEY_VERSION}|${parts.domain}|${parts.audience}|${parts.clientId}`;
  return parts.fingerprint === undefined ? base : `${base}|${parts.fingerprint}`;
}

/** What every fingerprinted partition of this client starts with (to drop those of a rotated secret). */
export function partitionPrefix(parts: PartitionParts): string {
  return `${partitionKey({ ...parts, fingerprint: undefined })}|`;
}

/**
 * The key of one scope set in a partition: the store key, the single-flight key and the refresh / back-off
 * key. Order and duplicates of `scopes` do not matter (a sorted copy is used; the input is not changed).
 */
export function scopeSetKey(partition: string, scopes: Iterable<string>): string {
  return `${partition}|${scopeKey(scopes)}`;
}

/**
 * Fleet-wide grant discovery: the latest token of a credential whose server granted more than was asked
 * (Auth0 does), i.e. a token carrying the credential's whole grant. A cold process reads it to learn the
 * grant, so a fleet asking for many different scope sets still mints once.
 */
export function discoveryKey(partition: string): string {
  return `${partition}|*`;
}

/** The scope-set part of a key of `partition` (the inverse of `scopeSetKey`; `*` for the discovery key). */
export function scopesPartOf(partition: string, key: string): string {
  return key.slice(partition.length + 1);
}
