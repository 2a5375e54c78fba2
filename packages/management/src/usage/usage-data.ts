/**
 * The usage record: which operations a service called, with which scope needs, how often, through which
 * applications. Plain JSON (a usage file, or a fleet's shared copy), merged by adding counts. Validated once
 * when read (`parseUsage`), so planning code receives well-formed values.
 */
import { InvalidOptionError, validateScopes } from '@scopebound/token';

export const USAGE_FORMAT = 'scopebound-usage';
export const USAGE_VERSION = 1;

/** One aggregated kind of call. */
export interface UsageCall {
  /** Table operation name, or the route for a call outside the table. */
  readonly operation: string;
  /** `METHOD /api/v2/...` template. */
  readonly route: string;
  /** Every scope set that authorises the call as made (narrowest first). */
  readonly alternatives: readonly (readonly string[])[];
  /** Where the call came from (an adapter route such as `PATCH /plans/:id`), or '' when unlabelled. */
  readonly label: string;
  readonly count: number;
  /** Applications (client ids) whose tokens served it. */
  readonly clients: readonly string[];
}

export interface UsageData {
  readonly format: typeof USAGE_FORMAT;
  readonly version: typeof USAGE_VERSION;
  readonly calls: readonly UsageCall[];
  /** The scopes each application's tokens were seen to carry (its grant, on Auth0). */
  readonly grants: Readonly<Record<string, readonly string[]>>;
}

export function emptyUsage(): UsageData {
  return { format: USAGE_FORMAT, version: USAGE_VERSION, calls: [], grants: {} };
}

/** The identity of an aggregated call (everything but its count and clients). */
export function usageKey(call: Pick<UsageCall, 'operation' | 'route' | 'alternatives' | 'label'>): string {
  return JSON.stringify([call.operation, call.route, call.label, call.alternatives]);
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** `a` and `b` together: counts added, client and scope lists united, calls in a stable order. */
export function mergeUsage(a: UsageData, b: UsageData): UsageData {
  const calls = new Map<string, UsageCall>();
  for (const call of [...a.calls, ...b.calls]) {
    const key = usageKey(call);
    const seen = calls.get(key);
    calls.set(key, seen ? { ...seen, count: seen.count + call.count, clients: sorted([...seen.clients, ...call.clients]) } : call);
  }
  const grants: Record<string, readonly string[]> = { ...a.grants };
  for (const [client, scopes] of Object.entries(b.grants)) grants[client] = sorted([...(grants[client] ?? []), ...scopes]);
  const ordered = [...calls.values()].sort((x, y) => (usageKey(x) < usageKey(y) ? -1 : 1));
  return { format: USAGE_FORMAT, version: USAGE_VERSION, calls: ordered, grants };
}

/**
 * Check a parsed usage document and return it as `UsageData`. `source` names it in errors (a file path).
 * Unknown scope names are refused with the entry that holds them and the closest known names.
 */
export function parseUsage(value: unknown, source = 'usage'): UsageData {
  const fail = (where: string, what: string): never => {
    throw new InvalidOptionError(source, `${where}: ${what}. Record usage again with createUsageRecorder(), or fix the file by hand.`);
  };
  if (!isRecord(value) || value.format !== USAGE_FORMAT) fail('the document', `is not a Scopebound usage file (expected "format": "${USAGE_FORMAT}")`);
  const doc = value as Record<string, unknown>;
  if (doc.version !== USAGE_VERSION) fail('version', `${JSON.stringify(doc.version)} is not supported (this version reads ${USAGE_VERSION})`);
  if (!Array.isArray(doc.calls)) fail('calls', 'must be an array');
  const calls = (doc.calls as unknown[]).map((raw, i): UsageCall => {
    const where = `calls[${i}]`;
    if (!isRecord(raw)) return fail(where, 'must be an object');
    const { operation, route, label, count, clients, alternatives } = raw;
    if (typeof operation !== 'string' || operation === '') fail(`${where}.operation`, 'must be a non-empty string');
    if (typeof route !== 'string' || !/^(GET|POST|PUT|PATCH|DELETE) \/api\/v2\//.test(route)) fail(`${where}.route`, 'must look like "PATCH /api/v2/users/{id}"');
    if (label !== undefined && typeof label !== 'string') fail(`${where}.label`, 'must be a string');
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) fail(`${where}.count`, 'must be a whole number ≥ 1');
    if (!Array.isArray(clients) || clients.some((c) => typeof c !== 'string')) fail(`${where}.clients`, 'must be an array of client ids');
    if (!Array.isArray(alternatives) || alternatives.length === 0) fail(`${where}.alternatives`, 'must list at least one scope set');
    const alts = (alternatives as unknown[]).map((alt, j) => scopesAt(alt, `${where}.alternatives[${j}]`, fail));
    return { operation: operation as string, route: route as string, label: (label as string | undefined) ?? '', count: count as number, clients: sorted(clients as string[]), alternatives: alts };
  });
  const grants: Record<string, readonly string[]> = {};
  if (doc.grants !== undefined) {
    if (!isRecord(doc.grants)) fail('grants', 'must map client ids to scope lists');
    for (const [client, scopes] of Object.entries(doc.grants as Record<string, unknown>)) grants[client] = scopesAt(scopes, `grants.${client}`, fail);
  }
  return mergeUsage(emptyUsage(), { format: USAGE_FORMAT, version: USAGE_VERSION, calls, grants });
}

function scopesAt(value: unknown, where: string, fail: (where: string, what: string) => never): string[] {
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) return fail(where, 'must be an array of scope names');
  try {
    // current_user scopes are never recorded for a server call, so they count as unknown here too.
    return validateScopes(value as string[]);
  } catch (error) {
    return fail(where, (error as Error).message);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
