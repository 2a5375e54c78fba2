/**
 * Scope sets: parse, normalise (sorted copy, no duplicates), compare, key, and validate against the
 * Management API's scope list.
 */
import { SCOPES, SPECIAL_SCOPES, type Scope, type SpecialScope } from './generated/scopes';
import { SpecialScopeError, TokenError, UnknownScopeError } from './errors';

const known: ReadonlySet<string> = new Set(SCOPES);

/** A scope name, completed by editors from the generated list; `string & {}` lets a newer scope through (checked at run time). */
export type ScopeName = Scope | SpecialScope | (string & {});
const special: ReadonlySet<string> = new Set(SPECIAL_SCOPES);

export const isKnownScope = (scope: string): boolean => known.has(scope);
export const isSpecialScope = (scope: string): boolean => special.has(scope);

/** A space-separated scope string or a list, as a sorted, de-duplicated new array (never the caller's). */
export function normalizeScopes(scopes: string | Iterable<string>): string[] {
  const list = typeof scopes === 'string' ? scopes.split(/\s+/) : Array.from(scopes);
  return Array.from(new Set(list.filter((s) => s.length > 0))).sort();
}

/** Alias of `normalizeScopes` for a space-separated string. */
export const parseScopes = (scopes: string): string[] => normalizeScopes(scopes);

/** True when `granted` holds every scope of `required`. */
export function covers(granted: Iterable<string>, required: Iterable<string>): boolean {
  const set = granted instanceof Set ? (granted as Set<string>) : new Set(granted);
  for (const s of required) if (!set.has(s)) return false;
  return true;
}

/** The scopes of `required` that `granted` lacks, sorted. */
export function missingScopes(granted: Iterable<string>, required: Iterable<string>): string[] {
  const set = new Set(granted);
  return normalizeScopes(Array.from(required).filter((s) => !set.has(s)));
}

/** A stable key for a scope set (order and duplicates do not matter). */
export function scopeKey(scopes: Iterable<string>): string {
  return normalizeScopes(scopes).join(' ');
}

export function sameScopes(a: Iterable<string>, b: Iterable<string>): boolean {
  return scopeKey(a) === scopeKey(b);
}

/** The known scopes closest to `scope` (edit distance, same-resource and same-action hints), best first. */
export function closestScopes(scope: string, limit = 3): string[] {
  return closestNames(scope, SCOPES, limit);
}

/** The names of `candidates` closest to `name` by edit distance, best first (did-you-mean hints for any list of names). */
export function closestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const input = name.trim().toLowerCase();
  const maxDistance = Math.max(3, Math.floor(input.length / 3));
  const ranked: { s: string; d: number }[] = [];
  for (const s of candidates) {
    const d = distance(input, s, maxDistance + 1);
    if (d <= maxDistance) ranked.push({ s, d });
  }
  ranked.sort((a, b) => a.d - b.d || (a.s < b.s ? -1 : 1));
  return ranked.slice(0, limit).map((r) => r.s);
}

export interface ValidateScopesOptions {
  /** 'error' (default) refuses scopes the generated list does not know; 'allow' lets them through. */
  unknownScopes?: 'error' | 'allow' | undefined;
  /** 'refuse' (default) throws SpecialScopeError for a current_user scope; 'allow' accepts it (allow-lists of user views). */
  specialScopes?: 'refuse' | 'allow' | undefined;
}

/**
 * The one validation of scope names, wherever they enter (getToken, withScopes, allowScopes, request
 * scopes, usage files): throws UnknownScopeError (with the closest known names) / SpecialScopeError for the
 * first bad scope; returns the normalised set.
 */
export function validateScopes(scopes: readonly string[], options: ValidateScopesOptions = {}): string[] {
  if (!Array.isArray(scopes)) {
    throw new TokenError('ERR_UNKNOWN_SCOPE', 'Scopes must be an array of scope names, e.g. ["read:users"].');
  }
  for (const scope of scopes) {
    if (typeof scope !== 'string' || scope.length === 0 || /\s/.test(scope)) {
      throw new UnknownScopeError(typeof scope === 'string' ? scope : String(scope), []);
    }
    if (special.has(scope)) {
      if (options.specialScopes === 'allow') continue;
      throw new SpecialScopeError(scope);
    }
    if (!known.has(scope) && options.unknownScopes !== 'allow') {
      throw new UnknownScopeError(scope, closestScopes(scope));
    }
  }
  return normalizeScopes(scopes);
}

/** Levenshtein distance with an early exit above `cap`. */
function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= cap) return cap;
    prev = cur;
  }
  return prev[b.length]!;
}
