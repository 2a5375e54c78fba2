/**
 * Refresh ahead of expiry. A pure decision (entry, state, now → verdict) says whether a cached token is
 * served as is, served stale, must be re-minted in the foreground, or starts a background refresh; the
 * action runs that refresh (always with a .catch) and records the back-off after a failure.
 */
import { internalOf, type Credential } from '../credential';
import { TokenError, TokenRateLimitError } from '../errors';
import { covers } from '../scopes';
import { emit, listening } from './events';
import { isBlocked, type CredentialState } from './grants';
import { scopeSetKey } from './keys';
import { insertL1, usable, type Entry } from './l1-cache';
import { mintOnce } from './mint';
import type { ResolvedProviderOptions } from './options';
import type { ProviderState } from './state';
import { acquireLease, storeGet, underLease } from './store-io';

export interface Backoff {
  readonly until: number;
  readonly attempt: number;
  readonly error: TokenError;
}

/** What the refresh decision reads (and the refresh action updates), keyed by an entry's refresh key. */
export interface RefreshState {
  readonly staleIfError: boolean;
  /** Background refreshes in progress. */
  readonly refreshes: Map<string, Promise<void>>;
  /** After a failed refresh: no new attempt before `until`. */
  readonly backoffs: Map<string, Backoff>;
  /** Refresh left to another lease holder until (epoch ms). */
  readonly deferred: Map<string, number>;
  /** Foreground lookups or mints in progress (a refresh would duplicate them). */
  readonly flights: ReadonlyMap<string, unknown>;
  readonly credentials: ReadonlyMap<Credential, Pick<CredentialState, 'blockedUntil' | 'blockedBy'>>;
}

/**
 * - 'fresh': serve it (before its refresh point, or a refresh is already under way or deferred);
 * - 'stale-backoff' / 'stale-blocked': serve it stale (a failed refresh's back-off, or a 429, is in force);
 * - 'must-mint': in back-off or blocked, and `staleIfError` is off: the caller mints in the foreground;
 * - 'start-refresh': serve it and start a background refresh.
 */
export type RefreshVerdict = 'fresh' | 'stale-backoff' | 'stale-blocked' | 'must-mint' | 'start-refresh';

/** Pure: reads `state`, changes nothing. */
export function decideRefresh(entry: Pick<Entry, 'refreshAt' | 'refreshKey' | 'cred'>, state: RefreshState, at: number): RefreshVerdict {
  if (at < entry.refreshAt) return 'fresh';
  const key = entry.refreshKey;
  const failed = state.backoffs.get(key);
  if (failed && at < failed.until) return state.staleIfError ? 'stale-backoff' : 'must-mint';
  if (state.refreshes.has(key) || state.flights.has(key)) return 'fresh';
  const later = state.deferred.get(key);
  if (later !== undefined && at < later) return 'fresh';
  const cred = state.credentials.get(entry.cred);
  if (cred && isBlocked(cred, at)) return state.staleIfError ? 'stale-blocked' : 'must-mint';
  return 'start-refresh';
}

/** The back-off after a failed refresh: exponential from `minMs` with jitter, at least a 429's Retry-After. */
export function backoffAfter(
  previous: Backoff | undefined,
  error: unknown,
  at: number,
  backoff: ResolvedProviderOptions['backoff'],
  random: () => number,
): Backoff {
  const attempt = previous ? previous.attempt + 1 : 0;
  let wait = Math.min(backoff.maxMs, backoff.minMs * 2 ** attempt) * (0.5 + random() / 2);
  if (error instanceof TokenRateLimitError) wait = Math.max(wait, error.retryAfterMs);
  const tokenError = error instanceof TokenError ? error : new TokenError('ERR_TOKEN_NETWORK', 'The refresh failed unexpectedly.');
  return { until: at + wait, attempt, error: tokenError };
}

/**
 * Serve `entry` at `at`: act on the decision (emit 'stale-served', start a background refresh) and say
 * whether the caller may use it ('fresh' or 'stale') or must mint in the foreground.
 */
export function serve(s: ProviderState, entry: Entry, at: number): 'fresh' | 'stale' | 'must-mint' {
  const verdict = decideRefresh(entry, s.refresh, at);
  switch (verdict) {
    case 'fresh':
    case 'must-mint':
      return verdict;
    case 'stale-backoff': {
      const failed = s.refresh.backoffs.get(entry.refreshKey)!;
      emitStale(s, entry, failed.error.code, failed.until);
      return 'stale';
    }
    case 'stale-blocked': {
      const cred = s.credentials.get(entry.cred)!;
      emitStale(s, entry, cred.blockedBy!.code, cred.blockedUntil);
      return 'stale';
    }
    case 'start-refresh':
      startRefresh(s, entry);
      return 'fresh';
  }
}

function emitStale(s: ProviderState, entry: Entry, errorCode: string, retryAt: number): void {
  if (!listening(s.events)) return;
  const { clientId } = entry.cred;
  emit(s.events, { type: 'stale-served', clientId, scopes: entry.token.scopes, expiresAt: entry.token.expiresAt, errorCode, retryAt });
}

/** Run a background refresh of `entry`; its outcome only updates the back-off (it never rejects). */
function startRefresh(s: ProviderState, entry: Entry): void {
  const { refreshes, backoffs, deferred } = s.refresh;
  const key = entry.refreshKey;
  deferred.delete(key);
  const job = refreshJob(s, entry)
    .then(() => {
      backoffs.delete(key);
    })
    .catch((error: unknown) => {
      backoffs.set(key, backoffAfter(backoffs.get(key), error, s.opts.now(), s.opts.backoff, s.opts.random));
    })
    .finally(() => {
      refreshes.delete(key);
    });
  refreshes.set(key, job);
}

/** Pick up a newer token another process stored, else mint (under the store's lease when it has one). */
async function refreshJob(s: ProviderState, entry: Entry): Promise<void> {
  const { cred, partition, requested, refreshKey: key } = entry;
  const newer = await storeGet(s, key, cred);
  if (newer && usable(s.l1, newer, s.opts.now(), s.opts.leeway) && newer.expiresAt > entry.token.expiresAt && covers(newer.scopes, requested)) {
    insertL1(s.l1, s.opts, cred, partition, newer, requested, [key, scopeSetKey(partition, newer.scopes)]);
    return;
  }
  const lease = await acquireLease(s, key, cred, requested);
  if (lease === 'taken') {
    // Another process is refreshing it; look again shortly.
    s.refresh.deferred.set(key, s.opts.now() + Math.min(1_000, s.opts.refreshAhead / 4));
    return;
  }
  const internal = internalOf(cred);
  const held = typeof lease === 'string' ? undefined : lease;
  await underLease(s, held, cred, requested, () => mintOnce(s, { cred, internal, partition, requested }, 'refresh'));
}
