/**
 * Which scopes authorise a call. Shared by the client (to ask for the least privileged token) and the
 * emulator (to enforce the same rules a real tenant does).
 */
import { isSpecialScope } from '@scopebound/token';
import type { OperationDef } from './generated/operations';

export type Alternatives = readonly (readonly string[])[];

/** current_user scopes (held by a user's token only): token's predicate, re-exported for the operations entry. */
export { isSpecialScope };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The alternatives that authorise `op` for this body (body-aware rules first, else the operation's rule). */
export function alternativesFor(op: OperationDef, body?: unknown): Alternatives {
  if (op.bodyRules && isPlainObject(body)) {
    const keys = Object.keys(body);
    for (const rule of op.bodyRules) {
      if (rule.when === 'otherwise') return rule.anyOf;
      const only = rule.when.onlyKeys;
      if (keys.length > 0 && keys.every((k) => only.includes(k))) return rule.anyOf;
    }
  }
  return op.anyOf;
}

/** True when the granted scopes hold every scope of at least one alternative (no alternatives: nothing needed). */
export function isAuthorized(alternatives: Alternatives, granted: Iterable<string>): boolean {
  if (alternatives.length === 0) return true;
  const set = granted instanceof Set ? (granted as Set<string>) : new Set(granted);
  return alternatives.some((alt) => alt.every((s) => set.has(s)));
}

export interface PickOptions {
  /** Only alternatives within these scopes are eligible (a route's allow-list). */
  allow?: Iterable<string>;
  /** 'server' (default) drops alternatives with current_user scopes; 'user' keeps only those usable by a user token. */
  principal?: 'server' | 'user';
}

/**
 * The eligible alternatives, in the table's order: the generator emits every operation's alternatives
 * narrowest first (scope-breadth.ts), so the first is what a fresh token is requested for; any of them may
 * be satisfied by a cached token.
 */
export function eligibleAlternatives(alternatives: Alternatives, options: PickOptions = {}): Alternatives {
  const allow = options.allow ? new Set(options.allow) : undefined;
  const principal = options.principal ?? 'server';
  return alternatives.filter(
    (alt) => (principal === 'server' ? !alt.some(isSpecialScope) : true) && (!allow || alt.every((s) => allow.has(s))),
  );
}
