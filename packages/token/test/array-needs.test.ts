/** The array convenience of getToken: one need per distinct content, keyed by content, bounded. */
import { describe, expect, it } from 'vitest';
import { needForArrays } from '../src/provider/array-needs';

describe('needForArrays', () => {
  it('returns one need for equal content in fresh arrays, another for other content', () => {
    const cache = new Map();
    const a = needForArrays(cache, ['read:users'], undefined, 'error');
    expect(needForArrays(cache, ['read:users'], undefined, 'error')).toBe(a);
    const b = needForArrays(cache, ['read:users'], [['update:users']], 'error');
    expect(b).not.toBe(a);
    expect(b.alternatives).toEqual([['read:users'], ['update:users']]);
  });

  it('follows arrays changed in place (content, not identity)', () => {
    const cache = new Map();
    const required = ['read:users'];
    const first = needForArrays(cache, required, undefined, 'error');
    required[0] = 'read:roles';
    expect(needForArrays(cache, required, undefined, 'error').preferred).toEqual(['read:roles']);
    expect(first.preferred).toEqual(['read:users']);
  });

  it('validates (and caches nothing) for bad input; stays bounded', () => {
    const cache = new Map();
    expect(() => needForArrays(cache, ['read:user'], undefined, 'error')).toThrow(/Did you mean "read:users"/);
    expect(() => needForArrays(cache, 'read:users' as never, undefined, 'error')).toThrow();
    expect(cache.size).toBe(0);
    for (let i = 0; i < 600; i++) needForArrays(cache, ['read:users'], [['read:users', `x:${i}`]], 'allow');
    expect(cache.size).toBeLessThanOrEqual(256);
  });
});
