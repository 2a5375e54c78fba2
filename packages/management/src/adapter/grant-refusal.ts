/**
 * Is this error "the application is not granted a scope this call needs", and which scopes: read from the
 * stable codes and fields of token's and management's errors (never from a message text). Pure.
 *
 * | code                                   | where it comes from                                             | the missing scopes     |
 * |----------------------------------------|-----------------------------------------------------------------|------------------------|
 * | ERR_INSUFFICIENT_GRANT                 | the tenant granted a token that does not cover the call (Auth0) | `missing`              |
 * | ERR_NO_COVERING_CREDENTIAL             | no credential of the pool is granted any alternative            | `required` (first alt) |
 * | ERR_TOKEN_ENDPOINT 403 `access_denied` | the tenant refused the requested scopes (a narrowing tenant)    | `requestedScopes`      |
 * | ERR_INSUFFICIENT_SCOPE (server token)  | the API refused the token: the grant changed under it           | `requiredScopes`       |
 */
import { isSpecialScope } from '@scopebound/token';

export interface GrantRefusal {
  /** Scopes to grant (empty when the tenant did not say which: no client grant for the API at all). */
  readonly scopes: readonly string[];
}

type Fields = { readonly [K in 'missing' | 'required' | 'requestedScopes' | 'requiredScopes' | 'tokenScopes' | 'status' | 'error']?: unknown };

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : []);

/** The grant refusal `code`/fields describe, or undefined when the error is about something else. */
export function grantRefusal(code: string, e: Fields): GrantRefusal | undefined {
  switch (code) {
    case 'ERR_INSUFFICIENT_GRANT':
      return { scopes: strings(e.missing) };
    case 'ERR_NO_COVERING_CREDENTIAL':
      return { scopes: Array.isArray(e.required) && e.required.length > 0 ? strings(e.required[0]) : [] };
    case 'ERR_TOKEN_ENDPOINT':
      return e.status === 403 && e.error === 'access_denied' ? { scopes: strings(e.requestedScopes) } : undefined;
    case 'ERR_INSUFFICIENT_SCOPE': {
      // A user's token (asUser) carries no server scopes and the operation names a current_user scope: the user's limit, not a grant.
      const required = strings(e.requiredScopes);
      if (strings(e.tokenScopes).length === 0 && required.some(isSpecialScope)) return undefined;
      return { scopes: required.filter((s) => !isSpecialScope(s)) };
    }
    default:
      return undefined;
  }
}

/** What the app's client reads: which scope is missing and how an administrator fixes it. */
export function grantRefusalMessage(refusal: GrantRefusal): string {
  const what = refusal.scopes.length > 0 ? `is not granted ${refusal.scopes.join(' ')}` : 'has no grant for the Auth0 Management API';
  return (
    `The identity provider refused this action: the application's Auth0 credentials ${what}. ` +
    'An administrator must grant it to the application (Auth0 dashboard → Applications → APIs → Auth0 Management API → Permissions, ' +
    'or `scopebound grants apply`).'
  );
}
