/** Scope enforcement with the shared rules, and Auth0's 403 wording. */
import { apiError } from './http';
import type { Principal } from './principal';
import { alternativesFor, isAuthorized, isSpecialScope, type OperationDef } from './table';

export type Alternatives = readonly (readonly string[])[];

/**
 * "Insufficient scope, expected any of: a,b" (all-of ops: "expected all of: a,b"; mixed: alternatives joined
 * by +), listed in the document's order as Auth0 does (the table keeps alternatives narrowest first).
 */
export function insufficientScopeMessage(op: OperationDef, ordered: Alternatives): string {
  const listed: readonly string[] = op.scopes;
  const rank = (alt: readonly string[]) => Math.min(...alt.map((s) => (listed.includes(s) ? listed.indexOf(s) : listed.length)));
  const alternatives = [...ordered].sort((a, b) => rank(a) - rank(b));
  if (alternatives.length === 1 && alternatives[0]!.length > 1) {
    return `Insufficient scope, expected all of: ${alternatives[0]!.join(',')}`;
  }
  if (alternatives.every((a) => a.length === 1)) {
    return `Insufficient scope, expected any of: ${alternatives.map((a) => a[0]).join(',')}`;
  }
  return `Insufficient scope, expected any of: ${alternatives.map((a) => a.join('+')).join(',')}`;
}

export function forbidden(op: OperationDef, alternatives: Alternatives): Response {
  return apiError(403, insufficientScopeMessage(op, alternatives), 'insufficient_scope');
}

/**
 * undefined when allowed, else the 403 response. Alternatives made of current_user scopes only authorise a
 * call on the token's own user (`sub` equal to the path's user id).
 */
export function checkScopes(op: OperationDef, body: unknown, principal: Principal, params: Readonly<Record<string, string>>): Response | undefined {
  const alternatives = alternativesFor(op, body);
  if (alternatives.length === 0) return undefined;
  const server = alternatives.filter((a) => !a.some(isSpecialScope));
  if (server.length > 0 && isAuthorized(server, principal.scopes)) return undefined;
  const own = alternatives.filter((a) => a.some(isSpecialScope));
  if (own.length > 0 && isAuthorized(own, principal.scopes)) {
    // The operation acts on the path's user, or (no user in the path) on the token's own user.
    const target = params.id ?? params.user_id;
    if (principal.sub !== undefined && (target === undefined || target === principal.sub)) return undefined;
  }
  return forbidden(op, alternatives);
}
