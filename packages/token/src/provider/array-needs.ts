/**
 * The `getToken(required, { anyOf })` convenience: one validated `ScopeNeed` per distinct content, kept in a
 * small bounded cache keyed by the scope names themselves (never by array identity), so callers that pass
 * fresh arrays on every call still get the per-need fast path without validating again.
 */
import { needFrom, type ScopeNeed } from '../scope-need';

/** How many distinct array inputs are remembered; past that the cache starts over. */
const MAX_ARRAY_NEEDS = 256;

const strings = (value: unknown): value is readonly string[] => Array.isArray(value) && value.every((s) => typeof s === 'string');

/** A content key, or undefined for malformed input (then `needFrom` reports it and nothing is cached). */
function keyOf(required: unknown, anyOf: unknown): string | undefined {
  if (!strings(required)) return undefined;
  if (anyOf === undefined) return required.join(' ');
  if (!Array.isArray(anyOf) || !anyOf.every(strings)) return undefined;
  return `${required.join(' ')}|${anyOf.map((a) => a.join(' ')).join('|')}`;
}

export function needForArrays(
  cache: Map<string, ScopeNeed>,
  required: readonly string[],
  anyOf: readonly (readonly string[])[] | undefined,
  unknownScopes: 'error' | 'allow',
): ScopeNeed {
  const key = keyOf(required, anyOf);
  const known = key === undefined ? undefined : cache.get(key);
  if (known) return known;
  const need = needFrom(required, anyOf, { unknownScopes });
  if (key !== undefined) {
    if (cache.size >= MAX_ARRAY_NEEDS) cache.clear();
    cache.set(key, need);
  }
  return need;
}
