/** `scopebound operations` and `scopebound scopes`: the operation table and the scopes a call needs (table only). */
import { alternativesFor, breadthOf, eligibleAlternatives, operations, type OperationDef } from '@scopebound/management/operations';
import { CliUsageError, type CliIO } from '../io';

const describeRule = (op: OperationDef) =>
  `${op.rule === 'any' ? 'any of' : op.rule}: ${op.anyOf.map((a) => a.join(' + ')).join(' | ')}`;

/** Edit distance (Levenshtein), for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** Find an operation by name (users.update), by route ("PATCH /users/{id}", with or without /api/v2), or by id. */
export function findOperation(ref: string): OperationDef {
  const trimmed = ref.trim();
  const route = /^(GET|POST|PUT|PATCH|DELETE)\s+(\S+)$/i.exec(trimmed);
  const found = route
    ? operations.find((o) => o.method === route[1]!.toUpperCase() && o.path === route[2]!.replace(/^\/api\/v2(?=\/)/, ''))
    : operations.find((o) => o.name === trimmed || o.id === trimmed);
  if (found) return found;
  const close = operations
    .map((o) => ({ name: o.name, d: distance(o.name.toLowerCase(), trimmed.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(3, Math.floor(trimmed.length / 3)))
    .sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1))
    .slice(0, 5)
    .map((x) => x.name);
  throw new CliUsageError(
    `No operation "${ref}". Name one like users.update or a route like "PATCH /users/{id}"` +
      (close.length ? `; close matches: ${close.join(', ')}` : '; list them with `scopebound operations`') +
      '.',
  );
}

export function operationsCommand(args: { search?: string; json?: boolean }, io: CliIO): number {
  const q = args.search?.toLowerCase();
  const list = operations.filter(
    (o) =>
      !q ||
      o.name.toLowerCase().includes(q) ||
      o.path.toLowerCase().includes(q) ||
      (o.title ?? '').toLowerCase().includes(q) ||
      o.scopes.some((s) => s.includes(q)),
  );
  if (args.json) {
    io.out(JSON.stringify(list, null, 2));
    return 0;
  }
  for (const o of list) io.out(`${o.name.padEnd(48)} ${`${o.method} /api/v2${o.path}`.padEnd(64)} ${describeRule(o)}`);
  io.out(`${list.length} of ${operations.length} operations`);
  return 0;
}

export function scopesCommand(args: { operation?: string; body?: string }, io: CliIO): number {
  if (!args.operation) throw new CliUsageError('scopes needs an operation, e.g. `scopebound scopes users.update --body \'{"app_metadata":{}}\'`.');
  const op = findOperation(args.operation);
  let body: unknown;
  if (args.body !== undefined) {
    try {
      body = JSON.parse(args.body);
    } catch {
      throw new CliUsageError('--body must be JSON, e.g. --body \'{"app_metadata":{"plan":"pro"}}\'.');
    }
  }
  const alternatives = alternativesFor(op, body);
  const server = eligibleAlternatives(alternatives);
  const user = eligibleAlternatives(alternatives, { principal: 'user' }).filter((a) => !server.includes(a));
  io.out(`${op.name}  ${op.method} /api/v2${op.path}`);
  io.out(`rule: ${describeRule(op)}${op.bodyRules ? ' (body-aware)' : ''}`);
  const reach = (alt: readonly string[]) => {
    const n = breadthOf(alt, operations);
    return `${alt.join(' ')} (lets a token call ${n} operation${n === 1 ? '' : 's'})`;
  };
  io.out(`narrowest server token: ${server[0] ? reach(server[0]) : '(none: only a user token can call this)'}`);
  for (const alt of server.slice(1)) io.out(`also accepted, broader: ${reach(alt)}`);
  if (server.length > 1) io.out('(alternatives are ordered by how many operations each scope set authorises, narrowest first)');
  if (user.length > 0) io.out(`with a user's token (asUser): ${user.map((a) => a.join(' ')).join(' | ')}`);
  if (op.bodyRules && body === undefined) {
    const only = op.bodyRules.find((r) => r.when !== 'otherwise');
    const example = only && only.when !== 'otherwise' ? `{"${only.when.onlyKeys[0]}":{}}` : '{}';
    io.out(`hint: the scopes of ${op.name} depend on the body; pass --body '${example}' to see the narrowest for your call.`);
  }
  return 0;
}
