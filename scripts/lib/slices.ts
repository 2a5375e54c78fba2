/**
 * Per-resource slices of the operation table. Each top-level resource has a rows module
 * (`packages/management/src/generated/tables/users.ts`: its entries of the table, the only copy of them; the
 * whole table in `generated/operations.ts` is these concatenated) and a slice module
 * (`generated/resources/users.ts`: those rows, the breadth of their alternatives over the whole table,
 * revokeToken's operation, and a `createManagementClient` limited to them), so a Worker that imports
 * `@scopebound/management/resources/users` bundles only that slice, and the package ships every row once.
 * Pure string building; deterministic for the same table.
 */
import { breadthOf } from '../../packages/management/src/scope-breadth';
import type { Operation, Table } from './build-table';
import { banner, renderRow, type SpecInfo } from './emit';

/** The module-scope name of a resource's rows (`users` → `usersRows`). */
export const rowsName = (resource: string): string => `${resource}Rows`;

/** The operation every client needs whatever its resources: `revokeToken` sends it. */
export const REVOCATION_OPERATION = 'blacklists.add';

/** The top-level resource of an operation name (`users.roles.list` → `users`). */
export const resourceOf = (name: string): string => name.split('.')[0] as string;

/** Every top-level resource with its operations, in the table's order (sorted by name, so by resource too). */
export function sliceTable(table: Table): Map<string, Operation[]> {
  const slices = new Map<string, Operation[]>();
  for (const op of table.operations) {
    const resource = resourceOf(op.name);
    slices.set(resource, [...(slices.get(resource) ?? []), op]);
  }
  return slices;
}

/** The breadth key of an alternative: its scopes sorted and joined by spaces (the runtime looks it up the same way). */
export const breadthKey = (scopes: readonly string[]): string => [...scopes].sort().join(' ');

/** Each distinct alternative the slice's operations accept (own rule and body rules), with its breadth over the whole table. */
export function sliceBreadth(ops: readonly Operation[], table: Table): [string, number][] {
  const keys = new Map<string, readonly string[]>();
  for (const op of ops) {
    for (const alt of [...op.anyOf, ...(op.bodyRules ?? []).flatMap((r) => r.anyOf)]) keys.set(breadthKey(alt), alt);
  }
  return [...keys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, alt]) => [key, breadthOf(alt, table.operations)]);
}

/** A resource's rows of the table: data only, imported by its slice and by the whole table. */
function renderRows(resource: string, ops: readonly Operation[], table: Table, spec: SpecInfo): string {
  return `${banner(spec)}
import { rows } from '../../table-rows';
import type { OperationDef } from '../operations';

/** The \`${resource}\` resource's rows of the operation table (${ops.length} of ${table.operations.length}), in the table's order. */
export const ${rowsName(resource)}: readonly OperationDef[] = /* @__PURE__ */ rows([
${ops.map(renderRow).join('\n')}
]);
`;
}

function renderSlice(resource: string, ops: readonly Operation[], table: Table, spec: SpecInfo): string {
  const revocation = table.operations.find((o) => o.name === REVOCATION_OPERATION);
  if (!revocation) throw new Error(`the table has no ${REVOCATION_OPERATION} operation (revokeToken needs it in every slice)`);
  const own = resourceOf(REVOCATION_OPERATION);
  const breadth = sliceBreadth(ops, table);
  const imports =
    own === resource
      ? `import { ${rowsName(resource)} } from '../tables/${resource}';`
      : `import { ${rowsName(own)} } from '../tables/${own}';\nimport { ${rowsName(resource)} } from '../tables/${resource}';`;
  return `${banner(spec)}
import { createClientFor, type ManagementClient } from '../../client';
import { sliceTable } from '../../client-table';
import type { ManagementClientOptions } from '../../options';
import type { OperationDef, OperationName } from '../operations';
${imports}

/** The operations of the \`${resource}\` resource (${ops.length} of ${table.operations.length}). */
export type ResourceOperationName = Extract<OperationName, \`${resource}.\${string}\`>;

/** A client of the \`${resource}\` resource: its namespace, and request/scopesFor/withScopes/asUser/… on its routes. */
export type ResourceClient = ManagementClient<ResourceOperationName>;

/** The \`${resource}\` resource's slice of the operation table, in the table's order. */
export const operations: readonly OperationDef[] = ${rowsName(resource)};

/** \`revokeToken\`'s operation: a slice client can revoke tokens too. */
const revocation = ${rowsName(own)}.find((o) => o.name === ${JSON.stringify(REVOCATION_OPERATION)}) as OperationDef;

/** Breadth over the whole table (${table.operations.length} operations) of every alternative these operations accept. */
const breadth: Readonly<Record<string, number>> = {
${breadth.map(([key, n]) => `  ${JSON.stringify(key)}: ${n},`).join('\n')}
};

/** \`createManagementClient\` for the \`${resource}\` resource only: the same options, runtime and types, this slice of the table. */
export function createManagementClient(options: ManagementClientOptions): ResourceClient {
  return createClientFor<ResourceOperationName>(sliceTable(${JSON.stringify(resource)}, operations, revocation, breadth), options);
}
`;
}

/** The slice modules, keyed by their path under `src/generated/` (`resources/users.ts`, `tables/users.ts`). */
export function renderSlices(table: Table, spec: SpecInfo): Map<string, string> {
  const files = new Map<string, string>();
  for (const [resource, ops] of sliceTable(table)) {
    files.set(`tables/${resource}.ts`, renderRows(resource, ops, table, spec));
    files.set(`resources/${resource}.ts`, renderSlice(resource, ops, table, spec));
  }
  return files;
}
