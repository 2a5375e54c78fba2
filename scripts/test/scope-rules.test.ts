import { describe, expect, it } from 'vitest';
import { insufficientScopeText, parseScopeRule } from '../lib/scope-rules';

describe('parseScopeRule', () => {
  it('reads "any of" as one alternative per scope, in document order', () => {
    const r = parseScopeRule(['read:users', 'read:user_idp_tokens'], 'Insufficient scope; expected any of: read:users, read:user_idp_tokens.');
    expect(r).toEqual({ rule: 'any', anyOf: [['read:users'], ['read:user_idp_tokens']], warnings: [] });
  });

  it('reads a plain list without "all" as any-of', () => {
    const r = parseScopeRule(['update:users', 'update:current_user_identities'], 'Insufficient scope; expected: update:users, update:current_user_identities.');
    expect(r.rule).toBe('any');
    expect(r.anyOf).toEqual([['update:users'], ['update:current_user_identities']]);
  });

  it.each([
    ['Insufficient scope; expected all of: create:connections_keys, update:connections_keys.', ['create:connections_keys', 'update:connections_keys']],
    ['Insufficient scope, expected all of: create:custom_signing_keys,update:custom_signing_keys.', ['create:custom_signing_keys', 'update:custom_signing_keys']],
    ['Insufficient scope; expected all of: create:encryption_keys update:encryption_keys.', ['create:encryption_keys', 'update:encryption_keys']],
    ['Insufficient scope; expected create:signing_keys and update:signing_keys.', ['create:signing_keys', 'update:signing_keys']],
    ['Insufficient scope; expected all of: read:users, read:roles, read:role_members.', ['read:users', 'read:roles', 'read:role_members']],
  ])('reads all-of wording: %s', (text, scopes) => {
    const r = parseScopeRule(scopes, text);
    expect(r.rule).toBe('all');
    expect(r.anyOf).toEqual([scopes]);
    expect(r.warnings).toEqual([]);
  });

  it('reads "A and any of: B or C" as mixed', () => {
    const r = parseScopeRule(
      ['read:connections', 'read:clients', 'read:client_summary'],
      'Insufficient scope; expected: read:connections and any of: read:clients or read:client_summary.',
    );
    expect(r.rule).toBe('mixed');
    expect(r.anyOf).toEqual([
      ['read:connections', 'read:clients'],
      ['read:connections', 'read:client_summary'],
    ]);
  });

  it('warns when an all-of text omits a listed scope (the overlay must decide)', () => {
    const r = parseScopeRule(['read:users', 'read:roles', 'read:role_members'], 'Insufficient scope; expected all of: read:users, read:roles.');
    expect(r.rule).toBe('all');
    expect(r.anyOf).toEqual([['read:users', 'read:roles']]);
    expect(r.warnings.join()).toMatch(/read:role_members/);
  });

  it('falls back to the security list (any-of) when the text names no scopes or misnames them', () => {
    expect(parseScopeRule(['read:stats'], 'Insufficient scope.').anyOf).toEqual([['read:stats']]);
    const r = parseScopeRule(['create:phone_providers'], 'Insufficient scope, expected: create:phone_provider.');
    expect(r.anyOf).toEqual([['create:phone_providers']]);
    expect(r.warnings.join()).toMatch(/create:phone_provider /);
    expect(parseScopeRule(['read:stats'], undefined).anyOf).toEqual([['read:stats']]);
  });

  it('finds the insufficient-scope sentence among description and x-description-N', () => {
    expect(insufficientScopeText({ description: 'User to be acted on does not match subject in bearer token.', 'x-description-1': 'Insufficient scope; expected any of: a:b.' })).toBe(
      'Insufficient scope; expected any of: a:b.',
    );
    expect(insufficientScopeText(undefined)).toBeUndefined();
  });
});
