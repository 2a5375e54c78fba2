/** What one bulk call is, and the pure check that turns one input value into a call (or says why not). */
import { createHash } from 'node:crypto';
import { operations, type OperationDef } from '@scopebound/management/operations';

/** One Management API call: the operation's name, its path + query parameters, its JSON body. */
export interface BulkCall {
  readonly operation: string;
  readonly params?: Record<string, unknown>;
  readonly body?: unknown;
  /** Where it came from (1-based input line), for reports. */
  readonly line?: number;
}

const byName = new Map<string, OperationDef>(operations.map((op) => [op.name, op]));

export function operationOf(name: string): OperationDef | undefined {
  return byName.get(name);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isParamValue = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v) || (Array.isArray(v) && v.every((x) => ['string', 'number', 'boolean'].includes(typeof x)));

/** Why `value` is not a well-formed call of a known operation, or undefined when it is one. */
export function callProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'expected a JSON object {"operation": …, "params": {…}, "body": {…}}';
  const extra = Object.keys(value).filter((k) => !['operation', 'params', 'body'].includes(k));
  if (extra.length > 0) return `unknown key(s) ${extra.map((k) => JSON.stringify(k)).join(', ')}; a line has only operation, params and body`;
  if (typeof value.operation !== 'string') return '"operation" must be an operation name such as "users.update" (see `scopebound operations`)';
  const op = byName.get(value.operation);
  if (!op) return `unknown operation ${JSON.stringify(value.operation)} (see \`scopebound operations --search …\`)`;
  if (value.params !== undefined && !isObject(value.params)) return '"params" must be an object of path and query parameters';
  const params = (value.params ?? {}) as Record<string, unknown>;
  for (const name of op.pathParams) {
    const v = params[name];
    if (typeof v !== 'string' && typeof v !== 'number') return `${op.name} needs the path parameter "${name}" (params.${name})`;
    if (v === '' || v === '.' || v === '..') return `path parameter "${name}" may not be ${JSON.stringify(v)}`;
  }
  for (const [name, v] of Object.entries(params)) {
    if (!op.pathParams.includes(name) && !op.queryParams.includes(name)) return `${op.name} has no parameter "${name}" (it takes ${[...op.pathParams, ...op.queryParams].join(', ') || 'none'})`;
    if (!isParamValue(v)) return `parameter "${name}" must be a string, number, boolean or an array of them`;
  }
  if (op.body === 'none' && value.body !== undefined) return `${op.name} takes no body`;
  if (op.body === 'required' && value.body === undefined) return `${op.name} needs a body`;
  if (value.body !== undefined && !isObject(value.body) && !Array.isArray(value.body)) return '"body" must be a JSON object (or array)';
  return undefined;
}

/** JSON with object keys sorted, so that equal calls hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** A short fingerprint of what the call does (operation, params, body; not its line), kept in the journal. */
export function callHash(call: BulkCall): string {
  return createHash('sha256').update(canonical({ o: call.operation, p: call.params ?? {}, b: call.body ?? null })).digest('base64url').slice(0, 16);
}
