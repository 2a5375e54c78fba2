/** Validation and narrowing of per-route allow-lists (`allowScopes(...)`). */
import { InvalidOptionError } from '../errors';
import { validateScopes } from '@scopebound/token';

/**
 * Validate the scopes given to `allowScopes(...)`: strings, known Management API scopes (server scopes or
 * current_user scopes, the latter for `asUser()` views). Returns a sorted, de-duplicated copy.
 */
export function validateAllowList(input: readonly unknown[]): readonly string[] {
  const flat = input.flat();
  if (flat.length === 0) {
    throw new InvalidOptionError('allowScopes', "pass at least one scope, e.g. allowScopes('read:users').");
  }
  for (const scope of flat) {
    if (typeof scope !== 'string' || scope === '' || /\s/.test(scope)) {
      throw new InvalidOptionError('allowScopes', `expected scope names such as 'read:users', got ${JSON.stringify(scope)}.`);
    }
  }
  // Token's one validation of scope names (did-you-mean included); current_user scopes are allowed here.
  return validateScopes(flat as string[], { specialScopes: 'allow' });
}

/** Nested allow-lists (router, then route) narrow: the result is their intersection. */
export function narrow(current: readonly string[] | undefined, next: readonly string[]): readonly string[] {
  if (current === undefined) return next;
  const keep = new Set(next);
  return current.filter((s) => keep.has(s));
}
