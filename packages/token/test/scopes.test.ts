import { describe, expect, it } from 'vitest';
import {
  closestScopes,
  covers,
  isKnownScope,
  isSpecialScope,
  missingScopes,
  normalizeScopes,
  parseQuotaHeader,
  parseRetryAfter,
  parseScopes,
  sameScopes,
  SCOPES,
  scopeKey,
  SPECIAL_SCOPES,
  validateScopes,
} from '../src/index';

describe('scope sets', () => {
  it('normalises to a sorted, de-duplicated copy', () => {
    const input = ['update:users', 'read:users', 'read:users'];
    const out = normalizeScopes(input);
    expect(out).toEqual(['read:users', 'update:users']);
    expect(out).not.toBe(input);
    expect(input).toEqual(['update:users', 'read:users', 'read:users']);
    expect(parseScopes('  read:users   update:users read:users ')).toEqual(['read:users', 'update:users']);
  });

  it('covers, missing, keys and equality ignore order', () => {
    expect(covers(['a', 'b', 'c'], ['c', 'a'])).toBe(true);
    expect(covers(['a'], ['a', 'b'])).toBe(false);
    expect(covers([], [])).toBe(true);
    expect(missingScopes(['a'], ['c', 'b', 'a'])).toEqual(['b', 'c']);
    expect(scopeKey(['b', 'a', 'b'])).toBe('a b');
    expect(sameScopes(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameScopes(['a'], ['a', 'b'])).toBe(false);
  });

  it('knows the generated scope list and the special current_user scopes', () => {
    expect(SCOPES.length).toBeGreaterThan(200);
    expect(isKnownScope('read:users')).toBe(true);
    expect(isKnownScope('read:userz')).toBe(false);
    expect(SPECIAL_SCOPES).toContain('read:current_user');
    expect(isSpecialScope('read:current_user')).toBe(true);
    expect(isSpecialScope('read:users')).toBe(false);
  });

  it('suggests the closest known scopes', () => {
    expect(closestScopes('read:user')[0]).toBe('read:users');
    expect(closestScopes('update:user_app_metadata')[0]).toBe('update:users_app_metadata');
    expect(closestScopes('zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz')).toEqual([]);
  });

  it('validateScopes returns the normalised set or throws the typed error', () => {
    expect(validateScopes(['read:users', 'read:roles'])).toEqual(['read:roles', 'read:users']);
    expect(() => validateScopes(['read:usres'])).toThrow(/Did you mean "read:users"/);
    expect(() => validateScopes(['read:current_user'])).toThrow(expect.objectContaining({ code: 'ERR_SPECIAL_SCOPE' }));
    expect(validateScopes(['read:future_thing'], { unknownScopes: 'allow' })).toEqual(['read:future_thing']);
  });
});

describe('quota headers', () => {
  it('parses Auth0 quota headers', () => {
    expect(parseQuotaHeader('b=per_hour;q=100;r=99;t=3600,b=per_day;q=1000;r=999;t=86400', 'client')).toEqual([
      { scope: 'client', bucket: 'per_hour', quota: 100, remaining: 99, resetSeconds: 3600 },
      { scope: 'client', bucket: 'per_day', quota: 1000, remaining: 999, resetSeconds: 86400 },
    ]);
    expect(parseQuotaHeader('garbage', 'organization')).toEqual([]);
    expect(parseQuotaHeader(undefined, 'client')).toEqual([]);
  });

  it('parses Retry-After as seconds or a date', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now + 5_000).toUTCString(), now)).toBe(5_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
