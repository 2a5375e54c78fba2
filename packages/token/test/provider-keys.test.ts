/** The pure key builders of the provider (src/provider/keys.ts). */
import { describe, expect, it } from 'vitest';
import { discoveryKey, partitionKey, partitionPrefix, scopeSetKey, scopesPartOf } from '../src/provider/keys';

const parts = { domain: 'tenant.test.auth0.com', audience: 'https://tenant.test.auth0.com/api/v2/', clientId: 'app-1' };
const BASE = 'sb1|tenant.test.auth0.com|https://tenant.test.auth0.com/api/v2/|app-1';

describe('provider keys', () => {
  it('a partition is per tenant, audience and client, and per secret fingerprint when there is one', () => {
    expect(partitionKey(parts)).toBe(BASE);
    expect(partitionKey({ ...parts, fingerprint: 'fp1' })).toBe(`${BASE}|fp1`);
    expect(partitionKey({ ...parts, fingerprint: undefined })).toBe(BASE);
    expect(partitionKey({ ...parts, audience: 'urn:other' })).not.toBe(BASE);
  });

  it('the partition prefix matches this client\'s fingerprinted partitions only', () => {
    const prefix = partitionPrefix({ ...parts, fingerprint: 'ignored' });
    expect(prefix).toBe(`${BASE}|`);
    expect(partitionKey({ ...parts, fingerprint: 'fp2' }).startsWith(prefix)).toBe(true);
    expect(partitionKey({ ...parts, clientId: 'app-10', fingerprint: 'fp2' }).startsWith(prefix)).toBe(false);
  });

  it('a scope-set key uses a sorted, de-duplicated copy (the caller\'s array is left as is)', () => {
    const scopes = ['update:users', 'read:users', 'read:users'];
    expect(scopeSetKey(BASE, scopes)).toBe(`${BASE}|read:users update:users`);
    expect(scopes).toEqual(['update:users', 'read:users', 'read:users']);
    expect(scopeSetKey(BASE, new Set(['read:users', 'update:users']))).toBe(scopeSetKey(BASE, scopes));
    expect(scopeSetKey(BASE, [])).toBe(`${BASE}|`);
  });

  it('is the key layout stores see (pinned: changing it orphans every stored token)', () => {
    expect(scopeSetKey(partitionKey(parts), ['read:users'])).toBe('sb1|tenant.test.auth0.com|https://tenant.test.auth0.com/api/v2/|app-1|read:users');
    expect(discoveryKey(partitionKey(parts))).toBe(`${BASE}|*`);
  });

  it('scopesPartOf inverts scopeSetKey and discoveryKey', () => {
    expect(scopesPartOf(BASE, scopeSetKey(BASE, ['read:roles', 'read:logs']))).toBe('read:logs read:roles');
    expect(scopesPartOf(BASE, discoveryKey(BASE))).toBe('*');
  });
});
