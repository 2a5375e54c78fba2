/**
 * The slow path of `getToken`: for one need, try the pool's credentials in order (least privileged
 * first): a usable L1 entry, else a single-flight store lookup or mint. A refused credential of a pool falls
 * through to the next; a single credential's error is the caller's.
 */
import { internalOf, type Credential, type CredentialInternal } from '../credential';
import { InsufficientGrantError, TokenEndpointError, TokenError, TokenRateLimitError } from '../errors';
import type { ScopeNeed } from '../scope-need';
import { covers, missingScopes } from '../scopes';
import { rememberHit, serveFromMemory } from './fast-path';
import { emit } from './events';
import { flight } from './flight';
import { candidatesFor, noCovering, recordDenied, untriedAlternative } from './grants';
import { findL1, type Entry } from './l1-cache';
import { fixedPartition, signedPartition } from './partitions';
import { stateOf, type ProviderState } from './state';

/** The entry that serves `need`; `remember`: keep the memory hit for the need's fast path. */
export async function resolveNeed(s: ProviderState, need: ScopeNeed, remember: boolean): Promise<Entry> {
  const { creds, isPool } = s.opts;
  const alts = need.alternatives;
  const candidates = candidatesFor(creds, s.credentials, alts);
  if (candidates.length === 0) throw noCovering(creds, s.credentials, alts);
  let lastError: unknown;
  for (let i = 0; i < candidates.length; i++) {
    const { cred, alt } = candidates[i]!;
    const internal = internalOf(cred);
    try {
      const partition = await partitionFor(s, cred, internal);
      const at = s.opts.now();
      const hit = findL1(s.l1, s.opts, partition, alts, at);
      if (hit) {
        const version = s.l1.version;
        if (serveFromMemory(s, hit, at)) {
          // Remember it for the next call with this need. Only for the most preferred candidate (so no
          // other credential's outcome is skipped) and only for network credentials (a self-signed one must
          // check its secret for rotation on every call).
          if (remember && i === 0 && internal.type === 'http') rememberHit(s, need, version, hit);
          return hit;
        }
        return await flight(s, { cred, internal, partition, requested: hit.requested, alts }, true);
      }
      return await mintFor(s, { cred, internal, partition, alts }, alt);
    } catch (error) {
      lastError = error;
      if (!refused(error) || !isPool) throw error;
    }
  }
  if (!isPool) throw lastError;
  throw noCovering(creds, s.credentials, alts, lastError);
}

interface Target {
  readonly cred: Credential;
  readonly internal: CredentialInternal;
  readonly partition: string;
  readonly alts: ScopeNeed['alternatives'];
}

/**
 * A token for `alt` (from the store or a mint). When the tenant refuses that alternative (`access_denied`:
 * the application is not granted it) the credential learns so, and the next alternative the call allows is
 * asked for instead, once, within the same call.
 */
async function mintFor(s: ProviderState, t: Target, alt: readonly string[], fallback = true): Promise<Entry> {
  let entry: Entry;
  try {
    entry = await flight(s, { ...t, requested: alt });
  } catch (error) {
    if (!scopeRefused(error)) throw error;
    const state = stateOf(s, t.cred);
    recordDenied(s.l1, state, alt);
    const next = fallback ? untriedAlternative(state, t.alts, alt) : undefined;
    if (!next) throw error;
    emit(s.events, { type: 'fallback', clientId: t.cred.clientId, refused: [...alt], next: [...next] });
    return mintFor(s, t, next, false);
  }
  if (!t.alts.some((a) => covers(entry.grantedSet, a))) {
    throw new InsufficientGrantError(t.cred.clientId, missingScopes(entry.token.scopes, alt), entry.token.scopes);
  }
  if (s.opts.now() >= entry.token.expiresAt) {
    throw new TokenError('ERR_TOKEN_RESPONSE_INVALID', 'The token expired before it could be used; check the clock and `leeway`.');
  }
  return entry;
}

/** The tenant refused the requested scopes for this application (not its credentials, not a rate limit). */
function scopeRefused(error: unknown): boolean {
  return error instanceof TokenEndpointError && !(error instanceof TokenRateLimitError) && error.status === 403 && error.error === 'access_denied';
}

/** A credential the tenant will not give this token (a pool then tries the next one). */
function refused(error: unknown): boolean {
  return (
    error instanceof InsufficientGrantError ||
    (error instanceof TokenEndpointError &&
      !(error instanceof TokenRateLimitError) &&
      (error.status === 403 || error.error === 'access_denied' || error.error === 'unauthorized_client'))
  );
}

function partitionFor(s: ProviderState, cred: Credential, internal: CredentialInternal): string | Promise<string> {
  return internal.type === 'http'
    ? fixedPartition(s.partitions, s.opts.endpoint, cred)
    : signedPartition(s.partitions, s.l1, s.opts.endpoint, cred, internal);
}
