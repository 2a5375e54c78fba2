/** Routes `/api/v2/*` paths to operations of the generated table. */
import type { OperationDef } from './table';

/** A route; shared between requests for the same path (never mutate it). */
export interface RouteMatch {
  readonly op: OperationDef;
  readonly params: Readonly<Record<string, string>>;
}

interface Compiled {
  op: OperationDef;
  segments: readonly (string | { param: string })[];
  literals: number;
}

export interface Router {
  /** Match a method and a path relative to /api/v2 (no query string). */
  match(method: string, path: string): RouteMatch | undefined;
  /** True when some operation (any method) has this path. */
  pathExists(path: string): boolean;
  byName(name: string): OperationDef | undefined;
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export function createRouter(ops: readonly OperationDef[]): Router {
  const table = new Map<string, Compiled[]>();
  const names = new Map<string, OperationDef>();
  for (const op of ops) {
    names.set(op.name, op);
    const segments = split(op.path).map((s) => {
      const m = /^\{(.+)\}$/.exec(s);
      return m ? { param: m[1]! } : s;
    });
    const literals = segments.filter((s) => typeof s === 'string').length;
    const key = `${op.method} ${segments.length}`;
    const list = table.get(key) ?? [];
    list.push({ op, segments, literals });
    table.set(key, list);
  }
  // Most specific first: more literal segments, then earlier literal positions.
  for (const list of table.values()) {
    list.sort((a, b) => {
      if (b.literals !== a.literals) return b.literals - a.literals;
      for (let i = 0; i < a.segments.length; i++) {
        const la = typeof a.segments[i] === 'string';
        const lb = typeof b.segments[i] === 'string';
        if (la !== lb) return la ? -1 : 1;
      }
      return 0;
    });
  }

  function matchIn(list: Compiled[] | undefined, parts: string[]): RouteMatch | undefined {
    if (!list) return undefined;
    outer: for (const c of list) {
      const params: Record<string, string> = {};
      for (let i = 0; i < parts.length; i++) {
        const seg = c.segments[i]!;
        const part = parts[i]!;
        if (typeof seg === 'string') {
          if (seg !== part) continue outer;
        } else {
          let value: string;
          try {
            value = decodeURIComponent(part);
          } catch {
            continue outer;
          }
          params[seg.param] = value;
        }
      }
      return { op: c.op, params };
    }
    return undefined;
  }

  // Recent answers by method + path: the hot path asks for the same few paths again and again.
  const recent = new Map<string, RouteMatch | undefined>();
  return {
    match(method, path) {
      const key = `${method} ${path}`;
      if (recent.has(key)) return recent.get(key);
      const parts = split(path);
      const found = matchIn(table.get(`${method.toUpperCase()} ${parts.length}`), parts);
      if (recent.size >= 5_000) recent.clear();
      recent.set(key, found);
      return found;
    },
    pathExists(path) {
      const parts = split(path);
      for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        if (matchIn(table.get(`${m} ${parts.length}`), parts)) return true;
      }
      return false;
    },
    byName: (name) => names.get(name),
  };
}
