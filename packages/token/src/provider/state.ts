/** The mutable state of one provider, created once per `createTokenProvider` call and handed to every step. */
import type { Credential } from '../credential';
import type { ScopeNeed } from '../scope-need';
import { createEventRegistry, type EventRegistry } from './events';
import type { FastPathRecord } from './fast-path';
import { createCredentialStates, type CredentialState } from './grants';
import { createL1Cache, type Entry, type L1Cache } from './l1-cache';
import type { ResolvedProviderOptions } from './options';
import { createPartitions, type Partitions } from './partitions';
import type { RefreshState } from './refresh';

export interface ProviderState {
  readonly opts: ResolvedProviderOptions;
  readonly events: EventRegistry;
  readonly l1: L1Cache;
  readonly partitions: Partitions;
  readonly credentials: Map<Credential, CredentialState>;
  /** Single-flight: scope-set key → the lookup-or-mint in progress. */
  readonly flights: Map<string, Promise<Entry>>;
  readonly refresh: RefreshState;
  /** The remembered memory hit of each need (weak: a need the caller dropped is not kept alive). */
  readonly fastPath: WeakMap<ScopeNeed, FastPathRecord>;
  /** Needs built from `(required, { anyOf })` arrays, by content (bounded). */
  readonly arrayNeeds: Map<string, ScopeNeed>;
}

export function createProviderState(opts: ResolvedProviderOptions): ProviderState {
  const credentials = createCredentialStates(opts.creds);
  const flights = new Map<string, Promise<Entry>>();
  return {
    opts,
    events: createEventRegistry(opts.onEvent),
    l1: createL1Cache(),
    partitions: createPartitions(),
    credentials,
    flights,
    refresh: {
      staleIfError: opts.staleIfError,
      refreshes: new Map(),
      backoffs: new Map(),
      deferred: new Map(),
      flights,
      credentials,
    },
    fastPath: new WeakMap(),
    arrayNeeds: new Map(),
  };
}

export function stateOf(s: ProviderState, cred: Credential): CredentialState {
  return s.credentials.get(cred)!;
}
