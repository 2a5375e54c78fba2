/**
 * Store (L2) I/O: every store call goes through here, and a failing store becomes an 'error' event with
 * stage 'store', never a caller's error (the provider then works from its in-process cache). Leases have
 * one acquire and one release helper.
 */
import type { Credential } from '../credential';
import { StoreError, TokenError } from '../errors';
import type { Lease, StoredToken } from '../types';
import { emit } from './events';
import type { ProviderState } from './state';

/** Report a store failure as an event (its summary only: a store error may name a password). */
export function reportStoreError(s: ProviderState, error: unknown, cred: Credential, requested: readonly string[]): void {
  emit(s.events, {
    type: 'error',
    stage: 'store',
    clientId: cred.clientId,
    requested,
    code: error instanceof TokenError ? error.code : 'ERR_STORE',
    durationMs: 0,
    error: error instanceof TokenError ? error : new StoreError(error),
  });
}

/** Run a store operation; a failure (thrown or rejected) is reported, never passed on. */
export function quietly(s: ProviderState, cred: Credential, requested: readonly string[], op: () => Promise<unknown>): Promise<void> {
  return Promise.resolve()
    .then(op)
    .then(
      () => undefined,
      (error: unknown) => reportStoreError(s, error, cred, requested),
    );
}

/** A well-formed token of this credential under `key`, else undefined (also when the store fails). */
export async function storeGet(s: ProviderState, key: string, cred: Credential): Promise<StoredToken | undefined> {
  try {
    const value = await s.opts.store.get(key);
    return isStoredToken(value) && value.clientId === cred.clientId ? value : undefined;
  } catch (error) {
    reportStoreError(s, error, cred, []);
    return undefined;
  }
}

/** Wait until `key` is set (or the lease wait passes), through the store's `waitFor`; false without one. */
export async function storeWait(s: ProviderState, key: string, cred: Credential): Promise<boolean> {
  const waitFor = s.opts.store.waitFor;
  if (!waitFor) return false;
  await quietly(s, cred, [], () => waitFor.call(s.opts.store, key, s.opts.lease.waitMs));
  return true;
}

/**
 * Try to take the fleet lease on `key`: the lease, 'taken' when another holder has it, 'failed' when the
 * store failed (reported), 'none' when the store has no leases.
 */
export async function acquireLease(
  s: ProviderState,
  key: string,
  cred: Credential,
  requested: readonly string[],
): Promise<Lease | 'taken' | 'failed' | 'none'> {
  const store = s.opts.store;
  if (!store.lease) return 'none';
  try {
    return (await store.lease(key, s.opts.lease.ttlMs)) ?? 'taken';
  } catch (error) {
    reportStoreError(s, error, cred, requested);
    return 'failed';
  }
}

/** Run `work` holding `lease`, then release it (a failing release is reported, never thrown). */
export async function underLease<T>(
  s: ProviderState,
  lease: Lease | undefined,
  cred: Credential,
  requested: readonly string[],
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } finally {
    if (lease) await quietly(s, cred, requested, () => lease.release());
  }
}

function isStoredToken(value: unknown): value is StoredToken {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.accessToken === 'string' &&
    v.accessToken.length > 0 &&
    Array.isArray(v.scopes) &&
    v.scopes.every((s) => typeof s === 'string') &&
    typeof v.expiresAt === 'number' &&
    typeof v.mintedAt === 'number' &&
    typeof v.clientId === 'string'
  );
}
