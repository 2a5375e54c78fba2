/** scopeNeed / needFrom / isScopeNeed: the validated need a provider takes as is. */
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, isScopeNeed, needFrom, scopeNeed, SpecialScopeError, UnknownScopeError } from '../src/index';

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('scopeNeed', () => {
  it('sorts and de-duplicates each alternative, drops duplicate alternatives, and freezes everything', () => {
    const need = scopeNeed([['update:users', 'read:users', 'read:users'], ['read:users', 'update:users'], ['read:logs']]);
    expect(need.alternatives).toEqual([['read:users', 'update:users'], ['read:logs']]);
    expect(need.preferred).toBe(need.alternatives[0]);
    expect(need.key).toBe('read:users update:users | read:logs');
    expect(Object.isFrozen(need)).toBe(true);
    expect(Object.isFrozen(need.alternatives)).toBe(true);
    expect(need.alternatives.every((a) => Object.isFrozen(a))).toBe(true);
    expect(isScopeNeed(need)).toBe(true);
  });

  it('leaves the caller\'s arrays as they are', () => {
    const alt = ['update:users', 'read:users'];
    scopeNeed([alt]);
    expect(alt).toEqual(['update:users', 'read:users']);
  });

  it('a look-alike object is not a need', () => {
    const need = scopeNeed([['read:users']]);
    expect(isScopeNeed({ ...need })).toBe(false);
    expect(isScopeNeed(null)).toBe(false);
    expect(isScopeNeed(['read:users'])).toBe(false);
  });

  it('drops current_user alternatives; only current_user ones is a SpecialScopeError', () => {
    expect(scopeNeed([['read:current_user'], ['read:users']]).alternatives).toEqual([['read:users']]);
    expect(thrown(() => scopeNeed([['read:current_user']]))).toBeInstanceOf(SpecialScopeError);
  });

  it('refuses an empty or malformed list (option "scopes") and unknown names unless allowed', () => {
    for (const bad of [[], 'read:users', [['read:users'], 'read:logs']]) {
      const error = thrown(() => scopeNeed(bad as never));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe('scopes');
    }
    expect(thrown(() => scopeNeed([['raed:users']]))).toBeInstanceOf(UnknownScopeError);
    expect(scopeNeed([['read:brand_new_thing']], { unknownScopes: 'allow' }).preferred).toEqual(['read:brand_new_thing']);
  });
});

describe('needFrom (the (required, { anyOf }) convenience)', () => {
  it('puts required first, then the other alternatives', () => {
    expect(needFrom(['update:users'], [['update:users_app_metadata'], ['update:users']]).alternatives).toEqual([
      ['update:users'],
      ['update:users_app_metadata'],
    ]);
    expect(needFrom(['read:users'], undefined).alternatives).toEqual([['read:users']]);
  });

  it('a current_user `required` is a SpecialScopeError; current_user alternatives in anyOf are skipped', () => {
    expect(thrown(() => needFrom(['read:current_user'], [['read:users']]))).toBeInstanceOf(SpecialScopeError);
    expect(needFrom(['update:users'], [['update:current_user_metadata']]).alternatives).toEqual([['update:users']]);
  });

  it('a malformed anyOf is an InvalidOptionError naming "anyOf"', () => {
    for (const anyOf of ['read:users', [['read:users'], 'read:logs'], [null]]) {
      const error = thrown(() => needFrom(['read:users'], anyOf as never));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe('anyOf');
    }
  });

  it('a `required` that is not a list of names is refused as an unknown scope', () => {
    expect(thrown(() => needFrom('read:users' as never, undefined))).toMatchObject({ code: 'ERR_UNKNOWN_SCOPE' });
    expect(thrown(() => needFrom(['read:users update:users'], undefined))).toBeInstanceOf(UnknownScopeError);
    expect(thrown(() => needFrom(['raed:users'], undefined, { unknownScopes: 'error' }))).toBeInstanceOf(UnknownScopeError);
    expect(needFrom(['read:brand_new_thing'], undefined, { unknownScopes: 'allow' }).preferred).toEqual(['read:brand_new_thing']);
  });
});
