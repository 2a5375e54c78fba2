import { createHash } from 'node:crypto';

/**
 * Redis key layout. The provider's key (which may name a client id and scopes) is hashed, so no key,
 * channel or message ever contains it:
 *   `${prefix}token:${h}`  the stored value (JSON envelope, encrypted when a key is set), PX = ttl
 *   `${prefix}lease:${h}`  the mint lease (a random owner id), PX = lease duration
 *   `${prefix}notify`      pub/sub channel; each message is an `h` that was just set (or whose lease was released)
 *   `${prefix}ratelimit:{${t}}`  the fleet's rate-limit bucket of one tenant (a hash; `t` = SHA-256 of the
 *                          tenant's origin; the `{…}` hash tag keeps a tenant's keys in one cluster slot)
 */
export interface KeyLayout {
  readonly channel: string;
  hash(key: string): string;
  token(hash: string): string;
  lease(hash: string): string;
}

export function keyLayout(prefix: string): KeyLayout {
  return {
    channel: `${prefix}notify`,
    hash: (key) => createHash('sha256').update(key, 'utf8').digest('base64url'),
    token: (hash) => `${prefix}token:${hash}`,
    lease: (hash) => `${prefix}lease:${hash}`,
  };
}

/** The fleet-wide rate-limit bucket of one tenant (its API origin + base path, hashed). */
export function rateLimitKey(prefix: string, tenant: string): string {
  return `${prefix}ratelimit:{${createHash('sha256').update(tenant, 'utf8').digest('base64url')}}`;
}
