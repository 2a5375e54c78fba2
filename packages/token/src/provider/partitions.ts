/**
 * Which cache partition a credential's tokens live in. A network credential has one for good; a
 * self-signed one has one per secret, so a rotated secret drops every token signed with the old one.
 */
import type { Credential, CredentialInternal } from '../credential';
import type { Endpoint } from '../endpoint-options';
import { partitionKey, partitionPrefix } from './keys';
import { dropPartition, type L1Cache } from './l1-cache';

export interface Partitions {
  /** partition → the credential whose tokens it holds */
  readonly owners: Map<string, Credential>;
  /** A network credential's partition, built once. */
  readonly fixed: Map<Credential, string>;
}

export function createPartitions(): Partitions {
  return { owners: new Map(), fixed: new Map() };
}

/** The partition of a network credential (synchronous, memoised: the fast path of every lookup). */
export function fixedPartition(partitions: Partitions, endpoint: Endpoint, cred: Credential): string {
  const known = partitions.fixed.get(cred);
  if (known !== undefined) return known;
  const p = partitionKey({ domain: endpoint.domain, audience: endpoint.audience, clientId: cred.clientId });
  if (!partitions.owners.has(p)) partitions.owners.set(p, cred);
  partitions.fixed.set(cred, p);
  return p;
}

/** The partition of a self-signed credential's current secret; those of its earlier secrets are dropped. */
export async function signedPartition(
  partitions: Partitions,
  l1: L1Cache,
  endpoint: Endpoint,
  cred: Credential,
  internal: Extract<CredentialInternal, { type: 'self-signed' }>,
): Promise<string> {
  const parts = { domain: endpoint.domain, audience: endpoint.audience, clientId: cred.clientId };
  const p = partitionKey({ ...parts, fingerprint: await internal.fingerprint() });
  const prefix = partitionPrefix(parts);
  for (const [other, owner] of partitions.owners) {
    if (owner === cred && other !== p && other.startsWith(prefix)) {
      dropPartition(l1, other);
      partitions.owners.delete(other);
    }
  }
  partitions.owners.set(p, cred);
  return p;
}
