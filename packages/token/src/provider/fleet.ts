/**
 * Fleet coordination through the store: look a need up in the store (and learn a credential's whole grant
 * from its discovery record), wait for another holder's result, and mint under the discovery lease or the
 * per-scope-set lease so one process of a fleet mints.
 */
import type { StoredToken } from '../types';
import { normalizeScopes } from '../scopes';
import { adoptDiscovery } from './grants';
import { discoveryKey, scopeSetKey, scopesPartOf } from './keys';
import { emit, listening } from './events';
import { insertL1, satisfies, usable, type Alternatives, type Entry } from './l1-cache';
import { mintWithRetry, sleep, type MintTarget } from './mint';
import { stateOf, type ProviderState } from './state';
import { acquireLease, storeGet, storeWait, underLease } from './store-io';

/** Where to look: the credential and partition, and the alternatives any of which will do. */
export interface LookupTarget extends MintTarget {
  readonly alts: Alternatives;
}

/** The least privileged usable stored token for the need (cached in L1 when found), else undefined. */
export async function lookupStore(s: ProviderState, { cred, partition, alts }: LookupTarget): Promise<Entry | undefined> {
  const { reuse, leeway } = s.opts;
  const state = stateOf(s, cred);
  const keys = new Set(alts.map((alt) => scopeSetKey(partition, alt)));
  if (reuse === 'covering' && state.grants) keys.add(scopeSetKey(partition, state.grants));
  if (reuse === 'covering' && !state.authoritative) keys.add(discoveryKey(partition));
  const found = await Promise.all(Array.from(keys, async (key) => ({ key, token: await storeGet(s, key, cred) })));
  const at = s.opts.now();
  let best: { key: string; token: StoredToken } | undefined;
  for (const f of found) {
    if (!f.token || !usable(s.l1, f.token, at, leeway)) continue;
    if (!satisfies({ token: f.token, requestedKey: scopesPartOf(partition, f.key) }, alts, reuse)) continue;
    if (!best || f.token.scopes.length < best.token.scopes.length) best = { key: f.key, token: f.token };
  }
  if (!best) return undefined;
  if (best.key === discoveryKey(partition)) {
    const { grantComplete, ...token } = best.token;
    if (grantComplete === true) adoptDiscovery(s.l1, state, token);
    best = { key: scopeSetKey(partition, token.scopes), token };
  }
  const requested = normalizeScopes(scopesPartOf(partition, best.key));
  const storeKeys = Array.from(new Set([best.key, scopeSetKey(partition, best.token.scopes)]));
  const entry = insertL1(s.l1, s.opts, cred, partition, best.token, requested, storeKeys);
  if (listening(s.events)) {
    emit(s.events, { type: 'hit', source: 'store', clientId: cred.clientId, scopes: entry.token.scopes, expiresAt: entry.token.expiresAt });
  }
  return entry;
}

/** Wait for another holder's result under `key` (the store's waitFor, else bounded polling of the store). */
export async function awaitKey(s: ProviderState, key: string, target: LookupTarget): Promise<Entry | undefined> {
  if (await storeWait(s, key, target.cred)) return lookupStore(s, target);
  const deadline = s.opts.now() + s.opts.lease.waitMs;
  for (let i = 0, delay = 25; i < 50 && s.opts.now() < deadline; i++, delay = Math.min(delay * 2, 500)) {
    await sleep(delay);
    const found = await lookupStore(s, target);
    if (found) return found;
  }
  return undefined;
}

/**
 * Mint through the store's lease when it has one, so one process of a fleet mints. The first mint of a
 * credential whose grant is unknown goes under the credential's discovery lease (its result may do for
 * every scope set); the others under the lease of their scope set.
 */
export async function mintShared(s: ProviderState, target: LookupTarget): Promise<Entry> {
  const { cred, internal, partition, requested } = target;
  const state = stateOf(s, cred);
  const discovering = s.opts.reuse === 'covering' && internal.type !== 'self-signed' && !state.authoritative && !state.probed;
  if (!s.opts.store.lease || !discovering) return mintPerSet(s, target);
  // First mint of this credential here, grant unknown: one process of the fleet discovers it.
  const dKey = discoveryKey(partition);
  const lease = await acquireLease(s, dKey, cred, requested);
  if (lease === 'failed' || lease === 'none') return mintWithRetry(s, target);
  if (lease !== 'taken') return underLease(s, lease, cred, requested, () => mintPerSet(s, target));
  return (await awaitKey(s, dKey, target)) ?? mintPerSet(s, target);
}

/** Per requested scope set: one holder of the fleet mints it; the others wait for its result. */
async function mintPerSet(s: ProviderState, target: LookupTarget): Promise<Entry> {
  const key = scopeSetKey(target.partition, target.requested);
  const lease = await acquireLease(s, key, target.cred, target.requested);
  if (lease === 'failed' || lease === 'none') return mintWithRetry(s, target);
  if (lease !== 'taken') {
    return underLease(s, lease, target.cred, target.requested, async () => (await lookupStore(s, target)) ?? mintWithRetry(s, target));
  }
  // Another holder is minting: wait for its result, then mint ourselves if it never comes.
  const found = (await awaitKey(s, key, target)) ?? (await lookupStore(s, target));
  return found ?? mintWithRetry(s, target);
}
