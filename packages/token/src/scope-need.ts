/**
 * `scopeNeed()`: the one validated value that says which scopes a call needs. Built once (by the management
 * client per operation and body rule, or by `getToken`'s array convenience), then passed as is: the provider
 * never validates, filters or sorts it again.
 *
 * A need is a list of alternatives in preference order; a token must hold every scope of one of them. Each
 * alternative is validated (known names unless `unknownScopes: 'allow'`), sorted and de-duplicated;
 * current_user alternatives are dropped (they belong to a user's token, never a server's); duplicate
 * alternatives are dropped. `key` identifies the need for caches.
 */
import { InvalidOptionError, SpecialScopeError } from './errors';
import { validateScopes, type ValidateScopesOptions } from './scopes';

export interface ScopeNeed {
  /** Alternatives in preference order (the first is what a fresh token is asked for); frozen. */
  readonly alternatives: readonly (readonly string[])[];
  /** The preferred alternative (`alternatives[0]`). */
  readonly preferred: readonly string[];
  /** Stable identity of the need: its alternatives' scope keys, in order. */
  readonly key: string;
}

const needs = new WeakSet<object>();

/** True for a value built by `scopeNeed` (a plain look-alike object is not trusted). */
export function isScopeNeed(value: unknown): value is ScopeNeed {
  return typeof value === 'object' && value !== null && needs.has(value);
}

/**
 * Validate and freeze a need. Throws `UnknownScopeError` for a bad name, `SpecialScopeError` when every
 * alternative is a current_user one, `InvalidOptionError` for a malformed list.
 */
export function scopeNeed(alternatives: readonly (readonly string[])[], options: ValidateScopesOptions = {}): ScopeNeed {
  if (!Array.isArray(alternatives) || alternatives.length === 0) {
    throw new InvalidOptionError('scopes', 'pass at least one alternative, e.g. [["read:users"]]');
  }
  const out: (readonly string[])[] = [];
  const seen = new Set<string>();
  let special: SpecialScopeError | undefined;
  for (const alt of alternatives as unknown[]) {
    if (!Array.isArray(alt)) throw new InvalidOptionError('scopes', 'each alternative must be an array of scope names');
    let valid: string[];
    try {
      valid = validateScopes(alt as string[], options);
    } catch (error) {
      if (error instanceof SpecialScopeError) {
        special ??= error; // a user-token alternative: not for a server token
        continue;
      }
      throw error;
    }
    const key = valid.join(' ');
    if (!seen.has(key)) {
      seen.add(key);
      out.push(Object.freeze(valid));
    }
  }
  if (out.length === 0) throw special ?? new InvalidOptionError('scopes', 'no usable alternative');
  const need: ScopeNeed = Object.freeze({
    alternatives: Object.freeze(out),
    preferred: out[0]!,
    key: out.map((a) => a.join(' ')).join(' | '),
  });
  needs.add(need);
  return need;
}

/** The `(required, { anyOf })` convenience as a need: `required` first, then the other alternatives. */
export function needFrom(required: readonly string[], anyOf: readonly (readonly string[])[] | undefined, options: ValidateScopesOptions = {}): ScopeNeed {
  if (anyOf !== undefined && (!Array.isArray(anyOf) || !anyOf.every((alt) => Array.isArray(alt)))) {
    throw new InvalidOptionError('anyOf', 'must be an array of scope arrays');
  }
  // `required` itself may not be a current_user set (it is what a token is asked for).
  validateScopes(required, options);
  return scopeNeed([required, ...(anyOf ?? [])], options);
}
