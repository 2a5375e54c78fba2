/**
 * The state the client's modules are handed: what every view of one client shares (core, table index,
 * compiled operations), and what one view holds (allow-list, user token, its scope-decision cache).
 */
import type { ScopeNeed } from '@scopebound/token';
import type { ClientTable } from './client-table';
import type { Core } from './core';
import type { OperationDef } from './generated/operations';
import { compileOperation, type Compiled } from './planner';
import type { Alternatives } from './scope-resolution';
import { tableIndex, type TableIndex } from './table-index';

export interface Shared {
  readonly core: Core;
  /** The operations this client serves (the whole table or a resource's slice). */
  readonly table: ClientTable;
  /** The table index, built on first use. */
  index(): TableIndex;
  /** An operation compiled once per client, on its first call. */
  compiled(op: OperationDef): Compiled;
  /**
   * The scope decisions of every view with this principal and allow-list (per-request views of the adapters
   * share them, so each ScopeNeed is compiled once per client, not once per request).
   */
  decisionsFor(principal: 'server' | 'user', allowList: readonly string[] | undefined): Map<Alternatives, Decision>;
  /** Idempotent: marks the client closed and releases the transport. */
  close(): Promise<void>;
}

export interface ViewState {
  readonly allow: ReadonlySet<string> | undefined;
  readonly allowList: readonly string[] | undefined;
  readonly userToken: string | undefined;
  /** Where the view's calls come from (an adapter's route), for usage recording. */
  readonly label?: string | undefined;
}

/** One scope decision of a view: the usable alternatives and the need a server token is asked for. */
export interface Decision {
  readonly eligible: Alternatives;
  /** Undefined for a user's token (nothing is minted) and when no alternative is allowed. */
  readonly need: ScopeNeed | undefined;
}

/** A view at work: its state, and its decisions cached per table alternatives array (shared, see `decisionsFor`). */
export interface View {
  readonly shared: Shared;
  readonly state: ViewState;
  readonly principal: 'server' | 'user';
  readonly decisions: Map<Alternatives, Decision>;
}

/** Distinct (principal × allow-list) decision caches kept per client; past that the caches start over. */
const MAX_DECISION_SETS = 256;

export function createShared(core: Core, table: ClientTable): Shared {
  const compiledOps = new Map<OperationDef, Compiled>();
  const decisionSets = new Map<string, Map<Alternatives, Decision>>();
  let closing: Promise<void> | undefined;
  return {
    core,
    table,
    index: () => tableIndex(table.operations),
    compiled: (op) => {
      let c = compiledOps.get(op);
      if (!c) {
        c = compileOperation(op);
        compiledOps.set(op, c);
      }
      return c;
    },
    decisionsFor: (principal, allowList) => {
      // Allow-lists are sorted and de-duplicated, so equal lists give equal keys.
      const key = `${principal} ${allowList === undefined ? '*' : `[${allowList.join(' ')}]`}`;
      let set = decisionSets.get(key);
      if (!set) {
        if (decisionSets.size >= MAX_DECISION_SETS) decisionSets.clear();
        decisionSets.set(key, (set = new Map()));
      }
      return set;
    },
    close: () =>
      (closing ??= (async () => {
        core.closed = true;
        await core.pacer.close?.();
        await core.transport.close();
      })()),
  };
}

export function createView(shared: Shared, state: ViewState): View {
  const principal = state.userToken ? 'user' : 'server';
  return { shared, state, principal, decisions: shared.decisionsFor(principal, state.allowList) };
}
