/**
 * Per-credential state: explicit or learned grants, the first-mint probe, the 429 block. Learns grants
 * from a mint or a fleet discovery record, and orders a pool's credentials for a need (least privileged first).
 */
import type { Credential } from '../credential';
import { NoCoveringCredentialError, TokenRateLimitError } from '../errors';
import { covers, normalizeScopes } from '../scopes';
import type { StoredToken } from '../types';
import type { Alternatives, L1Cache } from './l1-cache';

export interface CredentialState {
  /** Explicit (from `grants`) or learned grants. */
  grants: string[] | undefined;
  grantsSet: ReadonlySet<string> | undefined;
  /** True when `grants` is the full set (explicit, or learned from a server that granted more than asked). */
  authoritative: boolean;
  /** Set once a mint of this credential has succeeded. */
  probed: boolean;
  /** The first mint in flight; others wait for it, then look again. */
  probe: Promise<unknown> | undefined;
  /** 429: no request before this time. */
  blockedUntil: number;
  blockedBy: TokenRateLimitError | undefined;
  /** Alternatives (scope keys) the tenant refused this credential with `access_denied`: not asked again. */
  readonly denied: Set<string>;
}

export type CredentialStates = ReadonlyMap<Credential, CredentialState>;

export function createCredentialStates(creds: readonly Credential[]): Map<Credential, CredentialState> {
  const states = new Map<Credential, CredentialState>();
  for (const cred of creds) {
    states.set(cred, {
      grants: cred.grants ? [...cred.grants] : undefined,
      grantsSet: cred.grants ? new Set(cred.grants) : undefined,
      authoritative: cred.grants !== undefined,
      probed: false,
      probe: undefined,
      blockedUntil: 0,
      blockedBy: undefined,
      denied: new Set(),
    });
  }
  return states;
}

/** True when a server granted more than (or other than) what was asked: then that is the whole grant. */
export function grantedMore(requested: readonly string[], granted: readonly string[]): boolean {
  return granted.length > requested.length || !covers(granted, requested);
}

/** After a successful mint: the credential is probed and its grants are learned (whole, or accumulated). */
export function learnFromMint(l1: L1Cache, state: CredentialState, requested: readonly string[], granted: readonly string[]): void {
  if (!markProbed(l1, state)) return;
  if (grantedMore(requested, granted)) {
    // The server granted more than asked (Auth0 does): that is the application's whole grant.
    setGrants(state, [...granted], true);
  } else {
    setGrants(state, normalizeScopes([...(state.grants ?? []), ...granted]), state.authoritative);
  }
}

/** A discovery record carries a credential's whole grant (its server granted more than asked). */
export function adoptDiscovery(l1: L1Cache, state: CredentialState, token: StoredToken): void {
  if (markProbed(l1, state)) setGrants(state, [...token.scopes], true);
}

/** Marks the credential probed (a grant change for fast paths); false when its whole grant is already known. */
function markProbed(l1: L1Cache, state: CredentialState): boolean {
  state.probed = true;
  l1.version++;
  return !(state.authoritative && state.grants && state.grants.length > 0);
}

function setGrants(state: CredentialState, grants: string[], authoritative: boolean): void {
  state.grants = grants;
  state.grantsSet = new Set(grants);
  state.authoritative = authoritative;
}

/** True while a 429's Retry-After is in force for this credential. */
export function isBlocked(state: Pick<CredentialState, 'blockedUntil' | 'blockedBy'>, at: number): boolean {
  return at < state.blockedUntil && state.blockedBy !== undefined;
}

export function recordRateLimit(state: CredentialState, error: TokenRateLimitError, at: number): void {
  state.blockedUntil = at + error.retryAfterMs;
  state.blockedBy = error;
}

/** The 429 in force, with the time still to wait (thrown instead of sending a request). */
export function rateLimitedFor(state: CredentialState, at: number): TokenRateLimitError {
  const by = state.blockedBy!;
  return new TokenRateLimitError({
    headers: by.headers,
    error: by.error,
    errorDescription: by.errorDescription,
    clientId: by.clientId,
    retryAfterMs: Math.max(0, state.blockedUntil - at),
    quota: by.quota,
  });
}

const altKey = (alt: readonly string[]) => alt.join(' ');

/** The tenant refused `alt` for this credential (`access_denied`): remember it, and drop it from fast paths. */
export function recordDenied(l1: L1Cache, state: CredentialState, alt: readonly string[]): void {
  state.denied.add(altKey(alt));
  l1.version++;
}

/** The first alternative not refused for this credential (after `skip`, when given), if any. */
export function untriedAlternative(state: CredentialState, alts: Alternatives, skip?: readonly string[]): readonly string[] | undefined {
  return alts.find((a) => a !== skip && !state.denied.has(altKey(a)));
}

export interface Candidate {
  readonly cred: Credential;
  /** The alternative to ask this credential for. */
  readonly alt: readonly string[];
}

/**
 * The order in which to try credentials for `alts`: those known to cover an alternative (fewest grants
 * first, ties in pool order), then those whose grants are unknown, then those whose learned (not whole)
 * grants do not cover it. Credentials whose whole grant is known not to cover it, or that were refused every
 * alternative, are left out; a refused alternative is never asked of the same credential again.
 */
export function candidatesFor(creds: readonly Credential[], states: CredentialStates, alts: Alternatives): Candidate[] {
  const known: (Candidate & { size: number; index: number })[] = [];
  const unknown: Candidate[] = [];
  const unsure: Candidate[] = [];
  creds.forEach((cred, index) => {
    const st = states.get(cred)!;
    const first = untriedAlternative(st, alts);
    if (!st.grants) {
      if (first) unknown.push({ cred, alt: first });
      return;
    }
    const alt = alts.find((a) => covers(st.grantsSet!, a));
    if (alt) known.push({ cred, alt, size: st.grants.length, index });
    else if (!st.authoritative && first) unsure.push({ cred, alt: first });
  });
  known.sort((a, b) => a.size - b.size || a.index - b.index);
  return [...known, ...unknown, ...unsure];
}

export function noCovering(creds: readonly Credential[], states: CredentialStates, alts: Alternatives, cause?: unknown): NoCoveringCredentialError {
  return new NoCoveringCredentialError(
    alts,
    creds.map((cred) => ({ clientId: cred.clientId, grants: states.get(cred)!.grants ?? ('unknown' as const) })),
    cause,
  );
}
