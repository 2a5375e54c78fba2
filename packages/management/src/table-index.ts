/**
 * The operation table indexed for a client, on first use: the namespace tree (`users`, `organizations.members`,
 * …) and look-ups by name and by route. Per client, no module-level state.
 */
import { operations, type OperationDef } from './generated/operations';

export interface NsNode {
  readonly children: Map<string, NsNode>;
  readonly ops: Map<string, OperationDef>;
}

export interface TableIndex {
  readonly root: NsNode;
  readonly byName: Map<string, OperationDef>;
  /** `${method} ${path}`, the path without the API prefix. */
  readonly byRoute: Map<string, OperationDef>;
}

export function buildIndex(): TableIndex {
  const root: NsNode = { children: new Map(), ops: new Map() };
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
