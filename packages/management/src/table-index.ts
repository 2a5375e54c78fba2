/**
 * The operations a client serves (its table: the whole one or a resource's slice) indexed on first use: the
 * namespace tree (`users`, `organizations.members`, …) and look-ups by name and by route. Built once per table
 * and shared by every client of that table (read-only, derived from the generated table alone): per client it
 * cost ~130 KiB, which a multi-tenant app paid once per tenant.
 */
import type { OperationDef } from './generated/operations';

export interface NsNode {
  readonly children: ReadonlyMap<string, NsNode>;
  readonly ops: ReadonlyMap<string, OperationDef>;
}

export interface TableIndex {
  readonly root: NsNode;
  readonly byName: ReadonlyMap<string, OperationDef>;
  /** `${method} ${path}`, the path without the API prefix. */
  readonly byRoute: ReadonlyMap<string, OperationDef>;
}

interface MutableNode {
  readonly children: Map<string, MutableNode>;
  readonly ops: Map<string, OperationDef>;
}

// Not state: a pure function of each generated table, computed once per table; nobody writes to it (ReadonlyMap).
const built = new WeakMap<readonly OperationDef[], TableIndex>();

/** The shared index of `operations`, built on the first call. */
export function tableIndex(operations: readonly OperationDef[]): TableIndex {
  let index = built.get(operations);
  if (index === undefined) built.set(operations, (index = buildIndex(operations)));
  return index;
}

export function buildIndex(operations: readonly OperationDef[]): TableIndex {
  const root: MutableNode = { children: new Map(), ops: new Map() };
  const byName = new Map<string, OperationDef>();
  const byRoute = new Map<string, OperationDef>();
  for (const op of operations) {
    byName.set(op.name, op);
    byRoute.set(`${op.method} ${op.path}`, op);
    const parts = op.name.split('.');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const seg = parts[i] as string;
      let child = node.children.get(seg);
      if (!child) {
        child = { children: new Map(), ops: new Map() };
        node.children.set(seg, child);
      }
      node = child;
    }
    node.ops.set(parts[parts.length - 1] as string, op);
  }
  return { root, byName, byRoute };
}
