/**
 * The state the client's modules are handed: what every view of one client shares (core, table index,
 * compiled operations), and what one view holds (allow-list, user token, its scope-decision cache).
 */
import type { ScopeNeed } from '@scopebound/token';
import type { Core } from './core';
import type { OperationDef } from './generated/operations';
import { compileOperation, type Compiled } from './planner';
import type { Alternatives } from './scope-resolution';
import { buildIndex, type TableIndex } from './table-index';

export interface Shared {
  readonly core: Core;
  /** The table index, built on first use. */
  index(): TableIndex;
  /** An operation compiled once per client, on its first call. */
  compiled(op: OperationDef): Compiled;
  /** Idempotent: marks the client closed and releases the transport. */
  close(): Promise<void>;
}

export interface ViewState {
  readonly allow: ReadonlySet<string> | undefined;
  readonly allowList: readonly string[] | undefined;
  readonly userToken: string | undefined;
}

/** One scope decision of a view: the usable alternatives and the need a server token is asked for. */
export interface Decision {
  readonly eligible: Alternatives;
  /** Undefined for a user's token (nothing is minted) and when no alternative is allowed. */
  readonly need: ScopeNeed | undefined;
}

/** A view at work: its state, and its decisions cached per table alternatives array. */
export interface View {
  readonly shared: Shared;
  readonly state: ViewState;
  readonly principal: 'server' | 'user';
  readonly decisions: Map<Alternatives, Decision>;
}

export function createShared(core: Core): Shared {
  let index: TableIndex | undefined;
  const compiledOps = new Map<OperationDef, Compiled>();
  let closing: Promise<void> | undefined;
  return {
    core,
    index: () => (index ??= buildIndex()),
    compiled: (op) => {
      let c = compiledOps.get(op);
      if (!c) {
        c = compileOperation(op);
        compiledOps.set(op, c);
      }
      return c;
    },
    close: () =>
      (closing ??= (async () => {
        core.closed = true;
        await core.transport.close();
      })()),
  };
}

export function createView(shared: Shared, state: ViewState): View {
  return { shared, state, principal: state.userToken ? 'user' : 'server', decisions: new Map() };
}
