/**
 * The operations a client serves: the whole generated table (`@scopebound/management`) or one resource's
 * generated slice (`@scopebound/management/resources/<resource>`), with what a slice still needs to know of
 * the whole table (each alternative's breadth, revokeToken's operation). One runtime serves either.
 */
import type { OperationDef } from './generated/operations';
import { breadthOf } from './scope-breadth';

export interface ClientTable {
  /** The operations whose namespaces and routes the client has. */
  readonly operations: readonly OperationDef[];
  /** The resource a slice serves (undefined: the whole table). */
  readonly resource: string | undefined;
  /** How many operations of the whole table a token holding exactly `scopes` may call (see scope-breadth.ts). */
  breadthOf(scopes: readonly string[]): number;
  /** The legacy blacklist operation `revokeToken` sends. */
  readonly revocation: OperationDef;
}

/** How errors name the table: a slice says where the whole one is. */
export function tableName(table: ClientTable): string {
  return table.resource === undefined
    ? 'the operation table'
    : `the ${table.resource} slice of the operation table (this client is from @scopebound/management/resources/${table.resource}; @scopebound/management's client has every operation)`;
}

/** The whole table: breadth counted over it. */
export function wholeTable(operations: readonly OperationDef[]): ClientTable {
  return {
    operations,
    resource: undefined,
    breadthOf: (scopes) => breadthOf(scopes, operations),
    get revocation() {
      return operations.find((op) => op.name === 'blacklists.add') as OperationDef;
    },
  };
}

/**
 * A generated slice: `breadth` holds each alternative the slice accepts (scopes sorted, joined by spaces) with
 * its breadth over the whole table, computed by the generator with the same `breadthOf`.
 */
export function sliceTable(
  resource: string,
  operations: readonly OperationDef[],
  revocation: OperationDef,
  breadth: Readonly<Record<string, number>>,
): ClientTable {
  return {
    operations,
    resource,
    // Every alternative of the slice is in `breadth`; anything else (never asked for) counts within the slice.
    breadthOf: (scopes) => breadth[[...scopes].sort().join(' ')] ?? breadthOf(scopes, operations),
    revocation,
  };
}
