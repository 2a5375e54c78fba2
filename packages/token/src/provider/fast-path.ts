/**
 * The memory cache-hit fast path of a `ScopeNeed`: the entry that satisfied this very need last time,
 * served without validation, sorting, key building or allocation while nothing changed since (same L1
 * version). Expiry, revocation and the refresh window are still checked on every use.
 */
import type { ScopeNeed } from '../scope-need';
import { emit, listening } from './events';
import { usable, type Entry } from './l1-cache';
import { serve } from './refresh';
import type { ProviderState } from './state';

export interface FastPathRecord {
  /** The L1 version when the hit was remembered: any cache or grant change since invalidates it. */
  readonly version: number;
  readonly entry: Entry;
}

/** The remembered entry for `need` if it may still be served (a refresh may start), else undefined. */
export function fastHit(s: ProviderState, need: ScopeNeed): Entry | undefined {
  const last = s.fastPath.get(need);
  if (last === undefined) return undefined;
  if (last.version !== s.l1.version) {
    s.fastPath.delete(need);
    return undefined;
  }
  const entry = last.entry;
  const at = s.opts.now();
  if (!usable(s.l1, entry.token, at, s.opts.leeway)) return undefined;
  return serveFromMemory(s, entry, at) ? entry : undefined; // else the slow path mints in the foreground
}

/** Remember `entry` as the hit of `need` as of L1 version `version`. */
export function rememberHit(s: ProviderState, need: ScopeNeed, version: number, entry: Entry): void {
  s.fastPath.set(need, { version, entry });
}

/** Serve a cached entry (emitting a memory 'hit' when fresh); false when it must be re-minted in the foreground. */
export function serveFromMemory(s: ProviderState, entry: Entry, at: number): boolean {
  const verdict = serve(s, entry, at);
  if (verdict === 'must-mint') return false;
  if (verdict === 'fresh' && listening(s.events)) {
    emit(s.events, { type: 'hit', source: 'memory', clientId: entry.cred.clientId, scopes: entry.token.scopes, expiresAt: entry.token.expiresAt });
  }
  return true;
}
