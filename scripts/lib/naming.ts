/**
 * Operation naming.
 *
 * 1. An overlay override ("METHOD /path": name) wins.
 * 2. Else the document's own `x-operation-group` + `x-operation-name` (the names node-auth0 uses):
 *    group ["users", "roles"] + name "list" → `users.roles.list`.
 * 3. Else the method + path rule:
 *    - resource segments are the path's literal segments, camelCased (`client-grants` → `clientGrants`);
 *    - GET on a path ending in a parameter → `get`; GET otherwise → `list`; POST → `create`;
 *      PATCH/PUT → `update`; DELETE → `delete`;
 *    - a literal segment after a parameter on a POST (e.g. `/actions/{id}/deploy`) is an action: the method
 *      name becomes that segment (`actions.deploy`).
 * Names must be unique, and a name must never be both a method and a namespace; clashes get a numeric
 * suffix and a warning (fix them in the overlay).
 */
export function camel(segment: string): string {
  const out = segment
    .replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))
    .replace(/^[A-Z]/, (c) => c.toLowerCase());
  return /^[0-9]/.test(out) ? `_${out}` : out;
}

export function nameFromPath(method: string, path: string): string {
  const segments = path.split('/').filter(Boolean);
  const literal = segments.filter((s) => !s.startsWith('{'));
  const last = segments[segments.length - 1] ?? '';
  const lastIsParam = last.startsWith('{');
  const m = method.toLowerCase();
  if (literal.length === 0) return m;
  if (m === 'post' && !lastIsParam && segments.length >= 2 && segments[segments.length - 2]!.startsWith('{')) {
    const ns = literal.slice(0, -1).map(camel);
    return [...ns, camel(last)].join('.');
  }
  const verb =
    m === 'get' ? (lastIsParam ? 'get' : 'list') : m === 'post' ? 'create' : m === 'delete' ? 'delete' : 'update';
  return [...literal.map(camel), verb].join('.');
}

export function nameFromExtensions(group: unknown, name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return undefined;
  const groups = typeof group === 'string' ? [group] : Array.isArray(group) ? group : undefined;
  if (!groups || groups.length === 0 || !groups.every((g) => typeof g === 'string' && g.length > 0)) return undefined;
  return [...(groups as string[]).map(camel), camel(name)].join('.');
}

/** Make names unique and keep methods and namespaces apart. Mutates nothing; returns new names by key. */
export function resolveNameClashes(
  entries: readonly { key: string; name: string }[],
  warn: (message: string) => void,
): Map<string, string> {
  const result = new Map<string, string>();
  const used = new Set<string>();
  const namespaces = new Set<string>();
  for (const { name } of entries) {
    const parts = name.split('.');
    for (let i = 1; i < parts.length; i++) namespaces.add(parts.slice(0, i).join('.'));
  }
  for (const { key, name } of entries) {
    let candidate = name;
    if (namespaces.has(candidate)) {
      warn(`${key}: name ${candidate} is also a namespace; renamed to ${candidate}.call`);
      candidate = `${candidate}.call`;
    }
    let n = 2;
    const base = candidate;
    while (used.has(candidate)) candidate = `${base}${n++}`;
    if (candidate !== base) warn(`${key}: name ${base} is taken; renamed to ${candidate} (set one in the overlay)`);
    used.add(candidate);
    result.set(key, candidate);
  }
  return result;
}
