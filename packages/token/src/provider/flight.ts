/**
 * Single-flight per (partition, requested scope set): concurrent callers share one lookup-or-mint. The
 * first mint of a credential is a probe the others wait for (its grant may cover them), then they look again.
 */
import { scopeSetKey } from './keys';
import { findL1, type Entry } from './l1-cache';
import { lookupStore, mintShared, type LookupTarget } from './fleet';
import { mintWithRetry } from './mint';
import { stateOf, type ProviderState } from './state';

/** The store, then the L1 again, then a (fleet-shared) mint. `force` skips straight to a foreground mint. */
export function flight(s: ProviderState, target: LookupTarget, force = false): Promise<Entry> {
  const key = scopeSetKey(target.partition, target.requested);
  const existing = s.flights.get(key);
  if (existing) return existing;
  const work = force ? mintWithRetry(s, target) : lookOrMint(s, target, key);
  const tracked = work.finally(() => {
    if (s.flights.get(key) === tracked) s.flights.delete(key);
  });
  s.flights.set(key, tracked);
  return tracked;
}

async function lookOrMint(s: ProviderState, target: LookupTarget, key: string): Promise<Entry> {
  const state = stateOf(s, target.cred);
  const again = () => findL1(s.l1, s.opts, target.partition, target.alts, s.opts.now());
  // The first mint of a credential tells us what it is granted: wait for it, then look again.
  for (let i = 0; i < 3 && state.probe; i++) {
    await state.probe;
    const hit = again();
    if (hit) return hit;
  }
  let endProbe: (() => void) | undefined;
  if (!state.probed && !state.probe) state.probe = new Promise<void>((r) => (endProbe = r));
  try {
    // A refresh of this very key is under way: its result may do.
    const refreshing = s.refresh.refreshes.get(key);
    if (refreshing) {
      await refreshing;
      const hit = again();
      if (hit) return hit;
    }
    return (await lookupStore(s, target)) ?? again() ?? (await mintShared(s, target));
  } finally {
    if (endProbe) {
      state.probe = undefined;
      endProbe();
    }
  }
}
