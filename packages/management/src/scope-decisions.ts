/**
 * A view's scope decisions: which alternatives of a call it may use (allow-list, principal) and the one
 * `ScopeNeed` a server token is asked for, compiled once per (alternatives list × view) and cached by the
 * table's stable arrays. Also what `scopesFor` reports.
 */
import { scopeNeed } from '@scopebound/token';
import { API } from './core';
import type { OperationDef, ScopeRule } from './generated/operations';
import { PRIVILEGED_SCOPES } from './generated/privileged-scopes';
import { alternativesFor, eligibleAlternatives, type Alternatives } from './scope-resolution';
import type { Decision, View } from './shared';

const PRIVILEGED: ReadonlySet<string> = new Set(PRIVILEGED_SCOPES);

/** Which scopes a call would use, and whether this client (or view) may use them. */
export interface ScopeDecision {
  readonly operation: string | undefined;
  readonly method: string;
  /** Route template, e.g. `/api/v2/users/{id}`. */
  readonly route: string;
  readonly rule: ScopeRule | 'explicit';
  /** Every alternative that authorises the call for this body (each a set that must be fully held). */
  readonly alternatives: Alternatives;
  /** The alternatives this client may use, narrowest first (see `breadth`). */
  readonly eligible: Alternatives;
  /** The scopes a token is requested for (the first eligible alternative); undefined when none is allowed. */
  readonly request: readonly string[] | undefined;
  readonly allowed: boolean;
  readonly principal: 'server' | 'user';
  /**
   * Why `eligible` is in this order: for each alternative, how many operations a token holding exactly
   * that set could call, and whether it hands out secrets (privileged scopes go last). Narrowest first.
   */
  readonly breadth: readonly { readonly scopes: readonly string[]; readonly operations: number; readonly privileged: boolean }[];
}

export interface ScopesForInput {
  params?: Record<string, unknown> | undefined;
  body?: unknown | undefined;
}

function eligibleFor(view: View, alternatives: Alternatives): Alternatives {
  return eligibleAlternatives(alternatives, { ...(view.state.allow ? { allow: view.state.allow } : {}), principal: view.principal });
}

/**
 * The decision for `alternatives` in this view. Table arrays are cached (`explicit` false); explicit `scopes`
 * of a `request()` are compiled per call and may name scopes newer than this package.
 */
export function decide(view: View, alternatives: Alternatives, explicit: boolean): Decision {
  if (!explicit) {
    const hit = view.decisions.get(alternatives);
    if (hit) return hit;
  }
  const eligible = eligibleFor(view, alternatives);
  const usable = eligible.length > 0 || alternatives.length === 0;
  const need =
    view.principal === 'server' && usable
      ? scopeNeed(eligible.length > 0 ? eligible : [[]], explicit ? { unknownScopes: 'allow' } : {})
      : undefined;
  const decision: Decision = { eligible, need };
  if (!explicit) view.decisions.set(alternatives, decision);
  return decision;
}

/** What `scopesFor(operation, input)` reports (nothing is compiled or cached). */
export function describeDecision(view: View, op: OperationDef, input: ScopesForInput): ScopeDecision {
  const alternatives = alternativesFor(op, input.body);
  const eligible = eligibleFor(view, alternatives);
  return {
    operation: op.name,
    method: op.method,
    route: API + op.path,
    rule: op.rule,
    alternatives,
    eligible,
    request: alternatives.length === 0 ? [] : eligible[0],
    allowed: alternatives.length === 0 || eligible.length > 0,
    principal: view.principal,
    breadth: eligible.map((scopes) => ({ scopes, operations: view.shared.table.breadthOf(scopes), privileged: scopes.some((s) => PRIVILEGED.has(s)) })),
  };
}
