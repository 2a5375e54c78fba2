/**
 * Parse an operation's scope rule from the text Auth0 writes in its 403 responses.
 *
 * The `security` list of an operation is read by strict OpenAPI as all-of; Auth0 means any-of for almost all
 * operations and says which in the 403 text ("expected any of: …", "expected all of: …",
 * "expected: A and any of: B or C"). The result is a list of alternatives (disjunctive normal form):
 * a token is enough when it holds every scope of at least one alternative.
 */
export type ScopeRuleKind = 'any' | 'all' | 'mixed';

export interface ParsedScopeRule {
  rule: ScopeRuleKind;
  anyOf: string[][];
  /** Why the parser decided so, or what it could not reconcile. */
  warnings: string[];
}

const SCOPE_RE = /[a-z_]+:[a-z_]+/g;

function scopesIn(text: string): string[] {
  return [...new Set(text.match(SCOPE_RE) ?? [])];
}

/** Pick the "Insufficient scope…" sentence out of a 403 response object (description + x-description-N). */
export function insufficientScopeText(response: unknown): string | undefined {
  if (!response || typeof response !== 'object') return undefined;
  for (const [key, value] of Object.entries(response as Record<string, unknown>)) {
    if ((key === 'description' || key.startsWith('x-description')) && typeof value === 'string') {
      if (/insufficient scope/i.test(value)) return value;
    }
  }
  return undefined;
}

/**
 * @param listed the operation's `security` oAuth2ClientCredentials scopes (in document order)
 * @param text   the 403 "Insufficient scope" sentence, if any
 */
export function parseScopeRule(listed: readonly string[], text: string | undefined): ParsedScopeRule {
  const warnings: string[] = [];
  const any = (): ParsedScopeRule => ({ rule: 'any', anyOf: listed.map((s) => [s]), warnings });
  if (listed.length === 0) return { rule: 'any', anyOf: [], warnings };
  if (!text) return any();
  const lower = text.toLowerCase();
  const named = scopesIn(text);
  const unknown = named.filter((s) => !listed.includes(s));
  if (unknown.length > 0) {
    warnings.push(`403 text names ${unknown.join(', ')} which the security list does not; using the security list`);
  }

  // "expected: A and any of: B or C" → A AND (B OR C)
  const mixed = /expected:?\s*(.+?)\s+and\s+any of:?\s*(.+)$/i.exec(text);
  if (mixed) {
    const must = scopesIn(mixed[1]!).filter((s) => listed.includes(s));
    const oneOf = scopesIn(mixed[2]!).filter((s) => listed.includes(s));
    if (must.length > 0 && oneOf.length > 0) {
      return { rule: 'mixed', anyOf: oneOf.map((s) => [...must, s]), warnings };
    }
  }

  const isAll = /all of/.test(lower) || (/expected\s+[a-z_]+:[a-z_]+\s+and\s+[a-z_]+:[a-z_]+/.test(lower) && !/any of/.test(lower));
  if (isAll) {
    const all = named.filter((s) => listed.includes(s));
    const extra = listed.filter((s) => !all.includes(s));
    if (all.length === 0) return any();
    if (extra.length > 0) {
      warnings.push(`security also lists ${extra.join(', ')} which the all-of 403 text omits; add an overlay scopeRule`);
    }
    if (all.length === 1) return { rule: 'any', anyOf: [all], warnings };
    return { rule: 'all', anyOf: [all], warnings };
  }
  return any();
}
